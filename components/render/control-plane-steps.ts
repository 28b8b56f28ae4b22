/**
 * Bash that makes this master a Kubernetes control-plane node with kubeadm,
 * once (a node with /etc/kubernetes/admin.conf or kubelet.conf is left as it is):
 *
 * - a peer master's apiserver answers /readyz → `kubeadm join --control-plane`
 *   with credentials minted here from the shared CA: a one-hour
 *   cluster-admin client kubeconfig (`kubeadm kubeconfig user`, group
 *   kubeadm:cluster-admins) creates a one-hour bootstrap token, which goes
 *   into the file-discovery kubeconfig on tmpfs; both are deleted after the
 *   join, and the token too. Nothing expires in between, so an add-replica
 *   weeks after the cluster was made joins like the first replicas did.
 * - none answers and this is the first master by name (checked twice,
 *   SETTLE_SECONDS apart) → `kubeadm init`;
 * - otherwise wait (bounded) for a peer.
 *
 * Peers are reached directly, never through the load balancer: a cloud LB
 * hands a backend's own connections to the LB address back to that backend
 * (GCP installs the forwarded address locally; AWS NLB drops hairpins). While
 * kubeadm runs, connections to the endpoint's addresses are DNAT-ed to the
 * ready peer (join) or to this master (init) — the "endpoint detour" — and
 * the detour is removed afterwards. kubeadm's output, which can hold a
 * token, goes to a root-only log file, not to the console.
 *
 * After kubeadm, the kubelet is pointed at the local apiserver (lesson of
 * kubeadm #2271; ControlPlaneKubeletLocalMode does this on join).
 */
