/**
 * The small, explicit inputs of the on-premises load-balancer renderers
 * (HAProxy on every master, keepalived, nginx stream, a worker's local load
 * balancer). A planner maps the control-plane plan onto these later; the
 * renderers know nothing of the plan. Addresses are IPv4 literals, names are
 * plain identifiers: everything is checked before a line is written
 * (lb-input-checks.ts), so a config is rendered whole or not at all.
 */
import type { BackendCheckTimings, VrrpTimings } from "../../plan/vip-failover";

/** One apiserver behind a load balancer. */
export interface LbBackend {
  /** A short identifier (the replica name): letters, digits, `.`, `_`, `-`. */
  name: string;
  /** IPv4 address the apiserver listens on. */
  address: string;
  port: number;
}

/** Where a load balancer accepts connections. */
export interface LbBind {
  address: string;
  port: number;
}

/** How HAProxy checks each apiserver: HTTPS `GET <path>`, expecting 200. */
export interface ApiserverCheck {
  /** Default `/readyz` (fails while the apiserver cannot reach etcd, unlike a TCP check). */
  path?: string;
  /**
   * CA certificate (file on the load-balancer host) that signed the
   * apiservers' serving certificates; when absent the chain is not verified
   * (`verify none`): the check still needs a TLS handshake and a 200.
   */
  caFile?: string;
  timings: BackendCheckTimings;
}

/** Files and sockets of one HAProxy instance (its own, so several can run side by side). */
export interface HaproxyRuntime {
  /** Admin stats socket (also passes the listeners to a reloaded worker: `expose-fd listeners`). */
  statsSocket: string;
  /** Seconds an old worker may keep established connections after a reload before they are cut. */
  hardStopAfterSeconds: number;
}

/** The VRRP side of a master: the VIP and who it talks to. */
export interface VrrpInstanceInput {
  /** VRRP instance name in keepalived.conf, e.g. `kube_apiserver`. */
  instanceName: string;
  /** This master's name (keepalived's `router_id`). */
  routerId: string;
  /** The interface carrying the VIP, e.g. `eth0`. */
  interface: string;
  vip: string;
  /** Prefix length of the VIP's subnet (the hosts' subnet), 1–32. */
  prefix: number;
  /** VRRP router id, 1–255, unique among VRRP groups on the segment. */
  virtualRouterId: number;
  /** This master's own address: the source of its unicast advertisements. */
  sourceAddress: string;
  /** The other masters' addresses (unicast VRRP works where multicast is filtered). */
  peers: string[];
  /**
   * VRRP v2 `auth_type PASS` password, 1–8 characters. A secret: it is only
   * ever written into keepalived.conf (root-only file), never into an error
   * message or a log.
   */
  authPassword: string;
  /** This master's priority and the check's (negative) weight, from plan/vrrp-priorities.ts. */
  priority: number;
  checkWeight: number;
  timings: VrrpTimings;
  /** Installed path of the check script (keepalived-check.sh) and the URL it probes. */
  checkScript: string;
  checkUrl: string;
  /** Installed path of the notify script (keepalived-notify.sh) and the file it appends transitions to. */
  notifyScript: string;
  notifyLog: string;
  /** User keepalived runs its scripts as (`script_user`); default `root`. */
  scriptUser?: string;
}
