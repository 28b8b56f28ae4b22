import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cleanup,
  joinMember,
  member,
  membersSeen,
  removeMember,
  startCluster,
  startWriter,
  verifyAllAcknowledged,
  type TestCluster,
} from "../support/etcd-cluster";
import { describeWrites } from "../support/etcd-writer";

// Members on 127.0.0.61-65.
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster({ firstHost: 61, size: 5, founders: 3 });
}, 120_000);
afterAll(async () => {
  await cleanup(cluster);
});

/** A start hook that kills the membership script itself: a crash right after `member add`. */
const CRASH_BEFORE_START = { KUBE_HA_ETCD_START: 'kill -KILL "$PPID"' };
/** Starts the member, then kills the script: a crash between start and promote. */
const crashAfterStart = (c: TestCluster) => ({ KUBE_HA_ETCD_START: `bash ${c.startHook} && kill -KILL "$PPID"` });

async function learnersByPeer(): Promise<Map<string, boolean>> {
  return new Map((await membersSeen(cluster)).map((m) => [m.peerURLs?.[0] ?? "", m.isLearner === true]));
}

describe("a join that crashed part-way", () => {
  it("is finished by re-running join after a crash between member add and start", async () => {
    const writer = startWriter(cluster, "/test/crash-before-start");
    try {
      const crashed = await joinMember(cluster, "m4", CRASH_BEFORE_START);
      expect(crashed.signal ?? crashed.code).toBe("SIGKILL");
      expect(crashed.stderr).toContain("added m4 as a learner");
      expect((await learnersByPeer()).get(member(cluster, "m4").peerUrl)).toBe(true);

      const again = await joinMember(cluster, "m4");
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain("m4 is already a learner (an earlier join stopped part-way): finishing it");
      expect((await learnersByPeer()).get(member(cluster, "m4").peerUrl)).toBe(false);
    } finally {
      const report = await writer.stop();
      const check = await verifyAllAcknowledged(cluster, report);
      console.log(`[crash-before-start] ${describeWrites(report)}; ${check.lost} lost`);
      expect(check.lost).toBe(0);
    }
  }, 120_000);

  it("can instead be rolled back with remove --peer-url, after which a fresh join works", async () => {
    const crashed = await joinMember(cluster, "m5", CRASH_BEFORE_START);
    expect(crashed.signal ?? crashed.code).toBe("SIGKILL");
    const peer = member(cluster, "m5").peerUrl;
    expect((await learnersByPeer()).has(peer)).toBe(true);
    const rolledBack = await removeMember(cluster, "m5", { args: ["--peer-url", peer] });
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    expect((await learnersByPeer()).has(peer)).toBe(false);
    member(cluster, "m5").state = "absent";
  }, 120_000);

  it("is finished by re-running join after a crash between start and promote", async () => {
    const writer = startWriter(cluster, "/test/crash-after-start");
    try {
      const crashed = await joinMember(cluster, "m5", crashAfterStart(cluster));
      expect(crashed.signal ?? crashed.code).toBe("SIGKILL");
      expect(member(cluster, "m5").state).toBe("running");
      expect((await learnersByPeer()).get(member(cluster, "m5").peerUrl)).toBe(true);

      const again = await joinMember(cluster, "m5");
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain("finishing it");
      expect((await membersSeen(cluster)).filter((m) => !m.isLearner)).toHaveLength(5);
    } finally {
      const report = await writer.stop();
      const check = await verifyAllAcknowledged(cluster, report);
      console.log(`[crash-after-start] ${describeWrites(report)}; ${check.lost} lost`);
      expect(check.lost).toBe(0);
    }
  }, 120_000);
});
