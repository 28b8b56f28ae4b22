# note_etcd_founding: with no member data yet, FOUNDER_MARKER records whether this member founds the cluster.
note_etcd_founding() {
  [ ! -d "$ETCD_DATA_DIR/member" ] || return 0
  install -d -m 0700 "$(dirname "$FOUNDER_MARKER")"
  if [ "$KUBE_HA_MAY_BOOTSTRAP" = true ]; then : >"$FOUNDER_MARKER"; else rm -f "$FOUNDER_MARKER"; fi
}

# etcd_member_answers ADDRESS: true when an etcd member answers TLS on ADDRESS:2379.
etcd_member_answers() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
    --cacert "$PKI_DIR/etcd/ca.crt" --cert "$PKI_DIR/etcd/server.crt" --key "$PKI_DIR/etcd/server.key" \
    "https://$1:2379/health" || true)
  [ -n "$code" ] && [ "$code" != "000" ]
}

# find_etcd_peers: exports ETCD_ENDPOINTS and KUBE_HA_MAY_BOOTSTRAP (see above).
find_etcd_peers() {
  local round attempt name address first endpoints answered listed
  KUBE_HA_MAY_BOOTSTRAP=false
  for round in 1 2; do
    for attempt in $(seq 1 30); do
      listed=$(discover_replicas "$ETCD_ROLE" || true)
      grep -q "^$KUBE_HA_REPLICA " <<<"$listed" && break
      [ "$attempt" -lt 30 ] || { log "cloud discovery never listed $KUBE_HA_REPLICA as $ETCD_ROLE"; return 1; }
      sleep 10
    done
    endpoints=""
    answered=false
    first=""
    while read -r name address; do
      [ -n "$name" ] || continue
      [ -n "$first" ] || first=$name
      [ "$name" != "$KUBE_HA_REPLICA" ] || continue
      endpoints="$endpoints${endpoints:+,}https://$address:2379"
      if etcd_member_answers "$address"; then answered=true; fi
    done <<<"$listed"
    ETCD_ENDPOINTS=$endpoints
    if [ "$answered" = true ] || [ "$first" != "$KUBE_HA_REPLICA" ]; then
      KUBE_HA_MAY_BOOTSTRAP=false
      break
    fi
    KUBE_HA_MAY_BOOTSTRAP=true
    if [ "$round" = 1 ]; then
      log "no etcd member answers and $KUBE_HA_REPLICA is first by name: checking again in $SETTLE_SECONDS s"
      sleep "$SETTLE_SECONDS"
    fi
  done
  export ETCD_ENDPOINTS KUBE_HA_MAY_BOOTSTRAP
  log "etcd peers: ${ETCD_ENDPOINTS:-none}; may bootstrap: $KUBE_HA_MAY_BOOTSTRAP"
}
