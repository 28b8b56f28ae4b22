import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import { buildHaReport, controlPlaneTolerance, toleratedZoneFailures } from "../../components/preview/ha-report";
import { formatHaReport } from "../../components/preview/report-text";
import { rawConfigFromStackFile } from "../../components/spec/stack-config";
import { parseClusterSpec } from "../../components/spec/validate";

const stackFile = (stack: string) => fs.readFileSync(path.join(__dirname, "..", "..", "stacks", `Pulumi.${stack}.yaml`), "utf8");
const planOf = (raw: Record<string, unknown>, stack: string) => planControlPlane(parseClusterSpec(raw, { stackName: stack }));
const reportOf = (stack: string) => buildHaReport(stack, planOf(rawConfigFromStackFile(stackFile(stack)), stack));

describe("the HA report of the gcp-ha example stack", () => {
  const report = reportOf("gcp-ha");

  it("has one master in each of 3 zones", () => {
    expect(report.replicasPerZone).toEqual({
      "europe-west1-b": ["master-b"],
      "europe-west1-c": ["master-c"],
      "europe-west1-d": ["master-d"],
    });
  });

  it("has etcd quorum 2, surviving the loss of 1 replica and of 1 whole zone", () => {
    expect(report.etcd).toMatchObject({ members: 3, quorum: 2, toleratedFailures: 1, toleratedZoneFailures: 1 });
    expect(report.controlPlane).toEqual({ masters: 3, toleratedFailures: 1, toleratedZoneFailures: 1, criticalZones: [] });
  });

  it("derives the failover budget from the stack's health-check settings: 5 s × 2 failures + 3 s timeout = 13 s", () => {
    expect(report.loadBalancer.healthCheck).toEqual({
      protocol: "HTTPS", method: "GET", path: "/readyz", port: 6443,
      intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 2, unhealthyThreshold: 2,
    });
    expect(report.loadBalancer.failoverBudgetSeconds).toBe(13);
    expect(report.loadBalancer.scheme).toBe("external");
  });

  it("names the concrete sources of every open port: the allowed CIDRs, Google's probe ranges, the masters' tag", () => {
    const from = Object.fromEntries(report.ports.map((p) => [p.name, p.from]));
    expect(from["apiserver"]).toEqual(["203.0.113.0/24", "198.51.100.0/24"]);
    expect(from["apiserver-health"]).toContain("35.191.0.0/16");
    expect(report.ports.find((p) => p.name === "apiserver-health")!.sourcesNote).toBe("Google health checkers");
    expect(from["apiserver-health"]).toEqual(["35.191.0.0/16", "209.85.152.0/22", "209.85.204.0/22"]);
    expect(from["etcd"]).toEqual(["masters only (network tag gcp-ha-master)"]);
    expect(report.ports.find((p) => p.name === "etcd")!.ports).toBe("2379-2380");
  });

  it("prints the zones, quorum, losses survived, health check and budget for a person", () => {
    const text = formatHaReport(report);
    expect(text).toContain("3 masters in 3 zones");
    expect(text).toMatch(/europe-west1-b\s+master-b \(10\.10\.\d+\.\d+\)/);
    expect(text).toContain("quorum 2");
    expect(text).toContain("Control plane: survives the loss of 1 master (with its etcd member) and of 1 whole zone; writes stop beyond that");
    expect(text).toMatch(/35\.191\.0\.0\/16, 209\.85\.152\.0\/22, [^\n]*\n?[^\n]*\(Google health checkers\)/);
    expect(text.match(/Google health checkers/g)).toHaveLength(1);
    expect(text).toContain("HTTPS GET /readyz on 6443, every 5 s, timeout 3 s");
    expect(text).toContain("failover budget: 13 s");
    expect(text).toContain("holds only documentation ranges: no real machine can reach the endpoint");
  });
});

