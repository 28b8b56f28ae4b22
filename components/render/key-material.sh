# write_key_material: fetch_key_material → files under PKI_DIR, every file kept equal to the store's.
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
  if [ "$1" = true ] && systemctl is-active --quiet @@ETCD_UNIT@@; then
    log "new etcd key material: restarting @@ETCD_UNIT@@"
    systemctl try-restart @@ETCD_UNIT@@
  fi
  if [ "$2" != true ] || ! command -v crictl >/dev/null; then return 0; fi
  local id
  for id in $(crictl --runtime-endpoint @@CRI_SOCKET@@ ps -q --name '^kube-(apiserver|controller-manager)$' 2>/dev/null || true); do
    log "new key material: restarting container $id"
    crictl --runtime-endpoint @@CRI_SOCKET@@ stop "$id" >/dev/null || true
  done
}
