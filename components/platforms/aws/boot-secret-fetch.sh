# fetch_key_material: Secrets Manager → stdout (JSON map path → PEM).
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
}
