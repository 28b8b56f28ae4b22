import { mastersThroughNlb } from "../aws/security-rules";
import { healthCheckRanges } from "../gcp/firewall-rules";
import { roleTag } from "../gcp/naming";
import type { ControlPlanePlan, OpenPort } from "../plan/types";

/**
 * Who a plan's port source is, concretely, on the plan's cloud: the plan
 * says "health checkers" or "masters"; the report says which addresses or
 * which tag / security group the firewall actually admits. Uses the same
 * pure functions the GCP firewall is built from, so the two cannot drift.
 */
export function concreteSources(plan: ControlPlanePlan, port: OpenPort): string[] {
  const cloud = plan.spec.cloud;
  const from = port.from;
  switch (from.kind) {
    case "cidrs":
      return [...from.cidrs];
    case "health-checkers":
      return cloud === "gcp" ? healthCheckRanges(plan.loadBalancer.scheme) : ["the NLB's security group (NLB health checks)"];
    case "load-balancer":
      return cloud === "gcp" ? ["the load balancer (passthrough: client addresses are kept)"] : ["the NLB's security group"];
    case "masters":
      return cloud === "gcp"
        ? [...new Set(["master" as const, ...port.to])].map((role) => `${role === "master" ? "masters" : "etcd members"} only (network tag ${roleTag(plan.clusterName, role)})`)
        : [
            "masters only (the masters' own security group, self-referencing)",
            ...(port.ports[0] === plan.loadBalancer.port ? mastersThroughNlb(plan) : []),
          ];
  }
}

/**
 * What holds for every source concreteSources lists, said once rather than
 * after each address: on AWS the allowed CIDRs reach the apiserver port
 * through the NLB's security group; on GCP the health-check ranges are
 * Google's probers. Undefined when there is nothing to add.
 */
export function sourcesNote(plan: ControlPlanePlan, port: OpenPort): string | undefined {
  const cloud = plan.spec.cloud;
  const lbPortOnly = port.ports[0] === plan.loadBalancer.port && port.ports[1] === plan.loadBalancer.port;
  if (port.from.kind === "cidrs" && cloud === "aws" && lbPortOnly) {
    return port.from.cidrs.length === 1 ? "through the NLB's security group" : "all through the NLB's security group";
  }
  if (port.from.kind === "health-checkers" && cloud === "gcp") return "Google health checkers";
  return undefined;
}
