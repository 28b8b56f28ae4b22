/**
 * How long an on-premises endpoint (a keepalived VIP in front of HAProxy on
 * every master) can be unusable, worst case, from the timings the renderers
 * write into haproxy.cfg and keepalived.conf. Pure arithmetic: the renderers
 * take the same timing objects, the HA report prints these budgets and the
 * real tests assert measured gaps against them.
 *
 * The anchor to beat is seed 004: `killall -0 haproxy` every 3 s with
 * `fall 10` takes about 30 s to notice a dead HAProxy, never notices dead
 * apiservers behind a live one, and `weight -2` may not move the VIP at all.
 */

/** HAProxy's active health check of one apiserver (`GET /readyz` over TLS). */
export interface BackendCheckTimings {
  /** `inter`: between checks while the server is up. */
  intervalMs: number;
  /** `fastinter`: between checks while the server is changing state (after a first failure or success). */
  fastIntervalMs: number;
  /** `downinter`: between checks while the server is down. */
  downIntervalMs: number;
  /** `fall`: consecutive failed checks that mark the server down. */
  fall: number;
  /** `rise`: consecutive passed checks that put it back. */
  rise: number;
  /** `timeout check`: how long one check may take (connect + TLS + answer). */
  timeoutMs: number;
}

/** keepalived's check of its own master (`vrrp_script`) and the VRRP advertisement rate. */
export interface VrrpTimings {
  /** `interval` of the vrrp_script, whole seconds. */
  checkIntervalSeconds: number;
  /** `timeout` of the vrrp_script: a check still running then counts as failed. */
  checkTimeoutSeconds: number;
  /** `fall`: consecutive failed checks before the weight is applied. */
  fall: number;
  /** `rise`: consecutive passed checks before it is lifted. */
  rise: number;
  /** `advert_int`, whole seconds (VRRP v2). */
  advertIntervalSeconds: number;
}

/** Masters' HAProxy: a dead apiserver is out within about 3.5 s (see backendFailoverSeconds). */
export const MASTER_BACKEND_CHECK: BackendCheckTimings = {
  intervalMs: 1000,
  fastIntervalMs: 500,
  downIntervalMs: 1000,
  fall: 2,
  rise: 2,
  timeoutMs: 1000,
};

/**
 * A worker's local load balancer checks every master too, so a thousand
 * workers cost each apiserver a thousand TLS handshakes per check interval
 * (seed 002's warning). It checks five times less often and relies on passive
 * observation instead: a refused connection is redispatched to another master
 * at once and switches the refusing one's checks to the fast interval.
 */
export const LOCAL_LB_BACKEND_CHECK: BackendCheckTimings = {
  intervalMs: 5000,
  fastIntervalMs: 1000,
  downIntervalMs: 2000,
  fall: 2,
  rise: 2,
  timeoutMs: 2000,
};

export const VRRP_TIMINGS: VrrpTimings = {
  checkIntervalSeconds: 1,
  checkTimeoutSeconds: 1,
  fall: 2,
  rise: 2,
  advertIntervalSeconds: 1,
};

/**
 * Seconds from an apiserver failing to HAProxy marking it down, worst case:
 * it fails just after passing a check, so the first failing check starts one
 * `inter` later, the next `fall - 1` checks follow each after `fastinter`,
 * and every one of them may run to its timeout (a silent, black-holed server).
 */
export function backendFailoverSeconds(t: BackendCheckTimings): number {
  return (t.intervalMs + (t.fall - 1) * t.fastIntervalMs + t.fall * t.timeoutMs) / 1000;
}

/** Seconds from a recovered apiserver to HAProxy sending it traffic again, worst case. */
export function backendRecoverySeconds(t: BackendCheckTimings): number {
  return (t.downIntervalMs + (t.rise - 1) * t.fastIntervalMs + t.rise * t.timeoutMs) / 1000;
}

/**
 * VRRP's Master_Down_Interval (RFC 3768): how long a backup waits without
 * hearing the master before taking over, `3 × advert_int + skew`, where the
 * skew `(256 − priority) / 256 × advert_int` is below one interval for any
 * priority; the worst case is taken.
 */
export function masterDownSeconds(t: VrrpTimings): number {
  return 4 * t.advertIntervalSeconds;
}

/** Seconds from the condition the vrrp_script tests turning false to the weight being applied, worst case. */
export function vrrpCheckDetectionSeconds(t: VrrpTimings): number {
  return t.fall * (t.checkIntervalSeconds + t.checkTimeoutSeconds);
}

/** Worst-case seconds a client of VIP:port can fail to get through, per kind of failure on the VIP holder. */
export interface VipFailoverBudget {
  /** keepalived stopped cleanly (`systemctl stop`, a reboot): it sends priority 0 and a backup takes over within one advert interval. */
  keepalivedStopped: number;
  /** The holder vanished (power, kernel, cable, keepalived killed with its VIP gone): backups wait Master_Down_Interval. */
  holderLost: number;
  /** HAProxy on the holder died: the check fails, the weight drops the holder below every healthy master, a backup preempts. */
  haproxyDown: number;
  /** Every apiserver is unreachable from the holder: HAProxy marks them all down first, then as haproxyDown. */
  noHealthyBackend: number;
  /** One apiserver fails: HAProxy routes around it (the VIP does not move). */
  backendDown: number;
  /** The largest of the above. */
  worst: number;
}

export function vipFailoverBudget(vrrp: VrrpTimings, backend: BackendCheckTimings): VipFailoverBudget {
  const backendDown = backendFailoverSeconds(backend);
  const haproxyDown = vrrpCheckDetectionSeconds(vrrp) + masterDownSeconds(vrrp);
  const budget = {
    keepalivedStopped: vrrp.advertIntervalSeconds,
    holderLost: masterDownSeconds(vrrp),
    haproxyDown,
    noHealthyBackend: backendDown + haproxyDown,
    backendDown,
  };
  return { ...budget, worst: Math.max(...Object.values(budget)) };
}
