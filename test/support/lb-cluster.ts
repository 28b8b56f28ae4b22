/**
 * Real daemons on the namespace test network (test-network.ts) for the
 * on-premises load-balancer tests: per master an HTTPS apiserver stand-in
 * (apiserver-stand-in.mjs) with a certificate from the project's cert specs,
 * the rendered HAProxy and the rendered keepalived; per client a probe
 * (lb-probe.mjs) that records every request. Each daemon has its own config,
 * pid files, sockets and log under the cluster's temp dir; destroy() (and the
 * network's exit hook) kills them all.
 */
import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { caCertSpecs, masterCertSpecs } from "../../components/plan/cert-specs";
import { renderMasterHaproxyConfig } from "../../components/render/lb/haproxy-config";
import { renderKeepalivedConfig } from "../../components/render/lb/keepalived-config";
import { keepalivedCheckScript, keepalivedNotifyScript } from "../../components/render/lb/keepalived-scripts";
import { requireBinary } from "./lb-binaries";
import { type LbFixtureOptions, keepalivedInput, masterHaproxyInput } from "./lb-fixture";
import { type CertFiles, loopbackPlan, mintCert } from "./real-pki";
import { type TestNetwork, createTestNetwork, waitFor } from "./test-network";

const STAND_IN = path.join(__dirname, "apiserver-stand-in.mjs");
const PROBE = path.join(__dirname, "lb-probe.mjs");

export interface ProbeRecord {
  start: number;
  end: number;
  ok: boolean;
  who?: string;
  err?: string;
}

export interface Probe {
  records: ProbeRecord[];
  stop(): void;
}

/** Binaries and a CA shared by the daemons of one test file. */
export interface LbWorld {
  net: TestNetwork;
  dir: string;
  ca: CertFiles;
  haproxy: string;
  keepalived: string;
  /** Per master: its apiserver serving cert (names the VIP), signed by `ca`. */
  certs: Record<string, CertFiles>;
  destroy(): void;
}

/** `subnetBase`: the network's subnet (10.x.y.0), default a random one (test-network.ts). */
export async function createLbWorld(hosts: string[], masters: string[], vipHost: number, subnetBase?: string): Promise<LbWorld> {
  const haproxy = requireBinary("haproxy");
  const keepalived = requireBinary("keepalived");
  requireBinary("curl");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-ha-lb-"));
  const net = createTestNetwork({ hosts, ...(subnetBase === undefined ? {} : { subnetBase }) });
  try {
    const plan = loopbackPlan(masters.length, { names: masters });
    const ca = await mintCert(path.join(dir, "pki", "ca"), caCertSpecs().kubernetesCa, undefined);
    const certs: Record<string, CertFiles> = {};
    for (const m of masters) certs[m] = await mintCert(path.join(dir, "pki", m), masterCertSpecs(plan, m, net.address(vipHost)).apiserver, ca);
    return {
      net,
      dir,
      ca,
      haproxy,
      keepalived,
      certs,
      destroy() {
        net.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    net.destroy();
    throw e;
  }
}

/** A log file for a daemon's stdout and stderr (read when a test fails). */
function logFd(dir: string, name: string): number {
  return fs.openSync(path.join(dir, `${name}.log`), "a");
}

async function started(child: ChildProcess, what: string, ready: () => boolean | Promise<boolean>): Promise<void> {
  await waitFor(
    what,
    async () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited (${child.exitCode ?? child.signalCode})`);
      return (await ready()) ? true : undefined;
    },
    15_000,
    50,
  );
}

export async function startStandIn(w: LbWorld, host: string, name = host): Promise<ChildProcess> {
  const address = w.net.host(host).address;
  const fd = logFd(w.dir, `stand-in-${host}`);
  const child = w.net.spawn(host, process.execPath, [STAND_IN, w.certs[name]!.cert, w.certs[name]!.key, address, "6443", name, unhealthyFile(w, host)], {
    stdio: ["ignore", fd, fd],
  });
  await started(child, `the apiserver stand-in on ${host}`, () => /listening/.test(fs.readFileSync(path.join(w.dir, `stand-in-${host}.log`), "utf8")));
  return child;
}

export function unhealthyFile(w: LbWorld, host: string): string {
  return path.join(w.dir, `${host}.unhealthy`);
}

export function setUnhealthy(w: LbWorld, host: string, unhealthy: boolean): void {
  if (unhealthy) fs.writeFileSync(unhealthyFile(w, host), "");
  else fs.rmSync(unhealthyFile(w, host), { force: true });
}

/** Stops a process and waits (bounded) until it has exited. */
export async function stop(child: ChildProcess, signal: NodeJS.Signals, what: string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Group kill for daemons with workers (HAProxy's master and its workers).
  try {
    process.kill(signal === "SIGKILL" ? -child.pid! : child.pid!, signal);
  } catch {
    return;
  }
  await Promise.race([exited, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} did not exit after ${signal}`)), 10_000))]);
}

