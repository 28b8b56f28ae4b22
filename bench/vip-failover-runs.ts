/**
 * One measured run of bench/vip-failover.ts: a fault injected on the VIP
 * holder (m1) of a running keepalived + HAProxy configuration, what the
 * client probe saw, and the repair, each wait bounded.
 *
 * - A VIP run waits (at most `boundMs`) for another master to hold the VIP
 *   alone, then for the client to get through again (10 requests in a row);
 *   its figure is the gap the client saw: from its first failed request
 *   after the fault to its first successful one after the last failure
 *   (failures that come and go after the move, because the new holder's
 *   HAProxy still sends some connections to a dead apiserver, belong to it).
 * - An unready-backend run marks one apiserver unready (/readyz 500; it still
 *   answers everything else) and waits, at most `boundMs`, until the
 *   holder's HAProxy marks it down; its figure is that time (until then it
 *   still gets new connections).
 * Both repair the fault and wait for m1 (the highest priority) to hold the
 * VIP again, so every run starts from the same state.
 */
import type { ChildProcess } from "node:child_process";
import { type LbWorld, type Probe, type ProbeRecord, type VipCluster, serverStates, setUnhealthy, settledOn, vipHolders } from "../test/support/lb-cluster";

/** A keepalived + HAProxy configuration running on the masters (kube-ha's or seed 004's). */
export interface Setup {
  name: string;
  cluster: VipCluster;
  startHaproxy(master: string): Promise<ChildProcess>;
  startKeepalived(master: string): Promise<ChildProcess>;
  /** A master's HAProxy stats socket, and the name of its apiserver backend there. */
  statsSocket(master: string): string;
  backend: string;
}

export interface Fault {
  inject(s: Setup): void | Promise<void>;
  repair(s: Setup): void | Promise<void>;
  /**
   * The holder's keepalived stays up and connected through the fault, so a
   * late gratuitous ARP of its own could hide the next holder's: wait
   * HELD_BEFORE_FAULT_MS after it took the VIP back (see there).
   */
  holderKeepsAnnouncing?: boolean;
}

/** A measured run: the figure in ms, or the bound it ran into. */
export type RunResult = { ms: number; detail: string } | { boundMs: number; detail: string };

export const HOLDER = "m1";
export const UNREADY = "m2";
/** How long the client may take to get through once the VIP has moved, and a repair to settle. */
const RECOVERY_MS = 20_000;
const SETTLE_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** waitUntil for a synchronous probe, every 50 ms. */
function until<T>(probe: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  return waitUntil(async () => probe(), timeoutMs, 50);
}

/** Polls `probe` every `everyMs` until it returns a value, at most `timeoutMs`; undefined when it never did. */
async function waitUntil<T>(probe: () => Promise<T | undefined>, timeoutMs: number, everyMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i <= timeoutMs / everyMs + 1 && Date.now() <= deadline; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(everyMs);
  }
  return undefined;
}

/** True when the last `n` requests (all started after `since`) succeeded. */
function lastOk(records: ProbeRecord[], since: number, n = 10): boolean {
  const tail = records.slice(-n);
  return tail.length === n && tail.every((r) => r.ok && r.start > since);
}

/** The client's gap: its first failed request after `faultAt` to its next success after the last failure; 0 when none failed. */
export function clientGapMs(records: ProbeRecord[], faultAt: number): number | undefined {
  const after = records.filter((r) => r.end >= faultAt);
  const failures = after.filter((r) => !r.ok);
  if (failures.length === 0) return 0;
  const last = failures[failures.length - 1]!;
  const next = after.find((r) => r.ok && r.start >= last.start);
  if (!next) return undefined;
  return next.start - Math.max(failures[0]!.start, faultAt);
}

/**
 * keepalived repeats its gratuitous ARPs 5 s after becoming master
 * (`garp_master_delay`), and Linux ignores an ARP update within 1 s of the
 * last one (`locktime`): a fault injected sooner after m1 took the VIP back,
 * one that leaves m1's keepalived running and connected, could have m1's late
 * ARP hide the new holder's from the client for another 5 s. Such runs start
 * once m1 has held the VIP alone this long; the others after 1 s.
 */
const HELD_BEFORE_FAULT_MS = 6000;

