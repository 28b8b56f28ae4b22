import type { ControlPlanePlan, Role } from "../plan/types";
import type { Cloud } from "../spec/schema";
import { PLATFORMS } from "../platforms";

/**
 * The HA report: how available a stack's control plane would be, read from
 * its plan alone (pure). The offline preview prints it, `--json` embeds it
 * and `--diagram` draws it.
 */
export interface HaReport {
  stack: string;
  cloud: Cloud;
  region: string;
  clusterName: string;
  kubernetesVersion: string;
  replicas: { name: string; zone: string; address: string }[];
  /** Zone → master names, zones sorted. */
  replicasPerZone: Record<string, string[]>;
  etcd: {
    topology: "stacked" | "external";
    members: number;
    /** Dedicated etcd VMs (external topology; empty when stacked, where the masters are the members). */
    nodes: { name: string; zone: string; address: string }[];
    /** Zone → etcd member names. */
    membersPerZone: Record<string, string[]>;
    quorum: number;
    /** How many etcd member losses etcd alone survives and still writes. */
    toleratedFailures: number;
    /** Whole zones of etcd members that may be lost without losing quorum (etcd alone). */
    toleratedZoneFailures: number;
    heartbeatIntervalMs: number;
    electionTimeoutMs: number;
  };
  /**
   * The control plane as a whole: the API keeps serving writes while etcd
   * keeps quorum AND at least one master is left. With stacked etcd a master
   * and its member go together; with external etcd they are separate machines.
   */
  controlPlane: ControlPlaneTolerance;
  loadBalancer: {
    scheme: "external" | "internal";
    port: number;
    dnsName?: string;
    healthCheck: {
      protocol: "HTTPS";
      method: "GET";
      path: "/readyz";
      port: number;
      intervalSeconds: number;
      timeoutSeconds: number;
      healthyThreshold: number;
      unhealthyThreshold: number;
    };
    /** Worst-case seconds from an apiserver dying to the LB routing around it. */
    failoverBudgetSeconds: number;
    failoverBudgetFormula: string;
    recoverySeconds: number;
  };
  ports: {
    name: string;
    protocol: "tcp";
    ports: string;
    to: Role[];
    /** Who may reach it, concretely for the cloud. */
    from: string[];
    /** Said once for every source of `from` (e.g. how the cloud admits them). */
    sourcesNote?: string;
    why: string;
  }[];
  warnings: string[];
}

/** `warnings`: what to report as warnings; by default the plan's (the program adds the stack config's). */
export function buildHaReport(stack: string, plan: ControlPlanePlan, warnings: readonly string[] = plan.warnings): HaReport {
  const cloud = plan.spec.cloud;
  const hc = plan.loadBalancer.healthCheck;
  const membersPerZone: Record<string, string[]> = {};
  for (const m of plan.etcd.members) (membersPerZone[m.zone] ??= []).push(m.name);
  const sortedMembersPerZone = Object.fromEntries(Object.keys(membersPerZone).sort().map((z) => [z, membersPerZone[z]!]));
  return {
    stack,
    cloud,
    region: plan.spec.region,
    clusterName: plan.clusterName,
    kubernetesVersion: plan.kubernetes.version,
    replicas: plan.masters.map((m) => ({ name: m.name, zone: m.zone, address: m.address })),
    replicasPerZone: Object.fromEntries(plan.zones.map((z) => [z, [...(plan.mastersByZone[z] ?? [])]])),
    etcd: {
      topology: plan.etcd.topology,
      members: plan.etcd.members.length,
      membersPerZone: sortedMembersPerZone,
      quorum: plan.etcd.quorum,
      toleratedFailures: plan.etcd.toleratedFailures,
      nodes: plan.etcdNodes.map((n) => ({ name: n.name, zone: n.zone, address: n.address })),
      toleratedZoneFailures: toleratedZoneFailures(Object.values(membersPerZone).map((l) => l.length), plan.etcd.quorum),
      heartbeatIntervalMs: plan.etcd.heartbeatIntervalMs,
      electionTimeoutMs: plan.etcd.electionTimeoutMs,
    },
    controlPlane: controlPlaneTolerance(
      countPerZone(plan.masters),
      countPerZone(plan.etcd.members),
      plan.etcd.quorum,
      plan.etcd.toleratedFailures,
    ),
    loadBalancer: {
      scheme: plan.loadBalancer.scheme,
      port: plan.loadBalancer.port,
      ...(plan.loadBalancer.dnsName ? { dnsName: plan.loadBalancer.dnsName } : {}),
      healthCheck: {
        protocol: hc.protocol,
        method: "GET",
        path: hc.path,
        port: hc.port,
        intervalSeconds: hc.intervalSeconds,
        timeoutSeconds: hc.timeoutSeconds,
        healthyThreshold: hc.healthyThreshold,
        unhealthyThreshold: hc.unhealthyThreshold,
      },
      failoverBudgetSeconds: plan.loadBalancer.failoverBudgetSeconds,
      failoverBudgetFormula: `${hc.intervalSeconds} s interval × ${hc.unhealthyThreshold} failed probes + ${hc.timeoutSeconds} s timeout`,
      recoverySeconds: plan.loadBalancer.recoverySeconds,
    },
    ports: plan.ports.map((p) => {
      const note = PLATFORMS[plan.spec.cloud].portSourcesNote(plan, p);
      return {
        name: p.name,
        protocol: p.protocol,
        ports: p.ports[0] === p.ports[1] ? `${p.ports[0]}` : `${p.ports[0]}-${p.ports[1]}`,
        to: [...p.to],
        from: PLATFORMS[plan.spec.cloud].portSources(plan, p),
        ...(note !== undefined ? { sourcesNote: note } : {}),
        why: p.from.why,
      };
    }),
    warnings: [...warnings],
  };
}

