import { describe, expect, it } from "vitest";
import { NLB_HEALTH_CHECK_LIMITS, nlbHealthCheck, nlbHealthCheckProblems } from "../../components/platforms/aws/health-check";
import { awsNetworkLayout } from "../../components/platforms/aws/network-layout";
import { awsDescription, mastersPublicSource, mastersThroughNlb, securityRules } from "../../components/platforms/aws/firewall-rules";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import { parseClusterSpec } from "../../components/spec/validate";

const zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const planOf = (extra: Record<string, unknown> = {}) =>
  planControlPlane(parseClusterSpec({ cloud: "aws", region: "eu-west-1", replicaZones: zones, ...extra }));

describe("NLB health check", () => {
  it("is HTTPS GET /readyz on 6443 with the plan's interval, timeout and thresholds", () => {
    const plan = planOf({ healthCheck: { intervalSeconds: 10, timeoutSeconds: 4, healthyThreshold: 3, unhealthyThreshold: 2 } });
    expect(nlbHealthCheck(plan.loadBalancer)).toEqual({
      enabled: true,
      protocol: "HTTPS",
      port: "6443",
      path: "/readyz",
      matcher: "200",
      interval: 10,
      timeout: 4,
      healthyThreshold: 3,
      unhealthyThreshold: 2,
    });
  });

  it("accepts the spec's defaults", () => {
    expect(nlbHealthCheckProblems(planOf().loadBalancer, "")).toEqual([]);
  });

  it.each([
    ["intervalSeconds", { intervalSeconds: 3, timeoutSeconds: 2 }, "3"],
    ["timeoutSeconds", { intervalSeconds: 5, timeoutSeconds: 1 }, "1"],
  ])("refuses a %s the NLB does not allow, naming the key, the value and the range", (field, hc, value) => {
    const problems = nlbHealthCheckProblems(planOf({ healthCheck: hc }).loadBalancer, "kube-ha:");
    expect(problems).toHaveLength(1);
    const limits = NLB_HEALTH_CHECK_LIMITS[field as keyof typeof NLB_HEALTH_CHECK_LIMITS];
    expect(problems[0]).toMatchObject({ key: `kube-ha:healthCheck.${field}`, value });
    expect(problems[0]!.message).toContain(`${limits.min}–${limits.max}`);
  });
});

describe("security rules from the plan's open ports", () => {
  it("opens etcd 2379-2380 and the kubelet only to the masters' own group", () => {
    const rules = securityRules(planOf({ sshAllowedCidr: "192.0.2.0/24" }));
    const etcd = rules.filter((r) => r.ports && r.ports[0] <= 2380 && r.ports[1] >= 2379);
    expect(etcd).toHaveLength(1);
    expect(etcd[0]).toMatchObject({ group: "masters", direction: "ingress", ports: [2379, 2380], peer: { group: "masters" } });
    const kubelet = rules.filter((r) => r.ports?.[0] === 10250);
    expect(kubelet.map((r) => r.peer)).toEqual([{ group: "masters" }]);
  });

  it("puts the allowed CIDRs, the masters' group and the NAT gateways on the NLB's group; masters take 6443 only from the NLB and from masters", () => {
    const rules = securityRules(planOf({ apiServerAllowedCidrs: ["203.0.113.0/24", "198.51.100.0/24"] }));
    const lb6443 = rules.filter((r) => r.group === "loadBalancer" && r.direction === "ingress");
    expect(lb6443.map((r) => r.peer)).toEqual([
      { cidr: "203.0.113.0/24" },
      { cidr: "198.51.100.0/24" },
      { group: "masters" },
      { mastersPublic: "nat-gateways" },
    ]);
    expect(lb6443.every((r) => r.protocol === "tcp" && r.ports?.[0] === 6443 && r.ports[1] === 6443)).toBe(true);
    const masters6443 = rules.filter((r) => r.group === "masters" && r.direction === "ingress" && r.ports?.[0] === 6443);
    expect(masters6443.map((r) => r.peer)).toEqual([{ group: "loadBalancer" }, { group: "masters" }]);
  });

  it("admits ssh only when configured, from that CIDR", () => {
    expect(securityRules(planOf()).some((r) => r.ports?.[0] === 22)).toBe(false);
    const ssh = securityRules(planOf({ sshAllowedCidr: "192.0.2.0/24" })).filter((r) => r.ports?.[0] === 22);
    expect(ssh.map((r) => [r.group, r.peer])).toEqual([["masters", { cidr: "192.0.2.0/24" }]]);
  });

  it("lets the NLB send only 6443 to the masters", () => {
    const egress = securityRules(planOf()).filter((r) => r.group === "loadBalancer" && r.direction === "egress");
    expect(egress).toEqual([expect.objectContaining({ protocol: "tcp", ports: [6443, 6443], peer: { group: "masters" } })]);
  });

  it("gives every rule a unique id and a description AWS accepts", () => {
    const rules = securityRules(planOf({ sshAllowedCidr: "192.0.2.0/24" }));
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const r of rules) expect(r.description).toMatch(/^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/);
  });

  it("rewrites arrows and drops characters AWS refuses in descriptions", () => {
    expect(awsDescription("apiserver → kubelet (logs, exec) 'x' <y>")).toBe("apiserver to kubelet (logs, exec) x y");
  });
});

