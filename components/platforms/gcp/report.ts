import type { ControlPlanePlan, OpenPort } from "../../plan/types";
import { healthCheckRanges } from "./firewall-rules";
import { roleTag } from "./naming";

/** The same pure functions the firewall is built from (firewall-rules.ts), so the report cannot drift from it. */
export function portSources(plan: ControlPlanePlan, port: OpenPort): string[] {
  const from = port.from;
  switch (from.kind) {
    case "cidrs":
      return [...from.cidrs];
    case "health-checkers":
      return healthCheckRanges(plan.loadBalancer.scheme);
    case "load-balancer":
      return ["the load balancer (passthrough: client addresses are kept)"];
    case "masters":
      return [...new Set(["master" as const, ...port.to])].map(
        (role) => `${role === "master" ? "masters" : "etcd members"} only (network tag ${roleTag(plan.clusterName, role)})`,
      );
  }
}

/** Google's health checkers are named once for their ranges. */
export function portSourcesNote(_plan: ControlPlanePlan, port: OpenPort): string | undefined {
  return port.from.kind === "health-checkers" ? "Google health checkers" : undefined;
}