/** The masters of a keepalived-haproxy cluster on the world's network. */
export interface VipCluster {
  fixture: LbFixtureOptions;
  vip: string;
  standIns: Record<string, ChildProcess>;
  haproxy: Record<string, ChildProcess>;
  keepalived: Record<string, ChildProcess>;
}

export function vipFixture(w: LbWorld, masters: string[], vipHost: number): LbFixtureOptions {
  return {
    masters: masters.map((m) => ({ name: m, address: w.net.host(m).address })),
    vip: w.net.address(vipHost),
    dir: w.dir,
    caFile: w.ca.cert,
  };
}

export function writeHaproxyConfig(w: LbWorld, fixture: LbFixtureOptions, master: string): string {
  const file = path.join(w.dir, master, "haproxy.cfg");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, renderMasterHaproxyConfig(masterHaproxyInput(fixture, master)));
  return file;
}

export async function startHaproxy(w: LbWorld, fixture: LbFixtureOptions, master: string): Promise<ChildProcess> {
  return spawnHaproxy(w, master, path.join(w.dir, master, "haproxy.cfg"), masterHaproxyInput(fixture, master).runtime.statsSocket, `haproxy-${master}`);
}

/** Runs HAProxy with config file `cfg` on `master` and waits until its stats socket answers; logs to `<logName>.log`. */
export async function spawnHaproxy(w: LbWorld, master: string, cfg: string, statsSocket: string, logName: string): Promise<ChildProcess> {
  const fd = logFd(w.dir, logName);
  // Master-worker mode in the foreground, as Debian's unit runs it (-Ws there); SIGUSR2 reloads.
  const child = w.net.spawn(master, w.haproxy, ["-W", "-db", "-f", cfg], { stdio: ["ignore", fd, fd] });
  await started(child, `HAProxy on ${master}`, async () => (await haproxyCommand(statsSocket, "show info").catch(() => "")).includes("Pid:"));
  return child;
}

export async function startKeepalived(w: LbWorld, fixture: LbFixtureOptions, master: string): Promise<ChildProcess> {
  const d = path.join(w.dir, master);
  const cfg = path.join(d, "keepalived.conf");
  fs.writeFileSync(cfg, renderKeepalivedConfig(keepalivedInput(fixture, master)), { mode: 0o600 });
  return spawnKeepalived(w, master, cfg, d, `keepalived-${master}`);
}

/** Runs keepalived with config file `cfg` on `master`, its pid files in `runDir`, and waits until its VRRP process runs; logs to `<logName>.log`. */
export async function spawnKeepalived(w: LbWorld, master: string, cfg: string, runDir: string, logName: string): Promise<ChildProcess> {
  const fd = logFd(w.dir, logName);
  const child = w.net.spawn(
    master,
    w.keepalived,
    ["-n", "-l", "-D", "-P", "-f", cfg, "-p", path.join(runDir, "keepalived.pid"), "-r", path.join(runDir, "vrrp.pid"), "-c", path.join(runDir, "checkers.pid")],
    { stdio: ["ignore", fd, fd] },
  );
  await started(child, `keepalived on ${master}`, () => fs.existsSync(path.join(runDir, "vrrp.pid")));
  return child;
}

/** Installs the keepalived scripts where keepalivedInput expects them (root-owned, 0755). */
export function installKeepalivedScripts(w: LbWorld): void {
  fs.mkdirSync(path.join(w.dir, "bin"), { recursive: true, mode: 0o755 });
  fs.writeFileSync(path.join(w.dir, "bin", "kube-ha-lb-check.sh"), keepalivedCheckScript(), { mode: 0o755 });
  fs.writeFileSync(path.join(w.dir, "bin", "kube-ha-vip-notify.sh"), keepalivedNotifyScript(), { mode: 0o755 });
}

