import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { AwsControlPlane } from "../../components/platforms/aws/control-plane";
import { main } from "../../components/cli/main";
import { GcpControlPlane } from "../../components/platforms/gcp/control-plane";
import { previewStack } from "../../components/preview/preview-stack";
import { ProgramError, runProgramOnMocks } from "../../components/preview/run-program";
import { kubeHaProgram } from "../../components/program";
import { SpecError } from "../../components/spec/errors";
import { cloudCall, cloudOutputs } from "../support/cloud-mocks";
import { installMocks } from "../support/pulumi-mocks";

/**
 * Issue 9, item 7: the cloud provider's region must be kube-ha's. A stack
 * with `aws:region: us-east-1` beside `kube-ha:region: eu-west-1` would build
 * everything in us-east-1; it is refused with the key, the value and the fix
 * before anything registers — through the program, the offline preview, and
 * the components used as a library (ambient config, or a provider passed in).
 */

const REPO = path.join(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kube-ha-region-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const ENV_KEYS = ["AWS_REGION", "AWS_DEFAULT_REGION", "GOOGLE_REGION", "GCLOUD_REGION", "CLOUDSDK_COMPUTE_REGION", "GOOGLE_ZONE", "GCLOUD_ZONE", "CLOUDSDK_COMPUTE_ZONE"];
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
function clearEnv(): void {
  for (const k of ENV_KEYS) delete process.env[k];
}
clearEnv();
afterEach(() => clearEnv());
afterAll(() => {
  for (const [k, v] of Object.entries(savedEnv)) if (v !== undefined) process.env[k] = v;
});

const AWS = { "kube-ha:cloud": "aws", "kube-ha:region": "eu-west-1", "kube-ha:replicaZones": '["eu-west-1a","eu-west-1b","eu-west-1c"]' };
const GCP = { "kube-ha:cloud": "gcp", "kube-ha:region": "europe-west1", "kube-ha:replicaZones": '["europe-west1-b","europe-west1-c","europe-west1-d"]' };

async function run(config: Record<string, string>) {
  return runProgramOnMocks({ project: "kube-ha", stack: "region", config, program: kubeHaProgram, outputs: (r) => ({ ...r.outputs }) });
}

/** Runs the program expecting a refusal: nothing registered, and the problem with this key. */
async function refused(config: Record<string, string>, key: string) {
  const failure = await run(config).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(ProgramError);
  const { reason, resources } = failure as ProgramError;
  expect(resources).toEqual([]);
  expect(reason).toBeInstanceOf(SpecError);
  const problem = (reason as SpecError).problems.find((p) => p.key === key);
  expect(problem, JSON.stringify((reason as SpecError).problems)).toBeDefined();
  return problem!;
}

describe("the program refuses a provider region that is not kube-ha:region, before registering anything", () => {
  it("aws:region us-east-1 beside kube-ha:region eu-west-1", async () => {
    const p = await refused({ ...AWS, "aws:region": "us-east-1" }, "aws:region");
    expect(p.value).toBe("us-east-1");
    expect(p.message).toMatch(/would build in us-east-1, while kube-ha:region is eu-west-1.*set aws:region to eu-west-1/);
  });

  it("AWS_REGION from the environment when aws:region is not set (the provider falls back to it)", async () => {
    process.env["AWS_REGION"] = "us-west-2";
    const p = await refused(AWS, "AWS_REGION");
    expect(p.value).toBe("us-west-2");
    expect(p.message).toMatch(/set aws:region: eu-west-1 in the stack .*or unset AWS_REGION/);
  });

  it("aws:region wins over the environment, as in the provider: a matching aws:region builds", async () => {
    process.env["AWS_REGION"] = "us-west-2";
    const { resources } = await run({ ...AWS, "aws:region": "eu-west-1" });
    expect(resources.some((r) => r.type === "aws:lb/loadBalancer:LoadBalancer")).toBe(true);
  });

  it("gcp:region europe-west4 beside kube-ha:region europe-west1", async () => {
    const p = await refused({ ...GCP, "gcp:region": "europe-west4" }, "gcp:region");
    expect(p.value).toBe("europe-west4");
    expect(p.message).toMatch(/default region is europe-west4, while kube-ha:region is europe-west1: set gcp:region to europe-west1 or remove it/);
  });

  it("gcp:zone outside kube-ha:region, and GOOGLE_REGION from the environment", async () => {
    process.env["GOOGLE_REGION"] = "us-central1";
    const zone = await refused({ ...GCP, "gcp:zone": "us-central1-a" }, "gcp:zone");
    expect(zone.message).toMatch(/default zone us-central1-a is not in kube-ha:region europe-west1/);
    await refused({ ...GCP, "gcp:zone": "us-central1-a" }, "GOOGLE_REGION");
  });

  it("matching gcp:region and gcp:zone build", async () => {
    const { resources } = await run({ ...GCP, "gcp:region": "europe-west1", "gcp:zone": "europe-west1-c" });
    expect(resources.some((r) => r.type === "gcp:compute/instance:Instance")).toBe(true);
  });
});

describe("the offline preview reads aws:region from the stack file and refuses the mismatch", () => {
  it("kube-ha preview exits non-zero naming aws:region, its value and the fix; nothing registered", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "project-"));
    fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.mkdirSync(path.join(dir, "stacks"));
    const stack = fs.readFileSync(path.join(REPO, "stacks", "Pulumi.aws-ha.yaml"), "utf8").replace("aws:region: eu-west-1", "aws:region: us-east-1");
    expect(stack).toContain("aws:region: us-east-1");
    fs.writeFileSync(path.join(dir, "stacks", "Pulumi.wrong-region.yaml"), stack);

    let err = "";
    const code = await main(["preview", "--stack", "wrong-region"], { cwd: dir, stdout: () => {}, stderr: (t) => void (err += t) });
    expect(code).toBe(1);
    expect(err).toContain("nothing was registered");
    expect(err).toMatch(/aws:region = "?us-east-1"?: the AWS provider would build in us-east-1, while kube-ha:region is eu-west-1/);

    const failure = await previewStack(dir, "wrong-region").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProgramError);
    expect((failure as ProgramError).resources).toEqual([]);
  });
});

