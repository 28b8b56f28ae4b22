/**
 * Real etcd clusters on loopback for tests, driven only through the rendered
 * membership script (components/render/membership-script.ts): each member on
 * its own 127.0.0.x address with the standard ports, TLS certificates minted
 * from the plan's cert specs (test/support/real-pki.ts), configuration from
 * the etcd renderer, and etcd started as a plain background process by the
 * script's start hook (no systemd here).
 *
 * Reusable by scenario tests: startCluster → joinMember / removeMember /
 * killMember with startWriter running → verifyAllAcknowledged → cleanup
 * (always, in afterAll). Use a distinct `firstHost` per test file so files
 * can run in parallel. For plans made by the planner (test/support/flow-driver.ts):
 * startClusterFromPlan, then mintPlannedMemberPki + prepareMember for each
 * replica a later stage adds.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { etcdMemberCertSpecs } from "../../components/plan/cert-specs";
import type { ControlPlanePlan } from "../../components/plan/types";
import { etcdMemberOf, renderEtcdConfig } from "../../components/render/etcd-config";
import { renderMembershipScript } from "../../components/render/membership-script";
import { PKI_FILES } from "../../components/plan/pki-files";
import { closeEtcdClients, memberList, memberStatus, rangePrefix, type EtcdClientTls, type EtcdHttpError, type GatewayMember } from "./etcd-http";
import { isAlive, killAndWait, pidsMentioning, readPid, requireBinaries, sleep } from "./etcd-process";
import { startWriter as startRawWriter, type Writer, type WriterReport } from "./etcd-writer";
import { loopbackPlan, mintCert, mintRealEtcdMember, mintRealPki, type RealPki } from "./real-pki";

/** The etcd release the tests run (Debian's). */
export const TEST_ETCD_VERSION = "3.4.23";

export interface TestMember {
  name: string;
  address: string;
  clientUrl: string;
  peerUrl: string;
  /** config.yaml (rendered), initial-cluster.yaml and member.yaml live here. */
  configDir: string;
  dataDir: string;
  pkiDir: string;
  pidFile: string;
  logFile: string;
  /** What the harness last saw: a process runs, was killed, or the member was removed. */
  state: "absent" | "running" | "killed" | "removed";
  /** True once bootstrap or join made it a voting member (until removed). */
  voter: boolean;
}

export interface TestCluster {
  dir: string;
  plan: ControlPlanePlan;
  pki: RealPki;
  /** The rendered membership script. */
  script: string;
  /** The start hook the script runs (starts etcd in the background, writes the pid file). */
  startHook: string;
  members: Map<string, TestMember>;
  /** A client certificate for the tests' own reads and writes (the apiserver's etcd client cert). */
  tls: EtcdClientTls;
  /** KUBE_HA_ETCD_TIMEOUT given to the script, seconds. */
  timeoutSeconds: number;
}

export interface StartClusterOptions {
  /** Members live on 127.0.0.<firstHost>, .<firstHost+1>, … (distinct per test file). */
  firstHost: number;
  /** Members in the plan (certificates and configs are made for all of them). */
  size: number;
  /** How many of them found the cluster with `bootstrap` (default 3; 0 starts nothing). */
  founders?: number;
  names?: string[];
  timeoutSeconds?: number;
}

export interface ScriptResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const START_HOOK = `#!/usr/bin/env bash
# Test start hook: runs etcd as a plain background process (no systemd in tests).
set -euo pipefail
if [ -s "$KUBE_HA_TEST_PIDFILE" ]; then
  pid=$(cat "$KUBE_HA_TEST_PIDFILE")
  if kill -0 "$pid" 2>/dev/null && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$pid/stat" 2>/dev/null; then exit 0; fi
fi
setsid etcd --config-file "$KUBE_HA_ETCD_MEMBER_CONFIG" >>"$KUBE_HA_TEST_LOG" 2>&1 </dev/null &
echo $! >"$KUBE_HA_TEST_PIDFILE"
`;

/** Mints the PKI, renders every member's files and the script, and bootstraps the founders. */
export async function startCluster(opts: StartClusterOptions): Promise<TestCluster> {
  const plan = loopbackPlan(opts.size, { firstHost: opts.firstHost, ...(opts.names ? { names: opts.names } : {}) });
  return startClusterFromPlan(plan, {
    founders: opts.founders ?? 3,
    ...(opts.timeoutSeconds !== undefined ? { timeoutSeconds: opts.timeoutSeconds } : {}),
  });
}

/**
 * Like startCluster, for a plan made elsewhere (e.g. by the planner from a
 * spec whose network is a 127.x.0.0/16 block of the test file's own): certs
 * and configs for every member of `plan`, the first `founders` bootstrapped.
 * Members a later stage adds: mintPlannedMemberPki, then prepareMember.
 */
