# apiserver_ready ADDRESS: true when the apiserver on ADDRESS:6443 answers /readyz.
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

# detour_on TARGET: while kubeadm runs, connections to the endpoint's addresses on 6443 go to
# TARGET:6443 with this replica's own address as source (see components/render/control-plane-steps.ts).
detour_on() {
  local address
  iptables -t nat -N KUBE-HA-DETOUR 2>/dev/null || true
  iptables -t nat -N KUBE-HA-DETOUR-SNAT 2>/dev/null || true
  detour_off
  iptables -t nat -C OUTPUT -j KUBE-HA-DETOUR 2>/dev/null || iptables -t nat -A OUTPUT -j KUBE-HA-DETOUR
  iptables -t nat -C POSTROUTING -j KUBE-HA-DETOUR-SNAT 2>/dev/null || iptables -t nat -A POSTROUTING -j KUBE-HA-DETOUR-SNAT
  while read -r address; do
    [ -n "$address" ] || continue
    iptables -t nat -A KUBE-HA-DETOUR -p tcp -d "$address" --dport 6443 -j DNAT --to-destination "$1:6443"
  done < <(getent ahostsv4 "$API_ENDPOINT_HOST" | awk '{ print $1 }' | sort -u)
  iptables -t nat -A KUBE-HA-DETOUR-SNAT -p tcp -d "$1" --dport 6443 -m conntrack --ctstate DNAT \
    -j SNAT --to-source "$KUBE_HA_ADDRESS"
}

detour_off() {
  iptables -t nat -F KUBE-HA-DETOUR 2>/dev/null || true
  iptables -t nat -F KUBE-HA-DETOUR-SNAT 2>/dev/null || true
}

# kubeconfig_server FILE ADDRESS: FILE's cluster is reached at https://ADDRESS:6443.
kubeconfig_server() {
  local cluster
  cluster=$(kubectl --kubeconfig "$1" config view -o jsonpath='{.clusters[0].name}')
  kubectl --kubeconfig "$1" config set-cluster "$cluster" --server "https://$2:6443" >/dev/null
}

# cleanup_join_credentials: removes the join-time kubeconfigs (and the detour).
cleanup_join_credentials() {
  rm -f "$RUN_DIR/joiner.conf" "$KUBEADM_DISCOVERY"
  detour_off
}

# clean_partial_attempt: undoes what a failed kubeadm init/join left (static pods, kubeconfigs,
# kubelet config), so the next attempt starts clean. Not 'kubeadm reset': it deletes
# /etc/kubernetes/pki and, on older releases, the contents of /var/lib/etcd — our etcd disk.
# The etcd member and its data are never touched here.
clean_partial_attempt() {
  local f leftovers=false
  for f in /etc/kubernetes/manifests/*.yaml /etc/kubernetes/*.conf /var/lib/kubelet/config.yaml; do
    [ ! -e "$f" ] || leftovers=true
  done
  [ "$leftovers" = true ] || return 0
  log "cleaning up an earlier kubeadm attempt"
  systemctl stop kubelet || true
  crictl --runtime-endpoint "$CRI_SOCKET" rmp --all --force >/dev/null 2>&1 || true
  rm -f /etc/kubernetes/manifests/*.yaml /etc/kubernetes/*.conf /var/lib/kubelet/config.yaml \
    /var/lib/kubelet/kubeadm-flags.env /var/lib/kubelet/instance-config.yaml
  rm -rf /var/lib/kubelet/pki
  PARTIAL_ATTEMPT=true
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

# kubeadm_join PEER: joins as a control-plane node through the ready apiserver at PEER.
kubeadm_join() {
  local peer=$1 token
  log "joining the control plane through $peer: kubeadm join (output in $KUBEADM_LOG)"
  trap cleanup_join_credentials EXIT
  (umask 077 && kubeadm kubeconfig user --config "$KUBEADM_INIT" --client-name "kube-ha:join:$KUBE_HA_REPLICA" \
    --org kubeadm:cluster-admins --validity-period 1h >"$RUN_DIR/joiner.conf")
  kubeconfig_server "$RUN_DIR/joiner.conf" "$peer"
  if [ "$PARTIAL_ATTEMPT" = true ]; then
    kubectl --kubeconfig "$RUN_DIR/joiner.conf" delete node "$KUBE_HA_REPLICA" --ignore-not-found >/dev/null
  fi
  token=$(kubeadm token create --kubeconfig "$RUN_DIR/joiner.conf" --ttl 1h \
    --description "kube-ha control-plane join of $KUBE_HA_REPLICA")
  (umask 077 && kubeadm kubeconfig user --config "$KUBEADM_INIT" --client-name "kube-ha:bootstrap:$KUBE_HA_REPLICA" \
    --token "$token" >"$KUBEADM_DISCOVERY")
  kubeconfig_server "$KUBEADM_DISCOVERY" "$peer"
  detour_on "$peer"
  if ! kubeadm join --config "$KUBEADM_JOIN" >>"$KUBEADM_LOG" 2>&1; then
    log "kubeadm join failed: see $KUBEADM_LOG"
    return 1
  fi
  kubeadm token delete --kubeconfig "$RUN_DIR/joiner.conf" "${token%%.*}" >/dev/null 2>&1 || true
  cleanup_join_credentials
  trap - EXIT
}

# kubelet_uses_local_apiserver: the kubelet of a master talks to its own apiserver, never the LB.
kubelet_uses_local_apiserver() {
  local conf=/etc/kubernetes/kubelet.conf
  [ -f "$conf" ] || return 0
  [ "$(kubectl --kubeconfig "$conf" config view -o jsonpath='{.clusters[0].cluster.server}')" != "https://$KUBE_HA_ADDRESS:6443" ] || return 0
  kubeconfig_server "$conf" "$KUBE_HA_ADDRESS"
  systemctl restart kubelet
  log "kubelet now talks to the local apiserver"
}
