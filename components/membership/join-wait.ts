import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan, ReplicaPlan } from "../plan/types";
import { JOIN_WAIT_ENV, renderJoinWaitScript } from "./join-wait-script";

/**
 * One `local.Command` per master whose `create` waits, bounded, until that
 * master's apiserver mirror pod is Ready (join-wait-script.ts), so
 * `pulumi up` returns only once the replica has joined.
 *
 * Why a command of its own and not the removal command's `create`: each
 * replica's load-balancer attachment depends on its removal command (so the
 * attachment is deleted, taking the replica out of the LB, before the
 * removal runs), which also orders the removal command's create *before* the
 * attachment. A wait there would look for the apiserver through an LB that
 * does not yet hold the replica — on a new cluster, an LB with no backend at
 * all. This command depends on the attachment instead, so it waits with the
 * replica behind the LB. It has no delete.
 *
 * The admin kubeconfig is a secret input; stdout/stderr are additional secret
 * outputs and the script prints no key material. With no `update`, an input
 * change (a re-issued admin kubeconfig) re-runs `create`, which returns at
 * once for a master that is up.
 */
export interface JoinWaitArgs {
  plan: ControlPlanePlan;
  replica: ReplicaPlan;
  adminKubeconfig: pulumi.Input<string>;
  /** The replica's Node name; default the replica name (kubeadm's nodeRegistration.name). */
  nodeName?: string;
  /** Prefix of the resource name (`<component>-<replica>`); default `<clusterName>-<replica>`. */
  resourceName?: string;
  /** What must exist first: the replica's load-balancer attachment (and so its instance). */
  dependsOn: pulumi.Resource[];
}

export function joinWaitName(plan: ControlPlanePlan, replica: ReplicaPlan, resourceName?: string): string {
  return `${resourceName ?? `${plan.clusterName}-${replica.name}`}-join-wait`;
}

/** Registers the join wait of one master under `scope`; undefined for a machine without an apiserver. */
export function attachJoinWait(scope: pulumi.Resource, args: JoinWaitArgs): command.local.Command | undefined {
  if (args.replica.role !== "master") return undefined;
  return new command.local.Command(
    joinWaitName(args.plan, args.replica, args.resourceName),
    {
      interpreter: ["/bin/bash", "-c"],
      create: renderJoinWaitScript({
        replica: args.replica.name,
        nodeName: args.nodeName ?? args.replica.name,
        allowedCidrs: args.plan.spec.apiServerAllowedCidrs,
        scheme: args.plan.spec.loadBalancer.scheme,
      }),
      environment: { [JOIN_WAIT_ENV.adminKubeconfig]: pulumi.secret(args.adminKubeconfig) },
    },
    {
      parent: scope,
      dependsOn: args.dependsOn,
      additionalSecretOutputs: ["stdout", "stderr"],
    },
  );
}
