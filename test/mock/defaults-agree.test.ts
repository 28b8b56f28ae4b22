/**
 * One source of truth for defaults (issue 9, item 3): components/spec/defaults.ts
 * holds every default; the docs (docs/config-reference.md, README.md), the
 * project file (Pulumi.yaml, whose `default:` values Pulumi hands to the
 * program) and what the code really does (the parsed spec, the images the
 * clouds boot, the releases the boot program installs) must all say the same.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ubuntuAmiQuery } from "../../components/platforms/aws/image";
import { previewStack } from "../../components/preview/preview-stack";
import type { ClusterSpec } from "../../components/spec/cluster-spec";
import {
  CONFIG_DEFAULTS,
  CONTAINERD_VERSION,
  DEFAULT_OS,
  DESCRIBED_DEFAULTS,
  ETCD_VERSION,
  RUNC_VERSION,
} from "../../components/spec/defaults";
import { CLOUDS, CONFIG_KEYS, type Cloud } from "../../components/spec/schema";
import { parseClusterSpec } from "../../components/spec/validate";
import { fixtureBootProgram } from "../support/boot-script-fixture";

const ROOT = join(__dirname, "..", "..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

type DefaultValue = (typeof CONFIG_DEFAULTS)[keyof typeof CONFIG_DEFAULTS];
const isPerCloud = (v: unknown): v is Record<Cloud, string> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).sort().join() === [...CLOUDS].sort().join();
const isScalar = (v: unknown): v is string | number | boolean => ["string", "number", "boolean"].includes(typeof v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Where the parsed spec keeps each defaulted key's value. */
const SPEC_VALUE: Record<keyof typeof CONFIG_DEFAULTS, (s: ClusterSpec) => unknown> = {
  allowEvenReplicaCount: (s) => s.allowEvenReplicaCount,
  allowLargeControlPlane: (s) => s.allowLargeControlPlane,
  kubernetesVersion: (s) => s.kubernetesVersion.text,
  etcdTopology: (s) => s.etcd.topology,
  etcd: (s) => s.etcd.tuning,
  masterMachineType: (s) => s.machines.masterType,
  etcdMachineType: (s) => s.machines.etcdType,
  bootDiskSizeGb: (s) => s.machines.bootDiskSizeGb,
  etcdDiskSizeGb: (s) => s.machines.etcdDiskSizeGb,
  apiServerAllowedCidrs: (s) => s.apiServerAllowedCidrs,
  networkCidr: (s) => s.network.cidr,
  networkZones: (s) => s.network.zones,
  podCidr: (s) => s.podCidr,
  serviceCidr: (s) => s.serviceCidr,
  clusterDomain: (s) => s.clusterDomain,
  loadBalancerScheme: (s) => s.loadBalancer.scheme,
  healthCheck: (s) => s.loadBalancer.healthCheck,
  assignPublicIp: (s) => s.assignPublicIp,
  labels: (s) => s.labels,
};
const MINIMAL: Record<Cloud, { region: string; replicaZones: string[] }> = {
  gcp: { region: "europe-west1", replicaZones: ["europe-west1-b"] },
  aws: { region: "eu-west-1", replicaZones: ["eu-west-1a"] },
};

/** docs/config-reference.md's key table: key → { type, default } cells. */
function referenceRows(): Map<string, { type: string; default: string }> {
  const rows = new Map<string, { type: string; default: string }>();
  for (const line of read("docs/config-reference.md").split("\n")) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    if (cells.length < 6 || !cells[1]!.startsWith("`")) continue;
    for (const key of cells[1]!.matchAll(/`([A-Za-z]+)`/g)) rows.set(key[1]!, { type: cells[2]!, default: cells[3]! });
  }
  return rows;
}

/** How a default value must appear in a doc cell. */
function mentions(cell: string, value: DefaultValue | string): string[] {
  const missing: string[] = [];
  const need = (text: string) => {
    if (!cell.includes(text)) missing.push(text);
  };
  if (typeof value === "boolean") need(`\`${value}\``);
  else if (typeof value === "number") {
    if (!new RegExp(`(^|[^\\d.])${value}([^\\d.]|$)`).test(cell)) missing.push(String(value));
  } else if (typeof value === "string") need(value);
  else if (Array.isArray(value)) need(`\`${JSON.stringify(value)}\``);
  else if (isPerCloud(value)) need(`\`${value.gcp}\` / \`${value.aws}\``);
  else if (isRecord(value) && Object.keys(value).length === 0) need("`{}`");
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) need(`${k}: ${String(v)}`);
  return missing;
}

