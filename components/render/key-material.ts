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
 */
export const KEY_MATERIAL_FUNCTIONS = String.raw`# write_key_material: fetch_key_material → files under PKI_DIR, every file kept equal to the store's.
write_key_material() {
  local json path dest mode tmp count=0 kept=0 etcd=false api=false
  json=$(fetch_key_material)
  install -d -m 0755 "$PKI_DIR" "$PKI_DIR/etcd"
  while IFS= read -r path; do
    case "$path" in
      '' | /* | *..* | *[!A-Za-z0-9._/-]*)
        log "refusing key material path '$path'"
        return 1
        ;;
    esac
    dest="$PKI_DIR/$path"
    mode=0644
    case "$path" in *.key) mode=0600 ;; esac
    install -d -m 0755 "$(dirname "$dest")"
    tmp=$(mktemp "$dest.XXXXXX")
    printf '%s' "$json" | jq -j --arg p "$path" '.[$p]' >"$tmp"
    if [ -e "$dest" ] && cmp -s "$tmp" "$dest"; then
      rm -f "$tmp"
      kept=$((kept + 1))
      continue
    fi
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$dest"
    count=$((count + 1))
    case "$path" in etcd/*) etcd=true ;; esac
    case "$path" in etcd/server.* | etcd/peer.*) ;; *) api=true ;; esac
  done < <(printf '%s' "$json" | jq -r 'keys[]')
  [ $((count + kept)) -gt 0 ] || { log "key material $KUBE_HA_SECRET_ID is empty"; return 1; }
  log "key material under $PKI_DIR: $count written, $kept kept"
  apply_new_keys "$etcd" "$api"
}

# apply_new_keys ETCD API: restarts what already runs with replaced files (etcd; apiserver, controller-manager).
apply_new_keys() {
  if [ "$1" = true ] && systemctl is-active --quiet ${ETCD_UNIT_NAME}; then
    log "new etcd key material: restarting ${ETCD_UNIT_NAME}"
    systemctl try-restart ${ETCD_UNIT_NAME}
  fi
  if [ "$2" != true ] || ! command -v crictl >/dev/null; then return 0; fi
  local id
  for id in $(crictl --runtime-endpoint ${CRI_SOCKET} ps -q --name '^kube-(apiserver|controller-manager)$' 2>/dev/null || true); do
    log "new key material: restarting container $id"
    crictl --runtime-endpoint ${CRI_SOCKET} stop "$id" >/dev/null || true
  done
}`;
