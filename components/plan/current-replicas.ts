import type { ReplicaSpec } from "../spec/cluster-spec";
import type { ControlPlanePlan } from "./types";

/**
 * The masters as the stack file should list them after a change: every name
 * and address written out, so that later edits never move a replica.
 */
export function pinnedReplicas(plan: ControlPlanePlan): ReplicaSpec[] {
  return plan.masters.map((m) => ({ name: m.name, zone: m.zone, address: m.address }));
}

/** Whether this plan's masters are etcd members (stacked) or not (external etcd). */
export function mastersAreEtcdMembers(plan: ControlPlanePlan): boolean {
  return plan.etcd.topology === "stacked";
}
