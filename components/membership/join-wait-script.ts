import { filledShellFile } from "../shell/shell-file";
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
 * learner was promoted. The wait is bounded — 30 minutes of wall-clock
 * time, and at most JOIN_WAIT_ROUNDS polls — and
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
 *
 * The script is join-wait.sh beside this module (it names the environment
 * variables of JOIN_WAIT_ENV); what varies per master fills its @@NAME@@
 * placeholders (components/shell/placeholders.ts).
 */

export const JOIN_WAIT_ENV = {
  adminKubeconfig: REMOVAL_ENV.adminKubeconfig,
  skip: "KUBE_HA_SKIP_JOIN_WAIT",
  runnerAddress: "KUBE_HA_RUNNER_ADDRESS",
} as const;

/** The most polls of the apiserver mirror pod (join-wait.sh waits at most 1800 s, 10 s per poll). */
export const JOIN_WAIT_ROUNDS = 180;
/** Unbroken silence from the endpoint (no connection ever made) after which the wait gives up. */
export const UNREACHABLE_SECONDS = 60;

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
  return filledShellFile("membership/join-wait.sh", {
    REPLICA: input.replica,
    POD: `kube-apiserver-${input.nodeName}`,
    ROUNDS: String(rounds),
    UNREACHABLE_SECONDS: String(unreachable),
    ALLOWED_CIDRS: cidrs.join(" "),
    ADDRESS_CHECKED: checkAddress ? "false" : "true",
  });
}
