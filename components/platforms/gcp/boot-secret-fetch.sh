# fetch_key_material: Secret Manager → stdout (JSON map path → PEM).
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
}
