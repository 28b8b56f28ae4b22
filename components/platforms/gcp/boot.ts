import * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan, ReplicaPlan } from "../../plan/types";
import { type EtcdBootParts, renderBootScript } from "../../render/boot-script";
import { GCP_ETCD_DEVICE_NAME } from "../../render/data-disk";
import { renderEtcdBootParts } from "../../render/etcd-boot";

/** Renders a member's etcd parts; the default is renderEtcdBootParts (tests may inject another). */
export type EtcdPartsRenderer = (plan: ControlPlanePlan, memberName: string) => EtcdBootParts;

/**
 * One replica's startup-script: the shared boot-script renderer for cloud
 * "gcp". It reads only this replica, cluster-wide constants and the LB
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
      cloud: "gcp",
      plan,
      replicaName: replica.name,
      endpointAddress,
      ...(replica.etcdMember
        ? { etcdDisk: { cloud: "gcp" as const, deviceName: GCP_ETCD_DEVICE_NAME }, etcd: etcdParts(plan, replica.name) }
        : {}),
    }),
  );
}
