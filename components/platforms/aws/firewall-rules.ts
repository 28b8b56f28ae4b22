import type { ControlPlanePlan, OpenPort } from "../../plan/types";
import { type AwsNetworkLayout, awsNetworkLayout } from "./network-layout";

export type GroupName = "masters" | "loadBalancer";

/**
 * The public addresses the masters' own connections to an internet-facing
 * NLB come from. Its DNS name resolves to public addresses, so a master's
 * packets leave the VPC and come back: the NLB sees the address they left
 * from, never the masters' security group (a group reference matches only
 * private addresses inside the VPC).
 *
 * - `nat-gateways`: masters in private subnets leave through their zone's
 *   NAT gateway: its Elastic IP, one /32 rule per zone.
 * - `instance-public-ips`: masters with public addresses (assignPublicIp)
 *   leave from them: one /32 rule per master, known once the instance exists.
 */
export type MastersPublicSource = "nat-gateways" | "instance-public-ips";

/** One security-group rule, cloud-side, before any resource exists. */
export interface SecurityRule {
  /** Stable, unique suffix of the rule's resource name. */
  id: string;
  group: GroupName;
  direction: "ingress" | "egress";
  /** "-1" means every protocol (egress only). */
  protocol: "tcp" | "-1";
  ports?: [number, number];
  /** `mastersPublic`: one rule per address of that kind, made by the component (the addresses exist only in the cloud). */
  peer: { cidr: string } | { group: GroupName } | { mastersPublic: MastersPublicSource };
  description: string;
}

/**
 * Where the masters' connections to the NLB come from when they must leave
 * the VPC to reach it, or undefined when they do not (internal NLB: private
 * addresses, matched by the masters' group) or kube-ha cannot know (an
 * existing network whose masters leave through its own NAT: list that NAT's
 * addresses in apiServerAllowedCidrs).
 */
export function mastersPublicSource(plan: ControlPlanePlan, layout: AwsNetworkLayout): MastersPublicSource | undefined {
  if (plan.loadBalancer.scheme !== "external") return undefined;
  if (plan.spec.assignPublicIp) return "instance-public-ips";
  if (layout.kind === "new" && layout.natGateways) return "nat-gateways";
  return undefined;
}

/**
 * Who reaches the API port through the NLB from the masters (kube-proxy,
 * CNI agents, admin.conf on a master), in words, for the HA report.
 */
export function mastersThroughNlb(plan: ControlPlanePlan, layout: AwsNetworkLayout = awsNetworkLayout(plan)): string[] {
  const sources = ["masters through the NLB: the masters' security group (private addresses)"];
  switch (mastersPublicSource(plan, layout)) {
    case "nat-gateways":
      sources.push("masters through the internet-facing NLB: each zone's NAT gateway Elastic IP /32");
      break;
    case "instance-public-ips":
      sources.push("masters through the internet-facing NLB: each master's public IP /32");
      break;
    case undefined:
      if (plan.loadBalancer.scheme === "external") {
        sources.push("masters through the internet-facing NLB: only if their network's NAT addresses are in apiServerAllowedCidrs");
      }
  }
  return sources;
}

/**
 * AWS accepts only a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$* in rule
 * descriptions (up to 255 characters): arrows become "to", the rest is dropped.
 */