describe("the components used as a library", () => {
  it("refuse the ambient provider's mismatched region before registering anything", async () => {
    const reg = await installMocks({ stack: "lib", outputs: cloudOutputs, call: cloudCall });
    pulumi.runtime.setAllConfig({ "aws:region": "us-east-1", "gcp:zone": "us-central1-a" });
    try {
      expect(() => new AwsControlPlane("a", { region: "eu-west-1", replicaZones: ["eu-west-1a"] })).toThrow(SpecError);
      expect(() => new GcpControlPlane("g", { region: "europe-west1", replicaZones: ["europe-west1-b"] })).toThrow(/gcp:zone/);
      expect(reg.resources).toEqual([]);
    } finally {
      pulumi.runtime.setAllConfig({});
    }
  });

  // A passed provider's region is known only once it resolves: a mismatch is then an error
  // diagnostic on the component, which fails the update (in the preview `pulumi up` runs first).
  it("report a passed provider whose region is not kube-ha's, given in the args or the component's options; accept a matching one", async () => {
    const errors = vi.spyOn(pulumi.log, "error").mockResolvedValue(undefined);
    try {
      const program = () => {
        const east = new aws.Provider("east", { region: "us-east-1" });
        const west = new aws.Provider("west", { region: "eu-west-1" });
        const inArgs = new AwsControlPlane("aw", { clusterName: "aw", region: "eu-west-1", replicaZones: ["eu-west-1a"], provider: east });
        const viaOpts = new AwsControlPlane("ao", { clusterName: "ao", region: "eu-west-1", replicaZones: ["eu-west-1a"] }, { providers: { aws: east } });
        new AwsControlPlane("ar", { clusterName: "ar", region: "eu-west-1", replicaZones: ["eu-west-1a"], provider: west });
        return { inArgs, viaOpts };
      };
      const run = await runProgramOnMocks({ project: "kube-ha", stack: "lib", config: {}, program, outputs: () => ({}) });
      expect(errors.mock.calls.map(([, resource]) => resource)).toEqual([run.result.inArgs, run.result.viaOpts]);
      for (const [message] of errors.mock.calls) {
        expect(message).toMatch(/provider\.region = "?us-east-1"?: the AWS provider would build in us-east-1, while region is eu-west-1.*create the provider passed to AwsControlPlane with region eu-west-1/);
      }
    } finally {
      errors.mockRestore();
    }
  });

  it("GCP: a passed provider's default region and zone must agree with kube-ha's region", async () => {
    const errors = vi.spyOn(pulumi.log, "error").mockResolvedValue(undefined);
    try {
      const program = () => {
        const p = new gcp.Provider("g4", { region: "europe-west4", zone: "europe-west4-a" });
        return new GcpControlPlane("gw", { clusterName: "gw", region: "europe-west1", replicaZones: ["europe-west1-b"], provider: p });
      };
      const run = await runProgramOnMocks({ project: "kube-ha", stack: "lib", config: {}, program, outputs: () => ({}) });
      expect(errors).toHaveBeenCalledTimes(1);
      const [message, resource] = errors.mock.calls[0]!;
      expect(resource).toBe(run.result);
      expect(message).toMatch(/provider\.region = "?europe-west4"?: .*\n.*provider\.zone = "?europe-west4-a"?: the GCP provider's default zone europe-west4-a is not in region europe-west1/);
    } finally {
      errors.mockRestore();
    }
  });
});