async function ready(w: LbWorld, s: Setup, probe: Probe, heldMs = 1000): Promise<void> {
  await settledOn(w, s.cluster, HOLDER, SETTLE_MS, heldMs);
  const since = Date.now();
  if (!(await until(() => (lastOk(probe.records, since) ? true : undefined), RECOVERY_MS))) {
    throw new Error(`[${s.name}] the client does not get through the VIP held by ${HOLDER}`);
  }
}

export async function vipRun(w: LbWorld, s: Setup, probe: Probe, fault: Fault, boundMs: number): Promise<RunResult> {
  await ready(w, s, probe, fault.holderKeepsAnnouncing ? HELD_BEFORE_FAULT_MS : undefined);
  const faultAt = Date.now();
  await fault.inject(s);
  let result: RunResult;
  try {
    const movedTo = await until(() => {
      const h = vipHolders(w, s.cluster);
      return h.length === 1 && h[0] !== HOLDER ? h[0] : undefined;
    }, boundMs);
    if (movedTo === undefined) {
      result = { boundMs, detail: `VIP never moved within ${boundMs / 1000} s (still on ${vipHolders(w, s.cluster).join(", ") || "no master"})` };
    } else {
      const movedAt = Date.now();
      const through = await until(() => (lastOk(probe.records, movedAt) ? true : undefined), RECOVERY_MS);
      const gap = through ? clientGapMs(probe.records, faultAt) : undefined;
      if (gap === undefined) throw new Error(`[${s.name}] the VIP moved to ${movedTo} but the client did not get through within ${RECOVERY_MS / 1000} s`);
      const failed = probe.records.filter((r) => !r.ok && r.end >= faultAt).length;
      result = { ms: gap, detail: `VIP → ${movedTo} after ${((movedAt - faultAt) / 1000).toFixed(2)} s, ${failed} failed request${failed === 1 ? "" : "s"}` };
    }
  } finally {
    await fault.repair(s);
  }
  await settledOn(w, s.cluster, HOLDER, SETTLE_MS);
  return result;
}

function lastServedBy(records: ProbeRecord[], who: string): ProbeRecord | undefined {
  for (let i = records.length - 1; i >= 0; i--) if (records[i]!.ok && records[i]!.who === who) return records[i];
  return undefined;
}

/**
 * One apiserver turns unready: the figure is the time until the holder's
 * HAProxy marks it down (its stats socket, polled every 20 ms), after which
 * no new connection reaches it; the detail adds when the client's last one
 * did.
 */
export async function unreadyRun(w: LbWorld, s: Setup, probe: Probe, boundMs: number): Promise<RunResult> {
  await ready(w, s, probe);
  const socket = s.statsSocket(HOLDER);
  const state = async () => (await serverStates(socket, s.backend))[UNREADY];
  if ((await waitUntil(async () => ((await state()) === "UP" ? true : undefined), RECOVERY_MS, 50)) === undefined) {
    throw new Error(`[${s.name}] ${UNREADY} is not UP in ${HOLDER}'s HAProxy`);
  }
  const faultAt = Date.now();
  setUnhealthy(w, UNREADY, true);
  let result: RunResult;
  try {
    const downAt = await waitUntil(async () => ((await state())?.startsWith("DOWN") ? Date.now() : undefined), boundMs, 20);
    const last = lastServedBy(probe.records, UNREADY);
    const lastClient = last && last.start >= faultAt ? `the client's last connection to ${UNREADY} at ${((last.start - faultAt) / 1000).toFixed(2)} s` : `no client connection reached ${UNREADY} after the fault`;
    result =
      downAt === undefined
        ? { boundMs, detail: `${UNREADY} still UP in ${HOLDER}'s HAProxy ${boundMs / 1000} s after it turned unready; ${lastClient}` }
        : { ms: downAt - faultAt, detail: `${UNREADY} marked DOWN; ${lastClient}` };
  } finally {
    setUnhealthy(w, UNREADY, false);
  }
  if ((await waitUntil(async () => ((await state()) === "UP" ? true : undefined), RECOVERY_MS, 50)) === undefined) {
    throw new Error(`[${s.name}] ${UNREADY} not back UP within ${RECOVERY_MS / 1000} s of being ready again`);
  }
  return result;
}
