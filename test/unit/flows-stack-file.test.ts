import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { editStackReplicas } from "../../components/flows/stack-file";
import { rawConfigFromStackFile } from "../../components/spec/stack-config";

const WITH_LIST = `# Top comment: what this stack is.
config:
  gcp:project: my-gcp-project # the project
  kube-ha:cloud: gcp
  kube-ha:region: europe-west1
  # The masters, one per zone.
  kube-ha:replicas:
    - name: master-b # first one
      zone: europe-west1-b
    - name: master-c
      zone: europe-west1-c
    - name: master-d
      zone: europe-west1-d
  kube-ha:apiServerAllowedCidrs:
    - 203.0.113.0/24 # the office
`;

const SHORTHAND = `config:
  kube-ha:cloud: gcp
  kube-ha:region: us-central1
  # one master for now
  kube-ha:replicaZones:
    - us-central1-a # the first zone
  kube-ha:apiServerAllowedCidrs:
    - 203.0.113.0/24
`;

const current3 = [
  { name: "master-b", zone: "europe-west1-b" },
  { name: "master-c", zone: "europe-west1-c" },
  { name: "master-d", zone: "europe-west1-d" },
];

describe("editing a stack file's replicas", () => {
  it("writes every replica as name, zone and address and keeps comments and other keys", () => {
    const next = [
      { name: "master-b", zone: "europe-west1-b", address: "10.10.16.10" },
      { name: "master-c", zone: "europe-west1-c", address: "10.10.32.10" },
      { name: "master-d", zone: "europe-west1-d", address: "10.10.48.10" },
      { name: "master-b-2", zone: "europe-west1-b", address: "10.10.16.11" },
    ];
    const text = editStackReplicas(WITH_LIST, { current: current3, next, allowEvenReplicaCount: true });
    expect(text).toContain("# Top comment: what this stack is.");
    expect(text).toContain("# the project");
    expect(text).toContain("# The masters, one per zone.");
    expect(text).toContain("# first one");
    expect(text).toContain("# the office");
    const raw = rawConfigFromStackFile(text);
    expect(raw.replicas).toEqual(next);
    expect(raw.allowEvenReplicaCount).toBe(true);
    expect(raw.apiServerAllowedCidrs).toEqual(["203.0.113.0/24"]);
    expect(parse(text).config["gcp:project"]).toBe("my-gcp-project");
  });

  it("places allowEvenReplicaCount right after the replica list and removes it again at an odd count", () => {
    const four = [...current3, { name: "master-b-2", zone: "europe-west1-b" }];
    const even = editStackReplicas(WITH_LIST, { current: current3, next: four, allowEvenReplicaCount: true });
    const keys = Object.keys(parse(even).config);
    expect(keys.indexOf("kube-ha:allowEvenReplicaCount")).toBe(keys.indexOf("kube-ha:replicas") + 1);
    const odd = editStackReplicas(even, { current: four, next: [...four, { name: "master-c-2", zone: "europe-west1-c" }], allowEvenReplicaCount: false });
    expect(Object.keys(parse(odd).config)).not.toContain("kube-ha:allowEvenReplicaCount");
  });

  it("leaves allowEvenReplicaCount alone when told nothing about it", () => {
    const withKey = WITH_LIST.replace("  kube-ha:apiServerAllowedCidrs:", "  kube-ha:allowEvenReplicaCount: true\n  kube-ha:apiServerAllowedCidrs:");
    const text = editStackReplicas(withKey, { current: current3, next: current3 });
    expect(parse(text).config["kube-ha:allowEvenReplicaCount"]).toBe(true);
  });

  it("drops a removed replica's entry and keeps the survivors' comments", () => {
    const text = editStackReplicas(WITH_LIST, { current: current3, next: [current3[0]!, current3[2]!], allowEvenReplicaCount: true });
    expect(rawConfigFromStackFile(text).replicas).toEqual([current3[0], current3[2]]);
    expect(text).toContain("# first one");
    expect(text).not.toContain("master-c");
  });

  it("turns a replicaZones shorthand into an explicit replicas list at the same place, keeping its comments", () => {
    const next = [
      { name: "master-a", zone: "us-central1-a", address: "10.10.0.10" },
      { name: "master-b", zone: "us-central1-b", address: "10.10.16.10" },
      { name: "master-c", zone: "us-central1-c", address: "10.10.32.10" },
    ];
    const text = editStackReplicas(SHORTHAND, { current: [{ name: "master-a", zone: "us-central1-a" }], next, allowEvenReplicaCount: false });
    const config = parse(text).config;
    expect(config).not.toHaveProperty("kube-ha:replicaZones");
    expect(config["kube-ha:replicas"]).toEqual(next);
    const keys = Object.keys(config);
    expect(keys.indexOf("kube-ha:replicas")).toBe(2);
    expect(text).toContain("# one master for now");
    expect(text).toContain("# the first zone");
  });

  it("writes networkZones right after the replica settings when the file has none", () => {
    const zones = ["europe-west1-b", "europe-west1-c", "europe-west1-d"];
    const text = editStackReplicas(WITH_LIST, { current: current3, next: [current3[0]!, current3[2]!], allowEvenReplicaCount: true, networkZones: zones });
    const config = parse(text).config;
    expect(config["kube-ha:networkZones"]).toEqual(zones);
    const keys = Object.keys(config);
    expect(keys.indexOf("kube-ha:networkZones")).toBe(keys.indexOf("kube-ha:allowEvenReplicaCount") + 1);
    expect(keys.indexOf("kube-ha:allowEvenReplicaCount")).toBe(keys.indexOf("kube-ha:replicas") + 1);
    expect(rawConfigFromStackFile(text).networkZones).toEqual(zones);
  });

  it("updates an existing networkZones in place, keeping the comments of the key and of the zones that stay", () => {
    const withZones = WITH_LIST.replace(
      "  kube-ha:apiServerAllowedCidrs:",
      "  # keep these subnets\n  kube-ha:networkZones:\n    - europe-west1-b # the old zone\n  kube-ha:apiServerAllowedCidrs:",
    );
    const zones = ["europe-west1-b", "europe-west1-c", "europe-west1-d"];
    const text = editStackReplicas(withZones, { current: current3, next: current3, networkZones: zones });
    const keys = Object.keys(parse(text).config);
    expect(keys.filter((k) => k === "kube-ha:networkZones")).toHaveLength(1);
    expect(keys.indexOf("kube-ha:networkZones")).toBe(keys.indexOf("kube-ha:apiServerAllowedCidrs") - 1);
    expect(parse(text).config["kube-ha:networkZones"]).toEqual(zones);
    expect(text).toContain("# keep these subnets");
    expect(text).toContain("- europe-west1-b # the old zone");
  });

  it("leaves networkZones alone when told nothing about it", () => {
    const withZones = WITH_LIST.replace("  kube-ha:apiServerAllowedCidrs:", "  kube-ha:networkZones: [europe-west1-b]\n  kube-ha:apiServerAllowedCidrs:");
    const text = editStackReplicas(withZones, { current: current3, next: [current3[0]!, current3[1]!] });
    expect(parse(text).config["kube-ha:networkZones"]).toEqual(["europe-west1-b"]);
    expect(Object.keys(parse(editStackReplicas(WITH_LIST, { current: current3, next: current3 })).config)).not.toContain("kube-ha:networkZones");
  });

  it("replaces a replica list that Pulumi stored as a JSON string", () => {
    const json = `config:\n  kube-ha:cloud: gcp\n  kube-ha:region: europe-west1\n  kube-ha:replicas: '[{"zone":"europe-west1-b"}]'\n`;
    const next = [{ name: "master-b", zone: "europe-west1-b", address: "10.10.16.10" }];
    const text = editStackReplicas(json, { current: [{ name: "master-b", zone: "europe-west1-b" }], next });
    expect(parse(text).config["kube-ha:replicas"]).toEqual(next);
  });
});
