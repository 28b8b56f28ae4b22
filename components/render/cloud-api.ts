import type { Cloud } from "../spec/schema";

/**
 * Bash helpers a master uses to reach its cloud's API with its own identity,
 * nothing else: on GCP the metadata server's access token for the attached
 * service account (sent to curl through a file descriptor, never on a
 * command line); on AWS the AWS CLI, which takes the instance profile's
 * credentials from IMDSv2 by itself (installed from the OS archive,
 * package `awscli`, by the boot script).
 */
export function cloudApiFunctions(cloud: Cloud): string {
  return cloud === "gcp" ? GCP_API : AWS_API;
}

/** OS packages the cloud helpers need on top of curl and jq. */
export function cloudApiPackages(cloud: Cloud): string[] {
  return cloud === "gcp" ? [] : ["awscli"];
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

const AWS_API = String.raw`# aws_cli ARGS: the AWS CLI in this replica's region, with the instance profile's credentials.
aws_cli() {
  aws --region "$KUBE_HA_REGION" --output json "$@"
}`;
