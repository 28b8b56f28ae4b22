/**
 * VIP and backend failover of an on-premises control-plane endpoint
 * (keepalived VIP + HAProxy on every master), two configurations measured
 * the same way in one run, on real daemons (Debian's keepalived, HAProxy):
 *
 *   kube-ha:  the rendered keepalived.conf and haproxy.cfg (components/render/lb);
 *   seed 004: the seed's keepalived.conf and the haproxy.cfg of its kind
 *             (bench/seed-004/), with the same VIP, addresses and ports.
 *
 * Per configuration a namespace test network of its own
 * (test/support/test-network.ts), both on the same addresses and measured at
 * the same time: three masters, each with an HTTPS apiserver stand-in, and a
 * client that opens a new TLS connection to VIP:6443 every 50 ms.
 * Faults on the VIP holder, each run `--runs` times: keepalived stopped,
 * HAProxy killed, cable pulled, no apiserver reachable from it; and one
 * apiserver turning unready. Prints median (min–max) per configuration side
 * by side, their ratio and kube-ha's stated budget (plan/vip-failover.ts).
 * Every wait is bounded; a run that reaches its bound is printed as such and
 * not repeated (nothing in that configuration sees the fault).
 *
 * Run: npx tsx bench/vip-failover.ts [--quick] (see bench/README.md). Not a test.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { MASTER_BACKEND_CHECK, VRRP_TIMINGS, vipFailoverBudget } from "../components/plan/vip-failover";
import { vrrpPriorities } from "../components/plan/vrrp-priorities";
import { APISERVER_BACKEND } from "../components/render/lb/haproxy-sections";
import {
  type LbWorld,
  type Probe,
  type VipCluster,
  createLbWorld,
  installKeepalivedScripts,
  median,
  spawnHaproxy,
  spawnKeepalived,
  startHaproxy,
  startKeepalived,
  startProbe,
  startStandIn,
  stop,
  vipFixture,
  vipHolders,
  writeHaproxyConfig,
} from "../test/support/lb-cluster";
import { masterHaproxyInput } from "../test/support/lb-fixture";
import { waitFor } from "../test/support/test-network";
import { SEED_BACKEND, SEED_CHECK_SCRIPT, SEED_PRIORITIES, seedHaproxyConfig, seedKeepalivedConfig } from "./seed-004/seed-004";
import { type Fault, HOLDER, type RunResult, type Setup, UNREADY, unreadyRun, vipRun } from "./vip-failover-runs";

const MASTERS = ["m1", "m2", "m3"];
const VIP_HOST = 100;
const USAGE = `usage: npx tsx bench/vip-failover.ts [--runs N (1-10, default 3)] [--quick (1 run)] [--bound SECONDS (VIP wait, default 40)]
       [--unready-bound SECONDS (default 12)] [--seed-priorities P1,P2,P3 (default ${SEED_PRIORITIES.join(",")})] [--keep-logs]`;

interface Options {
  runs: number;
  boundS: number;
  unreadyBoundS: number;
  seedPriorities: number[];
  keepLogs: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { runs: 3, boundS: 40, unreadyBoundS: 12, seedPriorities: SEED_PRIORITIES, keepLogs: false };
  const int = (flag: string, v: string | undefined, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag}: wants a whole number from ${min} to ${max}, got ${v}\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--quick") o.runs = 1;
    else if (a === "--runs") o.runs = int(a, argv[++i], 1, 10);
    else if (a === "--bound") o.boundS = int(a, argv[++i], 10, 300);
    else if (a === "--unready-bound") o.unreadyBoundS = int(a, argv[++i], 5, 120);
    else if (a === "--seed-priorities") o.seedPriorities = (argv[++i] ?? "").split(",").map((p) => int(a, p, 1, 254));
    else if (a === "--keep-logs") o.keepLogs = true;
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  if (o.seedPriorities.length !== MASTERS.length) throw new Error(`--seed-priorities: wants ${MASTERS.length} priorities\n${USAGE}`);
  return o;
}

function emptyCluster(w: LbWorld): VipCluster {
  const fixture = vipFixture(w, MASTERS, VIP_HOST);
  return { fixture, vip: fixture.vip, standIns: {}, haproxy: {}, keepalived: {} };
}

async function startKubeHa(w: LbWorld): Promise<Setup> {
  const cluster = emptyCluster(w);
  installKeepalivedScripts(w);
  const s: Setup = {
    name: "kube-ha",
    cluster,
    startHaproxy: (m) => startHaproxy(w, cluster.fixture, m),
    startKeepalived: (m) => startKeepalived(w, cluster.fixture, m),
    statsSocket: (m) => masterHaproxyInput(cluster.fixture, m).runtime.statsSocket,
    backend: APISERVER_BACKEND,
  };
  for (const m of MASTERS) writeHaproxyConfig(w, cluster.fixture, m);
  return s;
}

async function startSeed(w: LbWorld, priorities: number[]): Promise<Setup> {
  const cluster = emptyCluster(w);
  const dir = (m: string) => path.join(w.dir, "seed-004", m);
  const socket = (m: string) => path.join(dir(m), "haproxy.sock");
  for (const [index, m] of MASTERS.entries()) {
    fs.mkdirSync(dir(m), { recursive: true });
    fs.writeFileSync(path.join(dir(m), "haproxy.cfg"), seedHaproxyConfig({ vip: cluster.vip, masters: cluster.fixture.masters, statsSocket: socket(m) }));
    fs.writeFileSync(path.join(dir(m), "keepalived.conf"), seedKeepalivedConfig({ index, vip: cluster.vip, interface: "eth0", priorities }), { mode: 0o600 });
    // Refuse to measure a configuration the daemons would reject.
    execFileSync(w.haproxy, ["-c", "-q", "-f", path.join(dir(m), "haproxy.cfg")], { stdio: "pipe" });
    // keepalived -t fails on the seed's file for one warning only, which keepalived itself runs past: no script_user/enable_script_security.
    const t = await w.net.host(m).ns.exec(w.keepalived, ["-t", "-f", path.join(dir(m), "keepalived.conf")], { timeoutMs: 10_000 });
    const findings = `${t.stdout}${t.stderr}`.split("\n").filter((l) => l.trim() && !/SECURITY VIOLATION - scripts are being executed but script_security not enabled/.test(l));
    if (findings.length > 0) throw new Error(`keepalived -t rejects the seed's keepalived.conf for ${m}:\n${findings.join("\n")}`);
  }
  return {
    name: "seed 004",
    cluster,
    startHaproxy: (m) => spawnHaproxy(w, m, path.join(dir(m), "haproxy.cfg"), socket(m), `seed-haproxy-${m}`),
    startKeepalived: (m) => spawnKeepalived(w, m, path.join(dir(m), "keepalived.conf"), dir(m), `seed-keepalived-${m}`),
    statsSocket: socket,
    backend: SEED_BACKEND,
  };
}

async function up(s: Setup): Promise<void> {
  for (const m of MASTERS) s.cluster.haproxy[m] = await s.startHaproxy(m);
  for (const m of MASTERS) s.cluster.keepalived[m] = await s.startKeepalived(m);
}

async function down(w: LbWorld, s: Setup): Promise<void> {
  for (const m of MASTERS) await stop(s.cluster.keepalived[m]!, "SIGTERM", `keepalived on ${m}`);
  for (const m of MASTERS) await stop(s.cluster.haproxy[m]!, "SIGKILL", `HAProxy on ${m}`);
  await waitFor("the VIP to be gone", () => (vipHolders(w, s.cluster).length === 0 ? true : undefined), 10_000);
}

interface Scenario {
  label: string;
  budgetS: number;
  run(s: Setup): Promise<RunResult>;
}

function scenarios(w: LbWorld, probe: Probe, o: Options): Scenario[] {
  const budget = vipFailoverBudget(VRRP_TIMINGS, MASTER_BACKEND_CHECK);
  const bound = o.boundS * 1000;
  const m1 = w.net.host(HOLDER).ns.name;
  const ip = (...args: string[]) => void execFileSync("ip", ["-n", m1, ...args], { stdio: "pipe" });
  const vip = (fault: Fault) => (s: Setup) => vipRun(w, s, probe, fault, bound);
  return [
    {
      label: "holder's keepalived stopped",
      budgetS: budget.keepalivedStopped,
      run: vip({
        inject: (s) => stop(s.cluster.keepalived[HOLDER]!, "SIGTERM", `keepalived on ${HOLDER}`),
        repair: async (s) => void (s.cluster.keepalived[HOLDER] = await s.startKeepalived(HOLDER)),
      }),
    },
    {
      label: "holder's HAProxy killed",
      budgetS: budget.haproxyDown,
      run: vip({
        inject: (s) => stop(s.cluster.haproxy[HOLDER]!, "SIGKILL", `HAProxy on ${HOLDER}`),
        repair: async (s) => void (s.cluster.haproxy[HOLDER] = await s.startHaproxy(HOLDER)),
        holderKeepsAnnouncing: true,
      }),
    },
    {
      label: "holder's cable pulled",
      budgetS: budget.holderLost,
      run: vip({ inject: () => w.net.linkDown(HOLDER), repair: () => w.net.linkUp(HOLDER) }),
    },
    {
      // The holder's own connections to any :6443 on the subnet (its own apiserver's included) are refused; HAProxy lives.
      label: "no apiserver reachable from holder",
      budgetS: budget.noHealthyBackend,
      run: vip({
        inject: () => ip("rule", "add", "pref", "10", "iif", "lo", "to", `${w.net.subnetBase}/24`, "ipproto", "tcp", "dport", "6443", "prohibit"),
        repair: () => ip("rule", "del", "pref", "10"),
        holderKeepsAnnouncing: true,
      }),
    },
    {
      label: `${UNREADY}'s apiserver unready (/readyz 500)`,
      budgetS: budget.backendDown,
      run: (s) => unreadyRun(w, s, probe, o.unreadyBoundS * 1000),
    },
  ];
}

/** Runs every scenario `runs` times on one configuration; a run that reaches its bound is not repeated. */
async function measure(w: LbWorld, s: Setup, list: Scenario[], runs: number): Promise<RunResult[][]> {
  await up(s);
  const all: RunResult[][] = [];
  for (const sc of list) {
    const results: RunResult[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await sc.run(s);
      results.push(r);
      const figure = "ms" in r ? `${sec(r.ms)}` : `bound (${r.boundMs / 1000} s) reached`;
      console.log(`  [${s.name}] ${sc.label}, run ${i + 1}/${runs}: ${figure} — ${r.detail}`);
      if (!("ms" in r)) break;
    }
    all.push(results);
  }
  await down(w, s);
  return all;
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function cell(results: RunResult[]): { text: string; median?: number; bound?: number } {
  const bounded = results.find((r) => !("ms" in r));
  if (bounded && "boundMs" in bounded) return { text: `never within ${bounded.boundMs / 1000} s`, bound: bounded.boundMs };
  const ms = results.map((r) => ("ms" in r ? r.ms : 0));
  const m = median(ms);
  const text = ms.length === 1 ? sec(m) : `${sec(m)} (${(Math.min(...ms) / 1000).toFixed(2)}–${(Math.max(...ms) / 1000).toFixed(2)})`;
  return { text, median: m };
}

function ratio(ha: { median?: number }, seed: { median?: number; bound?: number }): string {
  if (ha.median === undefined || ha.median === 0) return "—";
  if (seed.bound !== undefined) return `> ${(seed.bound / ha.median).toFixed(1)}×`;
  return `${(seed.median! / ha.median).toFixed(1)}×`;
}

function printTable(list: Scenario[], ha: RunResult[][], seed: RunResult[][], runs: number): void {
  const rows = [["scenario", `kube-ha median (min–max)`, "seed 004 median (min–max)", "seed / kube-ha", "kube-ha budget"]];
  list.forEach((sc, i) => {
    const a = cell(ha[i]!);
    const b = cell(seed[i]!);
    rows.push([sc.label, a.text, b.text, ratio(a, b), `${sc.budgetS} s`]);
  });
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((v, c) => v.padEnd(widths[c]!)).join(" | ");
  console.log("");
  console.log(`VIP / backend failover, ${runs} run${runs === 1 ? "" : "s"} each (a configuration that reaches a bound runs it once):`);
  console.log(line(rows[0]!));
  console.log(widths.map((n) => "-".repeat(n)).join("-|-"));
  for (const r of rows.slice(1)) console.log(line(r));
  console.log("");
  console.log("VIP rows: the client's gap, from its first failed request after the fault to its first success after the last failure (resolution ≤ 0.3 s).");
  console.log(`Unready row: from /readyz turning 500 to the holder's HAProxy marking ${UNREADY} DOWN (its stats socket, every 20 ms); until then ${UNREADY} gets new connections.`);
}

/** A world of its own for one configuration: the masters' apiserver stand-ins, the client's probe, the scenarios. */
interface Bench {
  w: LbWorld;
  probe: Probe;
  list: Scenario[];
}

async function prepare(o: Options, subnetBase?: string): Promise<Bench> {
  const w = await createLbWorld([...MASTERS, "client"], MASTERS, VIP_HOST, subnetBase);
  process.on("exit", () => {
    if (!o.keepLogs) fs.rmSync(w.dir, { recursive: true, force: true });
  });
  for (const m of MASTERS) {
    // Both configurations bind VIP:6443 on every master before the VIP is there.
    w.net.run(m, "sysctl", ["-q", "-w", "net.ipv4.ip_nonlocal_bind=1"]);
    await startStandIn(w, m);
  }
  // Let the "no apiserver reachable" rule apply to the holder's own address too: the local table goes behind it.
  const m1 = w.net.host(HOLDER).ns.name;
  execFileSync("ip", ["-n", m1, "rule", "add", "pref", "100", "lookup", "local"], { stdio: "pipe" });
  execFileSync("ip", ["-n", m1, "rule", "del", "pref", "0"], { stdio: "pipe" });
  const probe = startProbe(w, "client", w.net.address(VIP_HOST), 6443);
  return { w, probe, list: scenarios(w, probe, o) };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const benches: Bench[] = [];
  try {
    // Two networks with the same addresses, one per configuration, measured at the same time (so under the same load).
    const ha = await prepare(o);
    benches.push(ha);
    const seed = await prepare(o, ha.w.net.subnetBase);
    benches.push(seed);
    const w = ha.w;
    const haproxyVersion = execFileSync(w.haproxy, ["-v"], { encoding: "utf8" }).split("\n")[0];
    // keepalived prints its version on stderr.
    const kv = spawnSync(w.keepalived, ["--version"], { encoding: "utf8", timeout: 10_000 });
    const keepalivedVersion = `${kv.stdout ?? ""}${kv.stderr ?? ""}`.split("\n")[0];
    const p = vrrpPriorities(MASTERS.length);
    console.log(`vip-failover bench: ${haproxyVersion}; ${keepalivedVersion}; ${o.runs} run(s) per scenario, VIP bound ${o.boundS} s`);
    console.log(
      `  two networks ${w.net.subnetBase}/24 side by side, one per configuration: VIP ${w.net.address(VIP_HOST)}, masters ${MASTERS.join(", ")} (holder ${HOLDER}), ` +
        "client: new TLS connection to VIP:6443 every 50 ms (250 ms timeout)",
    );
    console.log(
      `  kube-ha:  HAProxy GET /readyz inter ${MASTER_BACKEND_CHECK.intervalMs} ms fall ${MASTER_BACKEND_CHECK.fall}; keepalived check (HAProxy monitor) every ${VRRP_TIMINGS.checkIntervalSeconds} s fall ${VRRP_TIMINGS.fall}, weight ${p.checkWeight}, priorities ${p.priorities.join("/")}, unicast`,
    );
    console.log(`  seed 004: HAProxy TCP check inter 2 s fall 3; keepalived \`killall -0 haproxy\` every 3 s fall 10, weight -2, priorities ${o.seedPriorities.join("/")}, multicast`);
    console.log(`            (killall -0 haproxy asked about the master's own namespace only: ${path.relative(process.cwd(), SEED_CHECK_SCRIPT)})`);

    const [haResults, seedResults] = await Promise.all([
      measure(ha.w, await startKubeHa(ha.w), ha.list, o.runs),
      measure(seed.w, await startSeed(seed.w, o.seedPriorities), seed.list, o.runs),
    ]);
    printTable(ha.list, haResults, seedResults, o.runs);
    console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s in all${o.keepLogs ? `; logs and configs kept in ${benches.map((b) => b.w.dir).join(" and ")}` : ""})`);
  } finally {
    for (const b of benches) {
      b.probe.stop();
      b.w.net.destroy();
    }
  }
}

main().catch((e) => {
  console.error(e);
  // The other configuration's runs may still be polling: end now (the exit hooks clean up).
  process.exit(1);
});
