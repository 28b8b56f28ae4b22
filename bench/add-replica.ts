/**
 * Adding an etcd member under load, two ways, on real etcd (Debian's 3.4):
 *
 *   (a) kube-ha: the rendered membership script's `join` (learner, promoted
 *       only after it caught up);
 *   (b) kube-up: `member add` of a *voting* member, then start it.
 *
 * Each starts from a fresh 3-member TLS cluster on loopback loaded with
 * KUBE_HA_BENCH_MB megabytes of keys (default 200) and a steady writer; while
 * the new member is still catching up one original member is killed. Prints,
 * side by side: seconds until the new member is a caught-up voter, failed
 * writes, the longest write stall, and acknowledged writes lost. Then kills
 * the leader of a 3-member cluster a few times and prints the write gap
 * against etcd's election timeout.
 *
 * Run: npx tsx bench/add-replica.ts   (see bench/README.md). Not a test.
 */
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  cleanup,
  joinMember,
  killMember,
  leaderName,
  member,
  memberClientFiles,
  refreshStates,
  runningVoters,
  startCluster,
  startWriter,
  verifyAllAcknowledged,
  type TestCluster,
} from "../test/support/etcd-cluster";
import { memberStatus, put } from "../test/support/etcd-http";
import { sleep } from "../test/support/etcd-process";
import { longestGapAfter } from "../test/support/etcd-writer";

const run = promisify(execFile);
const MB = Number(process.env.KUBE_HA_BENCH_MB ?? 200);
const VALUE_BYTES = Number(process.env.KUBE_HA_BENCH_VALUE_KB ?? 16) * 1024;
const LOADERS = 16;
const FLOW_LIMIT_MS = 180_000;

interface Outcome {
  voterAfterS: number | undefined;
  failedWrites: number;
  stallS: number;
  lost: number;
  acked: number;
  note: string;
}

async function load(cluster: TestCluster, megabytes: number): Promise<number> {
  const total = Math.ceil((megabytes * 1024 * 1024) / VALUE_BYTES);
  const value = Buffer.alloc(VALUE_BYTES, "k");
  const eps = runningVoters(cluster).map((m) => m.clientUrl);
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: LOADERS }, async (_, w) => {
      for (let i = next++; i < total; i = next++) {
        for (let attempt = 0; ; attempt++) {
          try {
            await put(eps[(i + w + attempt) % eps.length]!, cluster.tls, `/load/${String(i).padStart(7, "0")}`, value, 10_000);
            break;
          } catch (e) {
            if (attempt > 5) throw e;
          }
        }
      }
    }),
  );
  return (Date.now() - started) / 1000;
}

/** Applied index of `name` and a running original member's last index, or undefined while either does not answer. */
async function lag(cluster: TestCluster, name: string): Promise<{ applied: number; leaderIndex: number } | undefined> {
  try {
    const reference = ["m1", "m2", "m3"].map((n) => member(cluster, n)).find((m) => m.state === "running");
    if (!reference) return undefined;
    const [mine, theirs] = await Promise.all([
      memberStatus(member(cluster, name).clientUrl, cluster.tls, 1000),
      memberStatus(reference.clientUrl, cluster.tls, 1000),
    ]);
    return { applied: Number((mine as { raftAppliedIndex?: string }).raftAppliedIndex ?? 0), leaderIndex: Number(theirs.raftIndex ?? 0) };
  } catch {
    return undefined;
  }
}

async function isVoter(cluster: TestCluster, name: string): Promise<boolean> {
  try {
    const s = await memberStatus(member(cluster, name).clientUrl, cluster.tls, 1000);
    return s.isLearner !== true;
  } catch {
    return false;
  }
}

/**
 * Kills a follower among the original members the moment `newName`'s etcd
 * process appears: it has no data yet, so it is certainly still catching up
 * (receiving the leader's snapshot).
 */
async function killWhileCatchingUp(cluster: TestCluster, newName: string, until: () => boolean): Promise<string> {
  const deadline = Date.now() + FLOW_LIMIT_MS;
  while (Date.now() < deadline && !until()) {
    refreshStates(cluster);
    if (member(cluster, newName).state === "running") {
      const leader = await leaderName(cluster);
      const victim = ["m2", "m3", "m1"].find((n) => n !== leader && member(cluster, n).state === "running")!;
      const l = await lag(cluster, newName);
      await killMember(cluster, victim);
      const where = l ? `${l.leaderIndex - l.applied} entries behind` : "not answering clients yet (catching up)";
      return `killed ${victim} as soon as ${newName}'s process ran (${where})`;
    }
    await sleep(10);
  }
  return `${newName} caught up before a member could be killed`;
}

