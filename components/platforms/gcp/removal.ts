import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { attachMemberRemoval } from "../../membership/etcd-member-removal";
import type { ControlPlanePlan, ReplicaPlan } from "../../plan/types";

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
    cloud: "gcp",
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
