import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadStack } from "../../components/flows/stack-plan";
import { previewStack } from "../../components/preview/preview-stack";
import { ProgramError } from "../../components/preview/run-program";
import { SpecError } from "../../components/spec/errors";
import { type TempProject, tempPulumiProject } from "../support/fake-automation";

/**
 * Issue 9, item 9: the offline preview and the CLI flows read a stack file
 * through one reader, so the same file gets the same answer from both (and
 * the answer `pulumi up` would give): the same spec when it is good, the
 * same problems (key and message) when it is not.
 */

const made: TempProject[] = [];
afterAll(() => {
  for (const p of made) p.remove();
});

/** A project with these stack files (test/support/fake-automation.ts makes it). */
function project(stacks: Record<string, string>): string {
  const p = tempPulumiProject(stacks);
  made.push(p);
  return p.dir;
}

type Answer =
  | { ok: true; clusterName: string; version: string; masters: string[]; etcd: string; bootDiskSizeGb: number }
  | { ok: false; problems: string[] }
  | { ok: false; error: string };

function answerOf(e: unknown): Answer {
  const reason = e instanceof ProgramError ? e.reason : e;
  if (reason instanceof SpecError) return { ok: false, problems: reason.problems.map((p) => `${p.key}: ${p.message}`).sort() };
  return { ok: false, error: reason instanceof Error ? reason.message.replace(/^.*?: /, "") : String(reason) };
}

function answerOfPlan(spec: { clusterName: string; kubernetesVersion: { text: string }; machines: { bootDiskSizeGb: number } }, plan: { masters: { name: string; zone: string; address: string }[]; etcd: { topology: string } }): Answer {
  return {
    ok: true,
    clusterName: spec.clusterName,
    version: spec.kubernetesVersion.text,
    masters: plan.masters.map((m) => `${m.name} ${m.zone} ${m.address}`),
    etcd: plan.etcd.topology,
    bootDiskSizeGb: spec.machines.bootDiskSizeGb,
  };
}

async function viaPreview(dir: string, stack: string): Promise<Answer> {
  try {
    const p = await previewStack(dir, stack);
    return answerOfPlan(p.result.spec, p.result.plan);
  } catch (e) {
    return answerOf(e);
  }
}

function viaCli(dir: string, stack: string): Answer {
  try {
    const loaded = loadStack(path.join(dir, "stacks"), stack);
    return answerOfPlan(loaded.spec, loaded.plan);
  } catch (e) {
    return answerOf(e);
  }
}

const GCP = `config:
  kube-ha:cloud: gcp
  kube-ha:region: europe-west1
  kube-ha:replicaZones: [europe-west1-b, europe-west1-c, europe-west1-d]
`;
const AWS = `config:
  aws:region: eu-west-1
  kube-ha:cloud: aws
  kube-ha:region: eu-west-1
  kube-ha:replicaZones: [eu-west-1a, eu-west-1b, eu-west-1c]
`;

const CASES: { name: string; text: string; expect: "ok" | "refused"; key?: string }[] = [
  { name: "a good stack", text: GCP, expect: "ok" },
  // Pulumi reads a key without a namespace as the project's (kube-ha:bootDiskSizeGb).
  { name: "unprefixed keys", text: `${GCP}  bootDiskSizeGb: 80\n`, expect: "ok" },
  { name: "a key with no value", text: `${GCP}  kube-ha:sshAllowedCidr:\n`, expect: "refused", key: "kube-ha:sshAllowedCidr" },
  { name: "a key set to null", text: `${GCP}  kube-ha:machineImage: null\n`, expect: "refused", key: "kube-ha:machineImage" },
  {
    name: "AWS etcdTopology: external (AwsControlPlane builds stacked etcd only)",
    text: `${AWS}  kube-ha:etcdTopology: external\n  kube-ha:etcdZones: [eu-west-1a, eu-west-1b, eu-west-1c]\n`,
    expect: "refused",
    key: "kube-ha:etcdTopology",
  },
  { name: "a version YAML reads as a number", text: `${GCP}  kube-ha:kubernetesVersion: 1.30\n`, expect: "refused", key: "kube-ha:kubernetesVersion" },
  { name: "a malformed version", text: `${GCP}  kube-ha:kubernetesVersion: v1.35\n`, expect: "refused", key: "kube-ha:kubernetesVersion" },
  { name: "a quoted version", text: `${GCP}  kube-ha:kubernetesVersion: "1.34.2"\n`, expect: "ok" },
  { name: "a number written as a string", text: `${GCP}  kube-ha:bootDiskSizeGb: "60"\n`, expect: "ok" },
  { name: "Pulumi's legacy ns:config:key form", text: `${GCP}  kube-ha:config:clusterName: legacy\n`, expect: "ok" },
  { name: "a secure value of another namespace", text: `${GCP}  gcp:credentials:\n    secure: AAABAKz0\n`, expect: "ok" },
  { name: "a key defined twice", text: `${GCP}  kube-ha:region: europe-west4\n`, expect: "refused", key: "kube-ha:region" },
  { name: "an AWS NLB health check AWS refuses", text: `${AWS}  kube-ha:healthCheck: { intervalSeconds: 3, timeoutSeconds: 2 }\n`, expect: "refused" },
];

describe("preview and CLI flows give the same answer for the same stack file", () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.expect}`, async () => {
      const dir = project({ s: c.text });
      const cli = viaCli(dir, "s");
      const preview = await viaPreview(dir, "s");
      expect(cli).toEqual(preview);
      expect(cli.ok).toBe(c.expect === "ok");
      if (c.key) expect(cli.ok === false && "problems" in cli && cli.problems.some((p) => p.startsWith(`${c.key}:`))).toBe(true);
    }, 60_000);
  }

  it("reads an unprefixed key as the project's, with its value typed like the prefixed one", async () => {
    const dir = project({ s: `${GCP}  bootDiskSizeGb: 80\n` });
    expect(viaCli(dir, "s")).toMatchObject({ ok: true, bootDiskSizeGb: 80 });
  });

  it("names the key, its value and the fix for a key with no value", () => {
    const dir = project({ s: `${GCP}  kube-ha:sshAllowedCidr:\n` });
    expect(() => loadStack(path.join(dir, "stacks"), "s")).toThrow(/kube-ha:sshAllowedCidr = \(empty\): has no value: give it one, or delete the line/);
  });
});

describe("org-qualified stack names resolve to the short name's file, as Pulumi does", () => {
  for (const qualified of ["myorg/gcp-x", "myorg/myproject/gcp-x"]) {
    it(`${qualified} reads stacks/Pulumi.gcp-x.yaml, in the CLI flows and in the preview`, async () => {
      const dir = project({ "gcp-x": GCP });
      const cli = viaCli(dir, qualified);
      const preview = await viaPreview(dir, qualified);
      expect(cli).toMatchObject({ ok: true, clusterName: "gcp-x" });
      expect(preview).toEqual(cli);
    }, 60_000);
  }
});
