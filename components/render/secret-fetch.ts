import type { Cloud } from "../spec/schema";

/**
 * Bash that fetches THIS replica's key material from the cloud's secret
 * store: `fetch_key_material` prints the JSON map (path under the PKI
 * directory → PEM) on stdout, for the caller to capture — never to a log.
 * The secret is named by KUBE_HA_SECRET_ID; it may not exist yet when the
 * machine first boots (Pulumi creates them in parallel), so it retries for
 * up to ten minutes.
 */
export function secretFetchFunctions(cloud: Cloud): string {
  return cloud === "gcp" ? GCP_FETCH : AWS_FETCH;
}

const GCP_FETCH = String.raw`# fetch_key_material: Secret Manager → stdout (JSON map path → PEM).
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

const AWS_FETCH = String.raw`# fetch_key_material: Secrets Manager → stdout (JSON map path → PEM).
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
