remove_member() {
  : "${KUBE_HA_GCP_PROJECT:?the GCP project of replica $replica}" "${KUBE_HA_INSTANCE:?the instance of replica $replica}"
  local listing name zone line rc
  local peer_url=@@PEER_URL@@
  if ! listing=$(gcloud compute instances list --project "$KUBE_HA_GCP_PROJECT" --filter '@@FILTER@@' --format 'value(name,zone.basename())'); then
    log "cannot list the running members (gcloud compute instances list failed, message above)"
    return 1
  fi
  local -a survivors=()
  while IFS=$'\t' read -r name zone; do
    if [ -n "$name" ] && [ "$name" != "$KUBE_HA_INSTANCE" ]; then survivors+=("$name $zone"); fi
  done <<<"$listing"
  if [ "${#survivors[@]}" -eq 0 ]; then
    log "no other member is running: there is no member list to remove $replica from"
    no_members=true
    return 0
  fi
  for line in "${survivors[@]}"; do
    name=${line%% *}
    zone=${line#* }
    log "removing etcd member $replica through $name ($zone)"
    rc=0
    gcloud compute ssh "$name" --project "$KUBE_HA_GCP_PROJECT" --zone "$zone" --tunnel-through-iap --quiet -- sudo @@MEMBERSHIP_SCRIPT@@ remove "$replica" --peer-url "$peer_url" </dev/null || rc=$?
    if [ "$rc" -eq 0 ]; then return 0; fi
    if [ "$rc" -eq 2 ]; then
      log "kube-ha-etcd remove $replica was refused on $name (exit $rc, message above): the machine is not deleted"
      return 1
    fi
    log "$name could not do it (exit $rc: gcloud or ssh failed or was denied, the member is still booting, or its etcd is unavailable): trying the next member"
  done
  log "no surviving member was reachable: etcd member $replica was not removed"
  return 1
}
