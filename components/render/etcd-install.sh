# install_etcd_binaries: etcd and etcdctl at ETCD_VERSION for this machine's architecture,
# checked against the pinned SHA-256 of that architecture's tarball (fetch_release).
install_etcd_binaries() {
  local scratch
  if [ -x "$ETCD_BINARY" ] && [ -x "$ETCDCTL_BINARY" ] &&
    "$ETCD_BINARY" --version 2>/dev/null | grep -qx "etcd Version: $ETCD_VERSION"; then
    return 0
  fi
  scratch=$(mktemp -d)
  if ! fetch_release "$ETCD_RELEASE_URL" "$ETCD_SHA256_AMD64" "$ETCD_SHA256_ARM64" "$scratch/etcd.tar.gz"; then
    rm -rf "$scratch"
    return 1
  fi
  tar -xzf "$scratch/etcd.tar.gz" -C "$scratch" --strip-components=1
  install -m 0755 "$scratch/etcd" "$ETCD_BINARY"
  install -m 0755 "$scratch/etcdctl" "$ETCDCTL_BINARY"
  rm -rf "$scratch"
}
