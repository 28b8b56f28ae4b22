# install_cloud_cli: the AWS CLI v2 from the aws-cli snap, unless installed.
# 'snap wait system seed.loaded' first: on a first boot snapd may still be seeding.
install_cloud_cli() {
  local attempt
  [ -x /snap/bin/aws ] && return 0
  for attempt in 1 2 3 4 5; do
    snap wait system seed.loaded && snap install aws-cli --classic && return 0
    log "snap install aws-cli failed (attempt $attempt/5), retrying in 15 s"
    sleep 15
  done
  return 1
}

# aws_cli ARGS: the AWS CLI in this replica's region, with the instance profile's credentials.
aws_cli() {
  /snap/bin/aws --region "$KUBE_HA_REGION" --output json "$@"
}
