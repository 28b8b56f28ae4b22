import type { ControlPlanePlan, OpenPort } from "../plan/types";

export type GroupName = "masters" | "loadBalancer";

/** One security-group rule, cloud-side, before any resource exists. */
export interface SecurityRule {
  /** Stable, unique suffix of the rule's resource name. */
  id: string;
  group: GroupName;
  direction: "ingress" | "egress";
  /** "-1" means every protocol (egress only). */
  protocol: "tcp" | "-1";
  ports?: [number, number];
  peer: { cidr: string } | { group: GroupName };
  description: string;
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
 */
export function securityRules(plan: ControlPlanePlan): SecurityRule[] {
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
