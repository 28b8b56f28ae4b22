import type { Cloud } from "../spec/schema";
import { IDENTITY_KEYS } from "./replica-identity";

/**
 * Bash that finds the machines of this cluster with a role by the cloud's
 * API, so a boot script never carries the list of other replicas:
 * `discover_replicas ROLE` prints `NAME ADDRESS` per machine that exists and
 * is running (this one included), sorted by name (C collation).
 *
 * GCP: the compute aggregated instance list, every page (nextPageToken,
 * bounded to GCP_DISCOVERY_MAX_PAGES), matched on the kube-ha labels by jq —
 * no server-side `filter`, whose syntax for label keys with hyphens is
 * easy to get silently wrong — keeping only RUNNING instances (needs
 * `compute.instances.list`). AWS: `ec2 describe-instances` filtered by tags
 * (needs `ec2:DescribeInstances`).
 */
export function peerDiscoveryFunctions(cloud: Cloud): string {
  return cloud === "gcp" ? gcpDiscovery() : awsDiscovery();
}

/** Pages of 500 instances the GCP discovery reads at most (a bound, not an expected size). */
export const GCP_DISCOVERY_MAX_PAGES = 20;

function gcpDiscovery(): string {
  const { cluster, role, replica } = IDENTITY_KEYS;
  return String.raw`# discover_replicas ROLE: "NAME ADDRESS" of this cluster's RUNNING instances with ROLE, sorted by name.
discover_replicas() {
  local project base page next="" pages=0
  project=$(gcp_metadata project/project-id)
  base="https://compute.googleapis.com/compute/v1/projects/$project/aggregated/instances?maxResults=500&returnPartialSuccess=true"
  while :; do
    page=$(gcp_api "$base${"$"}{next:+&pageToken=$next}")
    jq -r --arg c "$KUBE_HA_CLUSTER" --arg r "$1" '.items[]?.instances[]?
      | select(.status == "RUNNING" and .labels["${cluster}"] == $c and .labels["${role}"] == $r)
      | select(.networkInterfaces[0].networkIP != null)
      | "\(.labels["${replica}"] // .name) \(.networkInterfaces[0].networkIP)"' <<<"$page"
    next=$(jq -r '.nextPageToken // empty | @uri' <<<"$page")
    pages=$((pages + 1))
    [ -n "$next" ] || break
    [ "$pages" -lt ${GCP_DISCOVERY_MAX_PAGES} ] || { log "instance list longer than ${GCP_DISCOVERY_MAX_PAGES} pages: stopped reading"; break; }
  done | LC_ALL=C sort
}`;
}

function awsDiscovery(): string {
  const { cluster, role, replica } = IDENTITY_KEYS;
  return String.raw`# discover_replicas ROLE: "NAME ADDRESS" of this cluster's instances with ROLE, sorted by name.
discover_replicas() {
  aws_cli ec2 describe-instances --filters \
    "Name=tag:${cluster},Values=$KUBE_HA_CLUSTER" \
    "Name=tag:${role},Values=$1" \
    "Name=instance-state-name,Values=pending,running" |
    jq -r '.Reservations[]?.Instances[]?
      | select(.PrivateIpAddress != null)
      | "\(((.Tags // []) | map(select(.Key == "${replica}")) | .[0].Value) // .InstanceId) \(.PrivateIpAddress)"' |
    LC_ALL=C sort
}`;
}
