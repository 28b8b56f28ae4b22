/**
 * haproxy.cfg for every master in `keepalived-haproxy` mode: a TCP frontend
 * on the cluster endpoint (VIP:6443) balancing every master's apiserver, and
 * a small local monitor keepalived's check asks "can this master serve the
 * endpoint?".
 *
 * The bind: HAProxy listens on exactly `VIP:6443` and each apiserver on its
 * own host address `:6443` (kube-apiserver `--bind-address=<host address>`).
 * Two sockets on different local addresses do not collide, so the endpoint
 * keeps the port every kubeconfig, certificate and firewall rule of the
 * clouds already names, for the cluster's life (seed 003 moved its nginx to
 * 16443 and then had to rewrite every kubeconfig). HAProxy runs on every
 * master all the time, holder of the VIP or not, so the moment keepalived
 * adds the VIP the listener is already there: that needs
 * `net.ipv4.ip_nonlocal_bind = 1` (HAPROXY_SYSCTL below) — no `transparent`
 * binds, no capabilities. What it costs, and what the boot must honour: the
 * apiserver must never bind the wildcard address (kubeadm's default), and
 * kubeadm's `Port-6443` preflight check, which listens on `:6443`, must be
 * skipped because HAProxy already holds VIP:6443. The other choice —
 * HAProxy on a second port — costs a port everyone must name for ever;
 * this one costs two lines of boot configuration.
 *
 * The monitor (`monitor-uri` on 127.0.0.1 only) answers 200 while at least
 * one apiserver passes its check and 503 when none does; when HAProxy itself
 * is down nothing answers. keepalived's check (keepalived-check.sh) fails in
 * both cases, so the VIP leaves a master that cannot serve it (seed 004 only
 * asked whether an HAProxy process existed).
 */
import { LbInputError, checkApiserverCheck, checkBackends, checkBind, checkHttpPath, checkIntRange, checkMs, checkPath } from "./lb-input-checks";
import { APISERVER_BACKEND, haproxyApiserverBackend, haproxyDefaults, haproxyGlobal } from "./haproxy-sections";
import type { ApiserverCheck, HaproxyRuntime, LbBackend, LbBind } from "./types";

export interface MasterHaproxyInput {
  /** The cluster endpoint: the VIP and the apiserver port (6443). */
  frontend: LbBind;
  /** Every master's apiserver, this one included. */
  backends: LbBackend[];
  check: ApiserverCheck;
  /** The monitor keepalived's check asks; its address must be a loopback one (127.x). */
  monitor: LbBind & { path: string };
  runtime: HaproxyRuntime;
  /** `timeout connect` to an apiserver, default 1000 ms (then the connection is retried on another). */
  connectTimeoutMs?: number;
}

/** The sysctl drop-in the chosen bind needs on every master (see the file comment). */
export const HAPROXY_SYSCTL = "# kube-ha: HAProxy listens on the VIP before keepalived puts it on this host\nnet.ipv4.ip_nonlocal_bind = 1\n";

export function renderMasterHaproxyConfig(input: MasterHaproxyInput): string {
  checkBind("frontend", input.frontend);
  checkBackends("backends", input.backends);
  checkApiserverCheck("check", input.check);
  checkBind("monitor", input.monitor);
  if (!input.monitor.address.startsWith("127.")) {
    throw new LbInputError(`monitor.address: got ${JSON.stringify(input.monitor.address)}, wants a loopback address (127.x): the monitor is for this host's keepalived only`);
  }
  checkHttpPath("monitor.path", input.monitor.path);
  checkPath("runtime.statsSocket", input.runtime.statsSocket);
  checkIntRange("runtime.hardStopAfterSeconds", input.runtime.hardStopAfterSeconds, 1, 86_400);
  const connectTimeoutMs = checkMs("connectTimeoutMs", input.connectTimeoutMs ?? 1000, 100);
  const { frontend, monitor } = input;
  if (frontend.address === monitor.address && frontend.port === monitor.port) {
    throw new LbInputError("monitor: must not listen where the frontend does");
  }

  return [
    "# haproxy.cfg for a kube-ha master (rendered by kube-ha; edits are overwritten)",
    ...haproxyGlobal(input.runtime),
    ...haproxyDefaults(input.check, connectTimeoutMs),
    "frontend kube_apiserver_endpoint",
    `  bind ${frontend.address}:${frontend.port}`,
    `  default_backend ${APISERVER_BACKEND}`,
    "",
    "frontend kube_ha_monitor",
    "  mode http",
    "  option dontlog-normal",
    "  timeout client 5s",
    `  bind ${monitor.address}:${monitor.port}`,
    `  monitor-uri ${monitor.path}`,
    `  monitor fail if { nbsrv(${APISERVER_BACKEND}) lt 1 }`,
    "",
    ...haproxyApiserverBackend(input.backends, input.check),
  ].join("\n");
}
