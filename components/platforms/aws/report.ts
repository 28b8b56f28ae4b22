import type { ControlPlanePlan, OpenPort } from "../../plan/types";
import { mastersThroughNlb } from "./firewall-rules";

/** The security groups the rules are made of (firewall-rules.ts), in words. */
export function portSources(plan: ControlPlanePlan, port: OpenPort): string[] {
  const from = port.from;
  switch (from.kind) {
    case "cidrs":
      return [...from.cidrs];
    case "health-checkers":
      return ["the NLB's security group (NLB health checks)"];
    case "load-balancer":
      return ["the NLB's security group"];
    case "masters":
      return [
        "masters only (the masters' own security group, self-referencing)",
        ...(port.ports[0] === plan.loadBalancer.port ? mastersThroughNlb(plan) : []),
      ];
  }
}

/** The allowed CIDRs reach the apiserver port through the NLB's security group. */
export function portSourcesNote(plan: ControlPlanePlan, port: OpenPort): string | undefined {
  const lbPortOnly = port.ports[0] === plan.loadBalancer.port && port.ports[1] === plan.loadBalancer.port;
  if (port.from.kind !== "cidrs" || !lbPortOnly) return undefined;
  return port.from.cidrs.length === 1 ? "through the NLB's security group" : "all through the NLB's security group";
}
