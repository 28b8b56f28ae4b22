import { ETCD_VERSION } from "../spec/versions";
import { ETCD_BINARY, ETCDCTL_BINARY } from "./etcd-unit";

/**
 * Release binaries the boot script downloads, each pinned by version and
 * SHA-256 per architecture (a download that does not match is refused).
 * etcd comes from its upstream release, not the OS archive, so every member
 * runs exactly ETCD_VERSION whatever the image. The architecture is chosen
 * on the machine (`dpkg --print-architecture`), so a Graviton (arm64) image
 * gets the arm64 tarball from the same script.
 */

/** Debian architecture names the boot script can install etcd for. */
export type ReleaseArch = "amd64" | "arm64";
export const RELEASE_ARCHES: readonly ReleaseArch[] = ["amd64", "arm64"];

/**
 * SHA-256 of etcd-v<version>-linux-<arch>.tar.gz, as published in the etcd
 * release's SHA256SUMS. Source: kubernetes-sigs/kubespray
 * roles/kubespray_defaults/vars/main/checksums.yml (etcd_binary_checksums),
 * which pins the same upstream tarballs (its 3.5.21 amd64 entry matches the
 * value this project pinned before).
 */
export const ETCD_RELEASE_SHA256: Readonly<Record<string, Readonly<Record<ReleaseArch, string>>>> = {
  "3.5.25": {
    amd64: "168af82b59772e1811a9af7b358d42f5c6df44e0d9767afb006ecf12c4bbd607",
    arm64: "419dce0b679df31cc45201ef2449b7a6a48e9d241af01741957c9ac86a35badc",
  },
};

export function etcdReleaseConstants(version: string = ETCD_VERSION): Record<string, string> {
  const sums = ETCD_RELEASE_SHA256[version];
  if (!sums) throw new Error(`no pinned SHA-256 for etcd ${version}: add it to ETCD_RELEASE_SHA256`);
  return {
    ETCD_VERSION: version,
    // ARCH is filled in on the machine: etcd-v<version>-linux-<arch>.tar.gz.
    ETCD_RELEASE_URL: `https://github.com/etcd-io/etcd/releases/download/v${version}/etcd-v${version}-linux-ARCH.tar.gz`,
    ...Object.fromEntries(RELEASE_ARCHES.map((arch) => [`ETCD_SHA256_${arch.toUpperCase()}`, sums[arch]])),
    ETCD_BINARY,
    ETCDCTL_BINARY,
  };
}

export const ETCD_INSTALL_FUNCTIONS = String.raw`# install_etcd_binaries: etcd and etcdctl at ETCD_VERSION for this machine's architecture,
# checked against the pinned SHA-256 of that architecture's tarball.
install_etcd_binaries() {
  local scratch arch sha
  if [ -x "$ETCD_BINARY" ] && [ -x "$ETCDCTL_BINARY" ] &&
    "$ETCD_BINARY" --version 2>/dev/null | grep -qx "etcd Version: $ETCD_VERSION"; then
    return 0
  fi
  arch=$(dpkg --print-architecture)
  case "$arch" in
    amd64) sha=$ETCD_SHA256_AMD64 ;;
    arm64) sha=$ETCD_SHA256_ARM64 ;;
    *) log "no pinned etcd $ETCD_VERSION release for architecture $arch"; return 1 ;;
  esac
  scratch=$(mktemp -d)
  curl -fsSL --retry 5 -o "$scratch/etcd.tar.gz" "${"$"}{ETCD_RELEASE_URL/ARCH/$arch}"
  if ! printf '%s  %s\n' "$sha" "$scratch/etcd.tar.gz" | sha256sum -c --quiet -; then
    rm -rf "$scratch"
    log "etcd $ETCD_VERSION ($arch) download does not match its pinned SHA-256: refusing it"
    return 1
  fi
  tar -xzf "$scratch/etcd.tar.gz" -C "$scratch" --strip-components=1
  install -m 0755 "$scratch/etcd" "$ETCD_BINARY"
  install -m 0755 "$scratch/etcdctl" "$ETCDCTL_BINARY"
  rm -rf "$scratch"
}`;
