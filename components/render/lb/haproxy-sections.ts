/**
 * The parts of haproxy.cfg that the masters' HAProxy (haproxy-config.ts) and
 * a worker's local load balancer (local-lb-config.ts) share: the global and
 * defaults sections and the apiserver backend with its active TLS checks.
 * Inputs are checked by the callers (lb-input-checks.ts).
 *
 * Reloads keep established connections: HAProxy runs in master-worker mode
 * (`haproxy -Ws`, Debian's unit; `-W` in the tests) and is reloaded with
 * SIGUSR2 (`systemctl reload haproxy`). The master re-reads the config and
 * starts a new worker that takes the listening sockets over from the old one
 * (`expose-fd listeners` on the stats socket), so no connection is refused
 * during the reload; the old worker stops accepting, keeps serving the
 * connections it has and exits when they end, or after `hard-stop-after`.
 */
import type { ApiserverCheck, HaproxyRuntime, LbBackend } from "./types";

export const APISERVER_BACKEND = "kube_apiserver";

const ms = (n: number) => `${n}ms`;

export function haproxyGlobal(runtime: HaproxyRuntime): string[] {
  return [
    "global",
    // Under systemd stderr goes to the journal; state changes (server up/down) are logged at notice.
    "  log stderr format raw local0 notice",
    `  stats socket ${runtime.statsSocket} mode 600 level admin expose-fd listeners`,
    `  hard-stop-after ${runtime.hardStopAfterSeconds}s`,
    "",
  ];
}

export function haproxyDefaults(check: ApiserverCheck, connectTimeoutMs: number): string[] {
  return [
    "defaults",
    "  mode tcp",
    "  log global",
    "  option tcplog",
    "  option dontlognull",
    // A connection a server refuses is retried at once on another one (every retry redispatches;
    // a retry on the same server would first wait up to a second).
    "  retries 2",
    "  option redispatch 1",
    `  timeout connect ${ms(connectTimeoutMs)}`,
    // Watches and `kubectl exec` sit idle for long: idle timeouts of an hour, TCP keepalives to find dead peers.
    "  timeout client 1h",
    "  timeout server 1h",
    "  option clitcpka",
    "  option srvtcpka",
    `  timeout check ${ms(check.timings.timeoutMs)}`,
    "",
  ];
}

/**
 * The apiserver backend: least connections (long-lived watches make round
 * robin uneven), HTTPS `GET /readyz` checks expecting 200, and the sessions
 * of a server marked down cut so clients reconnect to a live one. A refused
 * connection is redispatched to another server at once (defaults) and makes
 * the checks of the refusing server run at `fastinter` (`observe layer4 …
 * on-error fastinter`). It does not mark the server down by itself: that
 * would cut, with `shutdown-sessions`, the very connection being
 * redispatched.
 */
export function haproxyApiserverBackend(backends: ReadonlyArray<LbBackend>, check: ApiserverCheck): string[] {
  const t = check.timings;
  const verify = check.caFile === undefined ? "verify none" : `verify required ca-file ${check.caFile}`;
  return [
    `backend ${APISERVER_BACKEND}`,
    "  balance leastconn",
    "  option httpchk",
    `  http-check send meth GET uri ${check.path ?? "/readyz"}`,
    "  http-check expect status 200",
    [
      "  default-server check check-ssl",
      verify,
      `inter ${ms(t.intervalMs)} fastinter ${ms(t.fastIntervalMs)} downinter ${ms(t.downIntervalMs)}`,
      `fall ${t.fall} rise ${t.rise}`,
      "observe layer4 error-limit 1 on-error fastinter",
      "on-marked-down shutdown-sessions",
    ].join(" "),
    ...backends.map((b) => `  server ${b.name} ${b.address}:${b.port}`),
    "",
  ];
}
