/**
 * One invalid stack config per validation rule: the input, and the key, value
 * and fix its message must name. Shared by the pure validation test and the
 * mock-runtime test proving nothing is registered for any of them.
 */
export const base = {
  cloud: "gcp",
  region: "europe-west1",
  replicaZones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"],
};

export const zones = (n: number) => Array.from({ length: n }, (_, i) => `europe-west1-${"bcd"[i % 3]}`);
const named = (n: number) => zones(n).map((zone, i) => ({ zone, name: `m${i}` }));

export interface InvalidConfigRow {
  rule: string;
  raw: Record<string, unknown>;
  key: string;
  value: string;
  message: RegExp;
}

// One row per validation rule: the input, the key and value the message names, and its fix.
export const invalidConfigs: InvalidConfigRow[] = [
  { rule: "two replicas", raw: { ...base, replicaZones: zones(2) }, key: "kube-ha:replicaZones", value: "europe-west1-b", message: /a 2-replica etcd is less available than 1: use 1 or 3/ },
  { rule: "an even count while etcd is stacked", raw: { cloud: "gcp", region: "europe-west1", replicas: named(4) }, key: "kube-ha:replicas", value: "m0", message: /4 etcd members tolerate 1 failure.*use 3 or 5/ },
  { rule: "zero replicas", raw: { ...base, replicaZones: [] }, key: "kube-ha:replicaZones", value: "[]", message: /at least one replica is required/ },
  { rule: "no replicas key at all", raw: { cloud: "gcp", region: "europe-west1" }, key: "kube-ha:replicas", value: "[]", message: /at least one replica is required/ },
  { rule: "a zone not in the region", raw: { ...base, replicaZones: ["europe-west1-b", "us-east1-c", "europe-west1-d"] }, key: "kube-ha:replicaZones[1]", value: "us-east1-c", message: /not a zone of region europe-west1: use one of europe-west1-b, europe-west1-c, europe-west1-d$/ },
  { rule: "an AWS zone not in the region", raw: { cloud: "aws", region: "eu-west-1", replicaZones: ["eu-west-1a", "eu-west-2b", "eu-west-1c"] }, key: "kube-ha:replicaZones[1]", value: "eu-west-2b", message: /not a zone of region eu-west-1: use one of eu-west-1a, eu-west-1b, eu-west-1c$/ },
  { rule: "duplicate replica names", raw: { cloud: "gcp", region: "europe-west1", replicas: [{ zone: "europe-west1-b", name: "a" }, { zone: "europe-west1-c", name: "b" }, { zone: "europe-west1-d", name: "a" }] }, key: "kube-ha:replicas[2].name", value: '"a"', message: /duplicate replica name \(also replicas\[0\]\)/ },
  { rule: "a name that is not a valid cloud resource name", raw: { cloud: "gcp", region: "europe-west1", replicas: [{ zone: "europe-west1-b", name: "Master_1" }, { zone: "europe-west1-c" }, { zone: "europe-west1-d" }] }, key: "kube-ha:replicas[0].name", value: "Master_1", message: /lowercase letter.*use e\.g\. "master-1"/ },
  { rule: "an invalid cluster name", raw: { ...base, clusterName: "Prod Cluster" }, key: "kube-ha:clusterName", value: "Prod Cluster", message: /use e\.g\. "prod-cluster"/ },
  { rule: "more than 7 replicas without an override", raw: { ...base, replicaZones: zones(9) }, key: "kube-ha:replicaZones", value: "europe-west1", message: /9 etcd members slow every write.*allowLargeControlPlane: true/ },
  { rule: "overlapping pod and service CIDRs", raw: { ...base, podCidr: "10.96.0.0/16" }, key: "kube-ha:serviceCidr", value: "10.96.0.0/12", message: /overlaps podCidr \(10\.96\.0\.0\/16\)/ },
  { rule: "pod CIDR overlapping the node network", raw: { ...base, networkCidr: "10.244.0.0/16" }, key: "kube-ha:networkCidr", value: "10.244.0.0/16", message: /overlaps podCidr/ },
  { rule: "a CIDR that does not parse", raw: { ...base, podCidr: "10.300.0.0/16" }, key: "kube-ha:podCidr", value: "10.300.0.0/16", message: /Invalid IPv4 range: write an IPv4 CIDR such as 10\.0\.0\.0\/16/ },
  { rule: "a CIDR in an allowed-sources list that does not parse", raw: { ...base, apiServerAllowedCidrs: ["0.0.0.0/0", "office"] }, key: "kube-ha:apiServerAllowedCidrs[1]", value: "office", message: /write an IPv4 CIDR/ },
  { rule: "an unknown key (typo)", raw: { ...base, replicaZone: ["europe-west1-b"] }, key: "kube-ha:replicaZone", value: "europe-west1-b", message: /unknown key: did you mean "replicaZones"\?/ },
  { rule: "an unknown nested key", raw: { ...base, healthCheck: { intervalSecs: 5 } }, key: "kube-ha:healthCheck.intervalSecs", value: "5", message: /unknown key: remove it/ },
  { rule: "a Kubernetes version outside the supported range", raw: { ...base, kubernetesVersion: "1.29.4" }, key: "kube-ha:kubernetesVersion", value: "1.29.4", message: /outside the supported range 1\.32–1\.35/ },
  { rule: "a Kubernetes version that is not a release", raw: { ...base, kubernetesVersion: "latest" }, key: "kube-ha:kubernetesVersion", value: "latest", message: /not a Kubernetes release/ },
  { rule: "replicas and replicaZones both set", raw: { ...base, replicas: [{ zone: "europe-west1-b" }] }, key: "kube-ha:replicaZones", value: "europe-west1-b", message: /either replicas or replicaZones, not both/ },
  { rule: "external etcd without members", raw: { ...base, etcdTopology: "external" }, key: "kube-ha:etcdZones", value: "(not set)", message: /etcdTopology: external needs its members/ },
  { rule: "external etcd with an even member count", raw: { ...base, etcdTopology: "external", etcdZones: zones(2) }, key: "kube-ha:etcdZones", value: "europe-west1", message: /2-replica etcd/ },
  { rule: "etcd members listed while stacked", raw: { ...base, etcdZones: zones(3) }, key: "kube-ha:etcdZones", value: "europe-west1-b", message: /only used with etcdTopology: external/ },
  { rule: "an election timeout under 5 heartbeats", raw: { ...base, etcd: { heartbeatIntervalMs: 500, electionTimeoutMs: 1000 } }, key: "kube-ha:etcd.electionTimeoutMs", value: "1000", message: /at least 5× the heartbeat.*use ≥ 2500/ },
  { rule: "a health-check timeout longer than its interval", raw: { ...base, healthCheck: { intervalSeconds: 5, timeoutSeconds: 10 } }, key: "kube-ha:healthCheck.timeoutSeconds", value: "10", message: /use a timeout ≤ the interval/ },
  { rule: "an AWS existing network without a subnet in a replica's zone", raw: { cloud: "aws", region: "eu-west-1", replicaZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], existingNetwork: { network: "vpc-1", subnets: [{ name: "subnet-a", cidr: "10.10.0.0/20", zone: "eu-west-1a" }, { name: "subnet-b", cidr: "10.10.16.0/20", zone: "eu-west-1b" }] } }, key: "kube-ha:existingNetwork.subnets", value: "eu-west-1a", message: /no subnet in eu-west-1c/ },
  { rule: "an internet-facing AWS NLB in an existing VPC without public subnets", raw: { cloud: "aws", region: "eu-west-1", replicaZones: ["eu-west-1a"], existingNetwork: { network: "vpc-1", subnets: [{ name: "subnet-a", cidr: "10.10.0.0/20", zone: "eu-west-1a" }] } }, key: "kube-ha:existingNetwork.loadBalancerSubnets", value: "(not set)", message: /needs public subnets: list their ids/ },
  { rule: "a fixed address outside the network", raw: { cloud: "gcp", region: "europe-west1", replicas: [{ zone: "europe-west1-b", address: "192.168.1.10" }] }, key: "kube-ha:replicas[0].address", value: "192.168.1.10", message: /outside networkCidr 10\.10\.0\.0\/16: pick an address inside it/ },
  { rule: "a fixed AWS address outside its zone's subnet", raw: { cloud: "aws", region: "eu-west-1", replicas: [{ zone: "eu-west-1a", address: "10.10.16.10" }] }, key: "kube-ha:replicas[0].address", value: "10.10.16.10", message: /outside eu-west-1a's subnet 10\.10\.0\.0\/20/ },
  { rule: "a fixed address AWS reserves", raw: { cloud: "aws", region: "eu-west-1", replicas: [{ zone: "eu-west-1b", address: "10.10.16.2" }] }, key: "kube-ha:replicas[0].address", value: "10.10.16.2", message: /AWS reserves it in subnet 10\.10\.16\.0\/20: use an address from 10\.10\.16\.4 to 10\.10\.31\.254/ },
  { rule: "a fixed address GCP reserves", raw: { cloud: "gcp", region: "europe-west1", replicas: [{ zone: "europe-west1-b", address: "10.10.255.254" }] }, key: "kube-ha:replicas[0].address", value: "10.10.255.254", message: /GCP reserves it in subnet 10\.10\.0\.0\/16/ },
  { rule: "a fixed address among the load balancer's hosts", raw: { cloud: "aws", region: "eu-west-1", replicas: [{ zone: "eu-west-1b", address: "10.10.16.5" }] }, key: "kube-ha:replicas[0].address", value: "10.10.16.5", message: /keeps the first 10 addresses of 10\.10\.16\.0\/20 for the load balancer: use 10\.10\.16\.10 or above/ },
  { rule: "two replicas with the same fixed address", raw: { cloud: "gcp", region: "europe-west1", replicas: [{ zone: "europe-west1-b", address: "10.10.16.10" }, { zone: "europe-west1-c", address: "10.10.16.10" }, { zone: "europe-west1-d" }] }, key: "kube-ha:replicas[1].address", value: "10.10.16.10", message: /duplicate address/ },
  { rule: "a network zone outside the region", raw: { ...base, networkZones: ["europe-west2-b"] }, key: "kube-ha:networkZones[0]", value: "europe-west2-b", message: /not a zone of region europe-west1/ },
  { rule: "an unknown cloud", raw: { ...base, cloud: "azure" }, key: "kube-ha:cloud", value: "azure", message: /expected one of "gcp"\|"aws"/ },
  { rule: "a missing region", raw: { cloud: "gcp", replicaZones: ["europe-west1-b"] }, key: "kube-ha:region", value: "(not set)", message: /this key is required/ },
];

