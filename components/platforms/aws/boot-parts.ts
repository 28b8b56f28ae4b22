import type { BootParts } from "../../render/boot-parts";
import { IDENTITY_KEYS } from "../../render/replica-identity";

/**
 * AWS's parts of the boot program (components/render/boot-parts.ts), one
 * bash constant per function group.
 */

const { cluster, role, replica } = IDENTITY_KEYS;

/**
 * The AWS API with the instance's own identity: the AWS CLI v2, which takes
 * the instance profile's credentials from IMDSv2 by itself.
 *
 * The AWS CLI is not an apt package on Ubuntu 24.04 (noble) any more
 * ("Package 'awscli' has no installation candidate", aws/aws-cli#8978), so
 * `install_cloud_cli` installs the `aws-cli` snap (classic confinement, the
 * CLI v2; snapd ships on Canonical's AMIs), once, after snapd has seeded.
 */
export const AWS_CLOUD_API_FUNCTIONS = String.raw`# install_cloud_cli: the AWS CLI v2 from the aws-cli snap, unless installed.
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
}`;

/**
 * `discover_replicas ROLE`: `ec2 describe-instances` filtered by tags
 * (needs `ec2:DescribeInstances`).
 */
export const AWS_PEER_DISCOVERY_FUNCTIONS = String.raw`# discover_replicas ROLE: "NAME ADDRESS" of this cluster's instances with ROLE, sorted by name.
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

/**
 * `fetch_key_material`: the replica's secret from Secrets Manager, retried
 * for up to ten minutes (Pulumi creates secrets and instances in parallel).
 */
export const AWS_SECRET_FETCH_FUNCTIONS = String.raw`# fetch_key_material: Secrets Manager → stdout (JSON map path → PEM).
fetch_key_material() {
  local body attempt
  for attempt in $(seq 1 60); do
    if body=$(aws_cli secretsmanager get-secret-value --secret-id "$KUBE_HA_SECRET_ID" 2>/dev/null); then
      printf '%s' "$body" | jq -r .SecretString
      return 0
    fi
    log "key material $KUBE_HA_SECRET_ID not readable yet (attempt $attempt/60), retrying in 10 s"
    sleep 10
  done
  log "could not read $KUBE_HA_SECRET_ID from Secrets Manager: check that the secret has a value and the masters' role may read it"
  return 1
}`;

export const awsBootParts: BootParts = {
  cloud: "aws",
  cloudApiFunctions: AWS_CLOUD_API_FUNCTIONS,
  cliInstallStep: "install_cloud_cli",
  peerDiscoveryFunctions: AWS_PEER_DISCOVERY_FUNCTIONS,
  secretFetchFunctions: AWS_SECRET_FETCH_FUNCTIONS,
};
