import { ETCD_VERSION } from "../spec/versions";
import { ETCD_BINARY, ETCDCTL_BINARY } from "./etcd-unit";

/**
 * Release binaries the boot script downloads, each pinned by version and
 * SHA-256 (a download that does not match is refused). etcd comes from its
 * upstream release, not the OS archive, so every member runs exactly
 * ETCD_VERSION whatever the image.
 */
export const ETCD_RELEASE_SHA256: Readonly<Record<string, string>> = {
  // etcd-v3.5.21-linux-amd64.tar.gz
  "3.5.21": "adddda4b06718e68671ffabff2f8cee48488ba61ad82900e639d108f2148501c",
};

export function etcdReleaseConstants(version: string = ETCD_VERSION): Record<string, string> {
  const sha256 = ETCD_RELEASE_SHA256[version];
  if (!sha256) throw new Error(`no pinned SHA-256 for etcd ${version}: add it to ETCD_RELEASE_SHA256`);
  return {
    ETCD_VERSION: version,
    ETCD_RELEASE_URL: `https://github.com/etcd-io/etcd/releases/download/v${version}/etcd-v${version}-linux-amd64.tar.gz`,
    ETCD_RELEASE_SHA256: sha256,
    ETCD_BINARY,
    ETCDCTL_BINARY,
  };
}

export const ETCD_INSTALL_FUNCTIONS = String.raw`# install_etcd_binaries: etcd and etcdctl at ETCD_VERSION, checked against ETCD_RELEASE_SHA256.
install_etcd_binaries() {
  local scratch
  if [ -x "$ETCD_BINARY" ] && [ -x "$ETCDCTL_BINARY" ] &&
    "$ETCD_BINARY" --version 2>/dev/null | grep -qx "etcd Version: $ETCD_VERSION"; then
    return 0
  fi
  scratch=$(mktemp -d)
  curl -fsSL --retry 5 -o "$scratch/etcd.tar.gz" "$ETCD_RELEASE_URL"
  if ! printf '%s  %s\n' "$ETCD_RELEASE_SHA256" "$scratch/etcd.tar.gz" | sha256sum -c --quiet -; then
    rm -rf "$scratch"
    log "etcd $ETCD_VERSION download does not match its pinned SHA-256: refusing it"
    return 1
  fi
  tar -xzf "$scratch/etcd.tar.gz" -C "$scratch" --strip-components=1
  install -m 0755 "$scratch/etcd" "$ETCD_BINARY"
  install -m 0755 "$scratch/etcdctl" "$ETCDCTL_BINARY"
  rm -rf "$scratch"
}`;
