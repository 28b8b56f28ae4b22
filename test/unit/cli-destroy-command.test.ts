import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runDestroyCli } from "../../components/cli/destroy-command";
import { main } from "../../components/cli/main";
import { PULUMI_INSTALL_HINT } from "../../components/flows/automation";
import { FakeAutomation, type TempProject, tempPulumiProject } from "../support/fake-automation";

const REPO = path.join(__dirname, "..", "..");
const repoStack = (stack: string) => fs.readFileSync(path.join(REPO, "stacks", `Pulumi.${stack}.yaml`), "utf8");

const projects: TempProject[] = [];
afterEach(() => {
  while (projects.length > 0) projects.pop()!.remove();
});
function project(files: Record<string, string> = { "gcp-ha": repoStack("gcp-ha") }): TempProject {
  const p = tempPulumiProject(files);
  projects.push(p);
  return p;
}

async function destroy(argv: string[], automation = new FakeAutomation(), cwd = process.cwd()) {
  let out = "";
  let err = "";
  const code = await runDestroyCli(["destroy", ...argv], { automation, cwd, stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err, automation };
}

describe("kube-ha destroy", () => {
  it("without --yes says what it would do, refuses with exit 2 and runs nothing", async () => {
    const p = project();
    const r = await destroy(["--stack", "gcp-ha"], undefined, p.dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain("stack gcp-ha: gcp europe-west1, etcd stacked, 3 masters (master-b, master-c, master-d)");
    expect(r.out).toContain("etcd members are not removed one by one (KUBE_HA_SKIP_MEMBER_REMOVAL=true for this run only)");
    expect(r.out).toContain("It runs: KUBE_HA_SKIP_MEMBER_REMOVAL=true pulumi destroy --stack gcp-ha\n");
    expect(r.err).toContain("refused without --yes");
    expect(r.automation.selected).toEqual([]);
    expect(r.automation.destroys).toEqual([]);
  });

  it("with --yes runs one destroy in the project with member removal skipped, and no up", async () => {
    const p = project();
    const r = await destroy(["--stack", "gcp-ha", "--stacks-dir", p.stacksDir, "--yes"]);
    expect(r.code).toBe(0);
    expect(r.automation.selected).toEqual([{ stackName: "gcp-ha", workDir: p.dir, envVars: { KUBE_HA_SKIP_MEMBER_REMOVAL: "true" } }]);
    expect(r.automation.destroys).toHaveLength(1);
    expect(r.automation.ups).toEqual([]);
    expect(r.out).toContain("fake pulumi destroy of gcp-ha");
    expect(r.out).toContain("done: stack gcp-ha is destroyed");
    // The stack file is Pulumi's to keep: destroy leaves it as it was.
    expect(fs.readFileSync(p.file("gcp-ha"), "utf8")).toBe(repoStack("gcp-ha"));
  });

  it("a failed destroy exits 1 and says how to run it again", async () => {
    const p = project();
    const r = await destroy(["--stack", "gcp-ha", "--stacks-dir", p.stacksDir, "--yes"], new FakeAutomation({ failDestroy: "resource in use" }));
    expect(r.code).toBe(1);
    expect(r.err).toContain("resource in use");
    expect(r.err).toContain(`kube-ha destroy --stack gcp-ha --stacks-dir ${p.stacksDir} --yes`);
    expect(r.err).toContain(`KUBE_HA_SKIP_MEMBER_REMOVAL=true pulumi destroy --stack gcp-ha --cwd ${p.dir}`);
  });

  it("a missing pulumi CLI is reported with the install command", async () => {
    const p = project();
    const r = await destroy(["--stack", "gcp-ha", "--stacks-dir", p.stacksDir, "--yes"], new FakeAutomation({ selectError: new Error(PULUMI_INSTALL_HINT) }));
    expect(r.code).toBe(1);
    expect(r.err).toContain(PULUMI_INSTALL_HINT);
  });

  it("goes by Pulumi's state: a stack whose file is invalid is still destroyed, with the problem shown", async () => {
    const p = project({ broken: "config:\n  kube-ha:cloud: azure\n" });
    const r = await destroy(["--stack", "broken", "--stacks-dir", p.stacksDir, "--yes"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("stack broken (its stack file cannot describe it:");
    expect(r.automation.destroys).toHaveLength(1);
  });

  it("refuses a --stacks-dir that is not the project's stackConfigDir, before selecting any stack", async () => {
    const p = project();
    const other = path.join(p.dir, "elsewhere");
    fs.mkdirSync(other);
    fs.copyFileSync(p.file("gcp-ha"), path.join(other, "Pulumi.gcp-ha.yaml"));
    const r = await destroy(["--stack", "gcp-ha", "--stacks-dir", other, "--yes"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--stacks-dir ${other} is not where the Pulumi project in ${p.dir} keeps its stack files`);
    expect(r.automation.selected).toEqual([]);
  });

  it("is a command of the kube-ha entry point, with --help", async () => {
    let out = "";
    let err = "";
    const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), cwd: REPO };
    // No --yes: the real Automation API is never reached.
    expect(await main(["destroy", "--stack", "gcp-ha"], io)).toBe(2);
    expect(out).toContain("KUBE_HA_SKIP_MEMBER_REMOVAL=true pulumi destroy --stack gcp-ha");
    expect(err).toContain("refused without --yes");
    out = "";
    expect(await main(["destroy", "--help"], io)).toBe(0);
    expect(out).toContain("Usage: kube-ha destroy");
    expect(out).toContain("--yes");
  });
});
