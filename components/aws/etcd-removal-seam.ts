import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan, ReplicaPlan } from "../plan/types";

/**
 * SEAM: etcd member removal. Per the contract (docs/contracts.md,
 * "Removal"), a replica's etcd member is removed before its machine is
 * deleted, by a @pulumi/command resource per replica whose `delete` runs
 * `kube-ha-etcd remove NAME` on a surviving master found by discovery.
 *
 * AwsControlPlane calls this hook once per replica, right after the
 * replica's instance exists, with `{ parent, dependsOn: [instance, etcd
 * volume attachment] }`: a resource created with those options is deleted
 * before the volume is detached (which stops the instance) and before the
 * instance is terminated, which is exactly the ordering the removal needs. Without a hook, no removal
 * resource is created (and removing a replica leaves its member to be
 * removed by hand with `kube-ha-etcd remove`).
 */
export type EtcdMemberRemovalHook = (context: EtcdMemberRemovalContext) => void;

export interface EtcdMemberRemovalContext {
  /** Prefix for the hook's resource names (the component's name + replica name). */
  resourceName: string;
  plan: ControlPlanePlan;
  replica: ReplicaPlan;
  instance: aws.ec2.Instance;
  /** Options to create the removal resource with (parent, provider, dependsOn the instance and its etcd attachment). */
  opts: pulumi.CustomResourceOptions;
}
