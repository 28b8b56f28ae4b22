import { beforeAll, describe, expect, it } from "vitest";
import { planAwsControlPlane } from "../../components/platforms/aws/args";
import { AwsControlPlane } from "../../components/platforms/aws/control-plane";
import { GcpControlPlane } from "../../components/platforms/gcp/control-plane";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import { parseClusterSpec } from "../../components/spec/validate";
import { cloudCall, cloudOutputs, realisticVolumeIds } from "../support/cloud-mocks";
import { type MockRegistry, installMocks } from "../support/pulumi-mocks";

/**
 * The ready program parses and plans the stack config once and hands the
 * plan to the cloud's component (issue 10): the component builds from that
 * very plan, registers what it would have registered from the arguments, and
 * refuses a plan made for the other cloud.
 */

const gcpArgs = {
  clusterName: "once",
  region: "europe-west1",
  replicas: ["b", "c", "d"].map((l) => ({ name: `master-${l}`, zone: `europe-west1-${l}` })),
  apiServerAllowedCidrs: ["100.64.7.0/24"],
};
const awsArgs = {
  clusterName: "once",
  region: "eu-west-1",
  replicas: ["a", "b", "c"].map((l) => ({ name: `master-${l}`, zone: `eu-west-1${l}` })),
  apiServerAllowedCidrs: ["100.64.7.0/24"],
};

let reg: MockRegistry;
beforeAll(async () => {
  reg = await installMocks({ stack: "planned", outputs: cloudOutputs, call: cloudCall });
  realisticVolumeIds();
});

const shape = (prefix: string) =>
  reg.resources
    .filter((r) => r.name === prefix || r.name.startsWith(`${prefix}-`))
    .map((r) => `${r.type} ${r.name.slice(prefix.length)} ${JSON.stringify(r.inputs)}`)
    .sort();

describe("a control plane built from a plan", () => {
  it("GCP: uses the plan it is given and registers the same resources as the same arguments (the golden previews pin their inputs)", async () => {
    const plan = planControlPlane(parseClusterSpec({ ...gcpArgs, cloud: "gcp" }, { stackName: "once", keyPrefix: "kube-ha:" }));
    const fromPlan = new GcpControlPlane("p", { plan });
    new GcpControlPlane("a", gcpArgs);
    expect(fromPlan.plan).toBe(plan);
    await new Promise((r) => setTimeout(r, 300));
    expect(shape("p").length).toBeGreaterThan(20);
    expect(shape("p").map((s) => s.split(" ").slice(0, 2).join(" "))).toEqual(shape("a").map((s) => s.split(" ").slice(0, 2).join(" ")));
  });

  it("AWS: takes the plan as it is (no second parse), with the network layout made from it", () => {
    const plan = planControlPlane(parseClusterSpec({ ...awsArgs, cloud: "aws" }, { stackName: "once", keyPrefix: "kube-ha:" }));
    expect(planAwsControlPlane("once", { plan }).plan).toBe(plan);
    expect(new AwsControlPlane("q", { plan }).plan).toBe(plan);
  });

  it("refuses a plan made for the other cloud before registering anything", () => {
    const gcpPlan = planControlPlane(parseClusterSpec({ ...gcpArgs, cloud: "gcp" }, { stackName: "once" }));
    const before = reg.resources.length;
    expect(() => new AwsControlPlane("wrong", { plan: gcpPlan })).toThrow("a plan for gcp was given to the aws control plane");
    expect(reg.resources.length).toBe(before);
  });
});
