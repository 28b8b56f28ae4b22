import { describe, expect, it } from "vitest";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import { planAdd } from "../../components/plan/plan-add";
import { planRemove } from "../../components/plan/plan-remove";
import { planReplace } from "../../components/plan/plan-replace";
import { quorum, toleratedFailures } from "../../components/spec/quorum";
import type { ReplicaChange, Refusal, ReplicaChangeResult } from "../../components/plan/replica-change";
import { parseClusterSpec } from "../../components/spec/validate";
import type { ReplicaSpec } from "../../components/spec/cluster-spec";

const region = "europe-west1";
function planOf(replicas: ReplicaSpec[] | string[], extra: Record<string, unknown> = {}) {
  const list = replicas.map((r) => (typeof r === "string" ? { zone: r } : r));
  return planControlPlane(parseClusterSpec({ cloud: "gcp", region, replicas: list, allowEvenReplicaCount: list.length % 2 === 0, ...extra }));
}
const three = () => planOf(["europe-west1-b", "europe-west1-c", "europe-west1-d"]);
const ok = (r: ReplicaChangeResult): ReplicaChange => {
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r;
};
const refused = (r: ReplicaChangeResult): Refusal => {
  if (r.ok) throw new Error("expected a refusal");
  return r;
};

describe("quorum arithmetic", () => {
  it.each([
    [1, 1, 0],
    [2, 2, 0],
    [3, 2, 1],
    [4, 3, 1],
    [5, 3, 2],
    [7, 4, 3],
  ])("%i members need %i and survive %i losses", (n, q, f) => {
    expect(quorum(n)).toBe(q);
    expect(toleratedFailures(n)).toBe(f);
  });
});

describe("the control-plane plan", () => {
  it("spreads masters over zones with per-zone addresses, quorum and failover budget", () => {
    const plan = three();
    expect(plan.masters.map((m) => [m.name, m.zone, m.address])).toEqual([
      ["master-b", "europe-west1-b", "10.10.16.10"],
      ["master-c", "europe-west1-c", "10.10.32.10"],
      ["master-d", "europe-west1-d", "10.10.48.10"],
    ]);
    expect(plan.etcd).toMatchObject({ quorum: 2, toleratedFailures: 1 });
    expect(plan.etcd.members.map((m) => m.peerUrl)).toEqual(["https://10.10.16.10:2380", "https://10.10.32.10:2380", "https://10.10.48.10:2380"]);
    // 5 s interval × 2 failed probes + 3 s timeout
    expect(plan.loadBalancer.failoverBudgetSeconds).toBe(13);
    expect(plan.loadBalancer.healthCheck).toMatchObject({ protocol: "HTTPS", path: "/readyz", port: 6443 });
    expect(plan.kubernetes.apiServiceIp).toBe("10.96.0.1");
  });

  it("keeps a replica's name and address when replicas in other zones come and go", () => {
    const before = three().masters.find((m) => m.name === "master-d")!;
    const after = planOf(["europe-west1-c", "europe-west1-d", "europe-west1-b", "europe-west1-c", "europe-west1-b"]).masters.find((m) => m.name === "master-d")!;
    expect(after.address).toBe(before.address);
    const shrunk = planOf(["europe-west1-d"]).masters[0]!;
    expect([shrunk.name, shrunk.address]).toEqual([before.name, before.address]);
  });

  it("opens etcd only to masters and 6443 only to the allowed CIDRs, health checkers and masters", () => {
    const plan = planOf(["europe-west1-b"], { apiServerAllowedCidrs: ["203.0.113.0/24"] });
    const etcd = plan.ports.find((p) => p.ports[0] === 2379)!;
    expect(etcd.from.kind).toBe("masters");
    const api = plan.ports.filter((p) => p.ports[0] === 6443).map((p) => p.from);
    expect(api).toEqual([
      expect.objectContaining({ kind: "cidrs", cidrs: ["203.0.113.0/24"] }),
      expect.objectContaining({ kind: "health-checkers" }),
      expect.objectContaining({ kind: "masters" }),
    ]);
    // Only GCP's IAP range reaches 22 (the member-removal command's tunnel), and only without sshAllowedCidr.
    expect(plan.ports.filter((p) => p.ports[0] === 22).map((p) => p.from)).toEqual([
      expect.objectContaining({ kind: "cidrs", cidrs: ["35.235.240.0/20"] }),
    ]);
  });

  it("warns when every master is in one zone or one zone can take quorum with it", () => {
    const plan = planOf(["europe-west1-b", "europe-west1-b", "europe-west1-c"]);
    expect(plan.warnings.join("\n")).toMatch(/zone europe-west1-b holds 2 of 3 etcd members: losing it loses quorum/);
  });
});

