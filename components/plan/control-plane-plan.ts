import { nthAddress, parseCidr } from "../spec/cidr";
import type { ClusterSpec, ReplicaSpec } from "../spec/cluster-spec";
import { worldOpenCidrWarnings } from "../spec/open-cidrs";
import { assignAddresses, zoneSubnet } from "./addresses";
import { failoverBudgetSeconds, recoverySeconds } from "./failover";
import { openPorts } from "./ports";
import { quorum, toleratedFailures } from "../spec/quorum";
import { runnerAccessWarning } from "./runner-access";
import type { ControlPlanePlan, EtcdMemberPlan, ReplicaPlan, Role } from "./types";

/**
 * Spec → plan: every HA decision, made once and purely. Components, renderers,
 * the preview's report and the CLI's flows all read this and nothing else.
 */
export function planControlPlane(spec: ClusterSpec): ControlPlanePlan {
  const stacked = spec.etcd.topology === "stacked";
  const masters = toReplicas(spec, spec.replicas, "master", stacked);
  const etcdNodes = toReplicas(spec, spec.etcd.externalMembers, "etcd", true, new Set(masters.map((m) => m.address)));
  const members: EtcdMemberPlan[] = (stacked ? masters : etcdNodes).map((r) => ({
    name: r.name,
    zone: r.zone,
    address: r.address,
    peerUrl: `https://${r.address}:2380`,
    clientUrl: `https://${r.address}:2379`,
    metricsUrl: "http://127.0.0.1:2381",
  }));

  const zones = [...new Set(masters.map((m) => m.zone))].sort();
  const mastersByZone: Record<string, string[]> = {};
  for (const z of zones) mastersByZone[z] = masters.filter((m) => m.zone === z).map((m) => m.name);
  const allZones = [...new Set([...masters.map((m) => m.zone), ...etcdNodes.map((m) => m.zone), ...spec.network.zones])].sort();

  const svc = parseCidr(spec.serviceCidr)!;
  const hc = spec.loadBalancer.healthCheck;
  const tuning = spec.etcd.tuning;

  const plan: ControlPlanePlan = {
    spec,
    clusterName: spec.clusterName,
    masters,
    etcdNodes,
    zones,
    mastersByZone,
    etcd: {
      topology: spec.etcd.topology,
      members,
      quorum: quorum(members.length),
      toleratedFailures: toleratedFailures(members.length),
      heartbeatIntervalMs: tuning.heartbeatIntervalMs,
      electionTimeoutMs: tuning.electionTimeoutMs,
      quotaBackendBytes: Math.round(tuning.quotaBackendGb * 1024 ** 3),
      autoCompactionRetentionHours: tuning.autoCompactionRetentionHours,
      clientPort: 2379,
      peerPort: 2380,
      metricsPort: 2381,
    },
    loadBalancer: {
      scheme: spec.loadBalancer.scheme,
      port: 6443,
      ...(spec.loadBalancer.dnsName ? { dnsName: spec.loadBalancer.dnsName } : {}),
      healthCheck: { ...hc, protocol: "HTTPS", path: "/readyz", port: 6443 },
      failoverBudgetSeconds: failoverBudgetSeconds(hc),
      recoverySeconds: recoverySeconds(hc),
    },
    network: {
      cidr: spec.network.cidr,
      existing: spec.network.existing !== undefined,
      zoneSubnets: allZones.map((z) => zoneSubnet(spec, z)),
    },
    kubernetes: {
      version: spec.kubernetesVersion.text,
      minor: spec.kubernetesVersion.minor,
      podCidr: spec.podCidr,
      serviceCidr: spec.serviceCidr,
      clusterDomain: spec.clusterDomain,
      apiServiceIp: nthAddress(svc, 1),
      dnsServiceIp: nthAddress(svc, 10),
    },
    ports: openPorts(spec),
    warnings: [],
  };
  plan.warnings = planWarnings(plan);
  return plan;
}

function toReplicas(
  spec: ClusterSpec,
  list: readonly ReplicaSpec[],
  role: Role,
  etcdMember: boolean,
  reserved?: ReadonlySet<string>,
): ReplicaPlan[] {
  const addresses = assignAddresses(spec, list, role, reserved);
  return list.map((r, i) => ({
    name: r.name,
    zone: r.zone,
    role,
    address: addresses[i]!.address,
    addressPinned: addresses[i]!.pinned,
    etcdMember,
    subnetCidr: zoneSubnet(spec, r.zone).cidr,
  }));
}

function planWarnings(plan: ControlPlanePlan): string[] {
  const w: string[] = [];
  const { spec } = plan;
  if (plan.masters.length === 1) {
    w.push("one master: no high availability (the endpoint and its load balancer exist, so growing to 3 needs no re-issue)");
  }
  if (plan.masters.length > 1 && plan.zones.length === 1) {
    w.push(`all masters are in ${plan.zones[0]}: losing that zone loses the control plane; spread them over zones`);
  }
  const etcdZones = new Set(plan.etcd.members.map((m) => m.zone));
  for (const z of etcdZones) {
    const inZone = plan.etcd.members.filter((m) => m.zone === z).length;
    if (plan.etcd.members.length > 1 && inZone > plan.etcd.toleratedFailures) {
      w.push(`zone ${z} holds ${inZone} of ${plan.etcd.members.length} etcd members: losing it loses quorum`);
    }
  }
  if (plan.etcd.members.length % 2 === 0) {
    w.push(`${plan.etcd.members.length} etcd members tolerate no more failures than ${plan.etcd.members.length - 1}: finish moving to an odd count`);
  }
  const access = runnerAccessWarning(spec);
  if (access) w.push(access);
  if (spec.apiServerAllowedCidrs.includes("0.0.0.0/0") && spec.loadBalancer.scheme === "external") {
    w.push("the API server is reachable from the whole internet (apiServerAllowedCidrs 0.0.0.0/0): narrow it to your networks");
  }
  w.push(...worldOpenCidrWarnings(spec));
  for (const z of plan.zones) {
    const unpinned = plan.masters.filter((m) => m.zone === z && !m.addressPinned);
    if (unpinned.length > 1) {
      w.push(
        `${unpinned.map((m) => m.name).join(", ")} share ${z} without fixed addresses: each takes the lowest free one in list order, so removing one by hand moves the next; kube-ha remove-replica pins them`,
      );
    }
  }
  return w;
}
