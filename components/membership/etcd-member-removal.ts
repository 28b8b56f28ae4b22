import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan, ReplicaPlan } from "../plan/types";
import { etcdMemberOf } from "../render/etcd-config";
import { IDENTITY_KEYS } from "../render/replica-identity";
import { REMOVAL_ENV, type RemovalScriptInput, renderRemovalCreateScript, renderRemovalDeleteScript } from "./removal-scripts";
import type { RemovalTransport } from "./removal-transport";

/**
 * Membership follows the resources: one `local.Command` per replica whose
 * `delete` removes the replica's etcd member from a surviving member and then
 * its Node object, and which depends on the replica's instance, so Pulumi
 * deletes it — running that delete — before it deletes the instance. The
 * cloud components make the replica's load-balancer attachment depend on this
 * command, so the replica leaves the LB before the delete runs (its
 * apiserver fails once its local member is gone); waiting for a new replica
 * to join is a command of its own (join-wait.ts), after the attachment.
 *
 * The @pulumi/command caveats, and how they are met:
 * - Pulumi runs a delete with the inputs stored in state when the command was
 *   created or last updated. So the stored script names no host: it discovers
 *   a running survivor (labels/tags) at delete time. What is decided only at
 *   removal time — keep the Node (`--keep-nodes`), or skip everything for a
 *   whole-cluster `pulumi destroy` — therefore cannot be an input either: it
 *   is read from the environment of the `pulumi up` process
 *   (KUBE_HA_KEEP_NODES, KUBE_HA_SKIP_MEMBER_REMOVAL), which the command
 *   provider passes on to the script. `kube-ha remove-replica --keep-nodes`
 *   sets KUBE_HA_KEEP_NODES=true for the up it runs.
 * - The delete is idempotent: the membership script treats a member already
 *   gone as success, and kubectl runs with --ignore-not-found.
 * - `deleteBeforeReplace: true` (a replaced command removes before it
 *   re-creates); no `deletedWith` (it would skip the delete); no `retainOnDelete`.
 * - With no `update`, any input change re-runs `create`, which only checks tools.
 * - The admin kubeconfig is a secret input (encrypted in state; the other
 *   environment values — project, region, instance — stay plain), written to a
 *   private temporary file only while kubectl runs; stdout/stderr are
 *   additional secret outputs and the scripts never print key material.
 */

export const MEMBER_REMOVAL_TYPE = "command:local:Command";

interface MemberRemovalCommon {
  plan: ControlPlanePlan;
  replica: ReplicaPlan;
  /** kubeconfig of a cluster-admin for the load-balanced endpoint (a secret). */
  adminKubeconfig: pulumi.Input<string>;
  /**
   * Labels (GCP) / tags (AWS) carried by every instance of this cluster with
   * the replica's role; default `{ "kube-ha-cluster": <clusterName>, "kube-ha-role": <role> }`.
   */
  selector?: Record<string, string>;
  /** The replica's Node name; default the replica name (kubeadm's nodeRegistration.name). */
  nodeName?: string;
  /**
   * Prefix of the command's resource name (the cloud component passes
   * `<component>-<replica>`, like its other per-replica resources);
   * default `<clusterName>-<replica>`.
   */
  resourceName?: string;
  /**
   * More of the machine's resources the removal must run before (AWS: the
   * etcd volume attachment, whose delete stops the instance). The instance
   * is always a dependency.
   */
  dependsOn?: pulumi.Resource[];
}

/**
 * `transport` is the platform's (gcpRemovalTransport, awsRemovalTransport):
 * how the delete script reaches a survivor, and what it needs to know of
 * `instance` for that.
 */
export type MemberRemovalArgs<Instance extends pulumi.Resource = pulumi.Resource> = MemberRemovalCommon & {
  transport: RemovalTransport<Instance>;
  /** The replica's instance: the command is removed before it. */
  instance: Instance;
};

/** The default survivor selector; the cloud components put these on every instance. */
export function defaultSelector(plan: ControlPlanePlan, replica: ReplicaPlan): Record<string, string> {
  return { [IDENTITY_KEYS.cluster]: plan.clusterName, [IDENTITY_KEYS.role]: replica.role };
}

/** What the scripts are rendered from: pure, so it can be unit-tested and shellchecked. */
export function removalScriptInput<Instance extends pulumi.Resource>(args: MemberRemovalArgs<Instance>): RemovalScriptInput {
  const { plan, replica } = args;
  return {
    transport: args.transport,
    replica: replica.name,
    etcdMember: replica.etcdMember,
    ...(replica.etcdMember ? { peerUrl: etcdMemberOf(plan, replica.name).peerUrl } : {}),
    ...(replica.role === "master" ? { nodeName: args.nodeName ?? replica.name } : {}),
    selector: args.selector ?? defaultSelector(plan, replica),
  };
}

/** Resource name of a replica's removal command: unique per component (or cluster) and replica. */
export function memberRemovalName(plan: ControlPlanePlan, replica: ReplicaPlan, resourceName?: string): string {
  return `${resourceName ?? `${plan.clusterName}-${replica.name}`}-member-removal`;
}

/**
 * Registers the removal command of one replica under `scope` (the cloud
 * component). Call it once per replica, after creating the replica's instance.
 */
export function attachMemberRemoval<Instance extends pulumi.Resource>(scope: pulumi.Resource, args: MemberRemovalArgs<Instance>): command.local.Command {
  const input = removalScriptInput(args);
  // Only the kubeconfig is secret: marking the whole map would hide the
  // instance's name and project too (the preview redacts every occurrence of
  // a secret value, so the replica's own resources would show "[secret]").
  const environment: Record<string, pulumi.Input<string>> = {
    ...args.transport.environment(args.instance, args.plan),
    [REMOVAL_ENV.adminKubeconfig]: pulumi.secret(args.adminKubeconfig),
  };
  return new command.local.Command(
    memberRemovalName(args.plan, args.replica, args.resourceName),
    {
      interpreter: ["/bin/bash", "-c"],
      create: renderRemovalCreateScript(input),
      delete: renderRemovalDeleteScript(input),
      environment,
    },
    {
      parent: scope,
      dependsOn: [args.instance, ...(args.dependsOn ?? [])],
      deleteBeforeReplace: true,
      additionalSecretOutputs: ["stdout", "stderr"],
    },
  );
}
