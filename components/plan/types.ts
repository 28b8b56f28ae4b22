import type { ClusterSpec, HealthCheckSpec } from "../spec/cluster-spec";

export type Role = "master" | "etcd";

/** One machine of the control plane with every decision the plan made for it. */
export interface ReplicaPlan {
  name: string;
  zone: string;
  role: Role;
  /** Fixed private IPv4 address. */
  address: string;
  /** Whether the address was given in config (true) or picked by the planner. */
  addressPinned: boolean;
  /** This machine runs an etcd member (stacked masters and external etcd VMs). */
  etcdMember: boolean;
  /** Zone-local subnet (AWS) or the regional subnet's block for this zone (GCP). */
  subnetCidr: string;
}

export interface EtcdMemberPlan {
  name: string;
  zone: string;
  address: string;
  peerUrl: string;
  clientUrl: string;
  metricsUrl: string;
}

export interface EtcdPlan {
  topology: "stacked" | "external";
  members: EtcdMemberPlan[];
  quorum: number;
  toleratedFailures: number;
  heartbeatIntervalMs: number;
  electionTimeoutMs: number;
  quotaBackendBytes: number;
  autoCompactionRetentionHours: number;
  clientPort: 2379;
  peerPort: 2380;
  metricsPort: 2381;
}

export interface LoadBalancerPlan {
  scheme: "external" | "internal";
  port: 6443;
  dnsName?: string;
  healthCheck: HealthCheckSpec & { protocol: "HTTPS"; path: "/readyz"; port: 6443 };
  /** Worst-case seconds from an apiserver dying to the LB no longer sending it new connections. */
  failoverBudgetSeconds: number;
  /** Seconds from a recovered apiserver answering /readyz to the LB sending it traffic again. */
  recoverySeconds: number;
}

export type PortSource =
  | { kind: "cidrs"; cidrs: string[]; why: string }
  | { kind: "masters"; why: string }
  | { kind: "health-checkers"; why: string }
  | { kind: "load-balancer"; why: string };

/** One port the cloud firewall or security groups open, and who may reach it. */
export interface OpenPort {
  name: string;
  protocol: "tcp";
  ports: [number, number];
  to: Role[];
  from: PortSource;
}

export interface ZoneSubnet {
  zone: string;
  cidr: string;
  /** For AWS: the public subnet used by an internet-facing NLB / NAT. */
  publicCidr: string;
}

export interface ControlPlanePlan {
  spec: ClusterSpec;
  clusterName: string;
  masters: ReplicaPlan[];
  /** Dedicated etcd VMs (external topology); empty when stacked. */
  etcdNodes: ReplicaPlan[];
  /** Distinct zones of the masters, sorted. */
  zones: string[];
  mastersByZone: Record<string, string[]>;
  etcd: EtcdPlan;
  loadBalancer: LoadBalancerPlan;
  network: {
    cidr: string;
    existing: boolean;
    /** Subnet per zone in use or listed in networkZones (AWS); for GCP the regional subnet is `cidr`. */
    zoneSubnets: ZoneSubnet[];
  };
  kubernetes: {
    version: string;
    minor: number;
    podCidr: string;
    serviceCidr: string;
    clusterDomain: string;
    /** First address of the service range: the `kubernetes` Service. */
    apiServiceIp: string;
    /** Tenth address of the service range: cluster DNS. */
    dnsServiceIp: string;
  };
  ports: OpenPort[];
  warnings: string[];
}