describe("planAdd", () => {
  it("adds two zones at once (3 → 5), one stage and one learner join per replica", () => {
    const change = ok(planAdd(three(), { zones: ["europe-west1-b", "europe-west1-c"] }));
    expect(change.added.map((r) => r.name)).toEqual(["master-b-2", "master-c-2"]);
    expect(change.added.map((r) => r.address)).toEqual(["10.10.16.11", "10.10.32.11"]);
    expect(change.stages.map((s) => s.length)).toEqual([4, 5]);
    expect(change.quorum).toEqual({ before: 2, after: 3 });
    expect(change.toleratedFailures).toEqual({ before: 1, after: 2 });
    const actions = change.steps.filter((s) => s.replica === "master-b-2").map((s) => s.action);
    expect(actions).toEqual(["create-pki", "create-machine", "join-etcd-learner", "promote-etcd-member", "join-control-plane", "add-to-load-balancer"]);
    // existing replicas come back with their names and addresses written out
    expect(change.before).toEqual(three().masters.map((m) => ({ name: m.name, zone: m.zone, address: m.address })));
  });

  it("refuses 3 → 4 and suggests adding two", () => {
    const r = refused(planAdd(three(), { zones: ["europe-west1-b"] }));
    expect(r.code).toBe("even-count");
    expect(r.suggestion).toMatch(/add 2 at once to reach 5: --zone europe-west1-\w --zone europe-west1-\w/);
  });

  it("refuses landing on 2 unless forced", () => {
    const one = planOf(["europe-west1-b"]);
    expect(refused(planAdd(one, { zones: ["europe-west1-c"] })).code).toBe("two-replicas");
    const forced = ok(planAdd(one, { zones: ["europe-west1-c"], force: true }));
    expect(forced.forced).toBe(true);
    expect(forced.after).toHaveLength(2);
  });

  it("refuses a name that already exists, an invalid name and a zone outside the region", () => {
    expect(refused(planAdd(three(), { zones: ["europe-west1-b", "europe-west1-c"], names: ["master-c"] })).code).toBe("name-exists");
    expect(refused(planAdd(three(), { zones: ["europe-west1-b", "europe-west1-c"], names: ["Bad Name"] })).code).toBe("invalid-name");
    expect(refused(planAdd(three(), { zones: ["us-east1-b", "europe-west1-c"] })).code).toBe("zone-not-in-region");
  });

  it("refuses more than 7 without the override", () => {
    const seven = planOf(Array.from({ length: 7 }, (_, i) => `europe-west1-${"bcd"[i % 3]}`));
    expect(refused(planAdd(seven, { zones: ["europe-west1-b", "europe-west1-c"] })).code).toBe("too-many");
  });
});

describe("planRemove", () => {
  it("takes the replica out of the load balancer, then removes its etcd member from a survivor, then the machine", () => {
    const five = planOf(["europe-west1-b", "europe-west1-c", "europe-west1-d", "europe-west1-b", "europe-west1-c"]);
    const change = ok(planRemove(five, { name: "master-c-2" }, { force: true }));
    const actions = change.steps.map((s) => s.action);
    expect(actions).toEqual(["remove-from-load-balancer", "check-quorum", "move-etcd-leader", "remove-etcd-member", "delete-node-object", "delete-machine"]);
    expect(change.after.map((r) => r.name)).toEqual(["master-b", "master-c", "master-d", "master-b-2"]);
    // the survivors keep their addresses, now pinned
    expect(change.after.every((r) => r.address !== undefined)).toBe(true);
  });

  it("refuses landing on an even count above 2 (5 → 4) unless forced", () => {
    const five = planOf(["europe-west1-b", "europe-west1-c", "europe-west1-d", "europe-west1-b", "europe-west1-c"]);
    const r = refused(planRemove(five, { name: "master-c-2" }));
    expect(r.code).toBe("even-count");
    expect(r.reason).toMatch(/5 → 4 replicas: 4 etcd members tolerate no more failures than 3/);
    expect(r.suggestion).toMatch(/remove two to reach 3/);
  });

  it("keeps the Node object with keepNodes", () => {
    const change = ok(planRemove(three(), { name: "master-d" }, { force: true, keepNodes: true }));
    expect(change.steps.map((s) => s.action)).not.toContain("delete-node-object");
  });

  it("refuses the last replica even when forced", () => {
    expect(refused(planRemove(planOf(["europe-west1-b"]), { name: "master-b" }, { force: true })).code).toBe("last-replica");
  });

  it("refuses landing on 2 unless forced", () => {
    expect(refused(planRemove(three(), { name: "master-c" })).code).toBe("two-replicas");
    expect(ok(planRemove(three(), { name: "master-c" }, { force: true })).forced).toBe(true);
  });

  it("refuses a removal that would lose quorum, even when forced", () => {
    const five = planOf(["europe-west1-b", "europe-west1-c", "europe-west1-d", "europe-west1-b", "europe-west1-c"]);
    const r = refused(planRemove(five, { name: "master-d" }, { force: true, unhealthy: ["master-b", "master-c"] }));
    expect(r.code).toBe("quorum-loss");
    expect(r.reason).toMatch(/leaves 4 members of which 2 are healthy.*quorum of 4 is 3/);
  });

  it("refuses an unknown name and an ambiguous zone, naming the candidates", () => {
    expect(refused(planRemove(three(), { name: "master-x" })).reason).toMatch(/no replica named "master-x" \(replicas: master-b, master-c, master-d\)/);
    const five = planOf(["europe-west1-b", "europe-west1-c", "europe-west1-d", "europe-west1-b", "europe-west1-c"]);
    const r = refused(planRemove(five, { zone: "europe-west1-b" }));
    expect(r.code).toBe("ambiguous-zone");
    expect(r.reason).toMatch(/master-b, master-b-2/);
  });

  it("removes by zone when the zone holds exactly one replica", () => {
    expect(ok(planRemove(three(), { zone: "europe-west1-d" }, { force: true })).removed[0]!.name).toBe("master-d");
  });
});

describe("planReplace", () => {
  it("removes then re-adds the same name, zone and address in two stages", () => {
    const change = ok(planReplace(three(), "master-c"));
    expect(change.stages.map((s) => s.map((r) => r.name))).toEqual([
      ["master-b", "master-d"],
      ["master-b", "master-c", "master-d"],
    ]);
    expect(change.added[0]).toEqual({ name: "master-c", zone: "europe-west1-c", address: "10.10.32.10" });
    expect(change.steps[0]!.action).toBe("remove-from-load-balancer");
  });

  it("refuses to replace the only replica", () => {
    expect(refused(planReplace(planOf(["europe-west1-b"]), "master-b")).code).toBe("last-replica");
  });
});
