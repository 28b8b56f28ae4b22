/**
 * Bash that writes this replica's key material — the JSON map fetched by
 * `fetch_key_material` (path under PKI_DIR → PEM) — into PKI_DIR: private
 * keys (`*.key`) with mode 0600, certificates and public keys 0644. The
 * JSON is held in a shell variable and fed to jq through a builtin, so no
 * key appears on a command line, in a log or in a file outside PKI_DIR.
 * Paths are checked: relative, no `..`.
 *
 * What is written on a later boot (the renewal story):
 * - the shared CAs (`ca.*`, `front-proxy-ca.*`, `etcd/ca.*`) and the
 *   service-account key pair (`sa.*`) follow the secret store: rewritten
 *   whenever they differ, so a CA rotated by ClusterPki reaches every master;
 * - leaf certificates and keys are written only when missing. Once the node
 *   has joined, kubeadm owns its leaf certificates (`kubeadm certs renew`,
 *   and `kubeadm upgrade` renews them) and a boot must not put an older copy
 *   back. To roll a leaf from the secret store (e.g. the etcd member's
 *   server/peer pair, which kubeadm does not manage for external etcd),
 *   delete the file and restart kube-ha-boot.service, or replace the replica.
 */
export const KEY_MATERIAL_FUNCTIONS = String.raw`# write_key_material: fetch_key_material → files under PKI_DIR (CAs and sa.* kept in sync, leaves written once).
write_key_material() {
  local json path dest mode tmp count=0 kept=0
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
    if [ -e "$dest" ]; then
      case "$path" in
        ca.* | */ca.* | front-proxy-ca.* | sa.*) cmp -s "$tmp" "$dest" && { rm -f "$tmp"; kept=$((kept + 1)); continue; } ;;
        *) rm -f "$tmp"; kept=$((kept + 1)); continue ;;
      esac
    fi
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$dest"
    count=$((count + 1))
  done < <(printf '%s' "$json" | jq -r 'keys[]')
  [ $((count + kept)) -gt 0 ] || { log "key material $KUBE_HA_SECRET_ID is empty"; return 1; }
  log "key material under $PKI_DIR: $count written, $kept kept"
}`;
