# discover_replicas ROLE: "NAME ADDRESS" of this cluster's instances with ROLE, sorted by name.
discover_replicas() {
  aws_cli ec2 describe-instances --filters \
    "Name=tag:@@CLUSTER_KEY@@,Values=$KUBE_HA_CLUSTER" \
    "Name=tag:@@ROLE_KEY@@,Values=$1" \
    "Name=instance-state-name,Values=pending,running" |
    jq -r '.Reservations[]?.Instances[]?
      | select(.PrivateIpAddress != null)
      | "\(((.Tags // []) | map(select(.Key == "@@REPLICA_KEY@@")) | .[0].Value) // .InstanceId) \(.PrivateIpAddress)"' |
    LC_ALL=C sort
}
