# first_master_by_name: true when this replica sorts first among the masters discovery lists.
first_master_by_name() {
  local first
  first=$(discover_replicas master | head -n 1 | cut -d ' ' -f 1 || true)
  [ "$first" = "$KUBE_HA_REPLICA" ]
}

# etcd_is_blank: true when an external etcd member answers and holds no key under /registry/.
etcd_is_blank() {
  local urls url count
  IFS=, read -r -a urls <<<"$ETCD_CLIENT_URLS"
  for url in "${urls[@]}"; do
    count=$(curl -fsS --max-time 10 --cacert "$PKI_DIR/etcd/ca.crt" --cert "$PKI_DIR/apiserver-etcd-client.crt" \
      --key "$PKI_DIR/apiserver-etcd-client.key" -X POST -d "$ETCD_REGISTRY_RANGE" "$url/v3/kv/range" |
      jq -r '.count // "0"') || continue
    [ "$count" = 0 ]
    return
  done
  return 1
}

# may_init: true when this replica may run kubeadm init: it began founding earlier (FOUNDER_MARKER),
# or it is the first master by name and etcd holds no cluster — checked twice, SETTLE_SECONDS apart.
may_init() {
  [ ! -f "$FOUNDER_MARKER" ] || return 0
  if ! first_master_by_name || ! etcd_is_blank; then return 1; fi
  log "no peer apiserver is ready and $KUBE_HA_REPLICA is first by name: checking again in $SETTLE_SECONDS s"
  sleep "$SETTLE_SECONDS"
  if ready_peer_apiserver >/dev/null || ! first_master_by_name || ! etcd_is_blank; then return 1; fi
  install -d -m 0700 "$(dirname "$FOUNDER_MARKER")"
  : >"$FOUNDER_MARKER"
}
