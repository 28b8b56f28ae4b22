#!/usr/bin/env bash
# kube-ha: wait until replica @@REPLICA@@ has joined (create of its join-wait command).
# Run by a @pulumi/command local.Command on the machine running `pulumi up`.
# KUBE_HA_SKIP_JOIN_WAIT=true skips the wait.
set -euo pipefail

log() { printf 'kube-ha: %s\n' "$*" >&2; }

if [ "${KUBE_HA_SKIP_JOIN_WAIT:-false}" = true ]; then
  unset KUBE_HA_ADMIN_KUBECONFIG
  log "KUBE_HA_SKIP_JOIN_WAIT=true: not waiting for @@REPLICA@@ to join"
  exit 0
fi
if [ -z "${KUBE_HA_ADMIN_KUBECONFIG:-}" ]; then
  log "no admin kubeconfig in KUBE_HA_ADMIN_KUBECONFIG: cannot wait for @@REPLICA@@"
  exit 1
fi
if ! command -v kubectl >/dev/null 2>&1; then
  unset KUBE_HA_ADMIN_KUBECONFIG
  log "kubectl is not installed here: install it (it also removes replicas), or set KUBE_HA_SKIP_JOIN_WAIT=true"
  exit 1
fi
kubeconfig=$(mktemp)
probe_err=$(mktemp)
trap 'rm -f "$kubeconfig" "$probe_err"' EXIT
chmod 600 "$kubeconfig"
printf '%s\n' "$KUBE_HA_ADMIN_KUBECONFIG" >"$kubeconfig"
unset KUBE_HA_ADMIN_KUBECONFIG

allowed_cidrs="@@ALLOWED_CIDRS@@"
server=$(sed -n 's/^[[:space:]]*server:[[:space:]]*//p' "$kubeconfig" | head -n 1)

# What the endpoint does when this machine connects to it: answers (a TCP connection was made,
# even if TLS or HTTP then failed), refused (something sent a reset: the path works), silent
# (the connection attempt timed out), unresolved (the name does not resolve), unreachable (no
# route from here), unknown (no curl or no server to probe).
probe_endpoint() {
  if [ -z "$server" ] || ! command -v curl >/dev/null 2>&1; then echo unknown; return; fi
  local rc=0 connected
  # -v: only the connection log tells a refused connection (curl exit 7) from an unreachable one.
  connected=$(curl -s -v -k -o /dev/null -w '%{time_connect}' --connect-timeout 5 --max-time 10 "$server/readyz" 2>"$probe_err") || rc=$?
  case "$connected" in "" | 0 | 0.0 | 0.00* | 0,00*) ;; *) echo answers; return ;; esac
  case "$rc" in
    0) echo answers ;;
    6) echo unresolved ;;
    7) if grep -qi 'connection refused' "$probe_err"; then echo refused; else echo unreachable; fi ;;
    28) echo silent ;;
    *) echo unknown ;;
  esac
}

ipv4_number() {
  local a b c d
  IFS=. read -r a b c d <<<"$1"
  echo $(((a << 24) + (b << 16) + (c << 8) + d))
}

# in_allowed_cidrs ADDRESS: whether ADDRESS lies in one of apiServerAllowedCidrs.
in_allowed_cidrs() {
  local cidr net bits mask ip
  ip=$(ipv4_number "$1")
  for cidr in $allowed_cidrs; do
    net=$(ipv4_number "${cidr%/*}")
    bits=${cidr#*/}
    mask=$(((0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF))
    if [ $((ip & mask)) -eq $((net & mask)) ]; then return 0; fi
  done
  return 1
}

# This machine's public address, or nothing when it cannot be told.
runner_address() {
  local address="${KUBE_HA_RUNNER_ADDRESS:-}"
  if [ -z "$address" ] && command -v curl >/dev/null 2>&1; then
    address=$(curl -s --max-time 5 https://checkip.amazonaws.com 2>/dev/null | tr -d '[:space:]') || address=""
  fi
  if [[ "$address" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]]; then echo "$address"; fi
}

unreachable() {
  log "cannot reach the endpoint $server from this machine: $*"
  log "pulumi up stops here; the resources made so far stay. Fix the access and run pulumi up again, or set KUBE_HA_SKIP_JOIN_WAIT=true to create the cluster without waiting for its masters"
  exit 1
}

log "waiting (at most 1800 s) until @@REPLICA@@ has joined: pod @@POD@@ in kube-system Ready"
deadline=$((SECONDS + 1800))
ever_connected=false
address_checked=@@ADDRESS_CHECKED@@
address_allowed=false
silent_since=""
for round in $(seq 1 @@ROUNDS@@); do
  if kubectl --kubeconfig "$kubeconfig" --request-timeout=10s -n kube-system get pod @@POD@@ -o name >/dev/null 2>&1 &&
    kubectl --kubeconfig "$kubeconfig" --request-timeout=10s -n kube-system wait --for=condition=Ready pod/@@POD@@ --timeout=10s >/dev/null 2>&1; then
    log "@@REPLICA@@ has joined: @@POD@@ is Ready (poll $round)"
    exit 0
  fi
  state=$(probe_endpoint)
  case "$state" in
    answers | refused | unknown)
      [ "$state" = unknown ] || ever_connected=true
      silent_since=""
      ;;
    *)
      if [ "$ever_connected" = false ]; then
        silent_since=${silent_since:-$SECONDS}
        if [ "$state" != unresolved ] && [ "$address_checked" = false ]; then
          address_checked=true
          address=$(runner_address)
          if [ -n "$address" ] && ! in_allowed_cidrs "$address"; then
            unreachable "this machine's address $address is not in apiServerAllowedCidrs ($allowed_cidrs), so the load balancer drops its connections. Add $address/32 (or your network's range) to kube-ha:apiServerAllowedCidrs, or set KUBE_HA_SKIP_JOIN_WAIT=true"
          fi
          [ -z "$address" ] || address_allowed=true
        fi
        if [ "$address_allowed" = false ] && [ $((SECONDS - silent_since)) -ge @@UNREACHABLE_SECONDS@@ ]; then
          if [ "$state" = unresolved ]; then
            unreachable "its name does not resolve here (for @@UNREACHABLE_SECONDS@@ s); point its DNS record at the load balancer (pulumi stack output loadBalancerAddress), or set KUBE_HA_SKIP_JOIN_WAIT=true"
          fi
          unreachable "no connection to it got through for @@UNREACHABLE_SECONDS@@ s (every attempt $state). Is this machine's address in apiServerAllowedCidrs ($allowed_cidrs), or, for an internal load balancer, is this machine inside the network? Add it, or set KUBE_HA_SKIP_JOIN_WAIT=true. (If the master is still booting, run pulumi up again.)"
        fi
      fi
      ;;
  esac
  if [ "$round" -ge @@ROUNDS@@ ] || [ "$SECONDS" -ge "$deadline" ]; then break; fi
  sleep 10
done
log "@@REPLICA@@ has not joined: @@POD@@ is not Ready after $round polls; see journalctl -u kube-ha-boot on it, then run pulumi up again"
exit 1