async function scenario(way: "kube-ha" | "kube-up", firstHost: number): Promise<Outcome> {
  const cluster = await startCluster({ firstHost, size: 4, founders: 3, timeoutSeconds: 300 });
  try {
    const loadS = await load(cluster, MB);
    console.log(`  [${way}] loaded ${MB} MB in ${loadS.toFixed(1)} s`);
    const writer = startWriter(cluster, `/bench/${way}`, { timeoutMs: 1000 });
    await sleep(1000);
    const t0 = Date.now();
    let done = false;
    let voterAt: number | undefined;
    let flow: Promise<void>;
    if (way === "kube-ha") {
      flow = joinMember(cluster, "m4").then((r) => {
        if (r.code !== 0) throw new Error(`join failed (${r.code}):\n${r.stderr}`);
        voterAt = Date.now();
      });
    } else {
      flow = kubeUpAdd(cluster, "m4").then(async () => {
        while (Date.now() - t0 < FLOW_LIMIT_MS) {
          const l = await lag(cluster, "m4");
          if (l && l.leaderIndex - l.applied <= 10 && (await isVoter(cluster, "m4"))) {
            voterAt = Date.now();
            return;
          }
          await sleep(100);
        }
      });
    }
    flow = flow.finally(() => {
      done = true;
    });
    const note = await killWhileCatchingUp(cluster, "m4", () => done);
    await flow;
    await sleep(1000);
    const report = await writer.stop();
    const within = report.ackTimes.filter((t) => t >= t0);
    let stall = 0;
    let prev = t0;
    for (const t of within) {
      stall = Math.max(stall, t - prev);
      prev = t;
    }
    const check = await verifyAllAcknowledged(cluster, report);
    return {
      voterAfterS: voterAt === undefined ? undefined : (voterAt - t0) / 1000,
      failedWrites: report.failures,
      stallS: stall / 1000,
      lost: check.lost,
      acked: report.acked.size,
      note,
    };
  } finally {
    await cleanup(cluster);
  }
}

/** kube-up's order: add a voting member, then start it. */
async function kubeUpAdd(cluster: TestCluster, name: string): Promise<void> {
  const m = member(cluster, name);
  const from = runningVoters(cluster)[0]!;
  const tls = memberClientFiles(from);
  const { stdout: out } = await run(
    "etcdctl",
    ["--endpoints", from.clientUrl, "--cacert", tls.ca, "--cert", tls.cert, "--key", tls.key, "member", "add", name, `--peer-urls=${m.peerUrl}`],
    { env: { ...process.env, ETCDCTL_API: "3" }, encoding: "utf8" },
  );
  const initial = /^ETCD_INITIAL_CLUSTER="(.*)"$/m.exec(out)?.[1];
  if (!initial) throw new Error(`member add printed no initial cluster:\n${out}`);
  writeFileSync(join(m.configDir, "initial-cluster.yaml"), `initial-cluster: '${initial}'\ninitial-cluster-state: 'existing'\n`);
  const memberYaml = join(m.configDir, "member.yaml");
  writeFileSync(memberYaml, readFileSync(join(m.configDir, "config.yaml"), "utf8") + readFileSync(join(m.configDir, "initial-cluster.yaml"), "utf8"));
  await run("bash", [cluster.startHook], {
    env: { ...process.env, KUBE_HA_ETCD_MEMBER_CONFIG: memberYaml, KUBE_HA_TEST_PIDFILE: m.pidFile, KUBE_HA_TEST_LOG: m.logFile },
  });
  refreshStates(cluster);
  m.voter = true;
}

async function leaderKillGaps(rounds: number): Promise<{ gapsMs: number[]; electionMs: number; heartbeatMs: number }> {
  const cluster = await startCluster({ firstHost: 85, size: 3, founders: 3 });
  const gapsMs: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const writer = startWriter(cluster, `/bench/leader-kill-${i}`, { timeoutMs: 250, intervalMs: 5 });
      await writer.firstAckAfter(Date.now());
      const leader = (await leaderName(cluster))!;
      const killedAt = Date.now();
      await killMember(cluster, leader);
      await writer.firstAckAfter(killedAt, 60_000);
      await sleep(500);
      gapsMs.push(longestGapAfter(await writer.stop(), killedAt));
      // Bring the old leader back (its data is there: join only starts it) for the next round.
      member(cluster, leader).state = "absent";
      const r = await joinMember(cluster, leader);
      if (r.code !== 0) throw new Error(`restarting ${leader} failed:\n${r.stderr}`);
      member(cluster, leader).state = "running";
      await sleep(1000);
    }
    return { gapsMs, electionMs: cluster.plan.etcd.electionTimeoutMs, heartbeatMs: cluster.plan.etcd.heartbeatIntervalMs };
  } finally {
    await cleanup(cluster);
  }
}

function row(label: string, a: string, b: string): string {
  return `${label.padEnd(42)}${a.padEnd(24)}${b}`;
}

async function main(): Promise<void> {
  console.log(`add-replica bench: ${MB} MB of ${VALUE_BYTES / 1024} KiB values per cluster, ${execFileSync("etcd", ["--version"], { encoding: "utf8" }).split("\n")[0]}`);
  const ha = await scenario("kube-ha", 81);
  const up = await scenario("kube-up", 81);
  const s = (n: number | undefined) => (n === undefined ? `not within ${FLOW_LIMIT_MS / 1000} s` : `${n.toFixed(1)} s`);
  console.log("");
  console.log(row("", "(a) kube-ha", "(b) kube-up"));
  console.log(row("", "learner → promote", "voter added, then started"));
  console.log(row("new member a caught-up voter after", s(ha.voterAfterS), s(up.voterAfterS)));
  console.log(row("failed writes", String(ha.failedWrites), String(up.failedWrites)));
  console.log(row("write stall (longest gap between acks)", `${ha.stallS.toFixed(2)} s`, `${up.stallS.toFixed(2)} s`));
  console.log(row("acknowledged writes lost", `${ha.lost} of ${ha.acked}`, `${up.lost} of ${up.acked}`));
  console.log(`(a) ${ha.note}`);
  console.log(`(b) ${up.note}`);
  const kills = await leaderKillGaps(3);
  console.log("");
  console.log(
    `leader kill (3 members, heartbeat ${kills.heartbeatMs} ms, election timeout ${kills.electionMs} ms): write gaps ${kills.gapsMs.map((g) => `${g} ms`).join(", ")} ` +
      `(${kills.gapsMs.map((g) => (g / kills.electionMs).toFixed(2)).join(", ")} × the election timeout)`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
