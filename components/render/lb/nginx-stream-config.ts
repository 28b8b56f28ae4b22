/**
 * nginx.conf for a load-balancer host in `nginx-stream` mode (seed 003): an
 * L4 (`stream`) proxy on the cluster endpoint in front of every apiserver.
 * A whole nginx.conf for a host that does nothing else, so it can be checked
 * with `nginx -t -c` and owned by kube-ha outright.
 *
 * Open-source nginx has passive health checks only (active ones are nginx
 * Plus'): it learns that an apiserver is gone from failing client
 * connections, and never learns that one is unready.
 * - A dead apiserver (connection refused) costs nothing visible: the
 *   connection is retried on the next server at once (`proxy_next_upstream`),
 *   and after `max_fails` failures within `fail_timeout` the server is left
 *   out for `fail_timeout`, then tried again with a real client connection.
 * - A silent one (host down, packets dropped) costs every connection that
 *   picks it up to `proxy_connect_timeout` before the retry, until it is
 *   marked failed; then again once per `fail_timeout`.
 * - An apiserver that accepts TCP but answers 500 on /readyz (it lost etcd)
 *   keeps its share of the traffic: an L4 proxy cannot see it. HAProxy's
 *   active `GET /readyz` check (keepalived-haproxy mode) takes it out within
 *   its failover budget; here the clients see errors until it recovers.
 */
import { LbInputError, checkBackends, checkBind, checkIntRange, checkMs, checkPath } from "./lb-input-checks";
import type { LbBackend, LbBind } from "./types";

export interface NginxStreamInput {
  /** The cluster endpoint on this host, e.g. 0.0.0.0:6443 or the host's address. */
  listen: LbBind;
  backends: LbBackend[];
  /** `max_fails`: failed connections within fail_timeout that leave a server out. Default 1. */
  maxFails?: number;
  /** `fail_timeout`, seconds: the window for max_fails and how long a server stays out. Default 10. */
  failTimeoutSeconds?: number;
  /** `proxy_connect_timeout`, ms: what a silent server costs a connection before the retry. Default 1000. */
  connectTimeoutMs?: number;
  /** Paths of this nginx's pid file and error log. */
  pidFile: string;
  errorLog: string;
  /**
   * Dynamic stream module to load (Debian's libnginx-mod-stream:
   * /usr/lib/nginx/modules/ngx_stream_module.so); omit when nginx is built
   * with stream in.
   */
  streamModule?: string;
}

export function renderNginxStreamConfig(input: NginxStreamInput): string {
  checkBind("listen", input.listen);
  checkBackends("backends", input.backends);
  const maxFails = checkIntRange("maxFails", input.maxFails ?? 1, 1, 100);
  const failTimeout = checkIntRange("failTimeoutSeconds", input.failTimeoutSeconds ?? 10, 1, 3600);
  const connectMs = checkMs("connectTimeoutMs", input.connectTimeoutMs ?? 1000, 100);
  checkPath("pidFile", input.pidFile);
  checkPath("errorLog", input.errorLog);
  if (input.streamModule !== undefined) checkPath("streamModule", input.streamModule);
  if (input.backends.some((b) => b.address === input.listen.address && b.port === input.listen.port)) {
    throw new LbInputError(`listen: ${input.listen.address}:${input.listen.port} is also a backend; nginx would proxy to itself`);
  }
  return [
    "# nginx.conf for a kube-ha load balancer in nginx-stream mode (rendered by kube-ha; edits are overwritten)",
    ...(input.streamModule === undefined ? [] : [`load_module ${input.streamModule};`]),
    "worker_processes auto;",
    `pid ${input.pidFile};`,
    `error_log ${input.errorLog} notice;`,
    "",
    "events {",
    "  worker_connections 4096;",
    "}",
    "",
    "stream {",
    "  upstream kube_apiserver {",
    "    least_conn;",
    ...input.backends.map((b) => `    server ${b.address}:${b.port} max_fails=${maxFails} fail_timeout=${failTimeout}s; # ${b.name}`),
    "  }",
    "",
    "  server {",
    `    listen ${input.listen.address}:${input.listen.port};`,
    "    proxy_pass kube_apiserver;",
    `    proxy_connect_timeout ${connectMs}ms;`,
    // Idle timeout between two reads or writes: watches and `kubectl exec` sit idle for long.
    "    proxy_timeout 1h;",
    "    proxy_socket_keepalive on;",
    "    proxy_next_upstream on;",
    `    proxy_next_upstream_tries ${input.backends.length};`,
    "  }",
    "}",
    "",
  ].join("\n");
}
