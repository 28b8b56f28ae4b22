import { filledShellFile } from "../shell/shell-file";
import { CONTAINERD_VERSION, RUNC_VERSION } from "../spec/defaults";
import { ETCD_VERSION } from "../spec/versions";
import { ETCD_BINARY, ETCDCTL_BINARY } from "./etcd-unit";

/**
 * Release binaries the boot script downloads, each pinned by version and
 * SHA-256 per architecture (a download that does not match is refused).
 * etcd, containerd and runc come from their upstream releases, not the OS
 * archive, so every machine runs exactly the pinned versions (components/spec/defaults.ts)
 * whatever the image. The architecture is chosen
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

/**
 * SHA-256 of containerd-<version>-linux-<arch>.tar.gz (the glibc build, not
 * containerd-static), as published in the release's .sha256sum files.
 * Source: kubernetes-sigs/kubespray roles/kubespray_defaults/vars/main/checksums.yml
 * (containerd_archive_checksums, which its download role checks against that
 * tarball); the same two values are pinned, for the same URLs, by
 * buildbuddy-io/buildbuddy deps/deps.bzl.
 */
export const CONTAINERD_RELEASE_SHA256: Readonly<Record<string, Readonly<Record<ReleaseArch, string>>>> = {
  "2.2.0": {
    amd64: "b9626a94ab93b00bcbcbf13d98deef972c6fb064690e57940632df54ad39ee71",
    arm64: "8805c2123d3b7c7ee2030e9f8fc07a1167d8a3f871d6a7d7ec5d1deb0b51a4a7",
  },
};

/**
 * SHA-256 of runc.<arch> (runc's releases are single static binaries).
 * Source: kubernetes-sigs/kubespray roles/kubespray_defaults/vars/main/checksums.yml
 * (runc_checksums, checked against runc.<arch>); the same two values are
 * pinned, for the same URLs, by buildbuddy-io/buildbuddy deps/deps.bzl.
 */
export const RUNC_RELEASE_SHA256: Readonly<Record<string, Readonly<Record<ReleaseArch, string>>>> = {
  "1.3.3": {
    amd64: "8781ab9f71c12f314d21c8e85f13ca1a82d90cf475aa5131a7b543fcc5487543",
    arm64: "3c9a8e9e6dafd00db61f4611692447ebab4a56388bae4f82192aed67b66df712",
  },
};

/** The pinned SHA-256 per architecture of one release, or a clear error when the version has none. */
export function pinnedSha256(
  what: string,
  table: Readonly<Record<string, Readonly<Record<ReleaseArch, string>>>>,
  version: string,
): Record<ReleaseArch, string> {
  const sums = table[version];
  if (!sums) throw new Error(`no pinned SHA-256 for ${what} ${version}: add both architectures' values to its table in components/render/binary-releases.ts`);
  return { ...sums };
}

/** Where containerd's and runc's releases are fetched from (ARCH is filled in on the machine). */
export function containerdReleaseUrl(version: string = CONTAINERD_VERSION): string {
  return `https://github.com/containerd/containerd/releases/download/v${version}/containerd-${version}-linux-ARCH.tar.gz`;
}
export function runcReleaseUrl(version: string = RUNC_VERSION): string {
  return `https://github.com/opencontainers/runc/releases/download/v${version}/runc.ARCH`;
}

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

/**
 * fetch_release URL SHA256_AMD64 SHA256_ARM64 DEST: a pinned release (ARCH
 * in URL becomes this machine's architecture) → DEST, kept only when its
 * SHA-256 is that architecture's pinned one: nothing is unpacked or
 * installed from a download that does not match (release-fetch.sh).
 */
export function releaseFetchFunction(): string {
  return filledShellFile("render/release-fetch.sh");
}

/** `install_etcd_binaries`: etcd and etcdctl through fetch_release (etcd-install.sh). */
export function etcdInstallFunctions(): string {
  return filledShellFile("render/etcd-install.sh");
}
