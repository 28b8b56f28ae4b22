import type { Cloud } from "./schema";
import type { KubernetesVersion } from "./versions";

/** One master (or, with external etcd, one etcd VM) with its name resolved. */
export interface ReplicaSpec {
  name: string;
  zone: string;
  /** Fixed private address when the user gave one; otherwise the planner picks it. */
  address?: string;
}

export interface HealthCheckSpec {
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
}

export interface EtcdTuningSpec {
  heartbeatIntervalMs: number;
  electionTimeoutMs: number;
  quotaBackendGb: number;
  autoCompactionRetentionHours: number;
}

export interface SubnetSpec {
  name: string;
  cidr: string;
  zone?: string;
}

/** The validated, defaulted configuration every later layer reads. */
export interface ClusterSpec {
  clusterName: string;
  cloud: Cloud;
  region: string;
  /** Zones of the region beyond kube-ha's zone table (the `extraZones` key); absent when not given. */
  extraZones?: string[];
  gcpProject?: string;
  replicas: ReplicaSpec[];
  allowEvenReplicaCount: boolean;
  allowLargeControlPlane: boolean;
  kubernetesVersion: KubernetesVersion;
  etcd: {
    topology: "stacked" | "external";
    /** Dedicated etcd VMs; empty when stacked (the masters are the members). */
    externalMembers: ReplicaSpec[];
    tuning: EtcdTuningSpec;
  };
  machines: {
    masterType: string;
    etcdType: string;
    bootDiskSizeGb: number;
    etcdDiskSizeGb: number;
    image?: string;
  };
  apiServerAllowedCidrs: string[];
  network: {
    cidr: string;
    existing?: { network: string; subnets: SubnetSpec[]; loadBalancerSubnets?: string[] };
    /** Extra zones the new network and the load balancer span (beyond the replicas' zones). */
    zones: string[];
  };
  podCidr: string;
  serviceCidr: string;
  clusterDomain: string;
  loadBalancer: {
    scheme: "external" | "internal";
    dnsName?: string;
    healthCheck: HealthCheckSpec;
  };
  sshAllowedCidr?: string;
  assignPublicIp: boolean;
  labels: Record<string, string>;
}

export { DEFAULT_MACHINE_TYPES } from "./defaults";

export const MAX_REPLICAS_WITHOUT_OVERRIDE = 7;
