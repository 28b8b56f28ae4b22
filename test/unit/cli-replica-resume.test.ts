import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runReplicaCli } from "../../components/cli/replica-commands";
import { rawConfigFromStackFile } from "../../components/spec/stack-config";
import { FakeAutomation, type TempProject, tempPulumiProject } from "../support/fake-automation";

/**
 * What a replica command prints when it stops before the change is done —
 * `--no-up` on a change of several stages, or a `pulumi up` that fails
 * halfway — and proof that the printed commands, run from the stack file as
 * it was left, finish the change exactly as an uninterrupted run would.
 */

const REPO_STACKS = path.join(__dirname, "..", "..", "stacks");
const repoStack = (stack: string) => fs.readFileSync(path.join(REPO_STACKS, `Pulumi.${stack}.yaml`), "utf8");

const projects: TempProject[] = [];
afterEach(() => {
  while (projects.length > 0) projects.pop()!.remove();
});
function project(stack: string): TempProject {
  const p = tempPulumiProject({ [stack]: repoStack(stack) });
  projects.push(p);
  return p;
}

async function runCli(argv: string[], automation = new FakeAutomation(), cwd = process.cwd()) {
  let out = "";
  let err = "";
  const code = await runReplicaCli(argv, { automation, env: {}, cwd, stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err, automation };
}

type Replica = { name: string; zone: string; address?: string };
const replicasOf = (text: string) => rawConfigFromStackFile(text).replicas as Replica[];
const asSet = (rs: Replica[]) => rs.map((r) => `${r.name}/${r.zone}/${r.address}`).sort();
const configKeys = (text: string) => Object.keys((parse(text) as { config: Record<string, unknown> }).config);
const read = (p: TempProject, stack: string) => fs.readFileSync(p.file(stack), "utf8");

/** The indented command lines (numbered or not) of `pulumi up` or `kube-ha`, in order. */
function printed(text: string, what: "pulumi up" | "kube-ha"): string[] {
  const pattern = what === "kube-ha" ? /^kube-ha / : /^(\w+=\S+ )*pulumi up /;
  return text
    .split("\n")
    .filter((l) => l.startsWith("  "))
    .map((l) => l.replace(/^\s+(\d+\.\s+)?/, ""))
    .filter((l) => pattern.test(l));
}

/** Runs a printed `kube-ha …` line through the CLI (the test paths need no shell quoting). */
async function runPrinted(line: string, automation = new FakeAutomation()) {
  const [bin, ...argv] = line.split(" ");
  expect(bin).toBe("kube-ha");
  return runCli(argv, automation);
}

/** The final stack file of the same command run without interruption, in a fresh copy of the stack. */
async function uninterrupted(stack: string, argv: string[]): Promise<string> {
  const p = project(stack);
  const r = await runCli([...argv, "--stack", stack, "--stacks-dir", p.stacksDir]);
  expect(r.code).toBe(0);
  return read(p, stack);
}

describe("replace-replica --no-up", () => {
  it("writes only the removal stage and prints its up, then the add-replica that puts the replica back", async () => {
    const p = project("gcp-ha");
    const before = read(p, "gcp-ha");
    const r = await runCli(["replace-replica", "--stack", "gcp-ha", "--stacks-dir", p.stacksDir, "--name", "master-c", "--no-up"], undefined, p.dir);
    expect(r.code).toBe(0);
    expect(r.automation.selected).toEqual([]);

    const text = read(p, "gcp-ha");
    expect(text).not.toBe(before);
    expect(replicasOf(text).map((x) => x.name)).toEqual(["master-b", "master-d"]);
    expect(rawConfigFromStackFile(text).allowEvenReplicaCount).toBe(true);

    expect(r.out).toContain(`--no-up: wrote stage 1 of 2 to ${p.file("gcp-ha")}: 2 replicas (master-b, master-d)`);
    // Run from the project: no --cwd and no --stacks-dir needed.
    expect(r.out).toContain("  1. KUBE_HA_SKIP_MEMBER_REMOVAL=false KUBE_HA_KEEP_NODES=false pulumi up --stack gcp-ha\n");
    expect(r.out).toContain("  2. kube-ha add-replica --stack gcp-ha --zone europe-west1-c --name master-c\n");
    expect(r.out).toContain("do not put the old stack file back");
  });

  it("the printed add-replica, run after that up, brings back master-c with its zone and address", async () => {
    const want = await uninterrupted("gcp-ha", ["replace-replica", "--name", "master-c"]);
    const p = project("gcp-ha");
    const r = await runCli(["replace-replica", "--stack", "gcp-ha", "--stacks-dir", p.stacksDir, "--name", "master-c", "--no-up"]);
    const [add] = printed(r.out, "kube-ha");
    expect(add).toContain(`--stacks-dir ${p.stacksDir}`);
    const next = await runPrinted(add!);
    expect(next.code).toBe(0);
    expect(next.automation.ups).toHaveLength(1);
    expect(asSet(replicasOf(read(p, "gcp-ha")))).toEqual(asSet(replicasOf(want)));
    expect(configKeys(read(p, "gcp-ha"))).not.toContain("kube-ha:allowEvenReplicaCount");
  });
});

describe("add-replica --no-up with two zones", () => {
  it("still writes the final list, and says one up adds both with members joining one at a time", async () => {
    const p = project("gcp-ha");
    const r = await runCli(["add-replica", "--stack", "gcp-ha", "--stacks-dir", p.stacksDir, "--zone", "europe-west1-b", "--zone", "europe-west1-c", "--no-up"]);
    expect(r.code).toBe(0);
    expect(replicasOf(read(p, "gcp-ha"))).toHaveLength(5);
    expect(r.out).toContain("One up applies all 2 changes at once; new members still join etcd one at a time");
    expect(printed(r.out, "kube-ha")).toEqual([]);
  });
});

describe("a pulumi up that fails halfway prints the commands that finish the change from where the file stands", () => {
  const grow = ["add-replica", "--zone", "europe-west1-b", "--zone", "europe-west1-c"];

  it("3 → 5, up 1 of 2 failed: rerun that up, then add the second replica by name", async () => {
    const p = project("gcp-ha");
    const automation = new FakeAutomation({ failUp: { at: 1, message: "quota exceeded" } });
    const r = await runCli([...grow, "--stack", "gcp-ha", "--stacks-dir", p.stacksDir], automation);
    expect(r.code).toBe(1);
    expect(r.err).toContain("pulumi up 1/2 failed: quota exceeded");
    expect(printed(r.err, "pulumi up")).toEqual([`pulumi up --stack gcp-ha --cwd ${p.dir}`]);
    expect(printed(r.err, "kube-ha")).toEqual([`kube-ha add-replica --stack gcp-ha --stacks-dir ${p.stacksDir} --zone europe-west1-c --name master-c-2`]);
    expect(r.err).not.toContain("run the command again");
    expect(r.err).not.toContain("old stack file");

    const next = await runPrinted(printed(r.err, "kube-ha")[0]!);
    expect(next.code).toBe(0);
    expect(read(p, "gcp-ha")).toBe(await uninterrupted("gcp-ha", grow));
  });

  it("3 → 5, up 2 of 2 failed: the file already lists all five, so only that up is left to run", async () => {
    const p = project("gcp-ha");
    const automation = new FakeAutomation({ failUp: { at: 2, message: "instance did not start" } });
    const r = await runCli([...grow, "--stack", "gcp-ha", "--stacks-dir", p.stacksDir], automation);
    expect(r.code).toBe(1);
    expect(automation.ups).toHaveLength(2);
    expect(r.err).toContain("pulumi up 2/2 failed: instance did not start");
    expect(r.err).toContain("lists this stage's 5 replicas");
    expect(printed(r.err, "pulumi up")).toEqual([`pulumi up --stack gcp-ha --cwd ${p.dir}`]);
    expect(printed(r.err, "kube-ha")).toEqual([]);
    expect(read(p, "gcp-ha")).toBe(await uninterrupted("gcp-ha", grow));
  });

  it("3 → 7, up 2 of 4 failed: one add-replica with both remaining zones and names, accepted from 5", async () => {
    const grow4 = ["add-replica", "--zone", "europe-west1-b", "--zone", "europe-west1-c", "--zone", "europe-west1-d", "--zone", "europe-west1-b"];
    const p = project("gcp-ha");
    const automation = new FakeAutomation({ failUp: { at: 2, message: "boom" } });
    const r = await runCli([...grow4, "--stack", "gcp-ha", "--stacks-dir", p.stacksDir], automation);
    expect(r.code).toBe(1);
    expect(replicasOf(read(p, "gcp-ha"))).toHaveLength(5);
    expect(printed(r.err, "kube-ha")).toEqual([
      `kube-ha add-replica --stack gcp-ha --stacks-dir ${p.stacksDir} --zone europe-west1-d --name master-d-2 --zone europe-west1-b --name master-b-3`,
    ]);
    const next = await runPrinted(printed(r.err, "kube-ha")[0]!);
    expect(next.code).toBe(0);
    expect(next.automation.ups).toHaveLength(2);
    expect(read(p, "gcp-ha")).toBe(await uninterrupted("gcp-ha", grow4));
  });

  it("replace, removal up failed: rerun it with member removal on, then add the replica back; never restore the old file", async () => {
    const p = project("gcp-ha");
    const automation = new FakeAutomation({ failUp: { at: 1, message: "ssh through IAP refused" } });
    const r = await runCli(["replace-replica", "--name", "master-c", "--stack", "gcp-ha", "--stacks-dir", p.stacksDir], automation);
    expect(r.code).toBe(1);
    expect(r.err).toContain("pulumi up 1/2 failed: ssh through IAP refused");
    expect(r.err).toContain("lists this stage's 2 replicas (master-b, master-d)");
    expect(printed(r.err, "pulumi up")).toEqual([`KUBE_HA_SKIP_MEMBER_REMOVAL=false KUBE_HA_KEEP_NODES=false pulumi up --stack gcp-ha --cwd ${p.dir}`]);
    expect(printed(r.err, "kube-ha")).toEqual([`kube-ha add-replica --stack gcp-ha --stacks-dir ${p.stacksDir} --zone europe-west1-c --name master-c`]);
    expect(r.err).toContain("do not put the old stack file back: it may already have removed master-c's etcd member");

    const next = await runPrinted(printed(r.err, "kube-ha")[0]!);
    expect(next.code).toBe(0);
    const want = await uninterrupted("gcp-ha", ["replace-replica", "--name", "master-c"]);
    expect(asSet(replicasOf(read(p, "gcp-ha")))).toEqual(asSet(replicasOf(want)));
  });

  it("replace, add-back up failed: only that up is left, and nothing about the old file", async () => {
    const p = project("gcp-ha");
    const automation = new FakeAutomation({ failUp: { at: 2, message: "boom" } });
    const r = await runCli(["replace-replica", "--name", "master-c", "--stack", "gcp-ha", "--stacks-dir", p.stacksDir], automation);
    expect(r.code).toBe(1);
    expect(printed(r.err, "pulumi up")).toEqual([`pulumi up --stack gcp-ha --cwd ${p.dir}`]);
    expect(printed(r.err, "kube-ha")).toEqual([]);
    expect(r.err).not.toContain("old stack file");
  });

  it("a failed removal up keeps --keep-nodes in the up it prints", async () => {
    const p = tempPulumiProject({ five: repoStack("gcp-ha") });
    projects.push(p);
    const grown = await runCli([...grow, "--stack", "five", "--stacks-dir", p.stacksDir]);
    expect(grown.code).toBe(0);
    const automation = new FakeAutomation({ failUp: { at: 1, message: "boom" } });
    const r = await runCli(["remove-replica", "--name", "master-c-2", "--force", "--keep-nodes", "--stack", "five", "--stacks-dir", p.stacksDir], automation);
    expect(r.code).toBe(1);
    expect(printed(r.err, "pulumi up")).toEqual([`KUBE_HA_SKIP_MEMBER_REMOVAL=false KUBE_HA_KEEP_NODES=true pulumi up --stack five --cwd ${p.dir}`]);
    expect(r.err).toContain("do not put the old stack file back");
  });
});

describe("member removal is never decided by the operator's shell", () => {
  it("every up of a replica change runs with KUBE_HA_SKIP_MEMBER_REMOVAL=false, even with true exported", async () => {
    const saved = process.env.KUBE_HA_SKIP_MEMBER_REMOVAL;
    process.env.KUBE_HA_SKIP_MEMBER_REMOVAL = "true"; // left behind by a whole-cluster destroy
    try {
      const p = project("gcp-ha");
      const r = await runCli(["replace-replica", "--name", "master-c", "--stack", "gcp-ha", "--stacks-dir", p.stacksDir]);
      expect(r.code).toBe(0);
      expect(r.automation.ups).toHaveLength(2);
      for (const up of r.automation.ups) expect(up.envVars.KUBE_HA_SKIP_MEMBER_REMOVAL).toBe("false");
    } finally {
      if (saved === undefined) delete process.env.KUBE_HA_SKIP_MEMBER_REMOVAL;
      else process.env.KUBE_HA_SKIP_MEMBER_REMOVAL = saved;
    }
  });
});
