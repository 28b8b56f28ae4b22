import type { ControlPlanePlan, ReplicaPlan } from "../plan/types";
import { filledShellFile } from "../shell/shell-file";
import { etcdInstallFunctions, etcdReleaseConstants, releaseFetchFunction } from "./binary-releases";
import { FOUNDER_MARKER, SETTLE_SECONDS, bootstrapDecisionFunctions } from "./bootstrap-decision";
import type { BootParts } from "./boot-parts";
import { renderBootInstaller, renderBootUnit } from "./boot-unit";
import { containerRuntimeConstants, containerRuntimeFunctions } from "./container-runtime";
import { controlPlaneConstants, controlPlaneFunctions } from "./control-plane-steps";
import { dataDiskFunctions } from "./data-disk";
import { BASE_PACKAGES, MASTER_OS_PACKAGES, hostSetupConstants, kubernetesHostFunctions, osPackageFunctions } from "./host-setup";
import { keyMaterialFunctions } from "./key-material";
import { apiserverEtcdEndpointsFor } from "./etcd-config";
import { KUBEADM_FILES, renderKubeadmConfig } from "./kubeadm-config";
import { PATHS } from "./paths";
import { etcdRole, keyMaterialSecretId } from "./replica-identity";
import { compactShell } from "./shell-compact";
import { shellConstants, shellQuote, writeFileCommand, writeFileFunction } from "./shell";

/**
 * The boot script of one replica on one cloud (GCP startup-script, AWS
 * user-data). It installs the boot program (bash, `set -euo pipefail`,
 * idempotent) and kube-ha-boot.service, which runs it and retries it until
 * it succeeds (components/render/boot-unit.ts); it runs on every boot.
 *
 * It depends only on this replica and cluster-wide constants — never on the
 * list of other replicas — so adding or removing a replica leaves every
 * existing replica's script byte-identical. Peers are found at boot by the
 * cloud's API; key material is fetched from the cloud's secret store (both
 * by the platform's BootParts, boot-parts.ts). The
 * script holds no secret: no key, no token, no kubeconfig.
 */

/**
 * What renderEtcdBootParts (components/render/etcd-boot.ts) gives for one
 * member. Structural, so tests inject a fixture and the components pass
 * the real parts.
 */
export interface EtcdBootParts {
  files: { path: string; content: string; mode: number | string }[];
  /** Bash that starts, bootstraps or joins the member; reads ETCD_ENDPOINTS and KUBE_HA_MAY_BOOTSTRAP. */
  run: string;
}

export interface BootScriptInput {
  /** What the machine's platform supplies: its API helpers, peer discovery, key-material fetch (boot-parts.ts). */
  parts: BootParts;
  plan: ControlPlanePlan;
  replicaName: string;
  /** The load balancer's address (IP on GCP; the NLB's DNS name on AWS). */
  endpointAddress: string;
  /**
   * The stable device path the etcd data disk shows up at, as the platform
   * resolves it (components/platforms/<name>/data-disk.ts); required for
   * etcd members.
   */
  etcdDevice?: string;
  /** This replica's etcd member (required for etcd members): injected, see renderEtcdBootParts. */
  etcd?: EtcdBootParts;
}

/** Rounds of 20 s a joining master waits for a peer apiserver (30 minutes). */
export const JOIN_WAIT_ROUNDS = 90;
export const KUBEADM_LOG = "/var/log/kube-ha/kubeadm.log";
export const RUN_DIR = "/run/kube-ha";

export function renderBootScript(input: BootScriptInput): string {
  const replica = findReplica(input.plan, input.replicaName);
  const what = `${replica.role} ${replica.name} of cluster ${input.plan.clusterName} (${input.parts.cloud})`;
  return renderBootInstaller(what, renderBootProgram(input), renderBootUnit(`kube-ha boot of ${what}`));
}

export interface BootProgramOptions {
  /** Strip comments, blank lines and indentation (what machines get; see shell-compact.ts). Default true. */
  compact?: boolean;
}

