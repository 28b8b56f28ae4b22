import type { BootData } from "../platforms/platform";
import { PLATFORMS } from "../platforms";
import type { ControlPlanePlan, ReplicaPlan } from "../plan/types";
import { renderBootProgram } from "../render/boot-script";
import { renderEtcdBootParts } from "../render/etcd-boot";
import { KUBEADM_FILES, renderKubeadmConfig } from "../render/kubeadm-config";
import { PKI_FILES } from "../plan/pki-files";
import { PATHS } from "../render/paths";
import { keyMaterialSecretId } from "../render/replica-identity";

/**
 * Everything that would run on one replica, as files a person can read:
 * the boot script the cloud hands the machine, the boot program it installs
 * (uncompacted, with its comments: the machine gets a compacted copy), the etcd member's files and
 * start step, the kubeadm configuration, and the key-material layout (as
 * placeholders: keys live in the cloud's secret store, never in these files).
 * Pure: `render` writes what this returns.
 */

export interface ReplicaFile {
  /** Path relative to the output directory; machine files keep their absolute path under `rootfs/`. */
  path: string;
  content: string;
  mode: number;
  /** One line for the index (README.txt). */
  what: string;
}

export interface ReplicaFilesInput {
  plan: ControlPlanePlan;
  replicaName: string;
  /** The LB address the kubeadm configuration names (the preview's placeholder offline). */
  endpointAddress: string;
  /** The boot data exactly as the component hands it to the cloud (startup-script or user-data). */
  boot?: BootData;
}

/** The readable boot program's file name. */
export const READABLE_BOOT_PROGRAM = "boot-program.sh";

export function findReplica(plan: ControlPlanePlan, name: string): ReplicaPlan | undefined {
  return [...plan.masters, ...plan.etcdNodes].find((r) => r.name === name);
}

const rootfs = (machinePath: string) => `rootfs${machinePath}`;

/** The files under PATHS.pkiDir this replica receives from the secret store (kubeadm's names; ClusterPki's replicaFiles keys). */
export function pkiFileNames(replica: ReplicaPlan): string[] {
  const files: string[] = [PKI_FILES.etcdCa.cert];
  if (replica.role === "master") {
    files.push(
      PKI_FILES.ca.cert, PKI_FILES.ca.key,
      PKI_FILES.frontProxyCa.cert, PKI_FILES.frontProxyCa.key,
      PKI_FILES.serviceAccount.pub, PKI_FILES.serviceAccount.key,
      PKI_FILES.apiserver.cert, PKI_FILES.apiserver.key,
      PKI_FILES.apiserverEtcdClient.cert, PKI_FILES.apiserverEtcdClient.key,
      PKI_FILES.apiserverKubeletClient.cert, PKI_FILES.apiserverKubeletClient.key,
    );
  }
  if (replica.etcdMember) {
    files.push(PKI_FILES.etcdPeerCa.cert, PKI_FILES.etcdServer.cert, PKI_FILES.etcdServer.key, PKI_FILES.etcdPeer.cert, PKI_FILES.etcdPeer.key);
  }
  return files.sort();
}

export function placeholderFor(plan: ControlPlanePlan, replica: ReplicaPlan, file: string): string {
  const store = PLATFORMS[plan.spec.cloud].secretStoreName;
  return [
    `# PLACEHOLDER for ${PATHS.pkiDir}/${file} (not key material).`,
    `# On ${replica.name} this file is written at boot from ${store},`,
    `# secret "${keyMaterialSecretId(plan.clusterName, replica.name)}", readable only by the masters' identity.`,
    "",
  ].join("\n");
}

