import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { kubeHaProgram } from "../../components/program";
import { ProgramError, runProgramOnMocks } from "../../components/preview/run-program";
import { readStackConfig } from "../../components/preview/stack-files";
import { SpecError } from "../../components/spec/errors";

const REPO = path.join(__dirname, "..", "..");

async function runStack(stack: string, config: Record<string, string>) {
  return runProgramOnMocks({ project: "kube-ha", stack, config, program: kubeHaProgram, outputs: (r) => ({ ...r.outputs }) });
}

describe("the ready program (components/program.ts, run by index.ts)", () => {
  it("builds gcp-ha from stack config and exports endpoint, LB address, replicas, a secret kubeconfig and etcd figures", async () => {
    const { config } = readStackConfig(REPO, "gcp-ha");
    const run = await runStack("gcp-ha", config);
    expect(run.resources.filter((r) => r.type === "kube-ha:index:GcpControlPlane").map((r) => r.name)).toEqual(["gcp-ha"]);
    const out = run.outputs;
    expect(out["endpoint"]).toBe(`https://${String(out["loadBalancerAddress"])}:6443`);
    expect(out["replicas"]).toEqual(run.result.plan.masters.map((m) => ({ name: m.name, zone: m.zone, address: m.address })));
    expect(out["adminKubeconfig"]).toBe("[secret]");
    expect(await pulumi.isSecret(run.result.outputs.adminKubeconfig)).toBe(true);
    expect(out["etcdQuorum"]).toBe(2);
    expect(out["etcdToleratedFailures"]).toBe(1);
  });

  it("builds the AWS control plane when kube-ha:cloud is aws", async () => {
    const { config } = readStackConfig(REPO, "aws-ha");
    const run = await runStack("aws-ha", config);
    expect(run.resources.some((r) => r.type === "kube-ha:index:AwsControlPlane")).toBe(true);
    expect(run.resources.some((r) => r.type.startsWith("gcp:"))).toBe(false);
  });

  it("uses the stack name as the cluster name unless clusterName is set", async () => {
    const { config } = readStackConfig(REPO, "gcp-single");
    const run = await runStack("my-stack", config);
    expect(run.result.spec.clusterName).toBe("my-stack");
    expect(run.resources.find((r) => r.type === "kube-ha:index:GcpControlPlane")!.name).toBe("my-stack");
  });

  it("throws the SpecError with kube-ha: keys before registering anything when the config is bad", async () => {
    const failure = await runStack("bad", { "kube-ha:cloud": "gcp", "kube-ha:region": "europe-west1", "kube-ha:replicaZones": '["europe-west1-b","europe-west1-c"]', "kube-ha:bootDiskSizeGb": "5" }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProgramError);
    const { reason, resources } = failure as ProgramError;
    expect(resources).toEqual([]);
    expect(reason).toBeInstanceOf(SpecError);
    const keys = (reason as SpecError).problems.map((p) => p.key);
    expect(keys).toContain("kube-ha:bootDiskSizeGb");
  });

  it("reports a cloud component's own checks under kube-ha: keys, still before any registration", async () => {
    // The NLB refuses a 2 s interval; the cloud-neutral spec allows it.
    const failure = await runStack("aws-bad", {
      "kube-ha:cloud": "aws", "kube-ha:region": "eu-west-1", "kube-ha:replicaZones": '["eu-west-1a"]',
      "kube-ha:healthCheck": '{"intervalSeconds":2,"timeoutSeconds":2}',
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProgramError);
    expect((failure as ProgramError).resources).toEqual([]);
    expect(((failure as ProgramError).reason as SpecError).problems.map((p) => p.key)).toContain("kube-ha:healthCheck.intervalSeconds");
  });

  it("index.ts exports the program's outputs as the stack outputs", () => {
    const text = fs.readFileSync(path.join(REPO, "index.ts"), "utf8");
    for (const name of ["endpoint", "loadBalancerAddress", "replicas", "adminKubeconfig", "etcdQuorum", "etcdToleratedFailures"]) {
      expect(text).toMatch(new RegExp(`export const ${name} = outputs\\.${name};`));
    }
  });
});
