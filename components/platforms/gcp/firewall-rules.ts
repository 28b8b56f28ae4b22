import type { ControlPlanePlan, OpenPort, Role } from "../../plan/types";
import { gcpName, roleTag } from "./naming";

/**
 * The GCP firewall, made from the plan's open ports and nothing else.
 * Pure: GcpControlPlane turns each spec into a compute.Firewall.
 *
 * - from "masters": admitted by network tag — the masters' tag, plus the
 *   targets' own tag (etcd VMs talk to each other as peers);
 * - from "health-checkers": Google's health-check ranges for the LB scheme;
 * - from "cidrs": those CIDRs only;
 * - from "load-balancer": nothing to add on GCP — passthrough LBs keep the
 *   client's address, so the "cidrs" rule already admits LB traffic.
 */

/**
 * Where Google's health checks probe a backend from, by load balancer (per
 * Google's firewall-rules table for load balancers): every scheme probes
 * from 35.191.0.0/16; an internal passthrough LB also from 130.211.0.0/22,
 * an external passthrough LB from 209.85.152.0/22 and 209.85.204.0/22 and
 * never from 130.211.0.0/22 (that range serves proxy and internal LBs).
 * Only the ranges the LB's probes use are opened.
 */
export const GCP_HEALTH_CHECK_RANGES: Record<"external" | "internal", readonly string[]> = {
  external: ["35.191.0.0/16", "209.85.152.0/22", "209.85.204.0/22"],
  internal: ["35.191.0.0/16", "130.211.0.0/22"],
};

export interface FirewallRuleSpec {
  /** Resource and GCP name suffix: the plan port's name. */
  name: string;
  gcpName: string;
  description: string;
  protocol: "tcp";
  ports: string[];
  sourceRanges?: string[];
  sourceTags?: string[];
  targetTags: string[];
}

export function healthCheckRanges(scheme: "external" | "internal"): string[] {
  return [...GCP_HEALTH_CHECK_RANGES[scheme]];
}

export function firewallRuleSpecs(plan: ControlPlanePlan): FirewallRuleSpec[] {
  const tag = (role: Role) => roleTag(plan.clusterName, role);
  const specs: FirewallRuleSpec[] = [];
  for (const port of plan.ports) {
    const base = {
      name: port.name,
      gcpName: gcpName(plan.clusterName, "allow", port.name),
      description: `kube-ha ${plan.clusterName}: ${port.from.why}`,
      protocol: port.protocol,
      ports: [portRange(port)],
      targetTags: port.to.map(tag),
    };
    switch (port.from.kind) {
      case "cidrs":
        specs.push({ ...base, sourceRanges: [...port.from.cidrs] });
        break;
      case "health-checkers":
        specs.push({ ...base, sourceRanges: healthCheckRanges(plan.loadBalancer.scheme) });
        break;
      case "masters":
        specs.push({ ...base, sourceTags: [...new Set([tag("master"), ...port.to.map(tag)])] });
        break;
      case "load-balancer":
        break;
    }
  }
  return specs;
}

function portRange(port: OpenPort): string {
  const [from, to] = port.ports;
  return from === to ? String(from) : `${from}-${to}`;
}