export function replicaFiles(input: ReplicaFilesInput): ReplicaFile[] {
  const { plan } = input;
  const replica = findReplica(plan, input.replicaName);
  if (!replica) throw new Error(`no replica named ${input.replicaName}`);
  const files: ReplicaFile[] = [];
  if (input.boot) {
    files.push({ path: input.boot.fileName, content: input.boot.content, mode: 0o755, what: input.boot.what });
    const readable = readableBootProgram(input, replica);
    if (readable !== undefined) {
      files.push({
        path: READABLE_BOOT_PROGRAM,
        content: readable,
        mode: 0o755,
        what: `${PATHS.bootProgram} before compaction: the same program with its comments and indentation (read this one)`,
      });
    }
  }
  if (replica.etcdMember) {
    const etcd = renderEtcdBootParts(plan, replica.name);
    for (const f of etcd.files) {
      files.push({ path: rootfs(f.path), content: f.content, mode: f.mode, what: `etcd member file ${f.path}` });
    }
    files.push({
      path: "etcd-start.sh",
      content: `#!/bin/bash\n# The boot script's etcd step for ${replica.name} (reads ETCD_ENDPOINTS, KUBE_HA_MAY_BOOTSTRAP).\nset -euo pipefail\n${etcd.run}`,
      mode: 0o755,
      what: "how the boot script starts, founds or joins this etcd member",
    });
  }
  if (replica.role === "master") {
    const kubeadm = renderKubeadmConfig(plan, replica.name, input.endpointAddress);
    files.push({ path: rootfs(KUBEADM_FILES.init), content: kubeadm.init, mode: 0o600, what: "kubeadm InitConfiguration + ClusterConfiguration" });
    files.push({ path: rootfs(KUBEADM_FILES.join), content: kubeadm.join, mode: 0o600, what: "kubeadm JoinConfiguration (control plane)" });
  }
  for (const f of pkiFileNames(replica)) {
    files.push({
      path: rootfs(`${PATHS.pkiDir}/${f}`),
      content: placeholderFor(plan, replica, f),
      mode: f.endsWith(".key") ? 0o600 : 0o644,
      what: `placeholder for ${f} (fetched from the secret store at boot)`,
    });
  }
  files.push({ path: "README.txt", content: readme(plan, replica, input, files), mode: 0o644, what: "this index" });
  return files;
}

/**
 * The boot program the boot data installs, rendered again from the same
 * inputs without compaction (renderBootProgram(…, { compact: false })).
 * Undefined when an etcd member's data disk was not recorded (its device
 * path is part of the program).
 */
function readableBootProgram(input: ReplicaFilesInput, replica: ReplicaPlan): string | undefined {
  const { plan } = input;
  const device = input.boot?.etcdDevice;
  if (replica.etcdMember && !device) return undefined;
  return renderBootProgram(
    {
      parts: PLATFORMS[plan.spec.cloud].bootParts,
      plan,
      replicaName: replica.name,
      endpointAddress: input.endpointAddress,
      ...(replica.etcdMember && device ? { etcdDevice: device, etcd: renderEtcdBootParts(plan, replica.name) } : {}),
    },
    { compact: false },
  );
}

function readme(plan: ControlPlanePlan, replica: ReplicaPlan, input: ReplicaFilesInput, files: ReplicaFile[]): string {
  const boot = input.boot;
  const readable = files.some((f) => f.path === READABLE_BOOT_PROGRAM);
  const bootNote = !boot
    ? []
    : [
        "Boot:",
        `  ${boot.fileName} is what the instance receives, byte for byte. It installs ${PATHS.bootProgram} (compacted:`,
        "  comments, blank lines and indentation stripped, to fit EC2's 16 KiB user-data) and the unit that runs it.",
        readable
          ? `  ${READABLE_BOOT_PROGRAM} is that same program before compaction: read and debug this one.`
          : `  (no ${READABLE_BOOT_PROGRAM}: the etcd data disk of ${replica.name} was not recorded, and the program names it)`,
        "",
      ];
  return [
    `kube-ha render: ${replica.role} ${replica.name} of cluster ${plan.clusterName} (${plan.spec.cloud}, zone ${replica.zone}, ${replica.address})`,
    "",
    `Load-balancer address used: ${plan.loadBalancer.dnsName ?? input.endpointAddress}` +
      (plan.loadBalancer.dnsName ? " (apiServerDnsName)" : " (offline placeholder: the real one is known after pulumi up)"),
    "",
    ...bootNote,
    "Files (paths under rootfs/ are where they live on the machine):",
    ...files.map((f) => `  ${f.path}  ${f.what}`),
    "  README.txt  this index",
    "",
  ].join("\n");
}
