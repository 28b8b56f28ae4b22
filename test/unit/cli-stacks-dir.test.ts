import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runReplicaCli } from "../../components/cli/replica-commands";
import { rawConfigFromStackFile } from "../../components/spec/stack-config";
import { FakeAutomation, type TempProject, tempPulumiProject } from "../support/fake-automation";

/** --stacks-dir and the Pulumi project: pulumi must read the very file kube-ha edits. */

const REPO = path.join(__dirname, "..", "..");
const gcpHa = fs.readFileSync(path.join(REPO, "stacks", "Pulumi.gcp-ha.yaml"), "utf8");

const projects: TempProject[] = [];
afterEach(() => {
  while (projects.length > 0) projects.pop()!.remove();
});
function project(opts: Parameters<typeof tempPulumiProject>[1] = {}): TempProject {
  const p = tempPulumiProject({ "gcp-ha": gcpHa }, opts);
  projects.push(p);
  return p;
}

async function runCli(argv: string[], cwd: string) {
  let out = "";
  let err = "";
  const automation = new FakeAutomation();
  const code = await runReplicaCli(argv, { automation, env: {}, cwd, stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err, automation };
}

const grow = ["add-replica", "--stack", "gcp-ha", "--zone", "europe-west1-b", "--zone", "europe-west1-c"];
const replicaCount = (text: string) => (rawConfigFromStackFile(text).replicas as unknown[]).length;

describe("the project pulumi runs in is the one whose stackConfigDir is --stacks-dir", () => {
  it("a nested stackConfigDir (deploy/stacks): pulumi runs in the project, not in the stacks dir's parent, and reads the edited file", async () => {
    const p = project({ stackConfigDir: "deploy/stacks" });
    const r = await runCli([...grow, "--stacks-dir", p.stacksDir], REPO);
    expect(r.code).toBe(0);
    expect(r.automation.selected.map((s) => s.workDir)).toEqual([p.dir]);
    expect(r.automation.ups.map((u) => replicaCount(u.stackFileText))).toEqual([4, 5]);
  });

  it("run from inside the project with the default ./stacks, --no-up prints an up without --cwd", async () => {
    const p = project();
    const r = await runCli([...grow, "--no-up"], p.dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain("  pulumi up --stack gcp-ha\n");
    expect(replicaCount(fs.readFileSync(p.file("gcp-ha"), "utf8"))).toBe(5);
  });

  it("a stacks dir outside any project, run from another project: refused, the file untouched, nothing selected", async () => {
    const outside = project({ noProjectFile: true });
    const r = await runCli([...grow, "--stacks-dir", outside.stacksDir], REPO);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--stacks-dir ${outside.stacksDir} is not where the Pulumi project in ${REPO} keeps its stack files`);
    expect(r.err).toContain(`pulumi would read ${path.join(REPO, "stacks")}/Pulumi.<stack>.yaml, not the file kube-ha edits`);
    expect(fs.readFileSync(outside.file("gcp-ha"), "utf8")).toBe(gcpHa);
    expect(r.automation.selected).toEqual([]);
  });

  it("--no-up is refused the same way (the up it would print reads another file)", async () => {
    const p = project();
    const other = path.join(p.dir, "old");
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, "Pulumi.gcp-ha.yaml"), gcpHa);
    const r = await runCli([...grow, "--stacks-dir", other, "--no-up"], p.dir);
    expect(r.code).toBe(1);
    expect(fs.readFileSync(path.join(other, "Pulumi.gcp-ha.yaml"), "utf8")).toBe(gcpHa);
  });

  it("--dry-run needs no project: it only prints the plan", async () => {
    const outside = project({ noProjectFile: true });
    const r = await runCli([...grow, "--stacks-dir", outside.stacksDir, "--dry-run"], REPO);
    expect(r.code).toBe(0);
    expect(r.out).toContain("--dry-run: nothing changed");
  });
});
