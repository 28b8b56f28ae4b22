import * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan, ReplicaPlan } from "../../plan/types";
import { type EtcdBootParts, renderBootScript } from "../../render/boot-script";
import { renderEtcdBootParts } from "../../render/etcd-boot";
import { gcpBootParts } from "./boot-parts";
import { GCP_ETCD_DEVICE_NAME, gcpDiskDevicePath } from "./data-disk";

/** Renders a member's etcd parts; the default is renderEtcdBootParts (tests may inject another). */
export type EtcdPartsRenderer = (plan: ControlPlanePlan, memberName: string) => EtcdBootParts;

/**
 * One replica's startup-script: the shared boot-script renderer with GCP's
 * boot parts. It reads only this replica, cluster-wide constants and the LB
 * address — never the other replicas — so adding or removing a replica
 * leaves every other instance's metadata unchanged.
 */
export function gcpStartupScript(
  plan: ControlPlanePlan,
  replica: ReplicaPlan,
  lbAddress: pulumi.Input<string>,
  etcdParts: EtcdPartsRenderer = renderEtcdBootParts,
): pulumi.Output<string> {
  return pulumi.output(lbAddress).apply((endpointAddress) =>
    renderBootScript({
      parts: gcpBootParts,
      plan,
      replicaName: replica.name,
      endpointAddress,
      ...(replica.etcdMember
        ? { etcdDevice: gcpDiskDevicePath(GCP_ETCD_DEVICE_NAME), etcd: etcdParts(plan, replica.name) }
        : {}),
    }),
  );
}
