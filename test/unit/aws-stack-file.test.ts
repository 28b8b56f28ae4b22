import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type AwsControlPlaneArgs, planAwsControlPlane } from "../../components/platforms/aws/args";
import { failoverBudgetSeconds } from "../../components/plan/failover";
import { rawConfigFromStackFile } from "../../components/spec/stack-config";

describe("stacks/Pulumi.aws-ha.yaml", () => {
  it("plans 3 masters in 3 availability zones of one region, with NLB-compatible health checks", () => {
    const raw = rawConfigFromStackFile(readFileSync(new URL("../../stacks/Pulumi.aws-ha.yaml", import.meta.url), "utf8"));
    expect(raw["cloud"]).toBe("aws");
    const { cloud: _cloud, ...args } = raw;
    const { plan, layout } = planAwsControlPlane("aws-ha", args as unknown as AwsControlPlaneArgs);
    expect(plan.masters).toHaveLength(3);
    expect(new Set(plan.masters.map((m) => m.zone)).size).toBe(3);
    expect(plan.masters.every((m) => m.zone.startsWith(plan.spec.region))).toBe(true);
    expect(plan.etcd.toleratedFailures).toBe(1);
    expect(plan.loadBalancer.failoverBudgetSeconds).toBe(failoverBudgetSeconds(plan.spec.loadBalancer.healthCheck));
    expect(layout).toMatchObject({ kind: "new", natGateways: true, loadBalancerSubnets: "public" });
  });
});
