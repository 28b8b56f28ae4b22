import { filledShellFile } from "../shell/shell-file";
import { kubernetesPackages, type KubernetesVersion } from "../spec/versions";

/**
 * Bash that prepares a master's host, idempotently: OS packages, and
 * kubeadm, kubelet and kubectl from pkgs.k8s.io at exactly the plan's
 * version, held. The container runtime (containerd and runc from their
 * pinned releases, with the systemd cgroup driver) is container-runtime.ts.
 */
export function hostSetupConstants(version: KubernetesVersion): Record<string, string> {
  const pkgs = kubernetesPackages(version);
  return { K8S_APT_REPO: pkgs.repo, K8S_PACKAGE_VERSION: pkgs.packageVersion };
}

/** Packages every replica installs (masters add the Kubernetes packages and the container runtime). */
export const BASE_PACKAGES = ["ca-certificates", "curl", "jq", "gpg"];
export const MASTER_OS_PACKAGES = ["iptables", "conntrack", "ebtables", "socat"];

/** apt helpers every replica uses (os-packages.sh). */
export function osPackageFunctions(): string {
  return filledShellFile("render/os-packages.sh");
}

/** What only masters run: the Kubernetes packages (kubernetes-packages.sh). */
export function kubernetesHostFunctions(): string {
  return filledShellFile("render/kubernetes-packages.sh");
}
