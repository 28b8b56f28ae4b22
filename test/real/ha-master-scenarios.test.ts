/**
 * kube-up's "HA-master" e2e scenarios, ported to kube-ha and run on real etcd:
 * the real planner (planAdd / planRemove / planReplace) makes each change, the
 * flow driver applies it stage by stage through the rendered membership
 * script, and after every stage the cluster has exactly the planned voters,
 * all healthy, a new key is written and every earlier key is read back from
 * every voter. A writer runs through each scenario: no acknowledged write is
 * lost.
 *
 * Addresses: the planner's own, in networks 127.81-84.0.0/16 (zone b's block
 * is 127.8x.16.0/20, c's .32.0/20, d's .48.0/20, masters from host 10); no
 * other test file uses them.
 */
import { afterAll, describe, expect, it } from "vitest";
import { planAdd } from "../../components/plan/plan-add";
import { planRemove } from "../../components/plan/plan-remove";
import { planReplace } from "../../components/plan/plan-replace";
import type { ReplicaChange, ReplicaChangeResult } from "../../components/plan/replica-change";
import {
  cleanup,
  killMember,
  leaderName,
  member,
  membersSeen,
  readThroughElection,
  runningVoters,
  runScript,
  startClusterFromPlan,
  startWriter,
  verifyAllAcknowledged,
  type TestCluster,
} from "../support/etcd-cluster";
import { put, rangePrefix } from "../support/etcd-http";
import { waitFor } from "../support/etcd-process";
import { describeWrites, type Writer } from "../support/etcd-writer";
import { applyChange, loopbackStack, watchMembership, type LoopbackStack } from "../support/flow-driver";

const B = "europe-west1-b";
const C = "europe-west1-c";
const D = "europe-west1-d";

const started: TestCluster[] = [];
afterAll(async () => {
  for (const c of started) await cleanup(c);
});

function ok(result: ReplicaChangeResult): ReplicaChange {
  if (!result.ok) throw new Error(`the planner refused: ${result.code}: ${result.reason}`);
  return result;
}

/** One scenario: a cluster founded from `stack`, a writer, a learner watch, and the keys written at each step. */
class Scenario {
  readonly keys = new Map<string, string>();
  /** The scenario's output, printed at once when it ends (passed or failed). */
  readonly lines: string[] = [];
  private step = 0;
  private constructor(
    readonly id: string,
    readonly cluster: TestCluster,
    public stack: LoopbackStack,
    readonly writer: Writer,
    readonly watch: ReturnType<typeof watchMembership>,
  ) {}

  static async start(id: string, stack: LoopbackStack): Promise<Scenario> {
    const cluster = await startClusterFromPlan(stack.plan, { founders: stack.plan.masters.length, timeoutSeconds: 60 });
    started.push(cluster);
    const s = new Scenario(id, cluster, stack, startWriter(cluster, `/writer/${id}`), watchMembership(cluster));
    try {
      await s.expectVoters("founded");
    } catch (e) {
      await s.close();
      console.log(s.lines.join("\n"));
      throw e;
    }
    return s;
  }

  log(line: string): void {
    this.lines.push(`[${this.id}] ${line}`);
  }

  /** Applies a planned change through the flow driver, checking the cluster after every stage. */
  async apply(what: string, change: ReplicaChange): Promise<void> {
    this.log(`${what}: ${change.before.length} → ${change.after.length} replicas in ${change.stages.length} stage(s), quorum ${change.quorum.before} → ${change.quorum.after}${change.forced ? " (forced)" : ""}`);
    const { stack } = await applyChange(this.cluster, this.stack, change, {
      log: (line) => this.log(`  ${line}`),
      afterStage: (stage) => this.expectVoters(`${what}, stage ${stage.index + 1}/${stage.of}`, stage.replicas.map((r) => r.name)),
    });
    this.stack = stack;
  }

