import { filledShellFile } from "../shell/shell-file";
import { ETCD_UNIT_NAME } from "./etcd-unit";
import { CRI_SOCKET } from "./kubeadm-config";

/**
 * Bash that writes this replica's key material — the JSON map fetched by
 * `fetch_key_material` (path under PKI_DIR → PEM) — into PKI_DIR: private
 * keys (`*.key`) with mode 0600, certificates and public keys 0644. The
 * JSON is held in a shell variable and fed to jq through a builtin, so no
 * key appears on a command line, in a log or in a file outside PKI_DIR.
 * Paths are checked: relative, no `..`.
 *
 * The renewal story: ClusterPki (the secret store) is the source of truth
 * for every file — CAs, the service-account pair and leaf certificates
 * alike. `pulumi up` re-issues a leaf 30 days before it expires; every file
 * whose content differs from the store's is rewritten. The boot program runs
 * on every boot, so a renewal reaches a master at its next boot: rolling
 * reboots (or replace-replica) apply renewals. (A leaf renewed on the
 * machine with `kubeadm certs renew` is put back to the store's copy.)
 *
 * A component already running with old files is restarted after they are
 * written (apply_new_keys): etcd through its systemd unit (`try-restart`:
 * only if it runs), the apiserver and controller-manager by stopping their
 * static-pod containers with crictl — the kubelet starts them again at once
 * and they read the new files. Simpler and sturdier than moving manifests:
 * kubelet restarts a static pod only when its manifest content changes.
 *
 * The bash is key-material.sh; the etcd unit and the CRI socket fill it.
 */
export function keyMaterialFunctions(): string {
  return filledShellFile("render/key-material.sh", { ETCD_UNIT: ETCD_UNIT_NAME, CRI_SOCKET });
}
