import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMBERSHIP_EXIT } from "../../components/render/membership-script";
import {
  cleanup,
  killMember,
  leaderName,
  runScript,
  startCluster,
  startWriter,
  verifyAllAcknowledged,
  type TestCluster,
} from "../support/etcd-cluster";
import { waitFor } from "../support/etcd-process";
import { describeWrites, longestGapAfter } from "../support/etcd-writer";

// Members on 127.0.0.71-73.
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster({ firstHost: 71, size: 3, founders: 3 });
}, 120_000);
afterAll(async () => {
  await cleanup(cluster);
});

describe("losing the leader of three", () => {
  it("elects another leader and writes resume, with the gap measured and nothing acknowledged lost", async () => {
    const writer = startWriter(cluster, "/test/leader-kill", { timeoutMs: 500 });
    try {
      await writer.firstAckAfter(Date.now());
      const leader = await leaderName(cluster);
      expect(leader).toBeDefined();
      const killedAt = Date.now();
      await killMember(cluster, leader!);
      await writer.firstAckAfter(killedAt, 30_000);
      // Right after the kill the survivors may still name the dead leader: wait for another one.
      const next = await waitFor(
        "a leader other than the killed one",
        async () => {
          const now = await leaderName(cluster);
          return now && now !== leader ? now : undefined;
        },
        20_000,
      );
      await writer.firstAckAfter(Date.now());
      const gap = longestGapAfter(writer.report, killedAt);
      const electionMs = cluster.plan.etcd.electionTimeoutMs;
      console.log(`[leader-kill] killed ${leader}; longest write gap ${gap} ms (election timeout ${electionMs} ms); new leader ${next}`);
      expect(gap).toBeLessThan(electionMs * 4);

      const status = await runScript(cluster, next, ["status"]);
      expect(status.code).toBe(MEMBERSHIP_EXIT.unavailable);
      expect(status.stdout).toMatch(new RegExp(`^${leader}\\s+voter\\s+no`, "m"));
      expect(status.stdout).toMatch(new RegExp(`^${next}\\s+voter\\s+yes\\s+yes`, "m"));
    } finally {
      const report = await writer.stop();
      const check = await verifyAllAcknowledged(cluster, report);
      console.log(`[leader-kill] ${describeWrites(report)}; ${check.lost} lost`);
      expect(check.lost).toBe(0);
    }
  }, 90_000);
});
