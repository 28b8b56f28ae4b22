import { MASTER_BACKEND_CHECK, VRRP_TIMINGS } from "../../plan/vip-failover";
import { vrrpPrioritiesByPosition } from "../../plan/vrrp-priorities";
import type { ControlPlanePlan } from "../../plan/types";
import type { MasterHaproxyInput } from "../../render/lb/haproxy-config";
import type { NginxStreamInput } from "../../render/lb/nginx-stream-config";
import type { LbBackend, VrrpInstanceInput } from "../../render/lb/types";
import { PATHS } from "../../render/paths";
import type { OnpremConfig, OnpremEndpoint } from "./config";
import { type OnpremFailover, NGINX_STREAM_TIMINGS, onpremFailover } from "./failover-budget";

/**
 * The control-plane plan and an on-premises config → the inputs of the
 * load-balancer renderers (render/lb/) for every host, and the failover
 * budget of the chosen mode for the HA report. Pure: the builder renders
 * these and copies them to the hosts over ssh; `render --replica` and the
 * preview show the same.
 *
 * - keepalived-haproxy: on every master, HAProxy on VIP:6443 balancing every
 *   master's apiserver (this one included) with TLS `GET /readyz` checks
 *   against the cluster CA, and keepalived holding the VIP with unicast
 *   advertisements to the other masters, the priority of the master's place
 *   in the stack's replicas list (plan/vrrp-priorities.ts, stable while
 *   masters come and go) and a check of its own HAProxy's monitor.
 * - nginx-stream: on every load-balancer host, nginx `stream` on the host's
 *   address:6443 in front of every master's apiserver.
 * - external: nothing runs on kube-ha's behalf; the user's load balancer
 *   fronts the masters' apiservers.
 */

/** What the plan mapping reads of the control-plane plan. */
export type OnpremPlanInput = Pick<ControlPlanePlan, "masters">;

/** The apiserver port, and the endpoint's, in every mode for the cluster's life. */
export const APISERVER_PORT = 6443;

/** Where the load-balancer files live on an on-premises host. */
export const ONPREM_LB_PATHS = {
  /** keepalived-check.sh, installed root-owned (keepalived's enable_script_security). */
  checkScript: "/usr/local/sbin/kube-ha-lb-check",
  /** keepalived-notify.sh. */
  notifyScript: "/usr/local/sbin/kube-ha-vip-notify",
  notifyLog: "/var/log/kube-ha/vip-transitions.log",
  /** Debian's haproxy admin socket (the package's unit creates /run/haproxy). */
  haproxyStatsSocket: "/run/haproxy/admin.sock",
  /** The cluster CA the apiservers' serving certificates chain to (kubeadm's path). */
  clusterCa: `${PATHS.pkiDir}/ca.crt`,
  nginxPid: "/run/nginx.pid",
  nginxErrorLog: "/var/log/nginx/error.log",
  /** Debian's libnginx-mod-stream. */
  nginxStreamModule: "/usr/lib/nginx/modules/ngx_stream_module.so",
} as const;

/** HAProxy's monitor for keepalived's check: loopback only, beside nothing kubeadm uses (6443, 10250, 10257, 10259, 2379–2381). */
export const MONITOR = { address: "127.0.0.1", port: 6444, path: "/kube-ha-healthz" } as const;

/**
 * Seconds an old HAProxy worker keeps its established connections after a
 * reload (a master added or removed): long enough for requests in flight,
 * short enough that reloads in a row do not pile up workers; watches cut then
 * reconnect through the new worker.
 */
export const HAPROXY_HARD_STOP_AFTER_SECONDS = 300;

export interface OnpremMasterLb {
  name: string;
  haproxy: MasterHaproxyInput;
  /** keepalived.conf's input without the VRRP password, which the builder adds from the secret (withVrrpPassword). */
  keepalived: Omit<VrrpInstanceInput, "authPassword">;
}

export interface OnpremNginxLb {
  name: string;
  address: string;
  nginx: NginxStreamInput;
}

