import {
  MASTER_BACKEND_CHECK,
  VRRP_TIMINGS,
  type VipFailoverBudget,
  backendRecoverySeconds,
  vipFailoverBudget,
} from "../../plan/vip-failover";
import type { EndpointMode } from "./config-schema";

/**
 * How long the endpoint of each on-premises mode can fail a client, worst
 * case, for the HA report: from the same timing objects the renderers write
 * into the configs (plan/vip-failover.ts, NGINX_STREAM_TIMINGS below).
 */

/** What nginx-stream mode writes into nginx.conf (render/lb/nginx-stream-config.ts). */
export const NGINX_STREAM_TIMINGS = {
  /** A failed connection leaves the server out … */
  maxFails: 1,
  /** … for this long, after which a real client connection tries it again. */
  failTimeoutSeconds: 10,
  /** What a silent server (host down, packets dropped) costs a connection before nginx retries the next one. */
  connectTimeoutMs: 1000,
} as const;

export type OnpremFailover =
  | {
      mode: "keepalived-haproxy";
      /** Seconds, per kind of failure on the VIP holder or behind it. */
      budget: VipFailoverBudget;
      /** Seconds from a recovered apiserver to HAProxy sending it traffic again. */
      backendRecovery: number;
    }
  | {
      mode: "nginx-stream";
      /** A dead apiserver (connection refused): nginx retries the next one at once; the client sees nothing. */
      refusedBackend: 0;
      /** Seconds a connection that picks a silent apiserver waits before the retry (then it is left out for failTimeoutSeconds, and costs this again once per failTimeoutSeconds). */
      silentBackendPerConnection: number;
      failTimeoutSeconds: number;
      /** Open-source nginx checks passively only: an apiserver that accepts TCP but is unready (500 on /readyz) keeps its share until it recovers. */
      unreadyBackend: "not detected";
      /** A load-balancer host lost: nginx has no failover of its own; clients move only by resolving the DNS name again to another host. */
      loadBalancerLost: "client retry on another address of the DNS name";
      note: string;
    }
  | { mode: "external"; note: string };

export function onpremFailover(mode: EndpointMode): OnpremFailover {
  if (mode === "keepalived-haproxy") {
    return { mode, budget: vipFailoverBudget(VRRP_TIMINGS, MASTER_BACKEND_CHECK), backendRecovery: backendRecoverySeconds(MASTER_BACKEND_CHECK) };
  }
  if (mode === "nginx-stream") {
    return {
      mode,
      refusedBackend: 0,
      silentBackendPerConnection: NGINX_STREAM_TIMINGS.connectTimeoutMs / 1000,
      failTimeoutSeconds: NGINX_STREAM_TIMINGS.failTimeoutSeconds,
      unreadyBackend: "not detected",
      loadBalancerLost: "client retry on another address of the DNS name",
      note:
        "open-source nginx has passive health checks only (active ones are nginx Plus'): a refused connection is retried on the next apiserver at once, " +
        `a silent apiserver costs a connection ${NGINX_STREAM_TIMINGS.connectTimeoutMs / 1000} s once per ${NGINX_STREAM_TIMINGS.failTimeoutSeconds} s, ` +
        "and an apiserver that answers TCP but is unready keeps its traffic; keepalived-haproxy's active GET /readyz checks take one out within their budget",
    };
  }
  return { mode, note: "your load balancer's own health checks and failover decide: kube-ha neither renders nor measures them" };
}
