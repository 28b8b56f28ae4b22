import { describe, expect, it } from "vitest";
import {
  AWS_NAME_LIMITS,
  awsClusterNameProblems,
  loadBalancerName,
  masterIdentityNamePrefix,
  securityGroupNamePrefix,
  targetGroupName,
} from "../../components/platforms/aws/naming";
import { MAX_CLUSTER_NAME } from "../../components/spec/names";

const LONGEST = "kube-prod-eu-west-1-blue";
const ELB = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const tg = { vpcId: "vpc-0123456789abcdef0", protocol: "TCP", port: 6443, targetType: "ip" };

describe("AWS physical names (components/platforms/aws/naming.ts)", () => {
  it(`fit AWS's limits for a ${MAX_CLUSTER_NAME}-character cluster name`, () => {
    expect(LONGEST).toHaveLength(MAX_CLUSTER_NAME);
    for (const name of [loadBalancerName(LONGEST), targetGroupName(LONGEST, tg)]) {
      expect(name.length, name).toBeLessThanOrEqual(AWS_NAME_LIMITS.elb);
      expect(name).toMatch(ELB);
    }
    expect(masterIdentityNamePrefix(LONGEST).length).toBeLessThanOrEqual(AWS_NAME_LIMITS.iamRolePrefix);
    expect(securityGroupNamePrefix(LONGEST, "api-lb").length).toBeLessThanOrEqual(AWS_NAME_LIMITS.securityGroupPrefix);
    expect(awsClusterNameProblems(LONGEST, "clusterName")).toEqual([]);
  });

  it("names the target group anew exactly when AWS would replace it, so the replacement can exist beside the old one", () => {
    const name = targetGroupName("prod", tg);
    expect(targetGroupName("prod", { ...tg })).toBe(name);
    for (const changed of [{ vpcId: "vpc-1" }, { port: 443 }, { protocol: "TLS" }, { targetType: "instance" }]) {
      expect(targetGroupName("prod", { ...tg, ...changed }), JSON.stringify(changed)).not.toBe(name);
    }
    expect(targetGroupName("staging", tg)).not.toBe(name.replace(/^prod/, "staging"));
    expect(name).toMatch(/^prod-[0-9a-f]{7}$/);
  });

  it("refuses cluster names AWS would refuse at the start of a derived name, naming the key, value and fix", () => {
    const [lb] = awsClusterNameProblems("internal-tools", "clusterName");
    expect(lb).toMatchObject({ key: "clusterName", value: '"internal-tools"' });
    expect(lb!.message).toMatch(/must not begin with "internal-".*pick a cluster name/);
    const [sg] = awsClusterNameProblems("sg-prod", "clusterName");
    expect(sg!.message).toMatch(/must not begin with "sg-".*pick a cluster name/);
    expect(awsClusterNameProblems("internals", "clusterName")).toEqual([]);
  });

  it("refuses a cluster name too long for a derived name, should the spec's maximum ever grow", () => {
    const problems = awsClusterNameProblems("a".repeat(30), "clusterName");
    expect(problems.map((p) => p.message).join("\n")).toMatch(/target group name .* over AWS's 32: use a cluster name of at most 24 characters/);
  });
});
