import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cleanup,
  joinMember,
  killMember,
  leaderName,
  membersSeen,
  removeMember,
  runScript,
  startCluster,
  startWriter,
  verifyAllAcknowledged,
  type TestCluster,
} from "../support/etcd-cluster";
import type { Writer } from "../support/etcd-writer";
import { describeWrites } from "../support/etcd-writer";

// Members on 127.0.0.41-45 (other etcd test files use other addresses).
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster({ firstHost: 41, size: 5, founders: 3 });
}, 120_000);
afterAll(async () => {
  await cleanup(cluster);
});

/** Runs `flow` with a writer going, then reads every acknowledged write back from every voter. */
async function withWriter(label: string, flow: (w: Writer) => Promise<void>): Promise<void> {
  const writer = startWriter(cluster, `/test/${label}`);
  try {
    await flow(writer);
  } finally {
    const report = await writer.stop();
    const check = await verifyAllAcknowledged(cluster, report);
    console.log(`[${label}] ${describeWrites(report)}; read back from ${Object.keys(check.missing).join(", ")}: ${check.lost} lost`);
    expect(report.acked.size).toBeGreaterThan(0);
    expect(check.lost).toBe(0);
  }
}

async function roles(): Promise<Record<string, "voter" | "learner">> {
  const out: Record<string, "voter" | "learner"> = {};
  for (const m of await membersSeen(cluster)) out[m.name ?? m.ID] = m.isLearner ? "learner" : "voter";
  return out;
}

describe("etcd membership through the rendered script", () => {
  it("bootstraps three voting members that report healthy in status", async () => {
    await withWriter("bootstrap", async () => {
      const status = await runScript(cluster, "m1", ["status"]);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/^m1\s+voter\s+yes/m);
      expect(status.stdout).toMatch(/^m3\s+voter\s+yes/m);
      expect(status.stdout.match(/^m\d\s+voter\s+yes\s+yes\s/gm)).toHaveLength(1);
      expect(status.stdout).toContain("3 voting members, 3 healthy; quorum 2");
    });
    expect(await roles()).toEqual({ m1: "voter", m2: "voter", m3: "voter" });
  });

  it("joins a 4th and a 5th member as learners and promotes each after it caught up, losing no acknowledged write", async () => {
    await withWriter("join", async () => {
      for (const name of ["m4", "m5"]) {
        const r = await joinMember(cluster, name);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toContain(`added ${name} as a learner`);
        expect(r.stderr).toContain(`promoted ${name} to a voting member`);
      }
    });
    expect(await roles()).toEqual({ m1: "voter", m2: "voter", m3: "voter", m4: "voter", m5: "voter" });
  }, 120_000);

  it("does nothing when join runs again on a member that is already a voter", async () => {
    const r = await joinMember(cluster, "m4");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("already a voting member");
    expect(Object.keys(await roles())).toHaveLength(5);
  }, 60_000);

  it("removes the leader after moving leadership to a healthy voter", async () => {
    const leader = await leaderName(cluster);
    expect(leader).toBeDefined();
    await withWriter("remove-leader", async () => {
      const r = await removeMember(cluster, leader!);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`${leader} leads: moving leadership to`);
    });
    expect(Object.keys(await roles())).not.toContain(leader);
    expect(Object.keys(await roles())).toHaveLength(4);
    expect(await leaderName(cluster)).not.toBe(leader);
  }, 90_000);

  it("removes a member whose machine is dead, and treats removing it again as done", async () => {
    const leader = await leaderName(cluster);
    const victim = cluster.members.get("m5")!.state === "running" && leader !== "m5" ? "m5" : "m4";
    await withWriter("remove-dead", async () => {
      await killMember(cluster, victim);
      const r = await removeMember(cluster, victim);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`removing voting member ${victim}`);
    });
    expect(Object.keys(await roles())).toHaveLength(3);
    const again = await removeMember(cluster, victim);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("already removed");
  }, 90_000);
});
