main() {
  log "boot of $KUBE_HA_REPLICA ($KUBE_HA_ROLE, cluster $KUBE_HA_CLUSTER)"
@@STEPS@@
  log "boot of $KUBE_HA_REPLICA done"
}

main "$@"
