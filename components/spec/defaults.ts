/**
 * Every default kube-ha applies, in one place: what a config key means when a
 * stack (or a component's arguments) leaves it out, the OS the machines boot
 * and the pinned releases they install. The schema, the spec resolver, the
 * renderers and the cloud components read these constants; none of them
 * writes a default of its own (a platform's default machine types are its
 * rules', components/platforms/<name>/rules.ts, gathered here). test/mock/defaults-agree.test.ts holds
 * docs/config-reference.md, README.md and Pulumi.yaml to the same values, so
 * a default changes here, and the docs with it, or the tests fail.
 */

import { PLATFORM_NAMES, PLATFORM_RULES } from "../platforms/rules";
import type { Cloud } from "./schema";

/** The CPU architectures kube-ha boots and installs releases for (Debian's names). */
export type CpuArchitecture = "amd64" | "arm64";
export const CPU_ARCHITECTURES: readonly CpuArchitecture[] = ["amd64", "arm64"];

/** Kubernetes release of a stack that names none (kubernetesVersion). */
export const DEFAULT_KUBERNETES_VERSION = "1.35.0";

/**
 * etcd release the masters run (downloaded with a pinned SHA-256 by the boot script).
 * kubeadm's ExternalEtcdVersion preflight refuses an external etcd older than its
 * MinExternalEtcdVersion: "3.5.24-0" on release-1.32 (kubernetes #135019), 1.33 (#135018),
 * 1.34 (#134861) and 1.35 (the lowest entry of SupportedEtcdVersion, 3.5.24-0, see #135271).
 * A 3.5 release at or above 3.5.24 satisfies every supported minor.
 */
export const ETCD_VERSION = "3.5.25";

/**
 * containerd release every master runs, from containerd's own release
 * tarball with a pinned SHA-256 (components/render/container-runtime.ts), not
 * the OS archive: Debian 12's 1.6.20 is end-of-life and Kubernetes ≥ 1.34
 * does not support containerd 1.6, and the OS archive's version would change
 * with the image. 2.2.0 carries the fixes of containerd's November 2025
 * security releases (CVE-2024-25621, CVE-2025-64329).
 */
export const CONTAINERD_VERSION = "2.2.0";

/**
 * runc release containerd starts containers with (containerd's tarball does
 * not ship runc). 1.3.3 carries the fixes for the November 2025 container
 * breakouts (CVE-2025-31133, CVE-2025-52565, CVE-2025-52881).
 */
export const RUNC_VERSION = "1.3.3";

/**
 * The OS every machine boots unless `machineImage` names another: the same
 * Ubuntu LTS on both clouds, for the machine's architecture. Instances ignore
 * later image changes (a new image build never replaces a running master).
 */
export const DEFAULT_OS = {
  name: "Ubuntu 24.04 LTS",
  /** GCP: an image family of Canonical's public image project (the newest image of the family at create time). */
  gcp: {
    project: "ubuntu-os-cloud",
    family: { amd64: "ubuntu-2404-lts-amd64", arm64: "ubuntu-2404-lts-arm64" } as Readonly<Record<CpuArchitecture, string>>,
  },
  /** AWS: the newest AMI of Canonical's account whose name matches (gp3 server images). */
  aws: {
    owner: "099720109477",
    namePattern: {
      amd64: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*",
      arm64: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-*",
    } as Readonly<Record<CpuArchitecture, string>>,
  },
} as const;

/** A default that differs per cloud. */
export type PerCloud<T> = Record<Cloud, T>;

/**
 * A value for every platform, from its rules (components/platforms/<name>/rules.ts),
 * typed as the registered platforms' rules: a platform whose rules have no
 * default machine types (null) does not compile here until its defaults are decided.
 */
function perCloud<T>(value: (rules: (typeof PLATFORM_RULES)[Cloud]) => T): PerCloud<T> {
  return Object.fromEntries(PLATFORM_NAMES.map((cloud) => [cloud, value(PLATFORM_RULES[cloud])])) as PerCloud<T>;
}

/** The machine types of a stack that names none: each platform's rules say them. */
export const DEFAULT_MACHINE_TYPES: PerCloud<{ master: string; etcd: string }> = perCloud((r) => ({ ...r.defaultMachineTypes }));

/**
 * The default value of every config key that has one, by key
 * (docs/config-reference.md lists the same). Keys absent here have no
 * default value: they are required, derived (clusterName from the stack
 * name, gcpProject from the provider), off when unset, or described
 * (DESCRIBED_DEFAULTS).
 */
export const CONFIG_DEFAULTS = {
  allowEvenReplicaCount: false,
  allowLargeControlPlane: false,
  kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
  etcdTopology: "stacked",
  etcd: { heartbeatIntervalMs: 250, electionTimeoutMs: 2500, quotaBackendGb: 8, autoCompactionRetentionHours: 8 },
  masterMachineType: perCloud((r) => r.defaultMachineTypes.master),
  etcdMachineType: perCloud((r) => r.defaultMachineTypes.etcd),
  bootDiskSizeGb: 50,
  etcdDiskSizeGb: 20,
  apiServerAllowedCidrs: ["0.0.0.0/0"] as readonly string[],
  networkCidr: "10.10.0.0/16",
  networkZones: [] as readonly string[],
  podCidr: "10.244.0.0/16",
  serviceCidr: "10.96.0.0/12",
  clusterDomain: "cluster.local",
  loadBalancerScheme: "external",
  healthCheck: { intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 2, unhealthyThreshold: 2 },
  assignPublicIp: false,
  labels: {} as Readonly<Record<string, string>>,
} as const;

export type ConfigDefaultKey = keyof typeof CONFIG_DEFAULTS;

/**
 * Defaults that are not a value of their key, by key, as the docs name them:
 * without `machineImage` a machine boots DEFAULT_OS (an image that depends on
 * the cloud and the machine's architecture), so Pulumi.yaml may describe it
 * but must not give it a `default:` (that would become the image's name).
 */
export const DESCRIBED_DEFAULTS = {
  machineImage: DEFAULT_OS.name,
} as const;
