import { REMOVAL_ENV } from "./removal-scripts";

/**
 * The `create` script of a master's join-wait command
 * (components/membership/join-wait.ts), rendered purely. It runs on the
 * machine running `pulumi up` — which already needs kubectl and a route to
 * the endpoint for removals — and returns only once the new master's control
 * plane is up, so `pulumi up` (and the CLI's "one replica per up") ends with
 * one *joined* replica, not merely a booted VM.
 *
 * "Up" is the mirror pod `kube-apiserver-<node>` in kube-system being Ready,
 * not the Node's Ready condition: kube-ha installs no CNI, so Nodes stay
 * NotReady, while static pods on the host network become Ready. That
 * apiserver is Ready only when its local etcd member serves, i.e. after the
 * learner was promoted. The wait is bounded — JOIN_WAIT_SECONDS (30
 * minutes) of wall-clock time, and at most JOIN_WAIT_ROUNDS polls — and
 * idempotent: a master that is already up returns at the first poll.
 *
 * Environment:
 * - KUBE_HA_ADMIN_KUBECONFIG (secret): written to a private temporary file,
 *   then unset; removed on exit. Nothing secret is printed.
 * - KUBE_HA_SKIP_JOIN_WAIT=true on the `pulumi up` process skips the wait
 *   (e.g. to create a cluster from a machine without kubectl or without a
 *   route to the endpoint).
 * - KUBE_HA_RUNNER_ADDRESS: this machine's address as the endpoint sees it
 *   (see below); `unknown` stops the script from asking for it.
 *
 * Patient with a booting master, quick with an endpoint this machine cannot
 * reach. After each failed poll the script probes the endpoint (the
 * kubeconfig's server) with curl: a TCP connection, even one refused, means
 * the path works and the master is still coming up, so it keeps waiting.
 * Silence (every connection attempt timing out) while no attempt ever got
 * through is what a firewall dropping this machine's packets looks like: for
 * an external load balancer the script then learns its public address once
 * (https://checkip.amazonaws.com, 5 s at most, unless
 * KUBE_HA_RUNNER_ADDRESS is set) and, if that address is in none of
 * `apiServerAllowedCidrs`, fails at once saying so. If the address cannot be
 * learned (or the load balancer is internal), it fails after
 * UNREACHABLE_SECONDS of unbroken silence, or of an endpoint name that does
 * not resolve. A master that once answered is never declared unreachable.
 */

export const JOIN_WAIT_ENV = {
  adminKubeconfig: REMOVAL_ENV.adminKubeconfig,
  skip: "KUBE_HA_SKIP_JOIN_WAIT",
  runnerAddress: "KUBE_HA_RUNNER_ADDRESS",
} as const;

/** How long to wait, the most polls of the apiserver mirror pod, and seconds between them. */
export const JOIN_WAIT_SECONDS = 1800;
export const JOIN_WAIT_ROUNDS = 180;
export const JOIN_POLL_SECONDS = 10;
/** Unbroken silence from the endpoint (no connection ever made) after which the wait gives up. */
export const UNREACHABLE_SECONDS = 60;
/** Where the script learns this machine's public address (plain text, one IPv4 address). */
export const RUNNER_ADDRESS_URL = "https://checkip.amazonaws.com";

export interface JoinWaitScriptInput {
  /** The replica being waited for. */
  replica: string;
  /** Its Node name (kubeadm's nodeRegistration.name): the mirror pod is kube-apiserver-<nodeName>. */
  nodeName: string;
  /** Polls before giving up (default JOIN_WAIT_ROUNDS). */
  rounds?: number;
  /** Who may reach the endpoint on 6443 (the spec's apiServerAllowedCidrs), for the diagnosis. */
  allowedCidrs?: readonly string[];
  /** The load balancer's scheme: only an external one is checked against this machine's public address. */
  scheme?: "external" | "internal";
  /** Seconds of unbroken silence before giving up (default UNREACHABLE_SECONDS). */
  unreachableSeconds?: number;
}

const SAFE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

