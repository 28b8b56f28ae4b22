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

/** apt helpers every replica uses. */
export const OS_PACKAGE_FUNCTIONS = String.raw`# apt_get ARGS: apt-get with retries (mirrors can be briefly unreachable at boot).
apt_get() {
  local attempt
  for attempt in 1 2 3 4 5; do
    if apt-get -q -o DPkg::Lock::Timeout=120 "$@"; then return 0; fi
    log "apt-get $1 failed (attempt $attempt/5), retrying in 15 s"
    sleep 15
  done
  return 1
}

# install_os_packages PKG...: installs what is missing from the OS archive.
install_os_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f="\${Status}" "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${"$"}{#missing[@]}" -eq 0 ] && return 0
  apt_get update
  apt_get install -y --no-install-recommends "${"$"}{missing[@]}"
}`;

/** What only masters run: the Kubernetes packages. */
export const KUBERNETES_HOST_FUNCTIONS = String.raw`# install_kubernetes_packages: kubeadm, kubelet, kubectl at exactly K8S_PACKAGE_VERSION, held.
install_kubernetes_packages() {
  local pkg installed=true
  for pkg in kubeadm kubelet kubectl; do
    [ "$(dpkg-query -W -f="\${Version}" "$pkg" 2>/dev/null || true)" = "$K8S_PACKAGE_VERSION" ] || installed=false
  done
  if [ "$installed" = true ]; then
    apt-mark hold kubeadm kubelet kubectl >/dev/null
    return 0
  fi
  install -d -m 0755 /etc/apt/keyrings
  curl -fsSL --retry 5 "${"$"}{K8S_APT_REPO}Release.key" | gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
  printf 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] %s /\n' "$K8S_APT_REPO" >/etc/apt/sources.list.d/kubernetes.list
  apt_get update
  apt_get install -y --no-install-recommends --allow-change-held-packages \
    "kubeadm=$K8S_PACKAGE_VERSION" "kubelet=$K8S_PACKAGE_VERSION" "kubectl=$K8S_PACKAGE_VERSION"
  apt-mark hold kubeadm kubelet kubectl >/dev/null
}`;
