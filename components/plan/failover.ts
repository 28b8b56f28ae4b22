import type { HealthCheckSpec } from "../spec/cluster-spec";

/**
 * Seconds from a dead apiserver to the LB routing around it, worst case:
 * the replica dies just after passing a probe, then `unhealthyThreshold`
 * probes must fail, one per interval, the last one only after its timeout.
 */
export function failoverBudgetSeconds(hc: HealthCheckSpec): number {
  return hc.intervalSeconds * hc.unhealthyThreshold + hc.timeoutSeconds;
}

/** Seconds from a recovered apiserver to the LB sending it traffic again (worst case). */
export function recoverySeconds(hc: HealthCheckSpec): number {
  return hc.intervalSeconds * hc.healthyThreshold;
}
