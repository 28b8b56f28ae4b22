import { PLATFORM_NAMES, PLATFORM_RULES } from "../platforms/rules";
import { memberCountProblem } from "./quorum";
import { formatCidr, formatIpv4, parseCidr, parseIpv4, containsIp, overlaps } from "./cidr";
import { FIRST_PLANNED_HOST, cloudSubnet, reservedAddressReason, zoneBlock } from "./network-blocks";
import {
  type ClusterSpec,
  type ReplicaSpec,
  DEFAULT_MACHINE_TYPES,
  MAX_REPLICAS_WITHOUT_OVERRIDE,
} from "./cluster-spec";
import { SpecError, type SpecProblem, describeValue, problemsOf } from "./errors";
import { mentionsDropped, repairInput, zodProblems } from "./zod-problems";
import { labelProblems } from "./labels";
import { MAX_CLUSTER_NAME, MAX_REPLICA_NAME, invalidNameReason, suggestName } from "./names";
import { resolveReplicaNames } from "./replica-names";
import {
  type ClusterSpecInput,
  type ParsedSpecInput,
  type ReplicaInput,
  clusterSpecInput,
  etcdTuningDefaults,
  healthCheckDefaults,
} from "./schema";
import {
  DEFAULT_KUBERNETES_VERSION,
  MAX_KUBERNETES_MINOR,
  MIN_KUBERNETES_MINOR,
  isSupportedMinor,
  parseKubernetesVersion,
} from "./versions";
import { regionZoneProblems, zoneContext, zoneProblem } from "./zone-checks";
import { zoneInRegion } from "./zones";

export interface ParseOptions {
  /** Used as the cluster name when `clusterName` is not set. */
  stackName?: string;
  /** Prefix of config keys in messages: `kube-ha:` for stack config, `` for component args. */
  keyPrefix?: string;
}

/**
 * Stack config (or component args) → a validated ClusterSpec, or a SpecError
 * listing every problem with its key, value and fix. Pure: registers nothing.
 */
export function parseClusterSpec(raw: unknown, opts: ParseOptions = {}): ClusterSpec {
  const prefix = opts.keyPrefix ?? "kube-ha:";
  const parsed = clusterSpecInput.safeParse(raw);
  if (parsed.success) {
    const problems: SpecProblem[] = [];
    const spec = resolve(parsed.data, opts.stackName, prefix, problems);
    if (problems.length > 0) throw new SpecError(problems);
    return spec;
  }
  // A structural problem must not hide the others: check the rest with the bad
  // values taken out, and keep the problems that do not depend on them.
  const problems = zodProblems(parsed.error, raw, prefix);
  const repaired = repairInput(raw, parsed.error.issues, (input) => clusterSpecInput.safeParse(input));
  if (repaired) {
    const rest: SpecProblem[] = [];
    resolve(clusterSpecInput.parse(repaired.input), opts.stackName, prefix, rest);
    problems.push(...rest.filter((p) => !mentionsDropped(p, prefix, repaired.dropped)));
  }
  throw new SpecError(problems);
}

/** Same as parseClusterSpec but returns the problems instead of throwing. */
export function checkClusterSpec(raw: unknown, opts: ParseOptions = {}): SpecProblem[] {
  return problemsOf(() => parseClusterSpec(raw, opts));
}

