import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan, ReplicaPlan } from "../plan/types";

/**
 * SEAM: etcd member removal (docs/contracts.md, "Removal"). A replica's etcd
 * member must be removed before its machine is deleted, by a
 * @pulumi/command resource whose `delete` runs `kube-ha-etcd remove NAME`
 * on a surviving member found by discovery.
 *
 * GcpControlPlane calls the hook once per etcd member, right after its
 * instance, with options `{ parent, provider, dependsOn: [instance],
 * deleteBeforeReplace: true }`: a resource created with them is deleted
 * before the instance. Without a hook no removal resource is made.
 */
export type GcpEtcdMemberRemovalHook = (context: GcpEtcdMemberRemovalContext) => void;

export interface GcpEtcdMemberRemovalContext {
  /** Prefix for the hook's resource names: `<component>-<replica>`. */
  resourceName: string;
  plan: ControlPlanePlan;
  replica: ReplicaPlan;
  instance: gcp.compute.Instance;
  opts: pulumi.CustomResourceOptions;
}