export async function startClusterFromPlan(plan: ControlPlanePlan, opts: { founders: number; timeoutSeconds?: number }): Promise<TestCluster> {
  requireBinaries(["etcd", "etcdctl", "openssl"]);
  const dir = mkdtempSync(join(tmpdir(), "kube-ha-etcd-"));
  onOneHost(plan);
  const pki = await mintRealPki(join(dir, "pki"), plan);
  await addLoopbackSourceToPeerCerts(plan, pki);
  const startHook = join(dir, "start-member.sh");
  writeFileSync(startHook, START_HOOK, { mode: 0o755 });
  const script = join(dir, "kube-ha-etcd");
  writeFileSync(script, renderMembershipScript({ startCommand: `bash ${startHook}`, etcdctl: "etcdctl" }), { mode: 0o755 });

  const cluster: TestCluster = {
    dir,
    plan,
    pki,
    script,
    startHook,
    members: new Map(),
    tls: { ca: pki.etcdCa.cert, cert: pki.etcdClient.cert, key: pki.etcdClient.key },
    timeoutSeconds: opts.timeoutSeconds ?? 60,
  };
  for (const m of plan.etcd.members) prepareMember(cluster, plan, m.name);
  const founders = [...cluster.members.values()].slice(0, opts.founders);
  if (founders.length > 0) {
    try {
      await bootstrapMembers(cluster, founders.map((m) => m.name));
    } catch (e) {
      await cleanup(cluster);
      throw e;
    }
  }
  return cluster;
}

/** Members share one machine: metrics on each member's own address, not 127.0.0.1 (mutates `plan`). */
function onOneHost(plan: ControlPlanePlan): void {
  for (const m of plan.etcd.members) m.metricsUrl = `http://${m.address}:${plan.etcd.metricsPort}`;
}

/**
 * The machine of member `name` of `plan`: a fresh config dir (config.yaml
 * rendered from `plan`) and an empty data dir under the cluster's dir, as a
 * new VM with a new etcd disk would have. Replaces the harness's entry for
 * that name (a replaced replica gets new directories; its old ones stay).
 * Its certificates must exist already (startClusterFromPlan or mintPlannedMemberPki).
 */
export function prepareMember(cluster: TestCluster, plan: ControlPlanePlan, name: string): TestMember {
  onOneHost(plan);
  const m = etcdMemberOf(plan, name);
  const pkiDir = cluster.pki.memberDirs[name];
  if (!pkiDir) throw new Error(`no certificates for ${name}: mint them first`);
  let mdir = join(cluster.dir, "members", name);
  for (let generation = 2; existsSync(mdir); generation++) mdir = join(cluster.dir, "members", `${name}.${generation}`);
  const created: TestMember = {
    name: m.name,
    address: m.address,
    clientUrl: m.clientUrl,
    peerUrl: m.peerUrl,
    configDir: join(mdir, "config"),
    dataDir: join(mdir, "data"),
    pkiDir,
    pidFile: join(mdir, "etcd.pid"),
    logFile: join(mdir, "etcd.log"),
    state: "absent",
    voter: false,
  };
  mkdirSync(created.configDir, { recursive: true });
  const rendered = renderEtcdConfig(plan, m.name, {
    etcdVersion: TEST_ETCD_VERSION,
    listenLocalhost: false,
    dataDir: created.dataDir,
    pkiDir: created.pkiDir,
  });
  writeFileSync(join(created.configDir, "config.yaml"), rendered);
  cluster.members.set(m.name, created);
  return created;
}

/**
 * Mints member `name`'s etcd server and peer certificates from its cert
 * specs in `plan` with the cluster's etcd CA (fresh keys; an earlier set
 * for that name is overwritten; the peer cert with the etcd peer CA), with the loopback peer SAN of
 * addLoopbackSourceToPeerCerts.
 */
export async function mintPlannedMemberPki(cluster: TestCluster, plan: ControlPlanePlan, name: string): Promise<void> {
  await mintRealEtcdMember(cluster.pki, plan, name);
  await addLoopbackSourceToPeerCert(plan, cluster.pki, name);
}

/**
 * The one test-only change to the certificates. On one host every peer
 * connection leaves from 127.0.0.1 (the kernel's source address for
 * 127.0.0.0/8), not from the member's own 127.0.0.x, and etcd checks a peer
 * client certificate's SANs against the connection's source address (etcd
 * 3.4 cannot turn that check off from a config file). So each member's peer
 * certificate is re-minted from its cert spec with 127.0.0.1 added. On real
 * machines each peer connects from its own address, which the spec names.
 */