function resolve(input: ParsedSpecInput, stackName: string | undefined, prefix: string, problems: SpecProblem[]): ClusterSpec {
  const k = (key: string) => `${prefix}${key}`;
  const add = (key: string, value: unknown, message: string) =>
    problems.push({ key: k(key), value: describeValue(value), message });
  const rules = PLATFORM_RULES[input.cloud];

  const clusterName = input.clusterName ?? suggestName(stackName ?? "kube-ha", MAX_CLUSTER_NAME);
  const clusterNameProblem = invalidNameReason(clusterName, MAX_CLUSTER_NAME);
  if (clusterNameProblem) {
    add("clusterName", clusterName, `${clusterNameProblem}: use e.g. "${suggestName(clusterName, MAX_CLUSTER_NAME)}"`);
  }

  // Region and zones: the region must be one kube-ha knows (or extraZones names its zones).
  problems.push(...regionZoneProblems(input, prefix));

  // Replicas: the list or the zone shorthand, not both, not neither.
  let replicaInputs: ReplicaInput[] = [];
  let replicasKey = "replicas";
  if (input.replicas && input.replicaZones) {
    add("replicaZones", input.replicaZones, "set either replicas or replicaZones, not both: move the zones into replicas");
  } else if (input.replicas) {
    replicaInputs = input.replicas;
  } else if (input.replicaZones) {
    replicaInputs = input.replicaZones.map((zone) => ({ zone }));
    replicasKey = "replicaZones";
  }
  const replicas = resolveReplicaNames(replicaInputs, "master");
  checkMembers(replicas, replicaInputs, replicasKey, input, problems, prefix);

  const stacked = input.etcdTopology === "stacked";
  let externalMembers: ReplicaSpec[] = [];
  if (stacked) {
    if (input.etcdMembers || input.etcdZones) {
      add(input.etcdMembers ? "etcdMembers" : "etcdZones", input.etcdMembers ?? input.etcdZones,
        "only used with etcdTopology: external: remove it, or set etcdTopology: external");
    }
    countRule(replicas.length, replicasKey, replicaInputs, input, add);
  } else {
    let etcdInputs: ReplicaInput[] = [];
    let etcdKey = "etcdMembers";
    if (input.etcdMembers && input.etcdZones) {
      add("etcdZones", input.etcdZones, "set either etcdMembers or etcdZones, not both");
    } else if (input.etcdMembers) {
      etcdInputs = input.etcdMembers;
    } else if (input.etcdZones) {
      etcdInputs = input.etcdZones.map((zone) => ({ zone }));
      etcdKey = "etcdZones";
    } else {
      add("etcdZones", undefined, "etcdTopology: external needs its members: set etcdZones to 3 zones of the region");
    }
    externalMembers = resolveReplicaNames(etcdInputs, "etcd");
    checkMembers(externalMembers, etcdInputs, etcdKey, input, problems, prefix);
    if (etcdInputs.length > 0) countRule(externalMembers.length, etcdKey, etcdInputs, input, add);
    if (replicas.length === 0) add(replicasKey, replicaInputs, "at least one master is required: use 1, or 2+ across zones");
    if (replicas.length > MAX_REPLICAS_WITHOUT_OVERRIDE && !input.allowLargeControlPlane) {
      add(replicasKey, replicaInputs, `more than ${MAX_REPLICAS_WITHOUT_OVERRIDE} masters: use fewer, or set allowLargeControlPlane: true`);
    }
    const clash = replicas.find((r) => externalMembers.some((m) => m.name === r.name));
    if (clash) add(etcdKey, clash.name, "an etcd member has the same name as a master: rename one of them");
  }

  // Kubernetes version.
  const versionText = input.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const version = parseKubernetesVersion(versionText);
  if (!version) {
    const unquoted = /^\d+\.\d+$/.test(versionText) ? " (YAML reads a bare 1.30 as the number 1.3: give the whole release)" : "";
    add("kubernetesVersion", versionText, `not a Kubernetes release: write MAJOR.MINOR.PATCH such as ${DEFAULT_KUBERNETES_VERSION}${unquoted}`);
  } else if (!isSupportedMinor(version.minor)) {
    add("kubernetesVersion", versionText,
      `outside the supported range 1.${MIN_KUBERNETES_MINOR}–1.${MAX_KUBERNETES_MINOR}: use a 1.${MIN_KUBERNETES_MINOR}.x to 1.${MAX_KUBERNETES_MINOR}.x release`);
  }

  // CIDRs: every pair of the pod, service and node networks must be disjoint.
  const ranges: { key: string; cidr: string }[] = [
    { key: "podCidr", cidr: input.podCidr },
    { key: "serviceCidr", cidr: input.serviceCidr },
  ];
  if (input.existingNetwork) {
    input.existingNetwork.subnets.forEach((s, i) => ranges.push({ key: `existingNetwork.subnets[${i}].cidr`, cidr: s.cidr }));
  } else {
    ranges.push({ key: "networkCidr", cidr: input.networkCidr });
  }
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const a = ranges[i]!;
      const b = ranges[j]!;
      const ra = parseCidr(a.cidr);
      const rb = parseCidr(b.cidr);
      if (ra && rb && overlaps(ra, rb)) {
        add(b.key, b.cidr, `overlaps ${a.key} (${a.cidr}): pod, service and node networks must be disjoint; pick a range outside ${formatCidr(ra)}`);
      }
    }
  }
  const svc = parseCidr(input.serviceCidr);
  if (svc && svc.prefix > 28) add("serviceCidr", input.serviceCidr, "too small for cluster services: use /12 to /24, e.g. 10.96.0.0/12");
  const net = parseCidr(input.networkCidr);
  if (!input.existingNetwork && net && net.prefix > 24) {
    add("networkCidr", input.networkCidr, "too small to carve per-zone subnets: use /16 to /22, e.g. 10.10.0.0/16");
  }

  // Existing network: the platform's rules say what its subnets must be (GCP: one regional; AWS: one per zone in use).
  if (input.existingNetwork) {
    const found = rules.existingNetworkProblems({
      subnets: input.existingNetwork.subnets,
      loadBalancerSubnets: input.existingNetwork.loadBalancerSubnets,
      loadBalancerScheme: input.loadBalancerScheme,
      zonesInUse: new Set([...replicas, ...externalMembers].map((r) => r.zone)),
    });
    for (const p of found) add(p.key, p.value, p.message);
  }

  // Health check: the probe must finish before the next one starts.
  const healthCheck = { ...healthCheckDefaults, ...(input.healthCheck ?? {}) };
  if (healthCheck.timeoutSeconds > healthCheck.intervalSeconds) {
    add("healthCheck.timeoutSeconds", healthCheck.timeoutSeconds,
      `longer than intervalSeconds (${healthCheck.intervalSeconds}): use a timeout ≤ the interval`);
  }

  const tuning = { ...etcdTuningDefaults, ...(input.etcd ?? {}) };
  if (tuning.electionTimeoutMs < 5 * tuning.heartbeatIntervalMs) {
    add("etcd.electionTimeoutMs", tuning.electionTimeoutMs,
      `etcd needs an election timeout of at least 5× the heartbeat (${tuning.heartbeatIntervalMs} ms): use ≥ ${5 * tuning.heartbeatIntervalMs}`);
  }

  if (input.apiServerDnsName !== undefined && !/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/.test(input.apiServerDnsName)) {
    add("apiServerDnsName", input.apiServerDnsName, "not a DNS name: write a fully-qualified name such as api.prod.example.com");
  }
  if (input.networkZones) {
    if (input.existingNetwork) {
      add("networkZones", input.networkZones, "only used when kube-ha creates the network: remove it (existingNetwork.subnets decide the zones)");
    }
    input.networkZones.forEach((zone, i) => {
      const problem = zoneProblem(input, zone);
      if (problem) add(`networkZones[${i}]`, zone, problem);
    });
  }
  // Keys only another platform reads (gcpProject).
  for (const owner of PLATFORM_NAMES) {
    for (const key of PLATFORM_RULES[owner].ownConfigKeys) {
      if (input[key] !== undefined && !rules.ownConfigKeys.includes(key)) add(key, input[key], `only used with cloud: ${owner}: remove it`);
    }
  }
  problems.push(...labelProblems(input.cloud, input.labels ?? {}, prefix));

  return {
    clusterName,
    cloud: input.cloud,
    region: input.region,
    ...(input.extraZones !== undefined ? { extraZones: input.extraZones } : {}),
    ...(input.gcpProject !== undefined ? { gcpProject: input.gcpProject } : {}),
    replicas,
    allowEvenReplicaCount: input.allowEvenReplicaCount,
    allowLargeControlPlane: input.allowLargeControlPlane,
    kubernetesVersion: version ?? { major: 1, minor: 0, patch: 0, text: versionText },
    etcd: { topology: input.etcdTopology, externalMembers, tuning },
    machines: {
      masterType: input.masterMachineType ?? DEFAULT_MACHINE_TYPES[input.cloud].master,
      etcdType: input.etcdMachineType ?? DEFAULT_MACHINE_TYPES[input.cloud].etcd,
      bootDiskSizeGb: input.bootDiskSizeGb,
      etcdDiskSizeGb: input.etcdDiskSizeGb,
      ...(input.machineImage !== undefined ? { image: input.machineImage } : {}),
    },
    apiServerAllowedCidrs: input.apiServerAllowedCidrs,
    network: {
      cidr: input.networkCidr,
      ...(input.existingNetwork ? { existing: input.existingNetwork } : {}),
      zones: [...new Set(input.networkZones ?? [])].sort(),
    },
    podCidr: input.podCidr,
    serviceCidr: input.serviceCidr,
    clusterDomain: input.clusterDomain,
    loadBalancer: {
      scheme: input.loadBalancerScheme,
      ...(input.apiServerDnsName !== undefined ? { dnsName: input.apiServerDnsName } : {}),
      healthCheck,
    },
    ...(input.sshAllowedCidr !== undefined ? { sshAllowedCidr: input.sshAllowedCidr } : {}),
    assignPublicIp: input.assignPublicIp,
    labels: input.labels ?? {},
  };
}

