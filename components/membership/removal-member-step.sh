no_members=false
rc=0
remove_member || rc=$?
if [ "$rc" -eq 0 ] && [ "$no_members" = true ]; then
  log "nothing left to remove $replica from, and no apiserver to delete its Node with: done"
  exit 0
fi
if [ "$rc" -ne 0 ]; then
  log "fix access (see the README) and run pulumi up again; if the whole cluster is gone, set KUBE_HA_SKIP_MEMBER_REMOVAL=true"
  exit "$rc"
fi
log "etcd member $replica removed (or was already gone)"
