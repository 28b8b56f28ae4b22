import type { BootParts } from "../../render/boot-parts";
import { IDENTITY_KEYS } from "../../render/replica-identity";

/**
 * GCP's parts of the boot program (components/render/boot-parts.ts), one
 * bash constant per function group.
 */

/** Pages of 500 instances the GCP discovery reads at most (a bound, not an expected size). */
export const GCP_DISCOVERY_MAX_PAGES = 20;

const { cluster, role, replica } = IDENTITY_KEYS;

/**
 * The GCP API with the instance's own identity: the metadata server's access
 * token for the attached service account, sent to curl through a file
 * descriptor, never on a command line.
 */
export const GCP_CLOUD_API_FUNCTIONS = String.raw`# gcp_metadata PATH: a value from the metadata server.
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

/**
 * `discover_replicas ROLE`: the compute aggregated instance list, every page
 * (nextPageToken, bounded to GCP_DISCOVERY_MAX_PAGES), matched on the
 * kube-ha labels by jq — no server-side `filter`, whose syntax for label
 * keys with hyphens is easy to get silently wrong — keeping only RUNNING
 * instances (needs `compute.instances.list`).
 */
export const GCP_PEER_DISCOVERY_FUNCTIONS = String.raw`# discover_replicas ROLE: "NAME ADDRESS" of this cluster's RUNNING instances with ROLE, sorted by name.
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

/**
 * `fetch_key_material`: the replica's secret from Secret Manager, retried
 * for up to ten minutes (Pulumi creates secrets and instances in parallel).
 */
export const GCP_SECRET_FETCH_FUNCTIONS = String.raw`# fetch_key_material: Secret Manager → stdout (JSON map path → PEM).
fetch_key_material() {
  local project url body attempt
  project=$(gcp_metadata project/project-id)
  url="https://secretmanager.googleapis.com/v1/projects/$project/secrets/$KUBE_HA_SECRET_ID/versions/latest:access"
  for attempt in $(seq 1 60); do
    if body=$(gcp_api "$url" 2>/dev/null); then
      printf '%s' "$body" | jq -r .payload.data | base64 -d
      return 0
    fi
    log "key material $KUBE_HA_SECRET_ID not readable yet (attempt $attempt/60), retrying in 10 s"
    sleep 10
  done
  log "could not read $KUBE_HA_SECRET_ID from Secret Manager: check that the secret has a version and the masters' service account may access it"
  return 1
}`;

export const gcpBootParts: BootParts = {
  cloud: "gcp",
  cloudApiFunctions: GCP_CLOUD_API_FUNCTIONS,
  peerDiscoveryFunctions: GCP_PEER_DISCOVERY_FUNCTIONS,
  secretFetchFunctions: GCP_SECRET_FETCH_FUNCTIONS,
};