function countRule(
  count: number,
  key: string,
  value: unknown,
  input: ParsedSpecInput,
  add: (key: string, value: unknown, message: string) => void,
): void {
  const problem = memberCountProblem(count, { allowEven: input.allowEvenReplicaCount, allowLarge: input.allowLargeControlPlane });
  if (problem) add(key, value, `${count} replica(s): ${problem}`);
}

/** Zones in the region, valid and unique names, addresses inside the network and unique. */
function checkMembers(
  members: ReplicaSpec[],
  inputs: ReplicaInput[],
  key: string,
  input: ParsedSpecInput,
  problems: SpecProblem[],
  prefix: string,
): void {
  const seen = new Map<string, number>();
  const seenAddr = new Map<string, number>();
  const shorthand = key.endsWith("Zones");
  members.forEach((m, i) => {
    const at = (field: string) => (shorthand ? `${prefix}${key}[${i}]` : `${prefix}${key}[${i}].${field}`);
    const zoneWrong = zoneProblem(input, m.zone);
    if (zoneWrong) problems.push({ key: at("zone"), value: describeValue(m.zone), message: zoneWrong });
    const nameProblem = invalidNameReason(m.name, MAX_REPLICA_NAME);
    if (nameProblem) {
      problems.push({ key: at("name"), value: describeValue(m.name), message: `${nameProblem}: use e.g. "${suggestName(m.name, MAX_REPLICA_NAME)}"` });
    }
    const first = seen.get(m.name);
    if (first !== undefined) {
      problems.push({
        key: at("name"),
        value: describeValue(m.name),
        message: `duplicate replica name (also ${key}[${first}]): give each replica its own name`,
      });
    } else {
      seen.set(m.name, i);
    }
    if (m.address !== undefined) {
      const ip = parseIpv4(m.address)!;
      const shape = { ...zoneContext(input), network: { cidr: input.networkCidr, ...(input.existingNetwork ? { existing: input.existingNetwork } : {}) } };
      const zonal = PLATFORM_RULES[input.cloud].network.subnetScope === "zone";
      const zoneHasSubnet = !zonal || !input.existingNetwork || input.existingNetwork.subnets.some((s) => s.zone === m.zone);
      const subnet = zoneHasSubnet && zoneInRegion(shape, m.zone) ? cloudSubnet(shape, m.zone) : undefined;
      if (subnet && !containsIp(subnet, ip)) {
        const where = input.existingNetwork ? "the subnet" : zonal ? `${m.zone}'s subnet` : "networkCidr";
        problems.push({ key: at("address"), value: describeValue(m.address), message: `outside ${where} ${formatCidr(subnet)}: pick an address inside it, or omit address` });
      } else if (subnet) {
        const reserved = reservedAddressReason(input.cloud, subnet, ip);
        const block = !input.existingNetwork ? zoneBlock(shape, m.zone) : undefined;
        if (reserved) {
          problems.push({ key: at("address"), value: describeValue(m.address), message: reserved });
        } else if (block && containsIp(block, ip) && ip - block.base < FIRST_PLANNED_HOST) {
          problems.push({
            key: at("address"),
            value: describeValue(m.address),
            message: `kube-ha keeps the first ${FIRST_PLANNED_HOST} addresses of ${formatCidr(block)} for the load balancer: use ${formatIpv4(block.base + FIRST_PLANNED_HOST)} or above`,
          });
        }
      }
      const firstAddr = seenAddr.get(m.address);
      if (firstAddr !== undefined) {
        problems.push({ key: at("address"), value: describeValue(m.address), message: `duplicate address (also ${key}[${firstAddr}]): give each replica its own address` });
      } else {
        seenAddr.set(m.address, i);
      }
    }
  });
  void inputs;
}

export type { ClusterSpecInput };
