import type { LoadBalancerPlan } from "../../plan/types";
import type { SpecProblem } from "../../spec/errors";

/**
 * What a Network Load Balancer accepts for target-group health checks
 * (since the November 2022 NLB update): interval 5–300 s, timeout 2–120 s and
 * no longer than the interval, thresholds 2–10. The spec allows shorter
 * intervals and timeouts because other load balancers do.
 */
export const NLB_HEALTH_CHECK_LIMITS = {
  intervalSeconds: { min: 5, max: 300 },
  timeoutSeconds: { min: 2, max: 120 },
  healthyThreshold: { min: 2, max: 10 },
  unhealthyThreshold: { min: 2, max: 10 },
} as const;

/** The target group's `healthCheck` block, as @pulumi/aws takes it. */
export interface NlbHealthCheck {
  enabled: true;
  protocol: "HTTPS";
  port: string;
  path: string;
  matcher: string;
  interval: number;
  timeout: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
}

/**
 * The plan's health-check settings that an NLB would refuse, as spec
 * problems. kube-ha fails instead of clamping: the HA report's failover
 * budget is computed from the spec's values, and a silently clamped interval
 * would make that budget wrong.
 */
export function nlbHealthCheckProblems(lb: LoadBalancerPlan, keyPrefix: string): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const hc = lb.healthCheck;
  for (const field of Object.keys(NLB_HEALTH_CHECK_LIMITS) as (keyof typeof NLB_HEALTH_CHECK_LIMITS)[]) {
    const { min, max } = NLB_HEALTH_CHECK_LIMITS[field];
    const value = hc[field];
    if (value < min || value > max) {
      problems.push({
        key: `${keyPrefix}healthCheck.${field}`,
        value: String(value),
        message: `an AWS Network Load Balancer accepts ${min}–${max} here: use a value in that range (the failover budget follows it)`,
      });
    }
  }
  return problems;
}

/** Plan → the NLB target group's HTTPS GET /readyz check on 6443. Call after nlbHealthCheckProblems found none. */
export function nlbHealthCheck(lb: LoadBalancerPlan): NlbHealthCheck {
  const hc = lb.healthCheck;
  return {
    enabled: true,
    protocol: hc.protocol,
    port: String(hc.port),
    path: hc.path,
    // /readyz answers 200 only when the apiserver is ready (etcd reachable, informers synced).
    matcher: "200",
    interval: hc.intervalSeconds,
    timeout: hc.timeoutSeconds,
    healthyThreshold: hc.healthyThreshold,
    unhealthyThreshold: hc.unhealthyThreshold,
  };
}