/**
 * How many whole zones may go down with quorum kept, assuming the worst:
 * the most populated zones go first.
 */
export function toleratedZoneFailures(membersPerZone: number[], quorum: number): number {
  const sorted = [...membersPerZone].sort((a, b) => b - a);
  let remaining = sorted.reduce((a, b) => a + b, 0);
  let lost = 0;
  for (const n of sorted) {
    if (remaining - n < quorum) break;
    remaining -= n;
    lost++;
  }
  return lost;
}

/** Why losing a zone stops the control plane. */
export type ZoneLossCost = "etcd quorum" | "every master";

export interface ControlPlaneTolerance {
  masters: number;
  /**
   * How many machines (masters or etcd members, any mix) may be lost with
   * writes still served: min(etcd's tolerance, masters − 1).
   */
  toleratedFailures: number;
  /** Whole zones that may be lost, counting the masters and the etcd members in them. */
  toleratedZoneFailures: number;
  /** Zones whose loss alone stops the control plane, and what each loss costs. Sorted by zone. */
  criticalZones: { zone: string; costs: ZoneLossCost[] }[];
}

/**
 * The control plane's tolerance from where its masters and etcd members are.
 * Any k zones may go down iff any k leave etcd its quorum (the most populated
 * zones go first) and any k leave a master (fewer than all the zones holding
 * masters): the two conditions are independent, so the answer is the smaller.
 */
export function controlPlaneTolerance(
  mastersPerZone: Record<string, number>,
  etcdMembersPerZone: Record<string, number>,
  quorum: number,
  etcdToleratedFailures: number,
): ControlPlaneTolerance {
  const masters = Object.values(mastersPerZone).reduce((a, b) => a + b, 0);
  const members = Object.values(etcdMembersPerZone).reduce((a, b) => a + b, 0);
  const masterZones = Object.values(mastersPerZone).filter((n) => n > 0).length;
  const zones = [...new Set([...Object.keys(mastersPerZone), ...Object.keys(etcdMembersPerZone)])].sort();
  const criticalZones = zones
    .map((zone) => {
      const costs: ZoneLossCost[] = [];
      if (members - (etcdMembersPerZone[zone] ?? 0) < quorum) costs.push("etcd quorum");
      if (masters > 0 && (mastersPerZone[zone] ?? 0) === masters) costs.push("every master");
      return { zone, costs };
    })
    .filter((z) => z.costs.length > 0);
  return {
    masters,
    toleratedFailures: Math.max(0, Math.min(etcdToleratedFailures, masters - 1)),
    toleratedZoneFailures: Math.max(
      0,
      Math.min(toleratedZoneFailures(Object.values(etcdMembersPerZone), quorum), masterZones - 1),
    ),
    criticalZones,
  };
}

function countPerZone(machines: readonly { zone: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of machines) counts[m.zone] = (counts[m.zone] ?? 0) + 1;
  return counts;
}
