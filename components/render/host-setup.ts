import { kubernetesPackages, type KubernetesVersion } from "../spec/versions";
import { CONTAINERD_PACKAGE } from "../spec/versions";

/**
 * Bash that prepares a master's host, idempotently: pinned packages
 * (containerd from the OS archive; kubeadm, kubelet and kubectl from
 * pkgs.k8s.io at exactly the plan's version, held), the kernel settings a
 * kubelet needs, and containerd with the systemd cgroup driver.
 */
export function hostSetupConstants(version: KubernetesVersion): Record<string, string> {
  const pkgs = kubernetesPackages(version);
  return { K8S_APT_REPO: pkgs.repo, K8S_PACKAGE_VERSION: pkgs.packageVersion };
}

/** Packages every replica installs (masters add containerd and the Kubernetes packages). */
export const BASE_PACKAGES = ["ca-certificates", "curl", "jq", "gpg"];
export const MASTER_OS_PACKAGES = [CONTAINERD_PACKAGE, "iptables", "conntrack", "ebtables", "socat"];

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

/** What only masters run: the Kubernetes packages and the container runtime. */
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
}

# configure_container_runtime: kernel modules, sysctls, no swap, containerd with systemd cgroups.
configure_container_runtime() {
  printf '%s\n' overlay br_netfilter >/etc/modules-load.d/kube-ha.conf
  modprobe overlay
  modprobe br_netfilter
  printf '%s\n' 'net.ipv4.ip_forward = 1' 'net.bridge.bridge-nf-call-iptables = 1' 'net.bridge.bridge-nf-call-ip6tables = 1' \
    >/etc/sysctl.d/90-kube-ha.conf
  sysctl --system >/dev/null
  swapoff -a
  if ! grep -q 'SystemdCgroup = true' /etc/containerd/config.toml 2>/dev/null; then
    install -d -m 0755 /etc/containerd
    containerd config default | sed 's/SystemdCgroup = false/SystemdCgroup = true/' >/etc/containerd/config.toml
    systemctl restart containerd
  fi
  systemctl enable --now containerd
}`;
