import { CRI_SOCKET } from "./kubeadm-config";
import { PATHS } from "./paths";

/**
 * Bash that makes this master a Kubernetes control-plane node with kubeadm,
 * once (CONTROL_PLANE_DONE marks a finished init or join):
 *
 * - a peer master's apiserver answers /readyz → `kubeadm join --control-plane`
 *   with credentials minted here from the shared CA: a one-hour
 *   cluster-admin client kubeconfig (`kubeadm kubeconfig user`, group
 *   kubeadm:cluster-admins) creates a one-hour bootstrap token, which goes
 *   into the file-discovery kubeconfig on tmpfs; both are deleted after the
 *   join, and the token too. Nothing expires in between, so an add-replica
 *   weeks after the cluster was made joins like the first replicas did.
 * - this replica may found the control plane (`may_init`, below) →
 *   `kubeadm init`;
 * - otherwise wait (bounded), then fail: kube-ha-boot.service runs the boot
 *   again (Restart=on-failure), so a slow founder is simply waited for.
 *
 * A failed attempt is cleaned up before the next one (`clean_partial_attempt`).
 *
 * Reaching the cluster from a master. Cloud LBs hand a backend's own
 * connection to the LB address back to that backend, or drop it: on GCP the
 * guest agent installs every forwarded-rule IP as a local route on each
 * backend (GoogleCloudPlatform/guest-agent#555), so a packet to the LB
 * address gets the LB address as its *source*; on AWS an NLB drops hairpins.
 * So:
 * - what the joiner runs itself (token creation with its minted kubeconfig,
 *   file discovery) talks to the ready peer directly, https://PEER:6443 —
 *   the peer's serving certificate names its own address
 *   (components/plan/cert-specs.ts);
 * - what kubeadm and the kubelet take from the cluster (cluster-info's
 *   controlPlaneEndpoint, the LB) is detoured while kubeadm runs: connections
 *   to the endpoint's addresses on 6443 are DNAT-ed to the ready peer (join)
 *   or to this master (init), and SNAT-ed to this replica's own address, so
 *   the peer's reply comes back here instead of to its own copy of the LB
 *   address. The detour is removed afterwards.
 * kubeadm's output, which can hold a token, goes to a root-only log file.
 *
 * After kubeadm, the kubelet is pointed at the local apiserver (lesson of
 * kubeadm #2271; ControlPlaneKubeletLocalMode does this on join).
 */

export interface ControlPlaneStepsOptions {
  /** Whether this master runs an etcd member (stacked topology). */
  etcdOnMaster: boolean;
}

/** Written once this master finished `kubeadm init` or `kubeadm join`. */
export const CONTROL_PLANE_DONE = `${PATHS.stateDir}/control-plane-done`;

/**
 * The etcd range request (gRPC gateway JSON: base64 keys) counting the keys
 * under /registry/, where the apiserver keeps every object.
 */
export const ETCD_REGISTRY_RANGE = JSON.stringify({
  key: Buffer.from("/registry/").toString("base64"),
  range_end: Buffer.from("/registry0").toString("base64"),
  count_only: true,
});

export function controlPlaneConstants(opts: ControlPlaneStepsOptions, externalEtcdUrls: string[]): Record<string, string> {
  return {
    CONTROL_PLANE_DONE,
    CRI_SOCKET,
    ...(opts.etcdOnMaster ? {} : { ETCD_CLIENT_URLS: externalEtcdUrls.join(","), ETCD_REGISTRY_RANGE }),
  };
}

export function controlPlaneFunctions(opts: ControlPlaneStepsOptions): string {
  return [COMMON, opts.etcdOnMaster ? MAY_INIT_STACKED : MAY_INIT_EXTERNAL, CONTROL_PLANE_NODE].join("\n\n");
}

const COMMON = String.raw`# apiserver_ready ADDRESS: true when the apiserver on ADDRESS:6443 answers /readyz.
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
  kubeadm token delete --kubeconfig "$RUN_DIR/joiner.conf" "${"$"}{token%%.*}" >/dev/null 2>&1 || true
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
}`;

const MAY_INIT_STACKED = String.raw`# may_init: true when this replica may run kubeadm init: its etcd member founded the cluster
# and init has not finished yet (FOUNDER_MARKER, see note_etcd_founding).
may_init() {
  [ -f "$FOUNDER_MARKER" ]
}`;

const MAY_INIT_EXTERNAL = String.raw`# first_master_by_name: true when this replica sorts first among the masters discovery lists.
first_master_by_name() {
  local first
  first=$(discover_replicas master | head -n 1 | cut -d ' ' -f 1 || true)
  [ "$first" = "$KUBE_HA_REPLICA" ]
}

# etcd_is_blank: true when an external etcd member answers and holds no key under /registry/.
etcd_is_blank() {
  local urls url count
  IFS=, read -r -a urls <<<"$ETCD_CLIENT_URLS"
  for url in "${"$"}{urls[@]}"; do
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
}`;

const CONTROL_PLANE_NODE = String.raw`# control_plane_node: join, init or wait (see components/render/control-plane-steps.ts).
control_plane_node() {
  local peer="" attempt
  install -d -m 0700 "$(dirname "$KUBEADM_LOG")" "$RUN_DIR" "$(dirname "$CONTROL_PLANE_DONE")"
  if [ -f "$CONTROL_PLANE_DONE" ]; then
    log "already a control-plane node"
    systemctl enable --now kubelet
    kubelet_uses_local_apiserver
    return 0
  fi
  PARTIAL_ATTEMPT=false
  clean_partial_attempt
  for attempt in $(seq 1 "$JOIN_WAIT_ROUNDS"); do
    if peer=$(ready_peer_apiserver); then break; fi
    peer=""
    if may_init; then break; fi
    log "waiting for a peer apiserver to be ready (attempt $attempt/$JOIN_WAIT_ROUNDS)"
    sleep 20
  done
  if [ -n "$peer" ]; then
    kubeadm_join "$peer"
  elif may_init; then
    kubeadm_init
  else
    log "no peer apiserver became ready: this attempt gives up, kube-ha-boot.service retries"
    return 1
  fi
  : >"$CONTROL_PLANE_DONE"
  rm -f "$FOUNDER_MARKER"
  kubelet_uses_local_apiserver
}`;
