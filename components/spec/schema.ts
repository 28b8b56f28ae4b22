import { z } from "zod";

/**
 * The stack configuration a user writes (`kube-ha:<key>` in
 * `stacks/Pulumi.<stack>.yaml`) and, with the same shape, the arguments of the
 * library's components. Structural rules live here; rules that relate several
 * keys (zones in the region, quorum, CIDR overlaps) live in `validate.ts`.
 */

export const CLOUDS = ["gcp", "aws"] as const;
export type Cloud = (typeof CLOUDS)[number];

const replicaInput = z.strictObject({
  zone: z.string().min(1),
  name: z.string().optional(),
  /** Fixed private address; by default the planner picks the lowest free host from .10 in the zone's subnet. */
  address: z.ipv4().optional(),
});
export type ReplicaInput = z.infer<typeof replicaInput>;

const healthCheckInput = z.strictObject({
  intervalSeconds: z.number().int().min(2).max(300).default(5),
  timeoutSeconds: z.number().int().min(1).max(120).default(3),
  healthyThreshold: z.number().int().min(2).max(10).default(2),
  unhealthyThreshold: z.number().int().min(2).max(10).default(2),
});

const etcdTuningInput = z.strictObject({
  /** Raft heartbeat; ~ the round trip between the farthest zones, times a margin. */
  heartbeatIntervalMs: z.number().int().min(10).max(5000).default(250),
  /** At least 5× the heartbeat; a leader loss is noticed within this. */
  electionTimeoutMs: z.number().int().min(100).max(50000).default(2500),
  /** Backend quota (etcd refuses writes beyond it and raises NOSPACE). */
  quotaBackendGb: z.number().min(1).max(8).default(8),
  /** Hours of revisions kept by periodic auto-compaction. */
  autoCompactionRetentionHours: z.number().int().min(1).max(720).default(8),
});

const subnetInput = z.strictObject({
  /** GCP subnetwork self-link or name; AWS subnet id. */
  name: z.string().min(1),
  cidr: z.cidrv4(),
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
  allowEvenReplicaCount: z.boolean().default(false),
  allowLargeControlPlane: z.boolean().default(false),

  kubernetesVersion: z.string().optional(),

  etcdTopology: z.enum(["stacked", "external"]).default("stacked"),
  etcdMembers: z.array(replicaInput).optional(),
  etcdZones: z.array(z.string().min(1)).optional(),
  etcd: etcdTuningInput.optional(),

  masterMachineType: z.string().min(1).optional(),
  etcdMachineType: z.string().min(1).optional(),
  bootDiskSizeGb: z.number().int().min(20).max(2000).default(50),
  etcdDiskSizeGb: z.number().int().min(10).max(1000).default(20),
  machineImage: z.string().min(1).optional(),

  apiServerAllowedCidrs: z.array(z.cidrv4()).min(1).default(["0.0.0.0/0"]),
  networkCidr: z.cidrv4().default("10.10.0.0/16"),
  existingNetwork: existingNetworkInput.optional(),
  /**
   * Zones the new network (and the load balancer) spans beyond the replicas'
   * zones. Keeps a zone's subnet while it is briefly empty (replace-replica);
   * an AWS NLB losing a subnet is replaced and its DNS name changes. The CLI
   * writes it when it edits a stack.
   */
  networkZones: z.array(z.string().min(1)).optional(),
  /**
   * Zones of the region that kube-ha's zone table (spec/region-zones.ts) does
   * not list yet: a newer region's zones, or a zone your account sees that
   * the table lacks. Each takes a free address block of the region.
   */
  extraZones: z.array(z.string().min(1)).optional(),
  podCidr: z.cidrv4().default("10.244.0.0/16"),
  serviceCidr: z.cidrv4().default("10.96.0.0/12"),
  clusterDomain: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "must be a DNS domain such as cluster.local")
    .default("cluster.local"),

  loadBalancerScheme: z.enum(["external", "internal"]).default("external"),
  apiServerDnsName: z.string().optional(),
  healthCheck: healthCheckInput.optional(),

  sshAllowedCidr: z.cidrv4().optional(),
  assignPublicIp: z.boolean().default(false),
  labels: z.record(z.string(), z.string()).optional(),
});

/** What a user may write: every key optional except `cloud` and `region`. */
export type ClusterSpecInput = z.input<typeof clusterSpecInput>;
export type ParsedSpecInput = z.output<typeof clusterSpecInput>;

export const CONFIG_KEYS: readonly string[] = Object.keys(clusterSpecInput.shape);

export const healthCheckDefaults = healthCheckInput.parse({});
export const etcdTuningDefaults = etcdTuningInput.parse({});
export { healthCheckInput, etcdTuningInput };
