delete_node() {
  local attempt
  if [ "${KUBE_HA_KEEP_NODES:-false}" = true ]; then
    log "KUBE_HA_KEEP_NODES=true: keeping Node @@NODE@@"
    return 0
  fi
  if [ -z "$kubeconfig" ]; then
    log "no admin kubeconfig in KUBE_HA_ADMIN_KUBECONFIG: cannot delete Node @@NODE@@; set KUBE_HA_KEEP_NODES=true to keep it"
    return 1
  fi
  log "deleting Node @@NODE@@ through the apiserver"
  for attempt in $(seq 1 12); do
    if kubectl --kubeconfig "$kubeconfig" delete node @@NODE@@ --ignore-not-found --wait=false; then return 0; fi
    if [ "$attempt" -lt 12 ]; then
      log "could not delete Node @@NODE@@ (attempt $attempt of 12): retrying in 5 s"
      sleep 5
    fi
  done
  log "could not delete Node @@NODE@@: the etcd member is gone already; fix apiserver access and run pulumi up again, or set KUBE_HA_KEEP_NODES=true"
  return 1
}
