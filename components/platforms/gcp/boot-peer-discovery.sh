# discover_replicas ROLE: "NAME ADDRESS" of this cluster's RUNNING instances with ROLE, sorted by name.
discover_replicas() {
  local project base page next="" pages=0
  project=$(gcp_metadata project/project-id)
  base="https://compute.googleapis.com/compute/v1/projects/$project/aggregated/instances?maxResults=500&returnPartialSuccess=true"
  while :; do
    page=$(gcp_api "$base${next:+&pageToken=$next}")
    jq -r --arg c "$KUBE_HA_CLUSTER" --arg r "$1" '.items[]?.instances[]?
      | select(.status == "RUNNING" and .labels["@@CLUSTER_KEY@@"] == $c and .labels["@@ROLE_KEY@@"] == $r)
      | select(.networkInterfaces[0].networkIP != null)
      | "\(.labels["@@REPLICA_KEY@@"] // .name) \(.networkInterfaces[0].networkIP)"' <<<"$page"
    next=$(jq -r '.nextPageToken // empty | @uri' <<<"$page")
    pages=$((pages + 1))
    [ -n "$next" ] || break
    [ "$pages" -lt 20 ] || { log "instance list longer than 20 pages: stopped reading"; break; }
  done | LC_ALL=C sort
}