describe("one source of truth for defaults: components/spec/defaults.ts, the docs, Pulumi.yaml and the code agree (issue 9, item 3)", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("every defaulted key is a config key, and the parsed spec applies exactly these defaults on both clouds", () => {
    for (const key of [...Object.keys(CONFIG_DEFAULTS), ...Object.keys(DESCRIBED_DEFAULTS)]) expect(CONFIG_KEYS).toContain(key);
    for (const cloud of CLOUDS) {
      const spec = parseClusterSpec({ cloud, ...MINIMAL[cloud] }, { stackName: "prod" });
      for (const [key, value] of Object.entries(CONFIG_DEFAULTS) as [keyof typeof CONFIG_DEFAULTS, DefaultValue][]) {
        expect(SPEC_VALUE[key](spec), `${cloud} ${key}`).toEqual(isPerCloud(value) ? value[cloud] : value);
      }
      expect(spec.machines.image, `${cloud} machineImage`).toBeUndefined();
    }
  });

  it("docs/config-reference.md states every default as the code has it, and no default for keys without one", () => {
    const rows = referenceRows();
    for (const key of CONFIG_KEYS) {
      const row = rows.get(key);
      expect(row, `docs/config-reference.md has no row for ${key}`).toBeDefined();
      const value = (CONFIG_DEFAULTS as Record<string, DefaultValue>)[key] ?? (DESCRIBED_DEFAULTS as Record<string, string>)[key];
      if (value === undefined) {
        expect(row!.default, `${key} has no default in the code`).toMatch(/^(—|required|the stack name|provider default)$/);
        continue;
      }
      const cell = isRecord(value) && !isPerCloud(value) && Object.keys(value).length > 0 ? `${row!.type} ${row!.default}` : row!.default;
      expect(mentions(cell, value), `${key}: the docs' default "${cell}" does not state the code's`).toEqual([]);
    }
  });

  it("Pulumi.yaml gives the code's default to every scalar key, describes the others, and invents none", () => {
    const config = (parse(read("Pulumi.yaml")) as { config: Record<string, { default?: unknown; description?: string }> }).config;
    for (const [key, entry] of Object.entries(config)) {
      const value = (CONFIG_DEFAULTS as Record<string, DefaultValue>)[key];
      const described = (DESCRIBED_DEFAULTS as Record<string, string>)[key];
      if (value !== undefined && isScalar(value)) {
        expect(entry.default, `Pulumi.yaml ${key}: default`).toEqual(value);
      } else if (value !== undefined || described !== undefined) {
        expect(entry.default, `Pulumi.yaml ${key}: a default Pulumi would pass as the value`).toBeUndefined();
        const texts = described !== undefined ? [described] : isPerCloud(value) ? [value.gcp, value.aws] : Array.isArray(value) ? value : [];
        for (const text of texts) expect(entry.description ?? "", `Pulumi.yaml ${key}: description`).toContain(text);
      } else {
        expect(entry.default, `Pulumi.yaml ${key} has a default the code does not have`).toBeUndefined();
      }
    }
    for (const [key, value] of Object.entries(CONFIG_DEFAULTS)) {
      if (isScalar(value)) expect(Object.keys(config), `Pulumi.yaml lacks ${key}`).toContain(key);
    }
  });

  it("README's 'What runs on a master' names the default OS and the pinned etcd, containerd and runc releases", () => {
    const readme = read("README.md");
    const section = readme.slice(readme.indexOf("## What runs on a master"), readme.indexOf("\n## ", readme.indexOf("## What runs on a master") + 1));
    expect(section.length).toBeGreaterThan(100);
    for (const text of [DEFAULT_OS.name, `etcd ${ETCD_VERSION}`, `containerd ${CONTAINERD_VERSION}`, `runc ${RUNC_VERSION}`]) {
      expect(section).toContain(text);
    }
    expect(section).not.toMatch(/containerd from the OS/);
  });

  it("the boot program installs the pinned etcd, containerd and runc releases on both clouds", () => {
    for (const cloud of CLOUDS) {
      const program = fixtureBootProgram(cloud);
      expect(program).toContain(`readonly ETCD_VERSION='${ETCD_VERSION}'`);
      expect(program).toContain(`readonly CONTAINERD_VERSION='${CONTAINERD_VERSION}'`);
      expect(program).toContain(`readonly RUNC_VERSION='${RUNC_VERSION}'`);
    }
  });

  it("AWS masters boot the default OS: Canonical's newest Ubuntu 24.04 AMI for the instance type's architecture", () => {
    for (const [type, arch] of [["m6i.xlarge", "amd64"], ["m7g.xlarge", "arm64"]] as const) {
      const query = ubuntuAmiQuery(type);
      expect(query.owners).toEqual([DEFAULT_OS.aws.owner]);
      expect(query.filters).toContainEqual({ name: "name", values: [DEFAULT_OS.aws.namePattern[arch]] });
    }
    expect(DEFAULT_OS.aws.namePattern.amd64).toContain("ubuntu-noble-24.04-amd64-server");
  });

  it("GCP masters boot the default OS (Ubuntu 24.04 LTS, not Debian 12) for their machine type's architecture", async () => {
    const image = (resources: { type: string; inputs: Record<string, unknown> }[]) =>
      resources
        .filter((r) => r.type === "gcp:compute/instance:Instance")
        .map((r) => (r.inputs["bootDisk"] as { initializeParams: { image: string } }).initializeParams.image);
    const shipped = await previewStack(ROOT, "gcp-ha");
    expect(image(shipped.resources)).toEqual(Array(3).fill(`projects/${DEFAULT_OS.gcp.project}/global/images/family/${DEFAULT_OS.gcp.family.amd64}`));
    expect(DEFAULT_OS.gcp.family.amd64).toBe("ubuntu-2404-lts-amd64");

    const dir = mkdtempSync(join(tmpdir(), "kube-ha-defaults-"));
    dirs.push(dir);
    mkdirSync(join(dir, "stacks"));
    const stack = (extra: string[]) =>
      ["config:", "  kube-ha:cloud: gcp", "  kube-ha:region: europe-west1", "  kube-ha:replicaZones: [europe-west1-b]", ...extra].join("\n");
    writeFileSync(join(dir, "stacks", "Pulumi.arm.yaml"), stack(["  kube-ha:masterMachineType: c4a-standard-4"]));
    writeFileSync(join(dir, "stacks", "Pulumi.own.yaml"), stack(["  kube-ha:machineImage: projects/my-images/global/images/my-ubuntu"]));
    expect(image((await previewStack(dir, "arm")).resources)).toEqual([`projects/ubuntu-os-cloud/global/images/family/${DEFAULT_OS.gcp.family.arm64}`]);
    expect(image((await previewStack(dir, "own")).resources)).toEqual(["projects/my-images/global/images/my-ubuntu"]);
  });
});