export interface OnpremLbPlan {
  mode: OnpremEndpoint["mode"];
  /** What every kubeconfig and the kubeadm controlPlaneEndpoint name: `host:6443`. */
  endpoint: { host: string; port: number };
  /** keepalived-haproxy: one per master, in the plan's order; empty in the other modes. */
  masters: OnpremMasterLb[];
  /** nginx-stream: one per load-balancer host; empty in the other modes. */
  nginx: OnpremNginxLb[];
  failover: OnpremFailover;
}

export function planOnpremLoadBalancing(plan: OnpremPlanInput, config: OnpremConfig): OnpremLbPlan {
  const backends: LbBackend[] = plan.masters.map((m) => ({ name: m.name, address: m.address, port: APISERVER_PORT }));
  const { endpoint } = config;
  const base = { mode: endpoint.mode, endpoint: { host: endpointHost(config), port: APISERVER_PORT }, failover: onpremFailover(endpoint.mode) };
  if (endpoint.mode === "keepalived-haproxy") {
    const vrrp = vrrpPrioritiesByPosition(plan.masters.length);
    const masters = plan.masters.map((m, i): OnpremMasterLb => {
      const host = config.hosts.find((h) => h.name === m.name && h.role === "master");
      if (host?.interface === undefined) throw new Error(`on-premises config has no VIP interface for master ${m.name}: the config and the plan disagree`);
      return {
        name: m.name,
        haproxy: {
          frontend: { address: endpoint.vip, port: APISERVER_PORT },
          backends,
          check: { path: "/readyz", caFile: ONPREM_LB_PATHS.clusterCa, timings: MASTER_BACKEND_CHECK },
          monitor: { ...MONITOR },
          runtime: { statsSocket: ONPREM_LB_PATHS.haproxyStatsSocket, hardStopAfterSeconds: HAPROXY_HARD_STOP_AFTER_SECONDS },
        },
        keepalived: {
          instanceName: "kube_apiserver",
          routerId: m.name,
          interface: host.interface,
          vip: endpoint.vip,
          prefix: endpoint.prefixLength,
          virtualRouterId: endpoint.virtualRouterId,
          sourceAddress: m.address,
          peers: plan.masters.filter((other) => other.name !== m.name).map((other) => other.address),
          priority: vrrp.priorities[i]!,
          checkWeight: vrrp.checkWeight,
          timings: VRRP_TIMINGS,
          checkScript: ONPREM_LB_PATHS.checkScript,
          checkUrl: `http://${MONITOR.address}:${MONITOR.port}${MONITOR.path}`,
          notifyScript: ONPREM_LB_PATHS.notifyScript,
          notifyLog: ONPREM_LB_PATHS.notifyLog,
        },
      };
    });
    return { ...base, masters, nginx: [] };
  }
  if (endpoint.mode === "nginx-stream") {
    const nginx = endpoint.loadBalancers.map((lb): OnpremNginxLb => ({
      name: lb.name,
      address: lb.address,
      nginx: {
        listen: { address: lb.address, port: APISERVER_PORT },
        backends,
        maxFails: NGINX_STREAM_TIMINGS.maxFails,
        failTimeoutSeconds: NGINX_STREAM_TIMINGS.failTimeoutSeconds,
        connectTimeoutMs: NGINX_STREAM_TIMINGS.connectTimeoutMs,
        pidFile: ONPREM_LB_PATHS.nginxPid,
        errorLog: ONPREM_LB_PATHS.nginxErrorLog,
        streamModule: ONPREM_LB_PATHS.nginxStreamModule,
      },
    }));
    return { ...base, masters: [], nginx };
  }
  return { ...base, masters: [], nginx: [] };
}

/** keepalived.conf's whole input, once the builder holds the password (inside the secret's apply). */
export function withVrrpPassword(input: Omit<VrrpInstanceInput, "authPassword">, authPassword: string): VrrpInstanceInput {
  return { ...input, authPassword };
}

/** The endpoint's host: the DNS name when there is one (it is in the apiservers' certificates), else the mode's address. */
export function endpointHost(config: OnpremConfig): string {
  if (config.dnsName !== undefined) return config.dnsName;
  const { endpoint } = config;
  if (endpoint.mode === "keepalived-haproxy") return endpoint.vip;
  if (endpoint.mode === "nginx-stream") return endpoint.loadBalancers[0]!.address;
  // The config refuses external mode with neither an address nor apiServerDnsName.
  return endpoint.address!;
}
