import { filledShellFile } from "../shell/shell-file";
import { CONTAINERD_VERSION, RUNC_VERSION } from "../spec/defaults";
import {
  CONTAINERD_RELEASE_SHA256,
  RELEASE_ARCHES,
  RUNC_RELEASE_SHA256,
  containerdReleaseUrl,
  pinnedSha256,
  runcReleaseUrl,
} from "./binary-releases";
import { writeFileCommand } from "./shell";

/**
 * The masters' container runtime: containerd and runc at the pinned releases
 * (components/spec/defaults.ts), installed from their upstream release files
 * the way etcd is — each download checked against its pinned SHA-256 for the
 * machine's architecture before it is unpacked or installed — with kube-ha's
 * own systemd unit and a config that selects the systemd cgroup driver
 * (kubeadm configures the kubelet with `cgroupDriver: systemd`; both must
 * agree). No CNI plugins: the control plane runs in host-network static pods,
 * and the cluster's CNI installs its own.
 *
 * Idempotent across reboots: a binary already at its pinned version is not
 * downloaded again, and containerd restarts only when a binary, its unit or
 * its config changed.
 */

export const CONTAINERD_UNIT_NAME = "containerd.service";
export const CONTAINERD_FILES = {
  /** Directory the tarball's bin/ (containerd, containerd-shim-runc-v2, ctr, …) is installed into. */
  binDir: "/usr/local/bin",
  runc: "/usr/local/sbin/runc",
  config: "/etc/containerd/config.toml",
  unit: `/etc/systemd/system/${CONTAINERD_UNIT_NAME}`,
} as const;

/** The boot program's constants for installing the runtime. */
export function containerRuntimeConstants(
  versions: { containerd: string; runc: string } = { containerd: CONTAINERD_VERSION, runc: RUNC_VERSION },
): Record<string, string> {
  const containerd = pinnedSha256("containerd", CONTAINERD_RELEASE_SHA256, versions.containerd);
  const runc = pinnedSha256("runc", RUNC_RELEASE_SHA256, versions.runc);
  return {
    CONTAINERD_VERSION: versions.containerd,
    CONTAINERD_RELEASE_URL: containerdReleaseUrl(versions.containerd),
    ...Object.fromEntries(RELEASE_ARCHES.map((arch) => [`CONTAINERD_SHA256_${arch.toUpperCase()}`, containerd[arch]])),
    RUNC_VERSION: versions.runc,
    RUNC_RELEASE_URL: runcReleaseUrl(versions.runc),
    ...Object.fromEntries(RELEASE_ARCHES.map((arch) => [`RUNC_SHA256_${arch.toUpperCase()}`, runc[arch]])),
  };
}

/**
 * containerd's config (format version 3, containerd 2.x): only what differs
 * from containerd's defaults — runc through the v2 shim with systemd cgroups
 * (the kubelet's cgroup driver, kubeadm's default). No comments: it travels
 * in the boot script, and AWS user-data is limited to 16 KiB.
 */
export function renderContainerdConfig(): string {
  return [
    "version = 3",
    "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]",
    "runtime_type = 'io.containerd.runc.v2'",
    "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]",
    "SystemdCgroup = true",
    "",
  ].join("\n");
}

/**
 * containerd's systemd unit (the release tarball ships none). Type=notify:
 * started means serving, so kubeadm runs only after that. Delegate=yes lets
 * containerd manage the containers' cgroups under it; KillMode=process keeps
 * running containers (their shims) alive when containerd restarts.
 */
export function renderContainerdUnit(version: string = CONTAINERD_VERSION): string {
  return [
    "[Unit]",
    `Description=containerd ${version} (kube-ha)`,
    "After=network.target local-fs.target",
    "[Service]",
    "ExecStartPre=-/sbin/modprobe overlay",
    `ExecStart=${CONTAINERD_FILES.binDir}/containerd`,
    "Type=notify",
    "Delegate=yes",
    "KillMode=process",
    "Restart=always",
    "RestartSec=5",
    "LimitNPROC=infinity",
    "TasksMax=infinity",
    "OOMScoreAdjust=-999",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/**
 * Bash that installs and configures the runtime (container-runtime.sh; needs
 * log, write_file, fetch_release and containerRuntimeConstants).
 */
export function containerRuntimeFunctions(): string {
  const f = CONTAINERD_FILES;
  return filledShellFile("render/container-runtime.sh", {
    RUNC: f.runc,
    BIN_DIR: f.binDir,
    UNIT: f.unit,
    CONFIG: f.config,
    UNIT_NAME: CONTAINERD_UNIT_NAME,
    WRITE_UNIT: `${writeFileCommand(f.unit, renderContainerdUnit(), 0o644)}\n`,
    WRITE_CONFIG: `${writeFileCommand(f.config, renderContainerdConfig(), 0o644)}\n`,
  });
}