export async function addLoopbackSourceToPeerCerts(plan: ControlPlanePlan, pki: RealPki): Promise<void> {
  await Promise.all(plan.etcd.members.map((m) => addLoopbackSourceToPeerCert(plan, pki, m.name)));
}

async function addLoopbackSourceToPeerCert(plan: ControlPlanePlan, pki: RealPki, name: string): Promise<void> {
  const spec = etcdMemberCertSpecs(plan, name).peer;
  const base = join(pki.memberDirs[name]!, PKI_FILES.etcdPeer.cert.replace(/\.crt$/, ""));
  await mintCert(base, { ...spec, ipAddresses: [...spec.ipAddresses, "127.0.0.1"] }, pki.etcdPeerCa);
}

/** Runs `bootstrap` on every named member at once with the same initial cluster; throws if any fails. */
export async function bootstrapMembers(cluster: TestCluster, names: string[]): Promise<ScriptResult[]> {
  const initial = names.map((n) => `${n}=${member(cluster, n).peerUrl}`).join(",");
  const results = await Promise.all(
    names.map((n) => runScript(cluster, n, ["bootstrap"], { KUBE_HA_ETCD_INITIAL_CLUSTER: initial, ETCD_ENDPOINTS: "" })),
  );
  results.forEach((r, i) => {
    if (r.code !== 0) throw new Error(`bootstrap of ${names[i]} exited ${r.code}:\n${r.stderr}`);
    member(cluster, names[i]!).voter = true;
  });
  return results;
}

export function member(cluster: TestCluster, name: string): TestMember {
  const m = cluster.members.get(name);
  if (!m) throw new Error(`no member ${name} in this test cluster`);
  return m;
}

/** Members the harness believes are running voters. */
export function runningVoters(cluster: TestCluster): TestMember[] {
  return [...cluster.members.values()].filter((m) => m.voter && m.state === "running");
}

/** The environment the script sees on `name`'s machine; ETCD_ENDPOINTS = the running voters' client URLs. */
export function scriptEnv(cluster: TestCluster, name: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const m = member(cluster, name);
  const others = runningVoters(cluster).filter((o) => o.name !== name).map((o) => o.clientUrl);
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    KUBE_HA_ETCD_ENV_FILE: join(cluster.dir, "no-env-file"),
    KUBE_HA_ETCD_NAME: m.name,
    KUBE_HA_ETCD_PEER_URL: m.peerUrl,
    KUBE_HA_ETCD_CLIENT_URL: m.clientUrl,
    ETCD_ENDPOINTS: others.join(","),
    KUBE_HA_ETCD_CONFIG_DIR: m.configDir,
    KUBE_HA_ETCD_DATA_DIR: m.dataDir,
    KUBE_HA_PKI_DIR: m.pkiDir,
    KUBE_HA_ETCD_TIMEOUT: String(cluster.timeoutSeconds),
    KUBE_HA_ETCD_BACKOFF_MAX: "2",
    KUBE_HA_ETCD_DIAL_TIMEOUT: "1",
    KUBE_HA_ETCD_COMMAND_TIMEOUT: "5",
    KUBE_HA_TEST_PIDFILE: m.pidFile,
    KUBE_HA_TEST_LOG: m.logFile,
    ...extra,
  };
}

