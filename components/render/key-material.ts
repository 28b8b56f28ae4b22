/**
 * Bash that writes this replica's key material — the JSON map fetched by
 * `fetch_key_material` (path under PKI_DIR → PEM) — into PKI_DIR: private
 * keys (`*.key`) with mode 0600, certificates and public keys 0644. The
 * JSON is held in a shell variable and fed to jq through a builtin, so no
 * key appears on a command line, in a log or in a file outside PKI_DIR.
 * Paths are checked: relative, no `..`.
 */
export const KEY_MATERIAL_FUNCTIONS = String.raw`# write_key_material: fetch_key_material → files under PKI_DIR.
write_key_material() {
  local json path dest mode tmp count=0
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
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$dest"
    count=$((count + 1))
  done < <(printf '%s' "$json" | jq -r 'keys[]')
  [ "$count" -gt 0 ] || { log "key material $KUBE_HA_SECRET_ID is empty"; return 1; }
  log "wrote $count key material files under $PKI_DIR"
}`;
