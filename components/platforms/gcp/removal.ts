import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { attachMemberRemoval } from "../../membership/etcd-member-removal";
import { REMOVAL_ENV } from "../../membership/removal-scripts";
import type { RemovalTransport } from "../../membership/removal-transport";
import type { ControlPlanePlan, ReplicaPlan } from "../../plan/types";
import { fillPlaceholders } from "../../shell/placeholders";
import { shellFile } from "../../shell/shell-file";

/** The delete script's environment variable naming the instance's project. */
export const GCP_PROJECT_ENV = "KUBE_HA_GCP_PROJECT";

const TRANSPORT_SHELL = "platforms/gcp/removal-transport.sh";

/**
 * How the removal command reaches a survivor on GCP (removal-transport.sh):
 * it lists the running instances carrying the selector's labels with
 * `gcloud compute instances list`, and runs the membership script on one
 * after another with `gcloud compute ssh --tunnel-through-iap`. Any failure
 * there but a refusal (gcloud's own 1: IAM or OS Login denied; ssh's 255;
 * 127: the survivor is still booting; 3: its etcd is unavailable) moves on to
 * the next survivor.
 */
export const gcpRemovalTransport: RemovalTransport<gcp.compute.Instance> = {
  platform: "gcp",
  tool: "gcloud",
  removeMemberFunction: (member) =>
    fillPlaceholders(
      shellFile(TRANSPORT_SHELL),
      {
        PEER_URL: member.peerUrl,
        FILTER: [...Object.entries(member.selector).map(([k, v]) => `labels.${k}=${v}`), "status=RUNNING"].join(" AND "),
        MEMBERSHIP_SCRIPT: member.membershipScript,
      },
      TRANSPORT_SHELL,
    ),
  environment: (instance) => ({ [GCP_PROJECT_ENV]: instance.project, [REMOVAL_ENV.instance]: instance.name }),
};

/**
 * Where GcpControlPlane attaches etcd member removal (docs/contracts.md,
 * "Removal"). A machine's etcd member must be removed before the machine is
 * deleted, by a @pulumi/command resource whose `delete` runs
 * `kube-ha-etcd remove NAME` on a surviving member found by discovery (and
 * then deletes the machine's Node, for a master).
 *
 * GcpControlPlane calls the hook once per machine (every master, and every
 * etcd VM of the external topology), right after its instance, with options
 * `{ parent, provider, dependsOn: [instance], deleteBeforeReplace: true }`:
 * a resource created with them is deleted before the instance.
 *
 * The hook returns the resources it created (or nothing): a master's
 * instance-group membership depends on them, so Pulumi takes the master out
 * of the load balancer before it runs their delete. (Once its member is
 * removed, a master's apiserver — which talks only to its local member —
 * fails; it must not be a backend by then.)
 *
 * By default the hook is `gcpMemberRemovalCommand`, kube-ha's own removal
 * command; `etcdMemberRemoval: false` turns it off (members of removed
 * replicas are then removed by hand with `kube-ha-etcd remove`), and a
 * function of your own replaces it.
 */
export type GcpEtcdMemberRemovalHook = (context: GcpEtcdMemberRemovalContext) => pulumi.Resource[] | void;

export interface GcpEtcdMemberRemovalContext {
  /** Prefix for the hook's resource names: `<component>-<replica>`. */
  resourceName: string;
  plan: ControlPlanePlan;
  replica: ReplicaPlan;
  instance: gcp.compute.Instance;
  /** The cluster-admin kubeconfig from the component's ClusterPki (a secret). */
  adminKubeconfig: pulumi.Output<string>;
  opts: pulumi.CustomResourceOptions;
}

/**
 * The default hook: kube-ha's removal command
 * (components/membership/etcd-member-removal.ts) under the component. The
 * command reaches a survivor with `gcloud compute ssh --tunnel-through-iap`,
 * which the component allows (OS Login metadata on every instance, port 22
 * from IAP's range only: plan port `ssh-from-iap`). The cloud provider in
 * `opts` is not passed on: the command is not a GCP resource.
 */
export const gcpMemberRemovalCommand: GcpEtcdMemberRemovalHook = (c) => {
  const scope = c.opts.parent;
  if (!scope) throw new Error(`the removal command of ${c.replica.name} needs the control plane as its parent`);
  return [attachMemberRemoval(scope, {
    transport: gcpRemovalTransport,
    plan: c.plan,
    replica: c.replica,
    instance: c.instance,
    adminKubeconfig: c.adminKubeconfig,
    resourceName: c.resourceName,
  })];
};

/** The component argument → the hook to call (undefined: none). */
export function gcpMemberRemovalHook(arg: GcpEtcdMemberRemovalHook | false | undefined): GcpEtcdMemberRemovalHook | undefined {
  if (arg === false) return undefined;
  return arg ?? gcpMemberRemovalCommand;
}
