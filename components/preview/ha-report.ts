import type { ControlPlanePlan, Role } from "../plan/types";
import type { Cloud } from "../spec/schema";
import { concreteSources } from "./cloud-sources";

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
    /** Zone → etcd member names. */
    membersPerZone: Record<string, string[]>;
    quorum: number;
    /** How many replica (member) losses the cluster survives and still writes. */
    toleratedFailures: number;
    /** Whole zones that may be lost without losing quorum. */
    toleratedZoneFailures: number;
    heartbeatIntervalMs: number;
    electionTimeoutMs: number;
  };
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
    why: string;
  }[];
  warnings: string[];
}

export function buildHaReport(stack: string, plan: ControlPlanePlan): HaReport {
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
      toleratedZoneFailures: toleratedZoneFailures(Object.values(membersPerZone).map((l) => l.length), plan.etcd.quorum),
      heartbeatIntervalMs: plan.etcd.heartbeatIntervalMs,
      electionTimeoutMs: plan.etcd.electionTimeoutMs,
    },
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
    ports: plan.ports.map((p) => ({
      name: p.name,
      protocol: p.protocol,
      ports: p.ports[0] === p.ports[1] ? `${p.ports[0]}` : `${p.ports[0]}-${p.ports[1]}`,
      to: [...p.to],
      from: concreteSources(plan, p),
      why: p.from.why,
    })),
    warnings: [...plan.warnings],
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
