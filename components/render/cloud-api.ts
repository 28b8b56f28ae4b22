import type { Cloud } from "../spec/schema";

/**
 * Bash helpers a master uses to reach its cloud's API with its own identity,
 * nothing else: on GCP the metadata server's access token for the attached
 * service account (sent to curl through a file descriptor, never on a
 * command line); on AWS the AWS CLI v2, which takes the instance profile's
 * credentials from IMDSv2 by itself.
 *
 * The AWS CLI is not an apt package on Ubuntu 24.04 (noble) any more
 * ("Package 'awscli' has no installation candidate", aws/aws-cli#8978), so
 * `install_cloud_cli` installs the `aws-cli` snap (classic confinement, the
 * CLI v2; snapd ships on Canonical's AMIs), once, after snapd has seeded.
 */
export function cloudApiFunctions(cloud: Cloud): string {
  return cloud === "gcp" ? GCP_API : AWS_API;
}

/** The boot step that installs the cloud's CLI, when the cloud needs one. */
export function cloudCliInstallStep(cloud: Cloud): string | undefined {
  return cloud === "aws" ? "install_cloud_cli" : undefined;
}

const GCP_API = String.raw`# gcp_metadata PATH: a value from the metadata server.
gcp_metadata() {
  curl -fsS --retry 5 --retry-connrefused --max-time 10 \
    -H 'Metadata-Flavor: Google' "http://metadata.google.internal/computeMetadata/v1/$1"
}

# gcp_api URL: GET a Google API with the instance's service-account token.
# The token reaches curl through a file descriptor, not its arguments.
gcp_api() {
  local token
  token=$(gcp_metadata instance/service-accounts/default/token | jq -r .access_token)
  curl -fsS --retry 3 --max-time 30 -H @<(printf 'Authorization: Bearer %s\n' "$token") "$1"
}`;

const AWS_API = String.raw`# install_cloud_cli: the AWS CLI v2 from the aws-cli snap, unless installed.
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
