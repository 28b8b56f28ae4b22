kubeconfig=''
cleanup() { if [ -n "$kubeconfig" ]; then rm -f "$kubeconfig"; fi; }
trap cleanup EXIT
if [ -n "${KUBE_HA_ADMIN_KUBECONFIG:-}" ]; then
  kubeconfig=$(mktemp)
  chmod 600 "$kubeconfig"
  printf '%s\n' "$KUBE_HA_ADMIN_KUBECONFIG" >"$kubeconfig"
fi