export function renderJoinWaitScript(input: JoinWaitScriptInput): string {
  for (const [what, v] of [["replica name", input.replica], ["node name", input.nodeName]] as const) {
    if (!SAFE.test(v)) throw new Error(`${what} ${JSON.stringify(v)} is not safe to embed in the join-wait script`);
  }
  const rounds = input.rounds ?? JOIN_WAIT_ROUNDS;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`join-wait rounds must be a positive integer, got ${rounds}`);
  const unreachable = input.unreachableSeconds ?? UNREACHABLE_SECONDS;
  if (!Number.isInteger(unreachable) || unreachable < 1) throw new Error(`unreachableSeconds must be a positive integer, got ${unreachable}`);
  const cidrs = [...(input.allowedCidrs ?? [])];
  for (const c of cidrs) if (!CIDR.test(c)) throw new Error(`allowed CIDR ${JSON.stringify(c)} is not safe to embed in the join-wait script`);
  const checkAddress = (input.scheme ?? "external") === "external" && cidrs.length > 0;
  const pod = `kube-apiserver-${input.nodeName}`;
  const kc = JOIN_WAIT_ENV.adminKubeconfig;
  const skip = JOIN_WAIT_ENV.skip;
  const runner = JOIN_WAIT_ENV.runnerAddress;
  return `#!/usr/bin/env bash
# kube-ha: wait until replica ${input.replica} has joined (create of its join-wait command).
# Run by a @pulumi/command local.Command on the machine running \`pulumi up\`.
# ${skip}=true skips the wait.
set -euo pipefail

log() { printf 'kube-ha: %s\\n' "$*" >&2; }

if [ "\${${skip}:-false}" = true ]; then
  unset ${kc}
  log "${skip}=true: not waiting for ${input.replica} to join"
  exit 0
fi
if [ -z "\${${kc}:-}" ]; then
  log "no admin kubeconfig in ${kc}: cannot wait for ${input.replica}"
  exit 1
fi
if ! command -v kubectl >/dev/null 2>&1; then
  unset ${kc}
  log "kubectl is not installed here: install it (it also removes replicas), or set ${skip}=true"
  exit 1
fi
kubeconfig=$(mktemp)
probe_err=$(mktemp)
trap 'rm -f "$kubeconfig" "$probe_err"' EXIT
chmod 600 "$kubeconfig"
printf '%s\\n' "$${kc}" >"$kubeconfig"
unset ${kc}

allowed_cidrs="${cidrs.join(" ")}"
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
    net=$(ipv4_number "\${cidr%/*}")
    bits=\${cidr#*/}
    mask=$(((0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF))
    if [ $((ip & mask)) -eq $((net & mask)) ]; then return 0; fi
  done
  return 1
}

# This machine's public address, or nothing when it cannot be told.
runner_address() {
  local address="\${${runner}:-}"
  if [ -z "$address" ] && command -v curl >/dev/null 2>&1; then
    address=$(curl -s --max-time 5 ${RUNNER_ADDRESS_URL} 2>/dev/null | tr -d '[:space:]') || address=""
  fi
  if [[ "$address" =~ ^[0-9]{1,3}(\\.[0-9]{1,3}){3}$ ]]; then echo "$address"; fi
}

unreachable() {
  log "cannot reach the endpoint $server from this machine: $*"
  log "pulumi up stops here; the resources made so far stay. Fix the access and run pulumi up again, or set ${skip}=true to create the cluster without waiting for its masters"
  exit 1
}

log "waiting (at most ${JOIN_WAIT_SECONDS} s) until ${input.replica} has joined: pod ${pod} in kube-system Ready"
deadline=$((SECONDS + ${JOIN_WAIT_SECONDS}))
ever_connected=false
address_checked=${checkAddress ? "false" : "true"}
address_allowed=false
silent_since=""
for round in $(seq 1 ${rounds}); do
  if kubectl --kubeconfig "$kubeconfig" --request-timeout=${JOIN_POLL_SECONDS}s -n kube-system get pod ${pod} -o name >/dev/null 2>&1 &&
    kubectl --kubeconfig "$kubeconfig" --request-timeout=${JOIN_POLL_SECONDS}s -n kube-system wait --for=condition=Ready pod/${pod} --timeout=${JOIN_POLL_SECONDS}s >/dev/null 2>&1; then
    log "${input.replica} has joined: ${pod} is Ready (poll $round)"
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
        silent_since=\${silent_since:-$SECONDS}
        if [ "$state" != unresolved ] && [ "$address_checked" = false ]; then
          address_checked=true
          address=$(runner_address)
          if [ -n "$address" ] && ! in_allowed_cidrs "$address"; then
            unreachable "this machine's address $address is not in apiServerAllowedCidrs ($allowed_cidrs), so the load balancer drops its connections. Add $address/32 (or your network's range) to kube-ha:apiServerAllowedCidrs, or set ${skip}=true"
          fi
          [ -z "$address" ] || address_allowed=true
        fi
        if [ "$address_allowed" = false ] && [ $((SECONDS - silent_since)) -ge ${unreachable} ]; then
          if [ "$state" = unresolved ]; then
            unreachable "its name does not resolve here (for ${unreachable} s); point its DNS record at the load balancer (pulumi stack output loadBalancerAddress), or set ${skip}=true"
          fi
          unreachable "no connection to it got through for ${unreachable} s (every attempt $state). Is this machine's address in apiServerAllowedCidrs ($allowed_cidrs), or, for an internal load balancer, is this machine inside the network? Add it, or set ${skip}=true. (If the master is still booting, run pulumi up again.)"
        fi
      fi
      ;;
  esac
  if [ "$round" -ge ${rounds} ] || [ "$SECONDS" -ge "$deadline" ]; then break; fi
  sleep ${JOIN_POLL_SECONDS}
done
log "${input.replica} has not joined: ${pod} is not Ready after $round polls; see journalctl -u kube-ha-boot on it, then run pulumi up again"
exit 1
`;
}
