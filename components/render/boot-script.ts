import type { ControlPlanePlan, ReplicaPlan } from "../plan/types";
import { ETCD_INSTALL_FUNCTIONS, RELEASE_FETCH_FUNCTION, etcdReleaseConstants } from "./binary-releases";
import { BOOTSTRAP_DECISION_FUNCTIONS, FOUNDER_MARKER, SETTLE_SECONDS } from "./bootstrap-decision";
import type { BootParts } from "./boot-parts";
import { renderBootInstaller, renderBootUnit } from "./boot-unit";
import { containerRuntimeConstants, containerRuntimeFunctions } from "./container-runtime";
import { controlPlaneConstants, controlPlaneFunctions } from "./control-plane-steps";
import { DATA_DISK_FUNCTIONS } from "./data-disk";
import {
  BASE_PACKAGES,
  KUBERNETES_HOST_FUNCTIONS,
  MASTER_OS_PACKAGES,
  OS_PACKAGE_FUNCTIONS,
  hostSetupConstants,
} from "./host-setup";
import { KEY_MATERIAL_FUNCTIONS } from "./key-material";
import { apiserverEtcdEndpointsFor } from "./etcd-config";
import { KUBEADM_FILES, renderKubeadmConfig } from "./kubeadm-config";
import { PATHS } from "./paths";
import { etcdRole, keyMaterialSecretId } from "./replica-identity";
import { compactShell } from "./shell-compact";
import { WRITE_FILE_FUNCTION, shellConstants, shellQuote, writeFileCommand } from "./shell";

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
  return renderBootInstaller(
    [
      `# kube-ha boot script: ${what}.`,
      `# Installs ${PATHS.bootProgram} and kube-ha-boot.service, which runs it and retries until it succeeds.`,
      "# It holds no secret: key material comes from the cloud's secret store at boot.",
    ].join("\n"),
    renderBootProgram(input),
    renderBootUnit(`kube-ha boot of ${what}`),
  );
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

  const sections: string[] = [
    `#!/bin/bash
# kube-ha boot program: ${replica.role} ${replica.name} of cluster ${plan.clusterName} (${cloud}).
# Rendered by kube-ha from the plan; run by kube-ha-boot.service, idempotent.
# It holds no secret: key material comes from the cloud's secret store at boot.
set -euo pipefail
umask 022
export DEBIAN_FRONTEND=noninteractive`,
    shellConstants(constants),
    `log() { printf '[kube-ha] %s\\n' "$*" >&2; }`,
    WRITE_FILE_FUNCTION,
    OS_PACKAGE_FUNCTIONS,
    parts.cloudApiFunctions,
    parts.peerDiscoveryFunctions,
    parts.secretFetchFunctions,
    KEY_MATERIAL_FUNCTIONS,
    RELEASE_FETCH_FUNCTION,
    replicaEnvSection(),
  ];
  if (replica.etcdMember) {
    sections.push(DATA_DISK_FUNCTIONS, ETCD_INSTALL_FUNCTIONS, BOOTSTRAP_DECISION_FUNCTIONS, etcdSection(input.etcd!));
  }
  if (master) {
    sections.push(
      KUBERNETES_HOST_FUNCTIONS,
      containerRuntimeFunctions(),
      controlPlaneFunctions({ etcdOnMaster: replica.etcdMember }),
      kubeadmFilesSection(kubeadm!),
    );
  }
  sections.push(mainSection(packages, parts.cliInstallStep, master, replica.etcdMember));
  const program = `${sections.join("\n\n")}\n`;
  return opts.compact === false ? program : compactShell(program);
}

/** Variables written to PATHS.replicaEnv for kube-ha's other scripts on this machine. */
export const REPLICA_ENV_VARIABLES = [
  "KUBE_HA_CLOUD",
  "KUBE_HA_REGION",
  "KUBE_HA_CLUSTER",
  "KUBE_HA_REPLICA",
  "KUBE_HA_ROLE",
  "KUBE_HA_ZONE",
  "KUBE_HA_ADDRESS",
  "ETCD_ROLE",
] as const;

function replicaEnvSection(): string {
  return `# write_replica_env: ${PATHS.replicaEnv}, sourced by kube-ha's scripts on this machine.
write_replica_env() {
  {
${REPLICA_ENV_VARIABLES.map((v) => `    printf '%s=%q\\n' ${v} "$${v}"`).join("\n")}
  } | write_file ${shellQuote(PATHS.replicaEnv)} 0644
}`;
}

function etcdSection(etcd: EtcdBootParts): string {
  // Scripts among the files (the membership script) travel compacted, like the program.
  const writes = etcd.files
    .map((f) => writeFileCommand(f.path, f.content.startsWith("#!") ? compactShell(f.content) : f.content, f.mode))
    .join("\n");
  return `# write_etcd_files: this member's etcd configuration (components/render/etcd-boot.ts).
write_etcd_files() {
${indent(writes || ":")}
}

# run_etcd_member: starts, bootstraps or joins this member (components/render/etcd-boot.ts).
run_etcd_member() {
  (
${indent(etcd.run.trimEnd(), 4)}
  )
}`;
}

function kubeadmFilesSection(docs: { init: string; join: string }): string {
  return `# write_kubeadm_config: kubeadm.k8s.io/v1beta4 documents for init and join (no token, no key).
write_kubeadm_config() {
${indent(writeFileCommand(KUBEADM_FILES.init, docs.init, 0o644))}
${indent(writeFileCommand(KUBEADM_FILES.join, docs.join, 0o644))}
}`;
}

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
  return `main() {
  log "boot of $KUBE_HA_REPLICA ($KUBE_HA_ROLE, cluster $KUBE_HA_CLUSTER)"
${steps.map((s) => `  ${s}`).join("\n")}
  log "boot of $KUBE_HA_REPLICA done"
}

main "$@"`;
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
