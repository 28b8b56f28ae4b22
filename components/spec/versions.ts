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
// The default release and the pinned etcd release live with every other default.
export { DEFAULT_KUBERNETES_VERSION, ETCD_VERSION } from "./defaults";

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
