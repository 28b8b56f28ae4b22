import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_LB_BACKEND_CHECK, backendFailoverSeconds } from "../../components/plan/vip-failover";
import { renderLocalLbConfig } from "../../components/render/lb/local-lb-config";
import { renderNginxStreamConfig } from "../../components/render/lb/nginx-stream-config";
import { nginxStreamModule, requireBinary } from "../support/lb-binaries";
import { type LbWorld, type ProbeRecord, createLbWorld, haproxyCommand, outageMs, startProbe, startStandIn, stop } from "../support/lb-cluster";
import { backendsOf } from "../support/lb-fixture";
import { waitFor } from "../support/test-network";

/**
 * The two load balancers that need no VIP, rendered by kube-ha and run for
 * real in a namespace network with three TLS apiserver stand-ins: nginx
 * `stream` on a load-balancer host, and HAProxy on 127.0.0.1 of a worker.
 * Each spreads a client's connections over the healthy apiservers and,
 * when one dies, routes around it; the outage a client looping through it
 * sees is printed (a refused connection is retried on another apiserver at
 * once, so usually there is none).
 */

const MASTERS = ["m1", "m2", "m3"];
let w: LbWorld;
const standIns: Record<string, ChildProcess> = {};

beforeAll(async () => {
  w = await createLbWorld([...MASTERS, "lb", "worker"], MASTERS, 100);
  for (const m of MASTERS) standIns[m] = await startStandIn(w, m);
}, 60_000);

afterAll(() => w?.destroy());

function masters() {
  return MASTERS.map((m) => ({ name: m, address: w.net.host(m).address }));
}

/** Starts a probe, lets it run, kills `victim`'s apiserver, and reports what the client saw. */
async function throughDeadBackend(host: string, target: string, victim: string, settleMs: number) {
  const probe = startProbe(w, host, target, 6443);
  try {
    await waitFor(`connections through ${target} to reach every apiserver`, () => (new Set(probe.records.filter((r) => r.ok).map((r) => r.who)).size === MASTERS.length ? true : undefined), 15_000);
    const faultAt = Date.now();
    await stop(standIns[victim]!, "SIGKILL", `the stand-in on ${victim}`);
    await new Promise((r) => setTimeout(r, settleMs));
    const records: ProbeRecord[] = [...probe.records];
    // Connections opened after the kill (one open at that moment dies with its apiserver, as it would with any load balancer).
    const after = records.filter((r) => r.start > faultAt + 50);
    const late = after.filter((r) => r.start > faultAt + settleMs - 1500);
    return { outage: outageMs(records, faultAt, settleMs) ?? 0, after, late, failed: after.filter((r) => !r.ok).length };
  } finally {
    probe.stop();
    standIns[victim] = await startStandIn(w, victim);
  }
}

describe("a worker's local load balancer", () => {
  it("passes the worker's connections to every healthy apiserver and around a dead one", async () => {
    const dir = path.join(w.dir, "worker");
    fs.mkdirSync(dir, { recursive: true });
    const cfg = path.join(dir, "haproxy.cfg");
    const socket = path.join(dir, "haproxy.sock");
    fs.writeFileSync(
      cfg,
      renderLocalLbConfig({
        listen: { address: "127.0.0.1", port: 6443 },
        backends: backendsOf(masters()),
        check: { caFile: w.ca.cert, timings: LOCAL_LB_BACKEND_CHECK },
        runtime: { statsSocket: socket, hardStopAfterSeconds: 30 },
      }),
    );
    const fd = fs.openSync(path.join(w.dir, "local-lb.log"), "a");
    const lb = w.net.spawn("worker", w.haproxy, ["-W", "-db", "-f", cfg], { stdio: ["ignore", fd, fd] });
    await waitFor("the local load balancer", async () => ((await haproxyCommand(socket, "show info").catch(() => "")).includes("Pid:") ? true : undefined), 15_000);
    try {
      const r = await throughDeadBackend("worker", "127.0.0.1", "m2", 3000);
      console.log(`local load balancer, apiserver m2 killed: client outage ${r.outage} ms, ${r.failed} of ${r.after.length} new connections failed (check budget ${backendFailoverSeconds(LOCAL_LB_BACKEND_CHECK) * 1000} ms)`);
      expect(r.outage).toBeLessThanOrEqual(backendFailoverSeconds(LOCAL_LB_BACKEND_CHECK) * 1000);
      // A refused connection is redispatched to another apiserver at once: no new connection fails.
      expect(r.failed).toBe(0);
      const late = r.late;
      expect(late.length).toBeGreaterThan(5);
      expect(late.every((x) => x.ok && x.who !== "m2")).toBe(true);
    } finally {
      await stop(lb, "SIGKILL", "the local load balancer");
    }
  }, 60_000);
});

describe("nginx stream mode", () => {
  it("passes connections to every healthy apiserver and around a dead one (passive checks)", async () => {
    const nginx = requireBinary("nginx");
    const module = nginxStreamModule(nginx);
    const dir = path.join(w.dir, "nginx");
    fs.mkdirSync(dir, { recursive: true });
    const cfg = path.join(dir, "nginx.conf");
    const errorLog = path.join(dir, "error.log");
    fs.writeFileSync(
      cfg,
      renderNginxStreamConfig({
        listen: { address: w.net.host("lb").address, port: 6443 },
        backends: backendsOf(masters()),
        pidFile: path.join(dir, "nginx.pid"),
        errorLog,
        ...(module ? { streamModule: module } : {}),
      }),
    );
    const fd = fs.openSync(path.join(w.dir, "nginx.log"), "a");
    const lb = w.net.spawn("lb", nginx, ["-c", cfg, "-p", dir, "-e", errorLog, "-g", "daemon off;"], { stdio: ["ignore", fd, fd] });
    await waitFor("nginx", () => (fs.existsSync(path.join(dir, "nginx.pid")) ? true : undefined), 15_000);
    try {
      const r = await throughDeadBackend("worker", w.net.host("lb").address, "m3", 3000);
      console.log(`nginx stream, apiserver m3 killed: client outage ${r.outage} ms, ${r.failed} of ${r.after.length} new connections failed`);
      // A refused connection is retried on the next server at once: no client should notice.
      expect(r.failed).toBe(0);
      const late = r.late;
      expect(late.length).toBeGreaterThan(5);
      expect(late.every((x) => x.ok && x.who !== "m3")).toBe(true);
    } finally {
      await stop(lb, "SIGKILL", "nginx");
    }
  }, 60_000);
});