describe("the HA report follows the config", () => {
  it("a slower health check gives a longer failover budget (10 s × 3 + 5 s = 35 s)", () => {
    const report = buildHaReport("slow", planOf({
      cloud: "gcp", region: "europe-west1", replicaZones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"],
      healthCheck: { intervalSeconds: 10, timeoutSeconds: 5, unhealthyThreshold: 3 },
    }, "slow"));
    expect(report.loadBalancer.failoverBudgetSeconds).toBe(35);
    expect(formatHaReport(report)).toContain("10 s interval × 3 failed probes + 5 s timeout");
  });

  it("the single-master example survives no loss, says so plainly, and calls its failover budget moot", () => {
    const report = reportOf("gcp-single");
    expect(report.etcd).toMatchObject({ members: 1, quorum: 1, toleratedFailures: 0, toleratedZoneFailures: 0 });
    expect(report.controlPlane).toEqual({
      masters: 1, toleratedFailures: 0, toleratedZoneFailures: 0,
      criticalZones: [{ zone: "us-central1-a", costs: ["etcd quorum", "every master"] }],
    });
    expect(report.warnings.join("\n")).toContain("one master: no high availability");
    const text = formatHaReport(report);
    expect(text).toContain("Control plane: does not survive the loss of its only master\n");
    expect(text).not.toMatch(/survives the loss of 0|0 whole zones/);
    expect(text).toContain("failover budget: moot with one master (no other backend to route to)");
    expect(text).not.toContain("from a dead apiserver to the LB routing around it");
  });

  it("an internal AWS load balancer is admitted through the NLB's security group", () => {
    const report = buildHaReport("aws", planOf({
      cloud: "aws", region: "eu-west-1", replicaZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], loadBalancerScheme: "internal",
    }, "aws"));
    expect(report.loadBalancer.scheme).toBe("internal");
    expect(report.ports.find((p) => p.name === "apiserver-health")!.from).toEqual(["the NLB's security group (NLB health checks)"]);
    expect(report.ports.find((p) => p.name === "apiserver-health")!.sourcesNote).toBeUndefined();
    expect(report.ports.find((p) => p.name === "etcd")!.from[0]).toContain("security group");
  });

  it("says how AWS masters reach the endpoint: their group, plus the NAT addresses for an internet-facing NLB", () => {
    const zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
    const external = buildHaReport("aws", planOf({ cloud: "aws", region: "eu-west-1", replicaZones: zones }, "aws"));
    expect(external.ports.find((p) => p.name === "apiserver-masters")!.from).toEqual([
      "masters only (the masters' own security group, self-referencing)",
      "masters through the NLB: the masters' security group (private addresses)",
      "masters through the internet-facing NLB: each zone's NAT gateway Elastic IP /32",
    ]);
    const internal = buildHaReport("aws", planOf({ cloud: "aws", region: "eu-west-1", replicaZones: zones, loadBalancerScheme: "internal" }, "aws"));
    expect(internal.ports.find((p) => p.name === "apiserver-masters")!.from).toHaveLength(2);
    // etcd stays masters-only: nothing reaches it through the NLB
    expect(internal.ports.find((p) => p.name === "etcd")!.from).toEqual(["masters only (the masters' own security group, self-referencing)"]);
  });
});

