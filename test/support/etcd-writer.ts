/**
 * A steady writer for real etcd clusters: one put at a time through the
 * HTTP gateway, moving to the next endpoint when one fails, recording every
 * acknowledged write (key → value, time) and every failed attempt. Bounded
 * in time; `stop()` ends it and returns the report.
 */
import { put, type EtcdClientTls } from "./etcd-http";
import { sleep } from "./etcd-process";

export interface WriterOptions {
  /** Keys are `<prefix>/<sequence>`. */
  prefix: string;
  /** Client URLs the writer may use now (read before each write). */
  endpoints: () => string[];
  tls: EtcdClientTls;
  /** Pause between writes (default 10 ms). */
  intervalMs?: number;
  /** Timeout of one put (default 2000 ms). */
  timeoutMs?: number;
  /** Hard bound on the writer's life (default 5 minutes). */
  maxDurationMs?: number;
  /** Value size in bytes (default: the sequence number as text). */
  valueBytes?: number;
}

export interface WriterReport {
  prefix: string;
  /** Acknowledged writes: key → value. */
  acked: Map<string, string>;
  attempts: number;
  failures: number;
  /** Longest time between two acknowledged writes (or from the start to the first). */
  maxGapMs: number;
  /** When each acknowledged write was acknowledged (ms since epoch), in order. */
  ackTimes: number[];
  durationMs: number;
}

export interface Writer {
  readonly report: WriterReport;
  /** Resolves the first acknowledgement time after `t` (ms since epoch), or rejects after `timeoutMs`. */
  firstAckAfter(t: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<WriterReport>;
}

export function startWriter(opts: WriterOptions): Writer {
  const started = Date.now();
  const report: WriterReport = { prefix: opts.prefix, acked: new Map(), attempts: 0, failures: 0, maxGapMs: 0, ackTimes: [], durationMs: 0 };
  let stopped = false;
  let cursor = 0;
  let lastAck = started;
  const deadline = started + (opts.maxDurationMs ?? 5 * 60_000);

  const loop = (async () => {
    let seq = 0;
    while (!stopped && Date.now() < deadline) {
      const eps = opts.endpoints();
      if (eps.length === 0) {
        await sleep(50);
        continue;
      }
      const ep = eps[cursor % eps.length]!;
      seq += 1;
      const key = `${opts.prefix}/${String(seq).padStart(8, "0")}`;
      const value = opts.valueBytes ? `${seq}:`.padEnd(opts.valueBytes, "x") : String(seq);
      report.attempts += 1;
      try {
        await put(ep, opts.tls, key, value, opts.timeoutMs ?? 2000);
        const now = Date.now();
        report.acked.set(key, value);
        report.ackTimes.push(now);
        report.maxGapMs = Math.max(report.maxGapMs, now - lastAck);
        lastAck = now;
        await sleep(opts.intervalMs ?? 10);
      } catch {
        report.failures += 1;
        cursor += 1;
        await sleep(50);
      }
    }
  })();

  return {
    report,
    async firstAckAfter(t, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const hit = report.ackTimes.find((x) => x > t);
        if (hit !== undefined) return hit;
        if (Date.now() > until || stopped) throw new Error(`no write was acknowledged within ${timeoutMs} ms after the event`);
        await sleep(20);
      }
    },
    async stop() {
      stopped = true;
      await loop;
      report.durationMs = Date.now() - started;
      return report;
    },
  };
}

/**
 * The longest time between two consecutive acknowledged writes where the
 * later one came after `t` (ms since epoch): the write stall an event at `t`
 * caused, measured from the last write acknowledged before it.
 */
export function longestGapAfter(r: WriterReport, t: number): number {
  let gap = 0;
  for (let i = 1; i < r.ackTimes.length; i++) {
    if (r.ackTimes[i]! > t) gap = Math.max(gap, r.ackTimes[i]! - r.ackTimes[i - 1]!);
  }
  return gap;
}

/** One line for test output. */
export function describeWrites(r: WriterReport): string {
  return `${r.acked.size} acknowledged writes, ${r.failures} failed attempts of ${r.attempts}, longest gap between acknowledged writes ${r.maxGapMs} ms`;
}
