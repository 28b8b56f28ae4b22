import type { OpenPort } from "../../plan/types";
import type { ExistingNetworkFacts, KeyedProblem, MachineCreatingRules } from "../rules-types";
import { GCP_REGION_ZONES } from "./regions";

/**
 * The range Google's Identity-Aware Proxy connects from when it forwards TCP
 * (`gcloud compute ssh --tunnel-through-iap`).
 */
export const GCP_IAP_TCP_FORWARDING_RANGE = "35.235.240.0/20";

/**
 * GCP labels: ≤ 64 per resource; keys 1–63 characters, values 0–63; only
 * lowercase letters (international ones too), digits, `_` and `-`; keys start
 * with a lowercase letter.
 */
const GCP_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}0-9_-]*$/u;
const GCP_VALUE = /^[\p{Ll}\p{Lo}0-9_-]*$/u;

/** GCP's addressing and validation rules (platforms/rules-types.ts). */
export const gcpRules: MachineCreatingRules = {
  displayName: "GCP",
  zoneSource: "region-table",
  zoneName: (region, letter) => `${region}-${letter}`,
  zoneNamedInRegion: (region, zone) => zone.length === region.length + 2 && zone.startsWith(`${region}-`) && /[a-z]$/.test(zone),
  regionZones: GCP_REGION_ZONES,
  network: {
    // A GCP subnetwork is regional: one for every zone of the region.
    subnetScope: "region",
    // The network and gateway addresses, and the second-to-last and broadcast addresses.
    reservedAddresses: { head: 2, tail: 2 },
  },
  labels: {
    max: 64,
    // cluster, role, replica
    own: 3,
    limitWording: "GCP allows 64 labels",
    problems: labelProblems,
  },
  defaultMachineTypes: { master: "e2-standard-4", etcd: "e2-standard-2" },
  existingNetworkProblems,
  extraPorts,
  kubeUpZoneVariable: "KUBE_GCE_ZONE",
  ownConfigKeys: ["gcpProject"],
};

function labelProblems(key: string, value: string): { text: string; message: string }[] {
  const out: { text: string; message: string }[] = [];
  const keyProblem =
    key.length === 0 ? "is empty" :
    [...key].length > 63 ? `is ${[...key].length} characters long; GCP allows 63` :
    !GCP_KEY.test(key) ? "is not a GCP label key (lowercase letters, digits, _ and -, starting with a lowercase letter)" : undefined;
  if (keyProblem) out.push({ text: key, message: `label key ${keyProblem}: use e.g. "${gcpLabelText(key, true)}"` });
  if ([...value].length > 63) out.push({ text: value, message: `label value is ${[...value].length} characters long; GCP allows 63: shorten it` });
  else if (!GCP_VALUE.test(value)) {
    out.push({ text: value, message: `label value is not a GCP label value (lowercase letters, digits, _ and - only): use e.g. "${gcpLabelText(value, false)}"` });
  }
  return out;
}

/** A GCP-valid spelling of a label key or value, for the fix text. */
function gcpLabelText(text: string, isKey: boolean): string {
  let s = text.toLowerCase().replace(/[^\p{Ll}\p{Lo}0-9_-]+/gu, "_").replace(/^_+|_+$/g, "");
  if (isKey) s = s.replace(/^[^\p{Ll}\p{Lo}]+/u, "") || "label";
  return [...s].slice(0, 63).join("");
}

/** GCP subnets are regional: exactly one, and the load balancer needs none of its own. */
function existingNetworkProblems(facts: ExistingNetworkFacts): KeyedProblem[] {
  const problems: KeyedProblem[] = [];
  if (facts.subnets.length !== 1) {
    problems.push({ key: "existingNetwork.subnets", value: facts.subnets, message: "GCP subnets are regional: give exactly one subnet in the region" });
  }
  if (facts.loadBalancerSubnets) {
    problems.push({
      key: "existingNetwork.loadBalancerSubnets",
      value: facts.loadBalancerSubnets,
      message: "only used on AWS (GCP's load balancer is regional): remove it",
    });
  }
  return problems;
}

/**
 * The etcd member removal command reaches a surviving member with
 * `gcloud compute ssh --tunnel-through-iap` (components/membership): IAP
 * connects from its own range, after checking the caller's IAM
 * (roles/iap.tunnelResourceAccessor) and OS Login (roles/compute.osAdminLogin).
 */
function extraPorts(to: OpenPort["to"]): OpenPort[] {
  return [
    {
      name: "ssh-from-iap",
      protocol: "tcp",
      ports: [22, 22],
      to,
      from: {
        kind: "cidrs",
        cidrs: [GCP_IAP_TCP_FORWARDING_RANGE],
        why: "Identity-Aware Proxy TCP forwarding only: etcd member removal by gcloud compute ssh --tunnel-through-iap (IAM and OS Login checked)",
      },
    },
  ];
}