describe("the AWS report says once how the allowed CIDRs are admitted", () => {
  it("lists the CIDRs plainly, with one note that they come through the NLB's security group, on readable lines", () => {
    const report = reportOf("aws-ha");
    const api = report.ports.find((p) => p.name === "apiserver")!;
    expect(api.from).toEqual(["203.0.113.0/24", "198.51.100.0/24"]);
    expect(api.sourcesNote).toBe("all through the NLB's security group");
    const text = formatHaReport(report);
    expect(text.match(/through the NLB's security group/g)).toHaveLength(1);
    expect(text).toMatch(/apiserver {2,}to master from 203\.0\.113\.0\/24, 198\.51\.100\.0\/24\n\s+\(all through the NLB's security group\)\n/);
    const ports = text.slice(text.indexOf("Open ports"), text.indexOf("Warnings"));
    // A line runs past 110 columns only when it holds one long source on its own.
    const sources = new Set(report.ports.flatMap((p) => p.from));
    for (const line of ports.split("\n").filter((l) => !/^\s+\(/.test(l) && l.length > 110)) {
      expect(sources, line).toContain(line.trim().replace(/,$/, ""));
    }
    expect(text).toMatch(/apiserver-masters {2}to master from:\n\s+masters only [^\n]*,\n\s+masters through the NLB: [^\n]*,\n/);
  });
});

const ZONES = ["europe-west1-b", "europe-west1-c", "europe-west1-d"];
const gcp = (extra: Record<string, unknown>, stack = "ext") =>
  buildHaReport(stack, planOf({ cloud: "gcp", region: "europe-west1", ...extra }, stack));

describe("the HA report of the whole control plane: masters and etcd members together", () => {
  it("external etcd in 3 zones behind 1 master: etcd alone survives a member and a zone, the control plane survives nothing", () => {
    const report = gcp({ replicaZones: ["europe-west1-b"], etcdTopology: "external", etcdZones: ZONES });
    expect(report.etcd).toMatchObject({ topology: "external", members: 3, quorum: 2, toleratedFailures: 1, toleratedZoneFailures: 1 });
    expect(report.etcd.nodes.map((n) => n.zone)).toEqual(ZONES);
    expect(report.controlPlane).toEqual({
      masters: 1, toleratedFailures: 0, toleratedZoneFailures: 0,
      criticalZones: [{ zone: "europe-west1-b", costs: ["every master"] }],
    });
    const text = formatHaReport(report);
    expect(text).toContain("Control plane: does not survive the loss of its only master\n");
    expect(text).toContain("etcd alone survives the loss of 1 etcd member and of 1 whole zone\n");
    expect(text).toMatch(/^ {2}europe-west1-d\s+etcd-d \(10\.10\.\d+\.\d+\)$/m);
    expect(text).not.toMatch(/survives the loss of 1 replica|survives the loss of 1 master/);
    expect(text).toContain("failover budget: moot with one master");
  });

  it("external etcd with 3 masters in 3 zones: any one machine, master or etcd member, and any one zone", () => {
    const report = gcp({ replicaZones: ZONES, etcdTopology: "external", etcdZones: ZONES });
    expect(report.controlPlane).toEqual({ masters: 3, toleratedFailures: 1, toleratedZoneFailures: 1, criticalZones: [] });
    expect(formatHaReport(report)).toContain(
      "Control plane: survives the loss of any 1 machine (a master or an etcd member) and of 1 whole zone; writes stop beyond that",
    );
  });

  it("external etcd all in one zone: masters spread over 3 zones do not help; the report names the zone that costs quorum", () => {
    const report = gcp({ replicaZones: ZONES, etcdTopology: "external", etcdZones: ["europe-west1-c", "europe-west1-c", "europe-west1-c"] });
    expect(report.controlPlane).toMatchObject({ toleratedFailures: 1, toleratedZoneFailures: 0, criticalZones: [{ zone: "europe-west1-c", costs: ["etcd quorum"] }] });
    const text = formatHaReport(report);
    expect(text).toContain("etcd alone survives the loss of 1 etcd member but not of a whole zone");
    expect(text).toContain("but not of a whole zone: losing europe-west1-c costs etcd quorum");
  });

  it("stacked masters crowded into one zone of two: the report names that zone instead of saying 0 whole zones", () => {
    const report = gcp({ replicaZones: ["europe-west1-b", "europe-west1-b", "europe-west1-c"] }, "skew");
    expect(report.controlPlane).toMatchObject({ toleratedFailures: 1, toleratedZoneFailures: 0 });
    const text = formatHaReport(report);
    expect(text).toContain(
      "Control plane: survives the loss of 1 master (with its etcd member) but not of a whole zone: losing europe-west1-b costs etcd quorum\n",
    );
    expect(text).not.toContain("0 whole zones");
  });

  it("three stacked masters in one zone: losing it costs etcd quorum and every master", () => {
    const report = gcp({ replicaZones: ["europe-west1-b", "europe-west1-b", "europe-west1-b"] }, "one-zone");
    expect(report.controlPlane.criticalZones).toEqual([{ zone: "europe-west1-b", costs: ["etcd quorum", "every master"] }]);
    expect(formatHaReport(report)).toContain("losing europe-west1-b costs etcd quorum and every master");
  });

  it("two stacked masters survive no loss: etcd needs both", () => {
    const report = gcp({ replicaZones: ["europe-west1-b", "europe-west1-c"], allowEvenReplicaCount: true }, "two");
    expect(report.controlPlane).toMatchObject({ masters: 2, toleratedFailures: 0, toleratedZoneFailures: 0 });
    expect(formatHaReport(report)).toContain("Control plane: does not survive the loss of any master: each carries an etcd member and etcd needs 2 of 2");
  });
});

describe("control-plane tolerance: min(etcd's, masters − 1) for machines; masters and etcd members both count for zones", () => {
  it("takes the smaller of etcd's tolerance and the masters left", () => {
    expect(controlPlaneTolerance({ a: 1 }, { a: 1, b: 1, c: 1 }, 2, 1)).toMatchObject({ toleratedFailures: 0, toleratedZoneFailures: 0 });
    expect(controlPlaneTolerance({ a: 1, b: 1 }, { a: 1, b: 1, c: 1, d: 1, e: 1 }, 3, 2)).toMatchObject({ toleratedFailures: 1, toleratedZoneFailures: 1 });
    expect(controlPlaneTolerance({ a: 2, b: 2, c: 1 }, { a: 1, b: 1, c: 1 }, 2, 1)).toMatchObject({ toleratedFailures: 1, toleratedZoneFailures: 1 });
    expect(controlPlaneTolerance({ a: 1, b: 1, c: 1, d: 1, e: 1 }, { a: 1, b: 1, c: 1, d: 1, e: 1 }, 3, 2)).toMatchObject({ toleratedFailures: 2, toleratedZoneFailures: 2 });
  });

  it("names each zone whose loss alone stops the control plane, and why", () => {
    expect(controlPlaneTolerance({ a: 2, b: 1 }, { a: 1, b: 1, c: 1 }, 2, 1).criticalZones).toEqual([]);
    expect(controlPlaneTolerance({ a: 3 }, { a: 1, b: 2 }, 2, 1).criticalZones).toEqual([
      { zone: "a", costs: ["every master"] },
      { zone: "b", costs: ["etcd quorum"] },
    ]);
  });
});

describe("whole-zone losses survived", () => {
  it("counts the worst case: the most populated zones go first", () => {
    expect(toleratedZoneFailures([1, 1, 1], 2)).toBe(1);
    expect(toleratedZoneFailures([2, 2, 1], 3)).toBe(1);
    expect(toleratedZoneFailures([3, 1, 1], 3)).toBe(0);
    expect(toleratedZoneFailures([1, 1, 1, 1, 1], 3)).toBe(2);
    expect(toleratedZoneFailures([3], 2)).toBe(0);
  });
});
