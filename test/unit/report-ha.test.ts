import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import { buildHaReport, toleratedZoneFailures } from "../../components/preview/ha-report";
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
    expect(from["apiserver-health"]!.join(" ")).toContain("35.191.0.0/16");
    expect(from["apiserver-health"]!.join(" ")).toContain("130.211.0.0/22");
    expect(from["etcd"]).toEqual(["masters only (network tag gcp-ha-master)"]);
    expect(report.ports.find((p) => p.name === "etcd")!.ports).toBe("2379-2380");
  });

  it("prints the zones, quorum, losses survived, health check and budget for a person", () => {
    const text = formatHaReport(report);
    expect(text).toContain("3 masters in 3 zones");
    expect(text).toMatch(/europe-west1-b\s+master-b \(10\.10\.\d+\.\d+\)/);
    expect(text).toContain("quorum 2");
    expect(text).toContain("survives the loss of 1 replica");
    expect(text).toContain("HTTPS GET /readyz on 6443, every 5 s, timeout 3 s");
    expect(text).toContain("failover budget: 13 s");
    expect(text).toContain("Warnings: none");
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

  it("the single-master example survives no loss and says so in its warnings", () => {
    const report = reportOf("gcp-single");
    expect(report.etcd).toMatchObject({ members: 1, quorum: 1, toleratedFailures: 0, toleratedZoneFailures: 0 });
    expect(report.warnings.join("\n")).toContain("one master: no high availability");
    expect(formatHaReport(report)).toContain("survives the loss of 0 replicas");
  });

  it("an internal AWS load balancer is admitted through the NLB's security group", () => {
    const report = buildHaReport("aws", planOf({
      cloud: "aws", region: "eu-west-1", replicaZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], loadBalancerScheme: "internal",
    }, "aws"));
    expect(report.loadBalancer.scheme).toBe("internal");
    expect(report.ports.find((p) => p.name === "apiserver-health")!.from).toEqual(["the NLB's security group (NLB health checks)"]);
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

describe("whole-zone losses survived", () => {
  it("counts the worst case: the most populated zones go first", () => {
    expect(toleratedZoneFailures([1, 1, 1], 2)).toBe(1);
    expect(toleratedZoneFailures([2, 2, 1], 3)).toBe(1);
    expect(toleratedZoneFailures([3, 1, 1], 3)).toBe(0);
    expect(toleratedZoneFailures([1, 1, 1, 1, 1], 3)).toBe(2);
    expect(toleratedZoneFailures([3], 2)).toBe(0);
  });
});
