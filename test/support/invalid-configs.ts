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
  /** Further stack-config keys, as Pulumi hands them to the program (`namespace:key` → string), beside `raw`'s `kube-ha:` ones. */
  config?: Record<string, string>;
  key: string;
  value: string;
  message: RegExp;
}

const labels = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`l${i}`, "x"]));
const awsBase = { cloud: "aws", region: "eu-west-1", replicaZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] };
const replicaZonesJson = JSON.stringify(["europe-west1-b", "europe-west1-c", "europe-west1-d", "europe-west1-b", "europe-west1-c"]);

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
  { rule: "an unknown nested key", raw: { ...base, healthCheck: { intervalSecs: 5 } }, key: "kube-ha:healthCheck.intervalSecs", value: "5", message: /unknown key: did you mean "intervalSeconds"\? \(known keys of healthCheck: intervalSeconds, / },
  { rule: "an unknown key inside a replica", raw: { cloud: "gcp", region: "europe-west1", replicas: [{ zone: "europe-west1-b", nmae: "a" }] }, key: "kube-ha:replicas[0].nmae", value: "a", message: /unknown key: did you mean "name"\?/ },
  { rule: "an unknown key inside existingNetwork", raw: { ...base, existingNetwork: { network: "default", subnet: [] } }, key: "kube-ha:existingNetwork.subnet", value: "[]", message: /unknown key: did you mean "subnets"\?/ },
  { rule: "an unknown key inside an existing subnet", raw: { ...base, existingNetwork: { network: "default", subnets: [{ name: "default", cidrs: "10.10.0.0/16" }] } }, key: "kube-ha:existingNetwork.subnets[0].cidrs", value: "10.10.0.0/16", message: /unknown key: did you mean "cidr"\?/ },
  { rule: "an unknown key inside etcd tuning", raw: { ...base, etcd: { heartbeatInterval: 300 } }, key: "kube-ha:etcd.heartbeatInterval", value: "300", message: /unknown key: did you mean "heartbeatIntervalMs"\?/ },
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
  { rule: "an unknown cloud", raw: { ...base, cloud: "azure" }, key: "kube-ha:cloud", value: "azure", message: /^not an allowed value: use one of "gcp", "aws"$/ },
  { rule: "a cloud in capitals", raw: { ...base, cloud: "GCP" }, key: "kube-ha:cloud", value: "GCP", message: /use one of "gcp", "aws" \(did you mean "gcp"\?\)/ },
  { rule: "a misspelt etcd topology", raw: { ...base, etcdTopology: "stackd" }, key: "kube-ha:etcdTopology", value: "stackd", message: /use one of "stacked", "external" \(did you mean "stacked"\?\)/ },
  { rule: "a problem beside a mistyped enum value (not hidden by it)", raw: { ...base, cloud: "GCP", podCidr: "10.96.0.0/16" }, key: "kube-ha:serviceCidr", value: "10.96.0.0/12", message: /overlaps podCidr/ },
  { rule: "a value of the wrong type", raw: { ...base, bootDiskSizeGb: "big" }, key: "kube-ha:bootDiskSizeGb", value: "big", message: /^must be a number, not a string$/ },
  { rule: "a map where a list belongs", raw: { ...base, apiServerAllowedCidrs: { office: "203.0.113.0/24" } }, key: "kube-ha:apiServerAllowedCidrs", value: "office", message: /^must be a list, not a map$/ },
  { rule: "an empty allowed-sources list", raw: { ...base, apiServerAllowedCidrs: [] }, key: "kube-ha:apiServerAllowedCidrs", value: "[]", message: /^needs at least 1 entry$/ },
  { rule: "a number out of range", raw: { ...base, bootDiskSizeGb: 10 }, key: "kube-ha:bootDiskSizeGb", value: "10", message: /^too small: use a number ≥ 20$/ },
  { rule: "a problem beside a value of the wrong type (not hidden by it)", raw: { ...base, bootDiskSizeGb: "big", replicaZones: zones(2) }, key: "kube-ha:replicaZones", value: "europe-west1-b", message: /less available than 1/ },
  { rule: "an allowed-sources CIDR with host bits set", raw: { ...base, apiServerAllowedCidrs: ["203.0.113.5/24"] }, key: "kube-ha:apiServerAllowedCidrs[0]", value: "203.0.113.5/24", message: /host bits are set: write the network address 203\.0\.113\.0\/24, or 203\.0\.113\.5\/32 for that one address/ },
  { rule: "a network CIDR with host bits set", raw: { ...base, networkCidr: "10.10.77.5/16" }, key: "kube-ha:networkCidr", value: "10.10.77.5/16", message: /host bits are set: write the network address 10\.10\.0\.0\/16 / },
  { rule: "a pod CIDR with host bits set", raw: { ...base, podCidr: "10.244.1.0/16" }, key: "kube-ha:podCidr", value: "10.244.1.0/16", message: /write the network address 10\.244\.0\.0\/16/ },
  { rule: "a service CIDR with host bits set", raw: { ...base, serviceCidr: "10.96.0.1/12" }, key: "kube-ha:serviceCidr", value: "10.96.0.1/12", message: /write the network address 10\.96\.0\.0\/12/ },
  { rule: "an ssh CIDR with host bits set", raw: { ...base, sshAllowedCidr: "198.51.100.7/24" }, key: "kube-ha:sshAllowedCidr", value: "198.51.100.7/24", message: /write the network address 198\.51\.100\.0\/24, or 198\.51\.100\.7\/32/ },
  { rule: "an existing subnet's CIDR with host bits set", raw: { ...base, existingNetwork: { network: "default", subnets: [{ name: "default", cidr: "10.10.0.5/20" }] } }, key: "kube-ha:existingNetwork.subnets[0].cidr", value: "10.10.0.5/20", message: /write the network address 10\.10\.0\.0\/20/ },
  { rule: "a GCP label key with capitals and a space", raw: { ...base, labels: { "Team Name": "infra" } }, key: "kube-ha:labels.Team Name", value: "Team Name", message: /not a GCP label key.*use e\.g\. "team_name"/ },
  { rule: "a GCP label key not starting with a letter", raw: { ...base, labels: { "1team": "infra" } }, key: "kube-ha:labels.1team", value: "1team", message: /starting with a lowercase letter.*use e\.g\. "team"/ },
  { rule: "a GCP label value with capitals", raw: { ...base, labels: { env: "Prod" } }, key: "kube-ha:labels.env", value: "Prod", message: /not a GCP label value.*use e\.g\. "prod"/ },
  { rule: "a GCP label value of 1 MB", raw: { ...base, labels: { team: "a".repeat(1 << 20) } }, key: "kube-ha:labels.team", value: "(1048578 characters)", message: /label value is 1048576 characters long; GCP allows 63/ },
  { rule: "more GCP labels than a resource holds", raw: { ...base, labels: labels(62) }, key: "kube-ha:labels", value: "62 labels", message: /GCP allows 64 labels per resource and kube-ha adds 3: keep at most 61/ },
  { rule: "an AWS tag key with the reserved aws: prefix", raw: { ...awsBase, labels: { "aws:owner": "infra" } }, key: "kube-ha:labels.aws:owner", value: "aws:owner", message: /aws: prefix is reserved for AWS: use a key such as "owner"/ },
  { rule: "an AWS tag key over 128 characters", raw: { ...awsBase, labels: { ["k".repeat(129)]: "v" } }, key: `kube-ha:labels.${"k".repeat(129)}`, value: "kkk", message: /tag key is 129 characters long; AWS allows 1 to 128/ },
  { rule: "an AWS tag value over 256 characters", raw: { ...awsBase, labels: { team: "v".repeat(257) } }, key: "kube-ha:labels.team", value: "vvv", message: /tag value is 257 characters long; AWS allows 256/ },
  { rule: "more AWS tags than a resource holds", raw: { ...awsBase, labels: labels(47) }, key: "kube-ha:labels", value: "47 labels", message: /AWS allows 50 tags per resource and kube-ha adds 4: keep at most 46/ },
  { rule: "kube-ha keys under kube_ha:", raw: base, config: { "kube_ha:replicaZones": replicaZonesJson }, key: "kube_ha:replicaZones", value: "europe-west1-b", message: /kube-ha would ignore it and apply its default: did you mean "kube-ha:replicaZones"\?/ },
  { rule: "kube-ha keys under kubeha:", raw: base, config: { "kubeha:replicas": "[]" }, key: "kubeha:replicas", value: "[]", message: /did you mean "kube-ha:replicas"\?/ },
  { rule: "kube-ha keys under Kube-HA:", raw: base, config: { "Kube-HA:region": "europe-west1" }, key: "Kube-HA:region", value: "europe-west1", message: /did you mean "kube-ha:region"\?/ },
  { rule: "kube-ha keys written kube-ha.key (Pulumi reads kube-ha:kube-ha.key)", raw: base, config: { "kube-ha:kube-ha.replicas": "[]" }, key: "kube-ha:kube-ha.replicas", value: "[]", message: /did you mean "kube-ha:replicas"\?/ },
  { rule: "an AWS secret key in plain text", raw: base, config: { "aws:secretKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }, key: "aws:secretKey", value: "not shown", message: /AWS secret access key in plain text in the stack file.*pulumi config set --secret aws:secretKey/ },
  { rule: "an AWS session token in plain text", raw: base, config: { "aws:token": "FwoGZXIvYXdzEXAMPLE" }, key: "aws:token", value: "not shown", message: /pulumi config set --secret aws:token/ },
  { rule: "a GCP service-account key in plain text", raw: base, config: { "gcp:credentials": '{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----"}' }, key: "gcp:credentials", value: "not shown", message: /GCP service-account key in plain text.*pulumi config set --secret gcp:credentials/ },
  { rule: "a missing region", raw: { cloud: "gcp", replicaZones: ["europe-west1-b"] }, key: "kube-ha:region", value: "(not set)", message: /this key is required/ },
];