export function awsDescription(text: string): string {
  return text
    .replace(/\s*(→|->)\s*/g, " to ")
    .replace(/[^a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g, "")
    .replace(/ {2,}/g, " ")
    .trim()
    .slice(0, 255);
}

function cidrId(cidr: string): string {
  return cidr.replace(/[./]/g, "-");
}

function portsId(p: OpenPort): string {
  return p.ports[0] === p.ports[1] ? `${p.ports[0]}` : `${p.ports[0]}-${p.ports[1]}`;
}

/**
 * The plan's open ports → AWS security-group rules. The API port's CIDR rule
 * lands on the NLB's group (clients reach masters only through the NLB);
 * masters admit 6443 from the NLB's group, which also carries its health
 * checks. "masters" sources become a self-reference on the masters' group,
 * so etcd (2379-2380) and the kubelet (10250) admit nothing else.
 *
 * Masters also use the NLB (kube-proxy, CNI agents and admin.conf name the
 * controlPlaneEndpoint), so the NLB's group admits the API port from the
 * masters' group (an internal NLB: private addresses) and, for an
 * internet-facing NLB, from the public addresses the masters leave from
 * (mastersPublicSource). Nothing outside reaches the NLB but the allowed CIDRs.
 */
export function securityRules(plan: ControlPlanePlan, layout: AwsNetworkLayout = awsNetworkLayout(plan)): SecurityRule[] {
  const rules: SecurityRule[] = [];
  const add = (r: SecurityRule) => {
    if (!rules.some((x) => x.id === r.id)) rules.push({ ...r, description: awsDescription(r.description) });
  };
  const lbPort = plan.loadBalancer.port;
  const throughLb = (p: OpenPort) => p.ports[0] === lbPort && p.ports[1] === lbPort;
  const fromLb = (p: OpenPort, why: string): SecurityRule => ({
    id: `masters-${portsId(p)}-from-lb`,
    group: "masters",
    direction: "ingress",
    protocol: "tcp",
    ports: p.ports,
    peer: { group: "loadBalancer" },
    description: why,
  });

  const addMastersThroughLb = (p: OpenPort) => {
    const rule = (suffix: string, peer: SecurityRule["peer"], from: string): SecurityRule => ({
      id: `lb-${p.name}${suffix}`,
      group: "loadBalancer",
      direction: "ingress",
      protocol: "tcp",
      ports: p.ports,
      peer,
      description: `${p.name} through the NLB from ${from}: kube-proxy, CNI agents and admin.conf use the endpoint`,
    });
    add(rule("", { group: "masters" }, "masters (private addresses)"));
    const source = mastersPublicSource(plan, layout);
    if (source === "nat-gateways") add(rule("-nat", { mastersPublic: source }, "masters via their zone's NAT gateway"));
    if (source === "instance-public-ips") add(rule("-public-ip", { mastersPublic: source }, "masters via their public IPs"));
  };

  for (const p of plan.ports) {
    if (!p.to.includes("master")) continue;
    switch (p.from.kind) {
      case "cidrs":
        for (const cidr of p.from.cidrs) {
          add({
            id: `${throughLb(p) ? "lb" : "masters"}-${p.name}-${cidrId(cidr)}`,
            group: throughLb(p) ? "loadBalancer" : "masters",
            direction: "ingress",
            protocol: "tcp",
            ports: p.ports,
            peer: { cidr },
            description: `${p.name}: ${p.from.why}`,
          });
        }
        if (throughLb(p)) add(fromLb(p, "apiserver: client traffic and HTTPS /readyz health checks from the NLB"));
        break;
      case "health-checkers":
      case "load-balancer":
        add(fromLb(p, "apiserver: client traffic and HTTPS /readyz health checks from the NLB"));
        break;
      case "masters":
        add({
          id: `masters-${p.name}-from-masters`,
          group: "masters",
          direction: "ingress",
          protocol: "tcp",
          ports: p.ports,
          peer: { group: "masters" },
          description: `${p.name}: ${p.from.why}`,
        });
        if (throughLb(p)) addMastersThroughLb(p);
        break;
    }
  }

  // The NLB forwards to and health-checks the masters on the API port, nothing else.
  add({
    id: `lb-to-masters-${lbPort}`,
    group: "loadBalancer",
    direction: "egress",
    protocol: "tcp",
    ports: [lbPort, lbPort],
    peer: { group: "masters" },
    description: "NLB → masters: forwarded API traffic and health checks",
  });
  // Masters reach package repositories, registries and AWS APIs (Secrets
  // Manager, EC2) on CDN and regional endpoints with no fixed addresses, so
  // egress is open; inbound is what the rules above restrict.
  add({
    id: "masters-egress-all",
    group: "masters",
    direction: "egress",
    protocol: "-1",
    peer: { cidr: "0.0.0.0/0" },
    description: "masters → packages, registries, AWS APIs, peers",
  });
  return rules;
}