export async function startVipCluster(w: LbWorld, masters: string[], vipHost: number): Promise<VipCluster> {
  const fixture = vipFixture(w, masters, vipHost);
  installKeepalivedScripts(w);
  const c: VipCluster = { fixture, vip: fixture.vip, standIns: {}, haproxy: {}, keepalived: {} };
  for (const m of masters) {
    // The chosen bind: HAProxy holds VIP:6443 on every master before the VIP is there.
    w.net.run(m, "sysctl", ["-q", "-w", "net.ipv4.ip_nonlocal_bind=1"]);
    c.standIns[m] = await startStandIn(w, m);
    writeHaproxyConfig(w, fixture, m);
    c.haproxy[m] = await startHaproxy(w, fixture, m);
  }
  for (const m of masters) c.keepalived[m] = await startKeepalived(w, fixture, m);
  return c;
}

/** The masters whose eth0 carries the VIP now. */
export function vipHolders(w: LbWorld, c: VipCluster): string[] {
  return c.fixture.masters
    .filter((m) => execFileSync("ip", ["-n", w.net.host(m.name).ns.name, "-o", "-4", "addr", "show", "dev", "eth0"], { encoding: "utf8" }).includes(` ${c.vip}/`))
    .map((m) => m.name);
}

/** Waits until exactly `master` holds the VIP and has held it alone for `stableMs`. */
export async function settledOn(w: LbWorld, c: VipCluster, master: string, timeoutMs = 20_000, stableMs = 1000): Promise<number> {
  let since: number | undefined;
  const r = await waitFor(
    `${master} alone to hold the VIP`,
    () => {
      const h = vipHolders(w, c);
      if (h.length !== 1 || h[0] !== master) {
        since = undefined;
        return undefined;
      }
      since ??= Date.now();
      return Date.now() - since >= stableMs ? true : undefined;
    },
    timeoutMs,
    50,
  );
  return r.ms;
}

/** One command on an HAProxy stats socket (a file: reachable from outside the namespace). */
export function haproxyCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const s = net.connect(socket, () => s.end(`${command}\n`));
    s.setTimeout(3000, () => s.destroy(new Error(`no answer on ${socket}`)));
    s.on("data", (d) => (out += d.toString()));
    s.on("end", () => resolve(out));
    s.on("error", reject);
  });
}

/** Each apiserver server's state in the HAProxy behind `socket` (backend `backend`): "UP", "DOWN", "UP 1/2", … */
export async function serverStates(socket: string, backend = "kube_apiserver"): Promise<Record<string, string>> {
  const csv = await haproxyCommand(socket, "show stat");
  const lines = csv.split("\n").filter((l) => l && !l.startsWith("#"));
  const out: Record<string, string> = {};
  for (const line of lines) {
    const f = line.split(",");
    if (f[0] === backend && f[1] !== "BACKEND") out[f[1]!] = f[17]!;
  }
  return out;
}

/** Starts a probe on `host` looping on HOST:PORT; its records accumulate until stop(). */
export function startProbe(w: LbWorld, host: string, target: string, port: number, intervalMs = 50, timeoutMs = 250): Probe {
  const child = w.net.spawn(host, process.execPath, [PROBE, "loop", target, String(port), w.ca.cert, String(intervalMs), String(timeoutMs)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const records: ProbeRecord[] = [];
  let buffer = "";
  child.stdout!.on("data", (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    for (const l of lines) if (l.trim()) records.push(JSON.parse(l) as ProbeRecord);
  });
  return {
    records,
    stop() {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // gone
      }
    },
  };
}

/**
 * The client-visible outage of a fault injected at `faultAt`: from the fault
 * to the start of the first successful request after the last failed one
 * (within `windowMs`). It over-states the outage by at most one probe
 * interval plus one probe timeout (the instrument's resolution). Undefined
 * when no request failed at all.
 */
export function outageMs(records: ProbeRecord[], faultAt: number, windowMs: number): number | undefined {
  const window = records.filter((r) => r.start >= faultAt - 300 && r.start <= faultAt + windowMs);
  const lastFailure = [...window].reverse().find((r) => !r.ok && r.end >= faultAt);
  if (!lastFailure) return undefined;
  const recovered = window.find((r) => r.ok && r.start >= lastFailure.start);
  if (!recovered) throw new Error(`no successful request within ${windowMs} ms of the fault`);
  return recovered.start - faultAt;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
