import { z } from "zod";
import { PLATFORM_NAMES, type PlatformName } from "../platforms/rules";
import { canonicalCidr } from "./cidr";
import { CONFIG_DEFAULTS as D } from "./defaults";

/**
 * The stack configuration a user writes (`kube-ha:<key>` in
 * `stacks/Pulumi.<stack>.yaml`) and, with the same shape, the arguments of the
 * library's components. Structural rules live here; rules that relate several
 * keys (zones in the region, quorum, CIDR overlaps) live in `validate.ts`.
 */

/** The platforms a stack may name in `cloud`: the platform rules registry's (components/platforms/rules.ts). */
export const CLOUDS: readonly [Cloud, ...Cloud[]] = PLATFORM_NAMES;
export type Cloud = PlatformName;

/**
 * An IPv4 CIDR in canonical form. One with host bits set (`203.0.113.5/24`)
 * is refused, naming the network it belongs to, so no later layer (and no
 * cloud resource such as a subnetwork's range) ever sees a non-canonical one.
 * `source`: a range of allowed clients, where a single address (/32) may be meant.
 */
function cidr(source = false) {
  return z.cidrv4().superRefine((text, ctx) => {
    const canonical = canonicalCidr(text);
    if (canonical === undefined || canonical === text) return;
    const host = text.split("/")[0];
    ctx.addIssue({
      code: "custom",
      message:
        `host bits are set: write the network address ${canonical}` +
        (source ? `, or ${host}/32 for that one address` : "") +
        " (a CIDR names a network; kube-ha does not rewrite it for you)",
    });
  });
}

const replicaInput = z.strictObject({
  zone: z.string().min(1),
  name: z.string().optional(),
  /** Fixed private address; by default the planner picks the lowest free host from .10 in the zone's subnet. */
  address: z.ipv4().optional(),
});
export type ReplicaInput = z.infer<typeof replicaInput>;

const healthCheckInput = z.strictObject({
  intervalSeconds: z.number().int().min(2).max(300).default(D.healthCheck.intervalSeconds),
  timeoutSeconds: z.number().int().min(1).max(120).default(D.healthCheck.timeoutSeconds),
  healthyThreshold: z.number().int().min(2).max(10).default(D.healthCheck.healthyThreshold),
  unhealthyThreshold: z.number().int().min(2).max(10).default(D.healthCheck.unhealthyThreshold),
});

const etcdTuningInput = z.strictObject({
  /** Raft heartbeat; ~ the round trip between the farthest zones, times a margin. */
  heartbeatIntervalMs: z.number().int().min(10).max(5000).default(D.etcd.heartbeatIntervalMs),
  /** At least 5× the heartbeat; a leader loss is noticed within this. */
  electionTimeoutMs: z.number().int().min(100).max(50000).default(D.etcd.electionTimeoutMs),
  /** Backend quota (etcd refuses writes beyond it and raises NOSPACE). */
  quotaBackendGb: z.number().min(1).max(8).default(D.etcd.quotaBackendGb),
  /** Hours of revisions kept by periodic auto-compaction. */
  autoCompactionRetentionHours: z.number().int().min(1).max(720).default(D.etcd.autoCompactionRetentionHours),
});

const subnetInput = z.strictObject({
  /** GCP subnetwork self-link or name; AWS subnet id. */
  name: z.string().min(1),
  cidr: cidr(),
  /** AWS: the subnet's availability zone. GCP subnets are regional: omit it. */
  zone: z.string().optional(),
});

const existingNetworkInput = z.strictObject({
  /** GCP network self-link or name; AWS VPC id. */
  network: z.string().min(1),
  subnets: z.array(subnetInput).min(1),
  /**
   * AWS: subnets (ids) for the NLB; an internet-facing NLB needs public
   * subnets (default: the masters' subnets, which suits an internal NLB).
   */
  loadBalancerSubnets: z.array(z.string().min(1)).min(1).optional(),
});

export const clusterSpecInput = z.strictObject({
  clusterName: z.string().optional(),
  cloud: z.enum(CLOUDS),
  region: z.string().min(1),
  gcpProject: z.string().optional(),

  replicas: z.array(replicaInput).optional(),
  replicaZones: z.array(z.string().min(1)).optional(),
  allowEvenReplicaCount: z.boolean().default(D.allowEvenReplicaCount),
  allowLargeControlPlane: z.boolean().default(D.allowLargeControlPlane),

  kubernetesVersion: z.string().optional(),

  etcdTopology: z.enum(["stacked", "external"]).default(D.etcdTopology),
  etcdMembers: z.array(replicaInput).optional(),
  etcdZones: z.array(z.string().min(1)).optional(),
  etcd: etcdTuningInput.optional(),

  masterMachineType: z.string().min(1).optional(),
  etcdMachineType: z.string().min(1).optional(),
  bootDiskSizeGb: z.number().int().min(20).max(2000).default(D.bootDiskSizeGb),
  etcdDiskSizeGb: z.number().int().min(10).max(1000).default(D.etcdDiskSizeGb),
  machineImage: z.string().min(1).optional(),

  apiServerAllowedCidrs: z.array(cidr(true)).min(1).default(() => [...D.apiServerAllowedCidrs]),
  networkCidr: cidr().default(D.networkCidr),
  existingNetwork: existingNetworkInput.optional(),
  /**
   * Zones the new network (and the load balancer) spans beyond the replicas'
   * zones. Keeps a zone's subnet while it is briefly empty (replace-replica);
   * an AWS NLB losing a subnet is replaced and its DNS name changes. The CLI
   * writes it when it edits a stack.
   */
  networkZones: z.array(z.string().min(1)).optional(),
  /**
   * Zones of the region that kube-ha's zone table (platforms/<cloud>/regions.ts) does
   * not list yet: a newer region's zones, or a zone your account sees that
   * the table lacks. Each takes a free address block of the region.
   */
  extraZones: z.array(z.string().min(1)).optional(),
  podCidr: cidr().default(D.podCidr),
  serviceCidr: cidr().default(D.serviceCidr),
  clusterDomain: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "must be a DNS domain such as cluster.local")
    .default(D.clusterDomain),

  loadBalancerScheme: z.enum(["external", "internal"]).default(D.loadBalancerScheme),
  apiServerDnsName: z.string().optional(),
  healthCheck: healthCheckInput.optional(),

  sshAllowedCidr: cidr(true).optional(),
  assignPublicIp: z.boolean().default(D.assignPublicIp),
  labels: z.record(z.string(), z.string()).optional(),
});

/** What a user may write: every key optional except `cloud` and `region`. */
export type ClusterSpecInput = z.input<typeof clusterSpecInput>;
export type ParsedSpecInput = z.output<typeof clusterSpecInput>;

export const CONFIG_KEYS: readonly string[] = Object.keys(clusterSpecInput.shape);

export const healthCheckDefaults = healthCheckInput.parse({});
export const etcdTuningDefaults = etcdTuningInput.parse({});
export { healthCheckInput, etcdTuningInput };