describe("masters reaching the API through the NLB", () => {
  const lbIngress = (extra: Record<string, unknown>) =>
    securityRules(planOf(extra)).filter((r) => r.group === "loadBalancer" && r.direction === "ingress").map((r) => r.peer);

  it("an internet-facing NLB sees masters behind NAT as their zone's NAT gateway Elastic IP", () => {
    const plan = planOf();
    expect(mastersPublicSource(plan, awsNetworkLayout(plan))).toBe("nat-gateways");
    expect(lbIngress({})).toContainEqual({ mastersPublic: "nat-gateways" });
  });

  it("an internet-facing NLB sees masters with public addresses as those addresses, not a NAT", () => {
    const peers = lbIngress({ assignPublicIp: true });
    expect(peers).toContainEqual({ mastersPublic: "instance-public-ips" });
    expect(peers).not.toContainEqual({ mastersPublic: "nat-gateways" });
  });

  it("an internal NLB admits masters by their group alone (private addresses): no public source", () => {
    for (const extra of [{ loadBalancerScheme: "internal" }, { loadBalancerScheme: "internal", assignPublicIp: true }]) {
      expect(lbIngress({ apiServerAllowedCidrs: ["10.0.0.0/8"], ...extra })).toEqual([{ cidr: "10.0.0.0/8" }, { group: "masters" }]);
    }
  });

  it("an existing network's NAT is unknown: no public source, and the report says to list it in the allowed CIDRs", () => {
    const plan = planOf({
      existingNetwork: {
        network: "vpc-0123456789abcdef0",
        subnets: zones.map((zone, i) => ({ zone, name: `subnet-0${i}`, cidr: `10.20.${i}.0/24` })),
        loadBalancerSubnets: ["subnet-public-a"],
      },
    });
    expect(mastersPublicSource(plan, awsNetworkLayout(plan))).toBeUndefined();
    expect(securityRules(plan).some((r) => "mastersPublic" in r.peer)).toBe(false);
    expect(mastersThroughNlb(plan).join("\n")).toContain("apiServerAllowedCidrs");
  });

  it("admits nothing from outside but the allowed CIDRs: every other NLB ingress peer is the masters", () => {
    for (const extra of [{}, { assignPublicIp: true }, { loadBalancerScheme: "internal" }]) {
      const others = lbIngress({ apiServerAllowedCidrs: ["192.0.2.0/24"], ...extra }).filter((p) => !("cidr" in p && p.cidr === "192.0.2.0/24"));
      expect(others.every((p) => ("group" in p && p.group === "masters") || "mastersPublic" in p)).toBe(true);
    }
  });
});
