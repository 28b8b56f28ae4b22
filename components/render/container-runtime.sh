# install_container_runtime: runc and containerd at their pinned releases, each download checked
# against its pinned SHA-256 before it is unpacked or installed (fetch_release). What already
# reports its pinned version is left alone (nothing is downloaded on reboot).
RUNTIME_CHANGED=false
install_container_runtime() {
  local scratch version
  scratch=$(mktemp -d)
  version=$(@@RUNC@@ --version 2>/dev/null) || true
  if [ "${version%%$'\n'*}" != "runc version $RUNC_VERSION" ]; then
    fetch_release "$RUNC_RELEASE_URL" "$RUNC_SHA256_AMD64" "$RUNC_SHA256_ARM64" "$scratch/runc" || { rm -rf "$scratch"; return 1; }
    install -D -m 0755 "$scratch/runc" @@RUNC@@
    RUNTIME_CHANGED=true
  fi
  version=$(@@BIN_DIR@@/containerd --version 2>/dev/null) || true
  if [[ "$version" != "containerd "*" v$CONTAINERD_VERSION "* ]]; then
    fetch_release "$CONTAINERD_RELEASE_URL" "$CONTAINERD_SHA256_AMD64" "$CONTAINERD_SHA256_ARM64" "$scratch/containerd.tar.gz" || { rm -rf "$scratch"; return 1; }
    tar -xzf "$scratch/containerd.tar.gz" -C "$scratch"
    install -m 0755 "$scratch"/bin/* @@BIN_DIR@@
    RUNTIME_CHANGED=true
  fi
  rm -rf "$scratch"
}

# configure_container_runtime: kernel modules, sysctls, no swap; containerd's unit and config,
# (re)started only when a binary, the unit or the config changed; enabled.
configure_container_runtime() {
  local before
  printf '%s\n' overlay br_netfilter >/etc/modules-load.d/kube-ha.conf
  modprobe overlay
  modprobe br_netfilter
  printf '%s\n' 'net.ipv4.ip_forward = 1' 'net.bridge.bridge-nf-call-iptables = 1' 'net.bridge.bridge-nf-call-ip6tables = 1' \
    >/etc/sysctl.d/90-kube-ha.conf
  sysctl --system >/dev/null
  swapoff -a
  before=$(cat @@UNIT@@ @@CONFIG@@ 2>/dev/null | sha256sum) || true
@@WRITE_UNIT@@
@@WRITE_CONFIG@@
  if [ "$RUNTIME_CHANGED" = true ] || [ "$before" != "$(cat @@UNIT@@ @@CONFIG@@ | sha256sum)" ]; then
    systemctl daemon-reload
    systemctl enable @@UNIT_NAME@@
    systemctl restart @@UNIT_NAME@@
  fi
  systemctl enable --now @@UNIT_NAME@@
}