  /**
   * Exactly the stack's replicas as voting members (no learner), all healthy
   * in the script's status, a new key written, and every key written so far
   * read back from every voter.
   */
  async expectVoters(when: string, names = this.stack.plan.masters.map((m) => m.name)): Promise<void> {
    const n = names.length;
    const list = await membersSeen(this.cluster);
    expect(list.map((m) => m.name).sort(), when).toEqual([...names].sort());
    expect(list.filter((m) => m.isLearner), `${when}: learners left`).toEqual([]);
    for (const m of list) expect(m.peerURLs, when).toEqual([member(this.cluster, m.name!).peerUrl]);
    expect(runningVoters(this.cluster).map((m) => m.name).sort(), when).toEqual([...names].sort());

    const status = await runScript(this.cluster, names[0]!, ["status"]);
    expect(status.code, `${when}: status\n${status.stdout}${status.stderr}`).toBe(0);
    expect(status.stdout).toContain(`${n} voting members, ${n} healthy; quorum ${Math.floor(n / 2) + 1}`);

    this.step += 1;
    const key = `/scenario/${this.id}/step-${String(this.step).padStart(2, "0")}`;
    const value = `${when} with ${n} voters`;
    await readThroughElection(() => put(member(this.cluster, names[this.step % n]!).clientUrl, this.cluster.tls, key, value, 5000));
    this.keys.set(key, value);
    for (const name of names) {
      const stored = await readThroughElection(() => rangePrefix(member(this.cluster, name).clientUrl, this.cluster.tls, `/scenario/${this.id}/`));
      expect(Object.fromEntries(stored), `${when}: keys read through ${name}`).toEqual(Object.fromEntries(this.keys));
    }
    this.log(`${when}: ${n} voting members (${[...names].sort().join(", ")}), all healthy, no learner; key ${this.step} written, ${this.keys.size} keys read back from each of ${n} voters`);
  }

  /** Stops the writer and the watch: zero acknowledged writes lost, never two learners at once. */
  async finish(): Promise<void> {
    const report = await this.writer.stop();
    const seen = await this.watch.stop();
    const check = await verifyAllAcknowledged(this.cluster, report);
    this.log(`writer: ${describeWrites(report)}; read back from ${Object.keys(check.missing).join(", ")}: ${check.lost} acknowledged writes lost`);
    this.log(`membership watch: ${seen.samples} samples, at most ${seen.maxMembers} members and ${seen.maxLearners} learner(s) at once`);
    expect(report.acked.size).toBeGreaterThan(10);
    expect(check.lost).toBe(0);
    expect(seen.samples).toBeGreaterThan(0);
    expect(seen.maxLearners).toBeLessThanOrEqual(1);
  }

  async close(): Promise<void> {
    await this.writer.stop();
    await this.watch.stop();
    await cleanup(this.cluster);
  }
}

async function scenario(id: string, stack: LoopbackStack, body: (s: Scenario) => Promise<void>): Promise<void> {
  const s = await Scenario.start(id, stack);
  const t0 = Date.now();
  try {
    await body(s);
    await s.finish();
    s.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await s.close();
    console.log(s.lines.join("\n"));
  }
}

