# install_kubernetes_packages: kubeadm, kubelet, kubectl at exactly K8S_PACKAGE_VERSION, held.
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
  curl -fsSL --retry 5 "${K8S_APT_REPO}Release.key" | gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
  printf 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] %s /\n' "$K8S_APT_REPO" >/etc/apt/sources.list.d/kubernetes.list
  apt_get update
  apt_get install -y --no-install-recommends --allow-change-held-packages \
    "kubeadm=$K8S_PACKAGE_VERSION" "kubelet=$K8S_PACKAGE_VERSION" "kubectl=$K8S_PACKAGE_VERSION"
  apt-mark hold kubeadm kubelet kubectl >/dev/null
}
