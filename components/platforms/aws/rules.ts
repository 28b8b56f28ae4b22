import type { ExistingNetworkFacts, KeyedProblem, MachineCreatingRules } from "../rules-types";
import { AWS_REGION_ZONES } from "./regions";

/**
 * AWS tags: ≤ 50 user tags per resource; keys 1–128 characters, values
 * 0–256; no `aws:` prefix (any case) on keys or values; letters, digits,
 * spaces and `+ - = . _ : / @` — the set every tagged service accepts (IAM
 * and Secrets Manager are stricter than EC2).
 */
const AWS_TEXT = /^[\p{L}\p{N}\p{Zs}+\-=._:/@]*$/u;

/** AWS's addressing and validation rules (platforms/rules-types.ts). */
export const awsRules: MachineCreatingRules = {
  displayName: "AWS",
  zoneSource: "region-table",
  zoneName: (region, letter) => `${region}${letter}`,
  zoneNamedInRegion: (region, zone) => zone.length === region.length + 1 && zone.startsWith(region) && /[a-z]$/.test(zone),
  regionZones: AWS_REGION_ZONES,
  network: {
    // A VPC subnet lives in one availability zone.
    subnetScope: "zone",
    // The network address, the VPC router, DNS and one for future use; the broadcast address.
    reservedAddresses: { head: 4, tail: 1 },
  },
  labels: {
    max: 50,
    // cluster, role, replica, Name
    own: 4,
    limitWording: "AWS allows 50 tags",
    problems: tagProblems,
  },
  defaultMachineTypes: { master: "m6i.xlarge", etcd: "m6i.large" },
  existingNetworkProblems,
  // The etcd member removal goes through SSM Run Command, which opens no port.
  extraPorts: () => [],
  kubeUpZoneVariable: "KUBE_AWS_ZONE",
  ownConfigKeys: [],
};

function tagProblems(key: string, value: string): { text: string; message: string }[] {
  const out: { text: string; message: string }[] = [];
  if (key.length === 0 || [...key].length > 128) {
    out.push({ text: key, message: `tag key is ${[...key].length} characters long; AWS allows 1 to 128: use a shorter key` });
  }
  if (/^aws:/i.test(key)) out.push({ text: key, message: `the aws: prefix is reserved for AWS: use a key such as "${key.slice(4) || "team"}"` });
  else if (!AWS_TEXT.test(key)) out.push({ text: key, message: "tag key has characters AWS tags refuse: use letters, digits, spaces and + - = . _ : / @" });
  if ([...value].length > 256) out.push({ text: value, message: `tag value is ${[...value].length} characters long; AWS allows 256: shorten it` });
  if (/^aws:/i.test(value)) out.push({ text: value, message: "the aws: prefix is reserved for AWS, in tag values too: drop it" });
  else if (!AWS_TEXT.test(value)) out.push({ text: value, message: "tag value has characters AWS tags refuse: use letters, digits, spaces and + - = . _ : / @" });
  return out;
}

/** AWS subnets live in one zone: each names its zone, every zone in use has one, and an internet-facing NLB has public ones. */
function existingNetworkProblems(facts: ExistingNetworkFacts): KeyedProblem[] {
  const problems: KeyedProblem[] = [];
  const { subnets } = facts;
  if (facts.loadBalancerScheme === "external" && !facts.loadBalancerSubnets) {
    problems.push({
      key: "existingNetwork.loadBalancerSubnets",
      value: undefined,
      message: "an internet-facing NLB in an existing VPC needs public subnets: list their ids (one per zone), or set loadBalancerScheme: internal",
    });
  }
  subnets.forEach((s, i) => {
    if (!s.zone) problems.push({ key: `existingNetwork.subnets[${i}].zone`, value: undefined, message: "AWS subnets live in one availability zone: set its zone" });
  });
  for (const zone of facts.zonesInUse) {
    if (!subnets.some((s) => s.zone === zone)) {
      problems.push({
        key: "existingNetwork.subnets",
        value: subnets.map((s) => s.zone),
        message: `no subnet in ${zone}, where a replica is placed: add a subnet of that zone`,
      });
    }
  }
  return problems;
}