describe("kube-up's HA-master scenarios on real etcd, planned by the real planner", () => {
  it("grows 1 → 2 → 3 and shrinks 3 → 2 → 1 in one zone (the 2-replica steps only with --force)", async () => {
    await scenario("same-zone", loopbackStack("127.81.0.0/16", [{ zone: B }]), async (s) => {
      const refusedGrow = planAdd(s.stack.plan, { zones: [B] });
      expect(refusedGrow).toMatchObject({ ok: false, code: "two-replicas" });
      s.log(`1 → 2 without --force refused: ${!refusedGrow.ok && refusedGrow.reason}`);
      await s.apply("add-replica --zone b --force", ok(planAdd(s.stack.plan, { zones: [B], force: true })));
      await s.apply("add-replica --zone b", ok(planAdd(s.stack.plan, { zones: [B] })));
      expect(s.stack.plan.masters.map((m) => `${m.name}@${m.address}`)).toEqual(["master-b@127.81.16.10", "master-b-2@127.81.16.11", "master-b-3@127.81.16.12"]);

      expect(planRemove(s.stack.plan, { zone: B })).toMatchObject({ ok: false, code: "ambiguous-zone" });
      const refusedShrink = planRemove(s.stack.plan, { name: "master-b-3" });
      expect(refusedShrink).toMatchObject({ ok: false, code: "two-replicas" });
      s.log(`3 → 2 without --force refused: ${!refusedShrink.ok && refusedShrink.reason}`);
      await s.apply("remove-replica --name master-b-3 --force", ok(planRemove(s.stack.plan, { name: "master-b-3" }, { force: true })));
      await s.apply("remove-replica --name master-b-2", ok(planRemove(s.stack.plan, { name: "master-b-2" })));
      expect(planRemove(s.stack.plan, { name: "master-b" })).toMatchObject({ ok: false, code: "last-replica" });
    });
  }, 110_000);

  it("grows 1 → 2 → 3 and shrinks 3 → 2 → 1 across zones, removing the founding replica first", async () => {
    await scenario("multi-zone", loopbackStack("127.82.0.0/16", [{ zone: B }]), async (s) => {
      expect(planAdd(s.stack.plan, { zones: [C] })).toMatchObject({ ok: false, code: "two-replicas" });
      await s.apply("add-replica --zone c --force", ok(planAdd(s.stack.plan, { zones: [C], force: true })));
      await s.apply("add-replica --zone d", ok(planAdd(s.stack.plan, { zones: [D] })));
      expect(s.stack.plan.masters.map((m) => `${m.name}@${m.address}`)).toEqual(["master-b@127.82.16.10", "master-c@127.82.32.10", "master-d@127.82.48.10"]);
      expect(s.stack.plan.zones).toEqual([B, C, D]);

      expect(planRemove(s.stack.plan, { zone: B })).toMatchObject({ ok: false, code: "two-replicas" });
      await s.apply("remove-replica --zone b --force", ok(planRemove(s.stack.plan, { zone: B }, { force: true })));
      await s.apply("remove-replica --zone c", ok(planRemove(s.stack.plan, { zone: C })));
      expect(s.stack.plan.masters.map((m) => m.name)).toEqual(["master-d"]);
    });
  }, 110_000);

  it("grows 1 → 3 in one command: two stages (one pulumi up each), the members joining one at a time", async () => {
    await scenario("one-command", loopbackStack("127.83.0.0/16", [{ zone: B }]), async (s) => {
      const change = ok(planAdd(s.stack.plan, { zones: [C, D] }));
      expect(change.forced).toBe(false);
      expect(change.stages.map((st) => st.map((r) => r.name))).toEqual([
        ["master-b", "master-c"],
        ["master-b", "master-c", "master-d"],
      ]);
      const joins = change.steps.filter((st) => st.action === "join-etcd-learner" || st.action === "promote-etcd-member");
      expect(joins.map((st) => `${st.action} ${st.replica}`)).toEqual([
        "join-etcd-learner master-c",
        "promote-etcd-member master-c",
        "join-etcd-learner master-d",
        "promote-etcd-member master-d",
      ]);
      await s.apply("add-replica --zone c --zone d", change);
    });
  }, 110_000);

  it("replaces a failed replica: kill the leader's member, replace-replica, back to 3 healthy voters with nothing lost", async () => {
    await scenario("failed-replica", loopbackStack("127.84.0.0/16", [{ zone: B }, { zone: C }, { zone: D }]), async (s) => {
      // The hardest member to lose: the leader (writes stall for an election while the writer runs).
      const victim = await leaderName(s.cluster);
      expect(victim).toBeDefined();
      const planned = s.stack.plan.masters.find((m) => m.name === victim)!;
      const oldId = (await membersSeen(s.cluster)).find((m) => m.name === victim)!.ID;
      await killMember(s.cluster, planned.name);
      await waitFor("the survivors to elect a new leader", async () => {
        const now = await leaderName(s.cluster);
        return now !== undefined && now !== victim ? now : undefined;
      }, 20_000);
      const survivor = s.stack.plan.masters.find((m) => m.name !== victim)!.name;
      const status = await runScript(s.cluster, survivor, ["status"]);
      expect(status.code).toBe(3);
      expect(status.stdout).toContain("3 voting members, 2 healthy");
      s.log(`killed ${victim}'s etcd (the leader): ${status.stdout.trim().split("\n").pop()}`);

      const change = ok(planReplace(s.stack.plan, planned.name, { unhealthy: [planned.name] }));
      expect(change.stages.map((st) => st.length)).toEqual([2, 3]);
      expect(change.added).toEqual([{ name: planned.name, zone: planned.zone, address: planned.address }]);
      await s.apply(`replace-replica --name ${planned.name}`, change);

      const back = (await membersSeen(s.cluster)).find((m) => m.name === victim)!;
      expect(back.ID).not.toBe(oldId);
      expect(back.peerURLs).toEqual([`https://${planned.address}:2380`]);
      expect(member(s.cluster, planned.name).dataDir).toMatch(new RegExp(`members/${planned.name}\\.2/data$`));
    });
  }, 110_000);
});