export const CONTROL_PLANE_FUNCTIONS = String.raw`# apiserver_ready ADDRESS: true when the apiserver on ADDRESS:6443 answers /readyz.
apiserver_ready() {
  curl -fsS -o /dev/null --max-time 5 --cacert "$PKI_DIR/ca.crt" "https://$1:6443/readyz" 2>/dev/null
}

# ready_peer_apiserver: prints the address of another master whose apiserver is ready.
ready_peer_apiserver() {
  local name address
  while read -r name address; do
    if [ -z "$name" ] || [ "$name" = "$KUBE_HA_REPLICA" ]; then continue; fi
    if apiserver_ready "$address"; then
      printf '%s\n' "$address"
      return 0
    fi
  done < <(discover_replicas master || true)
  return 1
}

# first_master_by_name: true when this replica sorts first among the masters discovery lists.
first_master_by_name() {
  local first
  first=$(discover_replicas master | head -n 1 | cut -d ' ' -f 1 || true)
  [ "$first" = "$KUBE_HA_REPLICA" ]
}

# detour_on TARGET: connections to the endpoint's addresses on 6443 go to TARGET:6443 instead.
detour_on() {
  local address
  iptables -t nat -N KUBE-HA-DETOUR 2>/dev/null || true
  iptables -t nat -F KUBE-HA-DETOUR
  iptables -t nat -C OUTPUT -j KUBE-HA-DETOUR 2>/dev/null || iptables -t nat -A OUTPUT -j KUBE-HA-DETOUR
  while read -r address; do
    [ -n "$address" ] || continue
    iptables -t nat -A KUBE-HA-DETOUR -p tcp -d "$address" --dport 6443 -j DNAT --to-destination "$1:6443"
  done < <(getent ahostsv4 "$API_ENDPOINT_HOST" | awk '{ print $1 }' | sort -u)
}

detour_off() {
  iptables -t nat -F KUBE-HA-DETOUR 2>/dev/null || true
}

# cleanup_join_credentials: removes the join-time kubeconfigs (and the detour).
cleanup_join_credentials() {
  rm -f "$RUN_DIR/joiner.conf" "$KUBEADM_DISCOVERY"
  detour_off
}

kubeadm_init() {
  log "founding the control plane: kubeadm init (output in $KUBEADM_LOG)"
  detour_on "$KUBE_HA_ADDRESS"
  if ! kubeadm init --config "$KUBEADM_INIT" >>"$KUBEADM_LOG" 2>&1; then
    detour_off
    log "kubeadm init failed: see $KUBEADM_LOG"
    return 1
  fi
  detour_off
}

# kubeadm_join PEER: joins as a control-plane node, through the ready apiserver at PEER.
kubeadm_join() {
  local peer=$1 token
  log "joining the control plane through $peer: kubeadm join (output in $KUBEADM_LOG)"
  install -d -m 0700 "$RUN_DIR"
  trap cleanup_join_credentials EXIT
  detour_on "$peer"
  kubeadm kubeconfig user --config "$KUBEADM_INIT" --client-name "kube-ha:join:$KUBE_HA_REPLICA" \
    --org kubeadm:cluster-admins --validity-period 1h >"$RUN_DIR/joiner.conf"
  chmod 0600 "$RUN_DIR/joiner.conf"
  token=$(kubeadm token create --kubeconfig "$RUN_DIR/joiner.conf" --ttl 1h \
    --description "kube-ha control-plane join of $KUBE_HA_REPLICA")
  (umask 077 && kubeadm kubeconfig user --config "$KUBEADM_INIT" --client-name "kube-ha:bootstrap:$KUBE_HA_REPLICA" \
    --token "$token" >"$KUBEADM_DISCOVERY")
  if ! kubeadm join --config "$KUBEADM_JOIN" >>"$KUBEADM_LOG" 2>&1; then
    log "kubeadm join failed: see $KUBEADM_LOG"
    return 1
  fi
  kubeadm token delete --kubeconfig "$RUN_DIR/joiner.conf" "${"$"}{token%%.*}" >/dev/null 2>&1 || true
  cleanup_join_credentials
  trap - EXIT
}

# kubelet_uses_local_apiserver: the kubelet of a master talks to its own apiserver, never the LB.
kubelet_uses_local_apiserver() {
  local conf=/etc/kubernetes/kubelet.conf cluster server
  [ -f "$conf" ] || return 0
  server="https://$KUBE_HA_ADDRESS:6443"
  [ "$(kubectl --kubeconfig "$conf" config view -o jsonpath='{.clusters[0].cluster.server}')" != "$server" ] || return 0
  cluster=$(kubectl --kubeconfig "$conf" config view -o jsonpath='{.clusters[0].name}')
  kubectl --kubeconfig "$conf" config set-cluster "$cluster" --server "$server" >/dev/null
  systemctl restart kubelet
  log "kubelet now talks to the local apiserver $server"
}

# control_plane_node: init, join or nothing (see the header of this section).
control_plane_node() {
  local peer="" attempt
  install -d -m 0700 "$(dirname "$KUBEADM_LOG")"
  if [ -f /etc/kubernetes/admin.conf ] || [ -f /etc/kubernetes/kubelet.conf ]; then
    log "already a control-plane node"
    systemctl enable --now kubelet
    kubelet_uses_local_apiserver
    return 0
  fi
  for attempt in $(seq 1 "$JOIN_WAIT_ROUNDS"); do
    if peer=$(ready_peer_apiserver); then break; fi
    peer=""
    if first_master_by_name; then
      if [ "$attempt" -gt 1 ]; then break; fi
      log "no peer apiserver is ready and $KUBE_HA_REPLICA is first by name: checking again in $SETTLE_SECONDS s"
      sleep "$SETTLE_SECONDS"
      continue
    fi
    log "waiting for a peer apiserver to be ready (attempt $attempt/$JOIN_WAIT_ROUNDS)"
    sleep 20
  done
  if [ -n "$peer" ]; then
    kubeadm_join "$peer"
  elif first_master_by_name; then
    kubeadm_init
  else
    log "no peer apiserver became ready: giving up (the next boot tries again)"
    return 1
  fi
  kubelet_uses_local_apiserver
}`;
