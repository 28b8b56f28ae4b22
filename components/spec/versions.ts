/**
 * The Kubernetes versions kube-ha renders configuration for, and the pinned
 * package versions the masters install for them.
 *
 * The floor is 1.32: kubeadm's v1beta4 config and GA etcd learner support.
 * The ceiling is the newest minor whose kubeadm config kube-ha has been
 * checked against; raising it is a deliberate change with its own tests.
 */
export const MIN_KUBERNETES_MINOR = 32;
export const MAX_KUBERNETES_MINOR = 35;
export const DEFAULT_KUBERNETES_VERSION = "1.35.0";

/**
 * etcd release the masters run (downloaded with a pinned SHA-256 by the boot script).
 * kubeadm's ExternalEtcdVersion preflight refuses an external etcd older than its
 * MinExternalEtcdVersion: "3.5.24-0" on release-1.32 (kubernetes #135019), 1.33 (#135018),
 * 1.34 (#134861) and 1.35 (the lowest entry of SupportedEtcdVersion, 3.5.24-0, see #135271).
 * A 3.5 release at or above 3.5.24 satisfies every supported minor.
 */
export const ETCD_VERSION = "3.5.25";
/** containerd release line the masters install from the OS archive. */
export const CONTAINERD_PACKAGE = "containerd";

export interface KubernetesVersion {
  major: 1;
  minor: number;
  patch: number;
  text: string;
}

export function parseKubernetesVersion(text: string): KubernetesVersion | undefined {
  const m = /^v?1\.(\d+)\.(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  return { major: 1, minor: Number(m[1]), patch: Number(m[2]), text: `1.${Number(m[1])}.${Number(m[2])}` };
}

export function isSupportedMinor(minor: number): boolean {
  return minor >= MIN_KUBERNETES_MINOR && minor <= MAX_KUBERNETES_MINOR;
}

/** The pkgs.k8s.io repository path and the exact Debian package version pinned for a release. */
export function kubernetesPackages(version: KubernetesVersion): { repo: string; packageVersion: string } {
  return {
    repo: `https://pkgs.k8s.io/core:/stable:/v1.${version.minor}/deb/`,
    packageVersion: `${version.text}-1.1`,
  };
}
