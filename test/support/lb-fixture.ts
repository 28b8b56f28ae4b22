/**
 * Inputs for the load-balancer renderers (components/render/lb/) describing
 * a set of masters on one subnet, as a planner would map them: every master's
 * apiserver on its own address:6443, HAProxy on VIP:6443, a loopback monitor,
 * keepalived with the plan's priorities and timings. Paths default to a
 * directory of the caller's (a test's temp dir).
 */
import { join } from "node:path";
import { MASTER_BACKEND_CHECK, VRRP_TIMINGS, type BackendCheckTimings, type VrrpTimings } from "../../components/plan/vip-failover";
import { vrrpPriorities } from "../../components/plan/vrrp-priorities";
import type { MasterHaproxyInput } from "../../components/render/lb/haproxy-config";
import type { LbBackend, VrrpInstanceInput } from "../../components/render/lb/types";

export interface LbMaster {
  name: string;
  address: string;
}

export interface LbFixtureOptions {
  masters: LbMaster[];
  vip: string;
  prefix?: number;
  interface?: string;
  /** Directory for sockets, scripts and logs; per master a subdirectory. */
  dir: string;
  caFile?: string;
  backendTimings?: BackendCheckTimings;
  vrrpTimings?: VrrpTimings;
  virtualRouterId?: number;
  authPassword?: string;
  monitorPort?: number;
}

export const MONITOR_PORT = 6444;

export function backendsOf(masters: LbMaster[], port = 6443): LbBackend[] {
  return masters.map((m) => ({ name: m.name, address: m.address, port }));
}

export function masterHaproxyInput(o: LbFixtureOptions, master: string): MasterHaproxyInput {
  return {
    frontend: { address: o.vip, port: 6443 },
    backends: backendsOf(o.masters),
    check: { path: "/readyz", ...(o.caFile ? { caFile: o.caFile } : {}), timings: o.backendTimings ?? MASTER_BACKEND_CHECK },
    monitor: { address: "127.0.0.1", port: o.monitorPort ?? MONITOR_PORT, path: "/kube-ha-healthz" },
    runtime: { statsSocket: join(o.dir, master, "haproxy.sock"), hardStopAfterSeconds: 60 },
  };
}

export function keepalivedInput(o: LbFixtureOptions, master: string): VrrpInstanceInput {
  const index = o.masters.findIndex((m) => m.name === master);
  if (index < 0) throw new Error(`no master ${master}`);
  const self = o.masters[index]!;
  const p = vrrpPriorities(o.masters.length);
  return {
    instanceName: "kube_apiserver",
    routerId: master,
    interface: o.interface ?? "eth0",
    vip: o.vip,
    prefix: o.prefix ?? 24,
    virtualRouterId: o.virtualRouterId ?? 51,
    sourceAddress: self.address,
    peers: o.masters.filter((m) => m.name !== master).map((m) => m.address),
    authPassword: o.authPassword ?? "k8s-vip1",
    priority: p.priorities[index]!,
    checkWeight: p.checkWeight,
    timings: o.vrrpTimings ?? VRRP_TIMINGS,
    checkScript: join(o.dir, "bin", "kube-ha-lb-check.sh"),
    checkUrl: `http://127.0.0.1:${o.monitorPort ?? MONITOR_PORT}/kube-ha-healthz`,
    notifyScript: join(o.dir, "bin", "kube-ha-vip-notify.sh"),
    notifyLog: join(o.dir, master, "vip-transitions.log"),
  };
}
