import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMBERSHIP_EXIT } from "../../components/render/membership-script";
import {
  cleanup,
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
import { describeWrites } from "../support/etcd-writer";

// Five founding members on 127.0.0.51-55.
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster({ firstHost: 51, size: 5, founders: 5 });
}, 120_000);
afterAll(async () => {
  await cleanup(cluster);
});

describe("removal never costs quorum", () => {
  it("with 2 of 5 members dead, refuses to remove a third healthy one and removes a dead one", async () => {
    const writer = startWriter(cluster, "/test/quorum");
    try {
      const leader = await leaderName(cluster);
      const followers = ["m1", "m2", "m3", "m4", "m5"].filter((n) => n !== leader);
      const [deadA, deadB, healthy] = followers as [string, string, string];
      await killMember(cluster, deadA);
      await killMember(cluster, deadB);

      const status = await runScript(cluster, healthy, ["status"]);
      expect(status.code).toBe(MEMBERSHIP_EXIT.unavailable);
      expect(status.stdout).toMatch(new RegExp(`^${deadA}\\s+voter\\s+no`, "m"));
      expect(status.stdout).toContain("5 voting members, 3 healthy; quorum 3; tolerates 0 more failure(s)");

      const refused = await removeMember(cluster, healthy);
      expect(refused.code, refused.stderr).toBe(MEMBERSHIP_EXIT.refused);
      expect(refused.stderr).toContain(`removing ${healthy} would leave 2 healthy of 4 voting members, below quorum 3`);
      expect((await membersSeen(cluster)).map((m) => m.name).sort()).toEqual(["m1", "m2", "m3", "m4", "m5"]);

      const removed = await removeMember(cluster, deadA);
      expect(removed.code, removed.stderr).toBe(0);
      expect((await membersSeen(cluster)).map((m) => m.name)).not.toContain(deadA);
      expect(await membersSeen(cluster)).toHaveLength(4);
    } finally {
      const report = await writer.stop();
      const check = await verifyAllAcknowledged(cluster, report);
      console.log(`[quorum] ${describeWrites(report)}; ${check.lost} acknowledged writes lost`);
      expect(check.lost).toBe(0);
      expect(report.acked.size).toBeGreaterThan(0);
    }
  }, 120_000);
});
