import type { Cloud } from "../spec/schema";
import { IDENTITY_KEYS } from "./replica-identity";

/**
 * Bash that finds the machines of this cluster with a role by the cloud's
 * API, so a boot script never carries the list of other replicas:
 * `discover_replicas ROLE` prints `NAME ADDRESS` per machine that exists and
 * is not stopped (this one included), sorted by name (C collation).
 *
 * GCP: compute instances aggregated list filtered by labels (needs
 * `compute.instances.list`). AWS: `ec2 describe-instances` filtered by tags
 * (needs `ec2:DescribeInstances`).
 */
export function peerDiscoveryFunctions(cloud: Cloud): string {
  return cloud === "gcp" ? gcpDiscovery() : awsDiscovery();
}

function gcpDiscovery(): string {
  const { cluster, role, replica } = IDENTITY_KEYS;
  return String.raw`# discover_replicas ROLE: "NAME ADDRESS" of this cluster's instances with ROLE, sorted by name.
discover_replicas() {
  local project filter
  project=$(gcp_metadata project/project-id)
  filter=$(jq -rn --arg c "$KUBE_HA_CLUSTER" --arg r "$1" \
    '"(labels.${cluster} = \"\($c)\") AND (labels.${role} = \"\($r)\")" | @uri')
  gcp_api "https://compute.googleapis.com/compute/v1/projects/$project/aggregated/instances?filter=$filter&maxResults=500&returnPartialSuccess=true" |
    jq -r '.items[]?.instances[]?
      | select(.status != "TERMINATED" and .status != "STOPPING" and .status != "SUSPENDED" and .status != "SUSPENDING")
      | select(.networkInterfaces[0].networkIP != null)
      | "\(.labels["${replica}"] // .name) \(.networkInterfaces[0].networkIP)"' |
    LC_ALL=C sort
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
