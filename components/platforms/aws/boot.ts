import * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan, ReplicaPlan } from "../../plan/types";
import { renderBootScript } from "../../render/boot-script";
import { renderEtcdBootParts } from "../../render/etcd-boot";
import { awsBootParts } from "./boot-parts";
import { perBootCloudConfig } from "./cloud-config";
import { ebsVolumeDevicePath } from "./data-disk";
import { type UserData, encodeUserData } from "./user-data";

export interface AwsBootInputs {
  plan: ControlPlanePlan;
  replica: ReplicaPlan;
  /** The replica's etcd EBS volume (the boot script finds the disk by its id). */
  etcdVolumeId: pulumi.Input<string>;
  /** The API endpoint's address (apiServerDnsName or the NLB's DNS name). */
  endpointAddress: pulumi.Input<string>;
}

/**
 * One replica's user-data: the shared boot-script renderer with AWS's boot parts,
 * installed by cloud-config as a per-boot script. It reads only this
 * replica, cluster-wide constants, its volume id and the endpoint, never the
 * list of other replicas, so adding or removing a replica never changes
 * another replica's user-data.
 */
export function awsUserData(input: AwsBootInputs): pulumi.Output<UserData> {
  return pulumi
    .all([input.etcdVolumeId, input.endpointAddress])
    .apply(([etcdVolumeId, endpointAddress]) =>
      encodeUserData(perBootCloudConfig(awsBootScript(input.plan, input.replica, etcdVolumeId, endpointAddress))),
    );
}

/** Pure: the boot script text of one replica. */
export function awsBootScript(plan: ControlPlanePlan, replica: ReplicaPlan, etcdVolumeId: string, endpointAddress: string): string {
  return renderBootScript({
    parts: awsBootParts,
    plan,
    replicaName: replica.name,
    endpointAddress,
    ...(replica.etcdMember
      ? { etcdDevice: ebsVolumeDevicePath(etcdVolumeId), etcd: renderEtcdBootParts(plan, replica.name) }
      : {}),
  });
}
