/**
 * haproxy.cfg for a worker's local load balancer (seed 002): HAProxy on
 * 127.0.0.1 of the worker, balancing every master's apiserver, so the
 * worker's kubelet and kube-proxy need no VIP and no load balancer host —
 * only this process, kept alive by systemd. Loopback-only: nothing off the
 * worker can reach it.
 *
 * Every worker checks every master, so the checks are slow
 * (plan/vip-failover.ts LOCAL_LB_BACKEND_CHECK); a dead master is found
 * sooner by the connections themselves: a refused connection is retried at
 * once on another master and speeds up that master's checks
 * (haproxy-sections.ts), so a new connection does not see the failure.
 */
import { LbInputError, checkApiserverCheck, checkBackends, checkBind, checkIntRange, checkMs, checkPath } from "./lb-input-checks";
import { haproxyApiserverBackend, haproxyDefaults, haproxyGlobal, APISERVER_BACKEND } from "./haproxy-sections";
import type { ApiserverCheck, HaproxyRuntime, LbBackend, LbBind } from "./types";

export interface LocalLbInput {
  /** 127.0.0.1 (or another loopback address) and the port the kubeconfigs name. */
  listen: LbBind;
  backends: LbBackend[];
  check: ApiserverCheck;
  runtime: HaproxyRuntime;
  connectTimeoutMs?: number;
}

export function renderLocalLbConfig(input: LocalLbInput): string {
  checkBind("listen", input.listen);
  if (!input.listen.address.startsWith("127.")) {
    throw new LbInputError(`listen.address: got ${JSON.stringify(input.listen.address)}, wants a loopback address (127.x): the local load balancer serves this worker only`);
  }
  checkBackends("backends", input.backends);
  checkApiserverCheck("check", input.check);
  checkPath("runtime.statsSocket", input.runtime.statsSocket);
  checkIntRange("runtime.hardStopAfterSeconds", input.runtime.hardStopAfterSeconds, 1, 86_400);
  const connectTimeoutMs = checkMs("connectTimeoutMs", input.connectTimeoutMs ?? 1000, 100);
  return [
    "# haproxy.cfg for a kube-ha worker's local load balancer (rendered by kube-ha; edits are overwritten)",
    ...haproxyGlobal(input.runtime),
    ...haproxyDefaults(input.check, connectTimeoutMs),
    "frontend kube_apiserver_local",
    `  bind ${input.listen.address}:${input.listen.port}`,
    `  default_backend ${APISERVER_BACKEND}`,
    "",
    ...haproxyApiserverBackend(input.backends, input.check),
  ].join("\n");
}
