import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REMOVAL_SHELL, type RemovalScriptInput, renderRemovalCreateScript, renderRemovalDeleteScript } from "../../components/membership/removal-scripts";
import { awsRemovalTransport } from "../../components/platforms/aws/removal";
import { gcpRemovalTransport } from "../../components/platforms/gcp/removal";
import { KEEPALIVED_SHELL, keepalivedCheckScript, keepalivedNotifyScript } from "../../components/render/lb/keepalived-scripts";
import { MEMBERSHIP_SCRIPT_SOURCE, renderMembershipScript } from "../../components/render/membership-script";

/**
 * shellcheck on every .sh file under components/, twice: the file itself,
 * and every script it becomes part of, rendered. A file without a shebang is
 * a part of a script: the variables it shares with the rest (SC2154
 * referenced but not assigned, SC2034 assigned but unused) are checked in the
 * rendered forms only; so is a loop over a placeholder, one word until filled
 * (SC2043). The rendered scripts are checked with nothing left out — but
 * one finding: the create script of a machine that is no Node (an external
 * etcd VM) checks a single tool, `for tool in gcloud; do`, a loop over one
 * word (SC2043, harmless); its text is pinned by the golden preview.
 */

const run = promisify(execFile);
const COMPONENTS = path.resolve(__dirname, "../../components");

const master: RemovalScriptInput = {
  transport: gcpRemovalTransport,
  replica: "master-c",
  etcdMember: true,
  peerUrl: "https://10.0.0.12:2380",
  nodeName: "master-c",
  selector: { "kube-ha-cluster": "prod", "kube-ha-role": "master" },
};
const etcdVm: RemovalScriptInput = { ...master, replica: "etcd-c", nodeName: undefined, selector: { "kube-ha-cluster": "prod", "kube-ha-role": "etcd" } };
const externalEtcdMaster: RemovalScriptInput = { ...master, etcdMember: false };
const variants = (transport: RemovalScriptInput["transport"]) => [master, etcdVm, externalEtcdMaster].map((v) => ({ ...v, transport }));
const deletes = (transports = [gcpRemovalTransport, awsRemovalTransport]) => transports.flatMap(variants).map(renderRemovalDeleteScript);

/** Every .sh file → the rendered scripts it is part of. A new .sh file fails the test until it is listed here. */
const RENDERED: Record<string, () => string[]> = {
  [MEMBERSHIP_SCRIPT_SOURCE]: () => [renderMembershipScript(), renderMembershipScript({ startCommand: "echo it's started" })],
  [REMOVAL_SHELL.create]: () => [gcpRemovalTransport, awsRemovalTransport].flatMap(variants).map(renderRemovalCreateScript),
  [REMOVAL_SHELL.delete]: () => deletes(),
  [REMOVAL_SHELL.deleteNode]: () => deletes().filter((s) => s.includes("kubectl")),
  [REMOVAL_SHELL.noNode]: () => deletes().filter((s) => s.includes("delete_node() { :; }")),
  [REMOVAL_SHELL.kubeconfigFile]: () => deletes().filter((s) => s.includes("kubeconfig=$(mktemp)")),
  [REMOVAL_SHELL.memberStep]: () => deletes().filter((s) => s.includes("remove_member || rc=$?")),
  "platforms/gcp/removal-transport.sh": () => deletes([gcpRemovalTransport]).filter((s) => s.includes("gcloud compute ssh")),
  "platforms/aws/removal-transport.sh": () => deletes([awsRemovalTransport]).filter((s) => s.includes("aws ssm send-command")),
  // Installed as they are: the rendered form is the file.
  [KEEPALIVED_SHELL.check]: () => [keepalivedCheckScript()],
  [KEEPALIVED_SHELL.notify]: () => [keepalivedNotifyScript()],
};

function shellFiles(): string[] {
  return (fs.readdirSync(COMPONENTS, { recursive: true }) as string[])
    .map((name) => name.split(path.sep).join("/"))
    .filter((name) => name.endsWith(".sh"))
    .sort();
}

/** shellcheck's findings ("" when clean). Fails when shellcheck is missing. */
async function shellcheck(file: string, exclude: string[] = []): Promise<string> {
  try {
    await run("shellcheck", ["--shell=bash", "--severity=style", "--format=gcc", ...(exclude.length > 0 ? [`--exclude=${exclude.join(",")}`] : []), file], { timeout: 30_000 });
    return "";
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (err.code === "ENOENT") throw new Error("shellcheck is not installed: apt-get install shellcheck (.ci/run installs it)");
    return `${err.stdout ?? ""}${err.stderr ?? ""}` || String(e);
  }
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-ha-shell-files-"));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("shellcheck on every .sh file under components/", () => {
  it("knows every .sh file and renders each into at least one script", () => {
    const files = shellFiles();
    expect(files).toContain(MEMBERSHIP_SCRIPT_SOURCE);
    expect(Object.keys(RENDERED).sort()).toEqual(files);
    for (const [file, render] of Object.entries(RENDERED)) expect(render().length, file).toBeGreaterThan(0);
  });

  it("finds every file clean as it is (parts of a script: but for what they share with the rest)", async () => {
    const findings: string[] = [];
    for (const file of shellFiles()) {
      const text = fs.readFileSync(path.join(COMPONENTS, file), "utf8");
      const exclude = [...(text.startsWith("#!") ? [] : ["SC2154", "SC2034"]), ...(text.includes("@@") ? ["SC2043"] : [])];
      findings.push(await shellcheck(path.join(COMPONENTS, file), exclude));
    }
    expect(findings.filter((f) => f !== "").join("\n")).toBe("");
  });

  it("finds every rendered script clean, with nothing left out", async () => {
    const findings: string[] = [];
    const scripts = new Set(Object.values(RENDERED).flatMap((render) => render()));
    let n = 0;
    for (const script of scripts) {
      expect(script.startsWith("#!/usr/bin/env bash\n")).toBe(true);
      const file = path.join(dir, `rendered-${n++}.sh`);
      fs.writeFileSync(file, script);
      findings.push(await shellcheck(file, /^for tool in \S+; do$/m.test(script) ? ["SC2043"] : []));
    }
    expect(n).toBeGreaterThanOrEqual(10);
    expect(findings.filter((f) => f !== "").join("\n")).toBe("");
  });

  it("would report a finding (the check is not blind)", async () => {
    const file = path.join(dir, "bad.sh");
    fs.writeFileSync(file, "#!/usr/bin/env bash\necho $1\n");
    expect(await shellcheck(file)).toContain("SC2086");
  });
});
