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
 */

export const JOIN_WAIT_ENV = {
  adminKubeconfig: REMOVAL_ENV.adminKubeconfig,
  skip: "KUBE_HA_SKIP_JOIN_WAIT",
} as const;

/** How long to wait, the most polls of the apiserver mirror pod, and seconds between them. */
export const JOIN_WAIT_SECONDS = 1800;
export const JOIN_WAIT_ROUNDS = 180;
export const JOIN_POLL_SECONDS = 10;

export interface JoinWaitScriptInput {
  /** The replica being waited for. */
  replica: string;
  /** Its Node name (kubeadm's nodeRegistration.name): the mirror pod is kube-apiserver-<nodeName>. */
  nodeName: string;
  /** Polls before giving up (default JOIN_WAIT_ROUNDS). */
  rounds?: number;
}

const SAFE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function renderJoinWaitScript(input: JoinWaitScriptInput): string {
  for (const [what, v] of [["replica name", input.replica], ["node name", input.nodeName]] as const) {
    if (!SAFE.test(v)) throw new Error(`${what} ${JSON.stringify(v)} is not safe to embed in the join-wait script`);
  }
  const rounds = input.rounds ?? JOIN_WAIT_ROUNDS;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`join-wait rounds must be a positive integer, got ${rounds}`);
  const pod = `kube-apiserver-${input.nodeName}`;
  const kc = JOIN_WAIT_ENV.adminKubeconfig;
  return `#!/usr/bin/env bash
# kube-ha: wait until replica ${input.replica} has joined (create of its join-wait command).
# Run by a @pulumi/command local.Command on the machine running \`pulumi up\`.
# ${JOIN_WAIT_ENV.skip}=true skips the wait.
set -euo pipefail

log() { printf 'kube-ha: %s\\n' "$*" >&2; }

if [ "\${${JOIN_WAIT_ENV.skip}:-false}" = true ]; then
  unset ${kc}
  log "${JOIN_WAIT_ENV.skip}=true: not waiting for ${input.replica} to join"
  exit 0
fi
if [ -z "\${${kc}:-}" ]; then
  log "no admin kubeconfig in ${kc}: cannot wait for ${input.replica}"
  exit 1
fi
if ! command -v kubectl >/dev/null 2>&1; then
  unset ${kc}
  log "kubectl is not installed here: install it (it also removes replicas), or set ${JOIN_WAIT_ENV.skip}=true"
  exit 1
fi
kubeconfig=$(mktemp)
trap 'rm -f "$kubeconfig"' EXIT
chmod 600 "$kubeconfig"
printf '%s\\n' "$${kc}" >"$kubeconfig"
unset ${kc}

log "waiting (at most ${JOIN_WAIT_SECONDS} s) until ${input.replica} has joined: pod ${pod} in kube-system Ready"
deadline=$((SECONDS + ${JOIN_WAIT_SECONDS}))
for round in $(seq 1 ${rounds}); do
  if kubectl --kubeconfig "$kubeconfig" --request-timeout=${JOIN_POLL_SECONDS}s -n kube-system get pod ${pod} -o name >/dev/null 2>&1 &&
    kubectl --kubeconfig "$kubeconfig" --request-timeout=${JOIN_POLL_SECONDS}s -n kube-system wait --for=condition=Ready pod/${pod} --timeout=${JOIN_POLL_SECONDS}s >/dev/null 2>&1; then
    log "${input.replica} has joined: ${pod} is Ready (poll $round)"
    exit 0
  fi
  if [ "$round" -ge ${rounds} ] || [ "$SECONDS" -ge "$deadline" ]; then break; fi
  sleep ${JOIN_POLL_SECONDS}
done
log "${input.replica} has not joined: ${pod} is not Ready after $round polls; see journalctl -u kube-ha-boot on it, then run pulumi up again"
exit 1
`;
}
