import type { ControlPlanePlan } from "../plan/types";

/**
 * What `kube-ha:allowEvenReplicaCount` should be while the stack holds `count`
 * masters: `true` for an even count of stacked etcd members (an intermediate
 * 3 → 4 → 5 stage, or a count landed on with --force), `false` (the key
 * removed) for an odd one. With external etcd the masters are not members and
 * the key (which then governs the etcd VMs) is left alone: `undefined`.
 */
export function allowEvenFor(plan: ControlPlanePlan, count: number): boolean | undefined {
  if (plan.etcd.topology !== "stacked") return undefined;
  return count % 2 === 0;
}