/** Runs the membership script as `name`'s machine would; never throws on a non-zero exit. */
export function runScript(cluster: TestCluster, name: string, args: string[], extraEnv: Record<string, string> = {}): Promise<ScriptResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [cluster.script, ...args], { env: scriptEnv(cluster, name, extraEnv), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const guard = setTimeout(() => child.kill("SIGKILL"), (cluster.timeoutSeconds + 60) * 1000);
    child.on("error", (e) => {
      clearTimeout(guard);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(guard);
      refreshStates(cluster);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Updates each member's state from its pid file. */
export function refreshStates(cluster: TestCluster): void {
  for (const m of cluster.members.values()) {
    if (m.state === "removed" || m.state === "killed") continue;
    const pid = readPid(m.pidFile);
    m.state = pid !== undefined && isAlive(pid) ? "running" : "absent";
  }
}

/** `join` on `name` (ETCD_ENDPOINTS: the running voters); marks it a voter when it exits 0. */
export async function joinMember(cluster: TestCluster, name: string, extraEnv: Record<string, string> = {}): Promise<ScriptResult> {
  const r = await runScript(cluster, name, ["join"], extraEnv);
  if (r.code === 0) member(cluster, name).voter = true;
  return r;
}

/**
 * `remove TARGET` run on `from` (default: the first running voter other than
 * the target). On exit 0 the target is marked removed and its process, if
 * any, is stopped.
 */
export async function removeMember(
  cluster: TestCluster,
  target: string,
  opts: { from?: string; args?: string[]; env?: Record<string, string> } = {},
): Promise<ScriptResult> {
  const from = opts.from ?? runningVoters(cluster).find((m) => m.name !== target)?.name;
  if (!from) throw new Error(`no running voter to run remove ${target} from`);
  const r = await runScript(cluster, from, ["remove", target, ...(opts.args ?? [])], opts.env ?? {});
  if (r.code === 0 && cluster.members.has(target)) {
    const t = member(cluster, target);
    const pid = readPid(t.pidFile);
    if (pid !== undefined) await killAndWait(pid);
    t.state = "removed";
    t.voter = false;
  }
  return r;
}

/** SIGKILLs the member's etcd process (its machine "dies"); the member stays in the cluster. */
export async function killMember(cluster: TestCluster, name: string): Promise<void> {
  const m = member(cluster, name);
  const pid = readPid(m.pidFile);
  if (pid === undefined) throw new Error(`${name} has no etcd process to kill`);
  await killAndWait(pid);
  m.state = "killed";
}

/** Starts a writer over the running voters (see test/support/etcd-writer.ts). */
export function startWriter(cluster: TestCluster, prefix: string, opts: { intervalMs?: number; timeoutMs?: number } = {}): Writer {
  return startRawWriter({
    prefix,
    tls: cluster.tls,
    endpoints: () => runningVoters(cluster).map((m) => m.clientUrl),
    ...(opts.intervalMs !== undefined ? { intervalMs: opts.intervalMs } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
  });
}

export interface ReadBack {
  /** Per running voter: acknowledged keys missing or with another value. */
  missing: Record<string, number>;
  /** Acknowledged writes missing on at least one voter. */
  lost: number;
  checked: number;
}

/** Reads every acknowledged key back from every running voter (linearizable reads through each). */
export async function verifyAllAcknowledged(cluster: TestCluster, report: WriterReport): Promise<ReadBack> {
  const missing: Record<string, number> = {};
  const lostKeys = new Set<string>();
  for (const m of runningVoters(cluster)) {
    const stored = await readThroughElection(() => rangePrefix(m.clientUrl, cluster.tls, `${report.prefix}/`));
    let n = 0;
    for (const [k, v] of report.acked) {
      if (stored.get(k) !== v) {
        n += 1;
        lostKeys.add(k);
      }
    }
    missing[m.name] = n;
  }
  return { missing, lost: lostKeys.size, checked: report.acked.size };
}

/**
 * Runs a request again (up to 10 times, 300 ms apart) while etcd
 * answers 503 (e.g. "leader changed": an election right after a kill); any
 * other error, or the last 503, is thrown.
 */
export async function readThroughElection<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (e) {
      if ((e as EtcdHttpError).status !== 503 || attempt >= 10) throw e;
      await sleep(300);
    }
  }
}

/** The member list as a running voter sees it (observation only; changes go through the script). */
export async function membersSeen(cluster: TestCluster): Promise<GatewayMember[]> {
  let last: unknown;
  for (const m of runningVoters(cluster)) {
    try {
      return await memberList(m.clientUrl, cluster.tls);
    } catch (e) {
      last = e;
    }
  }
  throw new Error(`no running voter answered member list: ${String(last)}`);
}

/** Name of the current leader as the running voters report it, or undefined. */
export async function leaderName(cluster: TestCluster): Promise<string | undefined> {
  const list = await membersSeen(cluster);
  for (const m of runningVoters(cluster)) {
    try {
      const s = await memberStatus(m.clientUrl, cluster.tls);
      if (s.leader && s.leader !== "0") return list.find((x) => x.ID === s.leader)?.name;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

/** Kills every etcd process this cluster started (by pid file and by its temp dir), then deletes the dir. */
export async function cleanup(cluster: TestCluster | undefined): Promise<void> {
  if (!cluster) return;
  for (const m of cluster.members.values()) {
    const pid = readPid(m.pidFile);
    if (pid !== undefined) await killAndWait(pid);
  }
  for (const pid of pidsMentioning(cluster.dir)) await killAndWait(pid);
  closeEtcdClients();
  if (!process.env.KUBE_HA_KEEP_TEST_DIRS) rmSync(cluster.dir, { recursive: true, force: true });
}

/** The client certificate files in a member's PKI dir (for etcdctl-style tools). */
export function memberClientFiles(m: TestMember): EtcdClientTls {
  return { ca: join(m.pkiDir, PKI_FILES.etcdCa.cert), cert: join(m.pkiDir, PKI_FILES.etcdServer.cert), key: join(m.pkiDir, PKI_FILES.etcdServer.key) };
}
