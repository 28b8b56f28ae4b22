import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../components/cli/main";
import { placeholderPem } from "../../components/preview/mock-state";
import { previewStack } from "../../components/preview/preview-stack";
import { ProgramError } from "../../components/preview/run-program";
import { SpecError } from "../../components/spec/errors";

const REPO = path.join(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kube-ha-preview-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI in-process from `cwd`, capturing its output. */
async function cli(argv: string[], cwd = REPO) {
  let out = "";
  let err = "";
  const code = await main(argv, { cwd, stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}

/** A project directory with the repo's Pulumi.yaml and the given stack files. */
function project(stacks: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(tmp, "project-"));
  fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.mkdirSync(path.join(dir, "stacks"));
  for (const [name, text] of Object.entries(stacks)) fs.writeFileSync(path.join(dir, "stacks", `Pulumi.${name}.yaml`), text);
  return dir;
}

interface PreviewDoc {
  stack: string;
  resources: { type: string; name: string; parent: string | null; inputs: Record<string, unknown> }[];
  report: {
    cloud: string;
    replicasPerZone: Record<string, string[]>;
    etcd: { quorum: number; toleratedFailures: number };
    controlPlane: { masters: number; toleratedFailures: number; toleratedZoneFailures: number };
    loadBalancer: { failoverBudgetSeconds: number; healthCheck: { path: string; port: number } };
  };
}

describe("kube-ha preview (in-process, Pulumi mock runtime)", () => {
  it("previews gcp-ha when no --stack is given: resource tree, outputs and HA report", async () => {
    const { code, out, err } = await cli(["preview"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("offline preview of stack gcp-ha");
    expect(out).toMatch(/^ {2}kube-ha:index:GcpControlPlane {2}gcp-ha$/m);
    expect(out).toMatch(/^ {4}gcp:compute\/instance:Instance {2}\S+$/m);
    expect(out).toContain("adminKubeconfig: [secret]");
    expect(out).toContain("3 masters in 3 zones");
    expect(out).toContain("quorum 2");
    expect(out).toContain("Control plane: survives the loss of 1 master (with its etcd member) and of 1 whole zone");
    expect(out).toContain("failover budget: 13 s");
    expect(out).toMatch(/35\.191\.0\.0\/16, [^\n]*\n?[^\n]*\(Google health checkers\)/);
  });

  it("--json prints exactly { stack, resources: [{ type, name, parent, inputs }], report } with no private key material", async () => {
    const { code, out } = await cli(["preview", "--stack", "gcp-ha", "--json"]);
    expect(code).toBe(0);
    const doc = JSON.parse(out) as PreviewDoc;
    expect(Object.keys(doc).sort()).toEqual(["report", "resources", "stack"]);
    expect(doc.stack).toBe("gcp-ha");
    for (const r of doc.resources) expect(Object.keys(r).sort()).toEqual(["inputs", "name", "parent", "type"]);

    const instances = doc.resources.filter((r) => r.type === "gcp:compute/instance:Instance");
    expect(instances.map((i) => i.inputs["zone"]).sort()).toEqual(["europe-west1-b", "europe-west1-c", "europe-west1-d"]);
    expect(instances.every((i) => i.parent === "gcp-ha")).toBe(true);
    expect(doc.report.replicasPerZone).toEqual({ "europe-west1-b": ["master-b"], "europe-west1-c": ["master-c"], "europe-west1-d": ["master-d"] });
    expect(doc.report.etcd).toMatchObject({ quorum: 2, toleratedFailures: 1 });
    expect(doc.report.controlPlane).toMatchObject({ masters: 3, toleratedFailures: 1, toleratedZoneFailures: 1 });
    expect(doc.report.loadBalancer.failoverBudgetSeconds).toBe(13);

    // The mock cloud hands every tls.PrivateKey a known PEM: none of it may reach the JSON.
    const keys = doc.resources.filter((r) => r.type === "tls:index/privateKey:PrivateKey");
    expect(keys.length).toBeGreaterThan(10);
    for (const k of keys) {
      const pem = placeholderPem("PRIVATE KEY", k.name);
      expect(out).not.toContain(pem.split("\n")[1]);
    }
    expect(out).not.toMatch(/PRIVATE KEY-----/);
    expect(out).not.toMatch(/client-key-data:\s*(?!\[secret\])\S/);
    // Key material travels as secrets: the secret store's payload and every CA key input are redacted.
    const versions = doc.resources.filter((r) => r.type === "gcp:secretmanager/secretVersion:SecretVersion");
    expect(versions).toHaveLength(3);
    for (const v of versions) expect(v.inputs["secretData"]).toBe("[secret]");
    const signed = doc.resources.filter((r) => r.type === "tls:index/locallySignedCert:LocallySignedCert");
    for (const s of signed) expect(s.inputs["caPrivateKeyPem"]).toBe("[secret]");
  });

  it("--diagram writes an SVG naming every zone and master", async () => {
    const file = path.join(tmp, "gcp-ha.svg");
    const { code, out } = await cli(["preview", "--diagram", file]);
    expect(code).toBe(0);
    expect(out).toContain(`diagram written to ${file}`);
    const svg = fs.readFileSync(file, "utf8").replace(/&#45;/g, "-");
    expect(svg).toContain("<svg");
    for (const text of ["zone europe-west1-b", "zone europe-west1-c", "zone europe-west1-d", "master-b", "master-c", "master-d"]) {
      expect(svg).toContain(text);
    }
  });

  it("previews the AWS example with the report for AWS", async () => {
    const { code, out } = await cli(["preview", "--stack", "aws-ha", "--json"]);
    expect(code).toBe(0);
    const doc = JSON.parse(out) as PreviewDoc;
    expect(doc.report.cloud).toBe("aws");
    expect(Object.keys(doc.report.replicasPerZone)).toHaveLength(3);
    expect(doc.resources.filter((r) => r.type === "aws:ec2/instance:Instance")).toHaveLength(3);
    expect(out).not.toMatch(/PRIVATE KEY-----/);
  });

  it("bad stack config exits non-zero with the spec's messages, and registers nothing", async () => {
    const bad = [
      "config:",
      "  kube-ha:cloud: gcp",
      "  kube-ha:region: europe-west1",
      "  kube-ha:replicaZones: [europe-west1-b, us-east1-c]",
      "  kube-ha:podCidr: 10.96.0.0/16",
    ].join("\n");
    const dir = project({ bad });
    const { code, out, err } = await cli(["preview", "--stack", "bad"], dir);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toContain("stack bad has invalid configuration; nothing was registered");
    expect(err).toContain('kube-ha:replicaZones[1] = "us-east1-c": not a zone of region europe-west1');
    expect(err).toContain("2 replica(s): a 2-replica etcd is less available than 1");
    expect(err).toContain("kube-ha:serviceCidr");

    const failure = await previewStack(dir, "bad").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProgramError);
    expect((failure as ProgramError).reason).toBeInstanceOf(SpecError);
    expect((failure as ProgramError).resources).toEqual([]);
  });

  it("an unknown stack is a clear error listing the stacks there are", async () => {
    const { code, err } = await cli(["preview", "--stack", "nope"]);
    expect(code).toBe(2);
    expect(err).toContain('unknown stack "nope"');
    expect(err).toMatch(/Stacks in .*stacks: aws-ha, gcp-ha, gcp-single/);
  });
});