/** The boot program itself: what kube-ha-boot.service runs. */
export function renderBootProgram(input: BootScriptInput, opts: BootProgramOptions = {}): string {
  const { parts, plan } = input;
  const cloud = parts.cloud;
  const replica = findReplica(plan, input.replicaName);
  const master = replica.role === "master";
  if (replica.etcdMember && (!input.etcd || !input.etcdDevice)) {
    throw new Error(`${replica.name} runs an etcd member: renderBootScript needs its etcd parts and etcd disk`);
  }
  const endpointHost = plan.loadBalancer.dnsName ?? input.endpointAddress;

  const constants: Record<string, string> = {
    KUBE_HA_CLOUD: cloud,
    KUBE_HA_REGION: plan.spec.region,
    KUBE_HA_CLUSTER: plan.clusterName,
    KUBE_HA_REPLICA: replica.name,
    KUBE_HA_ROLE: replica.role,
    KUBE_HA_ZONE: replica.zone,
    KUBE_HA_ADDRESS: replica.address,
    KUBE_HA_SECRET_ID: keyMaterialSecretId(plan.clusterName, replica.name),
    ETCD_ROLE: etcdRole(plan),
    PKI_DIR: PATHS.pkiDir,
    SETTLE_SECONDS: String(SETTLE_SECONDS),
    FOUNDER_MARKER,
    ...(replica.etcdMember
      ? {
          ETCD_MOUNT: PATHS.etcdDataMount,
          ETCD_DEVICE: input.etcdDevice!,
          ETCD_DATA_DIR: PATHS.etcdDataDir,
          ...etcdReleaseConstants(),
        }
      : {}),
    ...(master
      ? {
          API_ENDPOINT_HOST: endpointHost,
          KUBEADM_INIT: KUBEADM_FILES.init,
          KUBEADM_JOIN: KUBEADM_FILES.join,
          KUBEADM_DISCOVERY: KUBEADM_FILES.discoveryKubeconfig,
          KUBEADM_LOG,
          RUN_DIR,
          JOIN_WAIT_ROUNDS: String(JOIN_WAIT_ROUNDS),
          ...controlPlaneConstants({ etcdOnMaster: replica.etcdMember }, apiserverEtcdEndpointsFor(plan, replica.name)),
          ...hostSetupConstants(plan.spec.kubernetesVersion),
          ...containerRuntimeConstants(),
        }
      : {}),
  };

  const packages = [...BASE_PACKAGES, ...(master ? MASTER_OS_PACKAGES : [])];
  const kubeadm = master ? renderKubeadmConfig(plan, replica.name, input.endpointAddress) : undefined;

  // Each section is a shell file (filled) ending in a newline; a blank line between sections.
  const sections: string[] = [
    filledShellFile("render/boot-program.sh", {
      ROLE: replica.role,
      REPLICA: replica.name,
      CLUSTER: plan.clusterName,
      CLOUD: cloud,
      CONSTANTS: `${shellConstants(constants)}\n`,
    }),
    writeFileFunction(),
    osPackageFunctions(),
    `${parts.cloudApiFunctions}\n`,
    `${parts.peerDiscoveryFunctions}\n`,
    `${parts.secretFetchFunctions}\n`,
    keyMaterialFunctions(),
    releaseFetchFunction(),
    filledShellFile("render/replica-env.sh", { REPLICA_ENV: PATHS.replicaEnv, REPLICA_ENV_WORD: shellQuote(PATHS.replicaEnv) }),
  ];
  if (replica.etcdMember) {
    sections.push(dataDiskFunctions(), etcdInstallFunctions(), bootstrapDecisionFunctions(), etcdSection(input.etcd!));
  }
  if (master) {
    sections.push(
      kubernetesHostFunctions(),
      containerRuntimeFunctions(),
      controlPlaneFunctions({ etcdOnMaster: replica.etcdMember }),
      kubeadmFilesSection(kubeadm!),
    );
  }
  sections.push(mainSection(packages, parts.cliInstallStep, master, replica.etcdMember));
  const program = sections.join("\n");
  return opts.compact === false ? program : compactShell(program);
}

/** etcd-member-steps.sh: `write_etcd_files` and `run_etcd_member` around this member's parts. */
function etcdSection(etcd: EtcdBootParts): string {
  // Scripts among the files (the membership script) travel compacted, like the program.
  const writes = etcd.files
    .map((f) => writeFileCommand(f.path, f.content.startsWith("#!") ? compactShell(f.content) : f.content, f.mode))
    .join("\n");
  return filledShellFile("render/etcd-member-steps.sh", {
    WRITE_FILES: `${indent(writes || ":")}\n`,
    RUN: `${indent(etcd.run.trimEnd(), 4)}\n`,
  });
}

/** kubeadm-files.sh: `write_kubeadm_config`. */
function kubeadmFilesSection(docs: { init: string; join: string }): string {
  return filledShellFile("render/kubeadm-files.sh", {
    WRITE_INIT: `${indent(writeFileCommand(KUBEADM_FILES.init, docs.init, 0o644))}\n`,
    WRITE_JOIN: `${indent(writeFileCommand(KUBEADM_FILES.join, docs.join, 0o644))}\n`,
  });
}

/** boot-main.sh: `main`, running the steps this replica takes, in order. */
function mainSection(packages: string[], cli: string | undefined, master: boolean, etcdMember: boolean): string {
  const steps = [
    `install_os_packages ${packages.join(" ")}`,
    ...(cli ? [cli] : []),
    ...(master ? ["install_kubernetes_packages", "install_container_runtime", "configure_container_runtime"] : []),
    "write_replica_env",
    ...(etcdMember ? ["install_etcd_binaries", "mount_etcd_disk"] : []),
    "write_key_material",
    ...(master ? ["write_kubeadm_config"] : []),
    ...(etcdMember ? ["find_etcd_peers", "note_etcd_founding", "write_etcd_files", "run_etcd_member"] : []),
    ...(master ? ["control_plane_node"] : []),
  ];
  return filledShellFile("render/boot-main.sh", { STEPS: steps.map((s) => `  ${s}\n`).join("") });
}

/**
 * Indents every line except those inside here-documents, whose content must
 * stay byte-exact (and whose closing delimiter must start the line).
 */
function indent(text: string, by = 2): string {
  const pad = " ".repeat(by);
  const out: string[] = [];
  let delimiter: string | undefined;
  for (const line of text.split("\n")) {
    if (delimiter !== undefined) {
      out.push(line);
      if (line.replace(/^\t+/, "") === delimiter) delimiter = undefined;
      continue;
    }
    out.push(line.length > 0 ? `${pad}${line}` : line);
    const m = /<<-?\s*['"]?([A-Za-z0-9_]+)['"]?/.exec(line);
    if (m) delimiter = m[1];
  }
  return out.join("\n");
}

function findReplica(plan: ControlPlanePlan, name: string): ReplicaPlan {
  const r = [...plan.masters, ...plan.etcdNodes].find((x) => x.name === name);
  if (!r) throw new Error(`no replica named ${name} in the plan`);
  return r;
}
