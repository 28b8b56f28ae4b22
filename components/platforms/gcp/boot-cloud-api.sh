# gcp_metadata PATH: a value from the metadata server.
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
}
