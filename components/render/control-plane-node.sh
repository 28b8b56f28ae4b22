# control_plane_node: join, init or wait (see components/render/control-plane-steps.ts).
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
}
