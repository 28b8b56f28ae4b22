import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REMOVAL_SHELL, type RemovalScriptInput, renderRemovalCreateScript, renderRemovalDeleteScript } from "../../components/membership/removal-scripts";
import { type JoinWaitScriptInput, renderJoinWaitScript } from "../../components/membership/join-wait-script";
import { awsRemovalTransport } from "../../components/platforms/aws/removal";
import { gcpRemovalTransport } from "../../components/platforms/gcp/removal";
import { renderBootProgram, renderBootScript } from "../../components/render/boot-script";
import { renderEtcdBootParts } from "../../components/render/etcd-boot";
import { KEEPALIVED_SHELL, keepalivedCheckScript, keepalivedNotifyScript } from "../../components/render/lb/keepalived-scripts";
import { MEMBERSHIP_SCRIPT_SOURCE, renderMembershipScript } from "../../components/render/membership-script";
import type { Cloud } from "../../components/spec/schema";
import { CLOUD_ZONES, fixtureBootInput, fixturePlan } from "../support/boot-script-fixture";
import { GCP_MASTER_REMOVAL } from "../support/removal-inputs";

/**
 * shellcheck on every .sh file under components/, twice: the file itself,
 * and every script it becomes part of, rendered. A file without a shebang is
 * a part of a script: the variables it shares with the rest (SC2154
 * referenced but not assigned, SC2034 assigned but unused) are checked in the
 * rendered forms only; so is a loop over a placeholder, one word until filled
 * (SC2043), and a placeholder compared as a number, a number once filled
 * (SC2170). The rendered scripts are checked with nothing left out — but
 * one finding: the create script of a machine that is no Node (an external
 * etcd VM) checks a single tool, `for tool in gcloud; do`, a loop over one
 * word (SC2043, harmless); its text is pinned by the golden preview.
 */

const run = promisify(execFile);
const COMPONENTS = path.resolve(__dirname, "../../components");

const master = GCP_MASTER_REMOVAL;
const etcdVm: RemovalScriptInput = { ...master, replica: "etcd-c", nodeName: undefined, selector: { "kube-ha-cluster": "prod", "kube-ha-role": "etcd" } };
const externalEtcdMaster: RemovalScriptInput = { ...master, etcdMember: false };
const variants = (transport: RemovalScriptInput["transport"]) => [master, etcdVm, externalEtcdMaster].map((v) => ({ ...v, transport }));
const deletes = (transports = [gcpRemovalTransport, awsRemovalTransport]) => transports.flatMap(variants).map(renderRemovalDeleteScript);

/**
 * Boot programs (in full, with comments: the compacted copies machines get
 * are checked in boot-script-shellcheck.test.ts) and the startup-scripts /
 * user-data installing them: on both platforms, every replica of a stacked
 * and of an external-etcd cluster, with the real etcd parts.
 */
const boot = (() => {
  let rendered: { programs: string[]; installers: string[] } | undefined;
  return () => {
    if (rendered) return rendered;
    const inputs = (["gcp", "aws"] as Cloud[]).flatMap((cloud) =>
      [{}, { etcdTopology: "external", etcdZones: CLOUD_ZONES[cloud].zones }].flatMap((extra) => {
        const plan = fixturePlan(cloud, 3, extra);
        return [...plan.masters, ...plan.etcdNodes].map((r) => ({
          ...fixtureBootInput(plan, cloud, r.name),
          etcd: r.etcdMember ? renderEtcdBootParts(plan, r.name) : undefined,
        }));
      }),
    );
    rendered = {
      programs: inputs.map((input) => renderBootProgram(input, { compact: false })),
      installers: inputs.map(renderBootScript),
    };
    return rendered;
  };
})();
/** The boot programs that define bash function NAME (or run the command). */
const programsWith = (text: string) => () => boot().programs.filter((p) => p.includes(text));
/** The boot programs of one platform. */
const programsOf = (cloud: Cloud) => () => boot().programs.filter((p) => p.includes(`readonly KUBE_HA_CLOUD='${cloud}'`));

/** Join-wait scripts: defaults; an external load balancer checked against its allowed CIDRs; an internal one. */
const joinWaits: JoinWaitScriptInput[] = [
  { replica: "master-a", nodeName: "master-a" },
  { replica: "master-b", nodeName: "master-b", rounds: 5, unreachableSeconds: 7, allowedCidrs: ["203.0.113.0/24", "198.51.100.0/24"], scheme: "external" },
  { replica: "master-c", nodeName: "master-c", allowedCidrs: ["10.0.0.0/8"], scheme: "internal" },
];

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
  "membership/join-wait.sh": () => joinWaits.map(renderJoinWaitScript),
  "render/boot-installer.sh": () => boot().installers,
  "render/boot-program.sh": () => boot().programs,
  "render/write-file.sh": () => [...boot().programs, ...boot().installers],
  "render/os-packages.sh": programsWith("install_os_packages() {"),
  "render/key-material.sh": programsWith("write_key_material() {"),
  "render/release-fetch.sh": programsWith("fetch_release() {"),
  "render/replica-env.sh": programsWith("write_replica_env() {"),
  "render/data-disk.sh": programsWith("mount_etcd_disk() {"),
  "render/etcd-install.sh": programsWith("install_etcd_binaries() {"),
  "render/bootstrap-decision.sh": programsWith("find_etcd_peers() {"),
  "render/etcd-member-steps.sh": programsWith("run_etcd_member() {"),
  "render/etcd-run.sh": programsWith("install the pinned etcd release before starting the member"),
  "render/kubernetes-packages.sh": programsWith("install_kubernetes_packages() {"),
  "render/container-runtime.sh": programsWith("configure_container_runtime() {"),
  "render/control-plane-steps.sh": programsWith("kubeadm_join() {"),
  "render/may-init-stacked.sh": () => boot().programs.filter((p) => p.includes("may_init() {") && !p.includes("etcd_is_blank() {")),
  "render/may-init-external.sh": programsWith("etcd_is_blank() {"),
  "render/control-plane-node.sh": programsWith("control_plane_node() {"),
  "render/kubeadm-files.sh": programsWith("write_kubeadm_config() {"),
  "render/boot-main.sh": programsWith('main "$@"'),
  "platforms/gcp/boot-cloud-api.sh": programsOf("gcp"),
  "platforms/gcp/boot-peer-discovery.sh": programsOf("gcp"),
  "platforms/gcp/boot-secret-fetch.sh": programsOf("gcp"),
  "platforms/aws/boot-cloud-api.sh": programsOf("aws"),
  "platforms/aws/boot-peer-discovery.sh": programsOf("aws"),
  "platforms/aws/boot-secret-fetch.sh": programsOf("aws"),
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
      const exclude = [...(text.startsWith("#!") ? [] : ["SC2154", "SC2034"]), ...(text.includes("@@") ? ["SC2043", "SC2170"] : [])];
      findings.push(await shellcheck(path.join(COMPONENTS, file), exclude));
    }
    expect(findings.filter((f) => f !== "").join("\n")).toBe("");
  });

  it("finds every rendered script clean, with nothing left out", async () => {
    const findings: string[] = [];
    const scripts = new Set(Object.values(RENDERED).flatMap((render) => render()));
    let n = 0;
    for (const script of scripts) {
      expect(/^#!(\/usr\/bin\/env bash|\/bin\/bash)\n/.test(script)).toBe(true);
      const file = path.join(dir, `rendered-${n++}.sh`);
      fs.writeFileSync(file, script);
      findings.push(await shellcheck(file, /^for tool in \S+; do$/m.test(script) ? ["SC2043"] : []));
    }
    expect(n).toBeGreaterThanOrEqual(10);
    expect(findings.filter((f) => f !== "").join("\n")).toBe("");
  }, 180_000);

  it("would report a finding (the check is not blind)", async () => {
    const file = path.join(dir, "bad.sh");
    fs.writeFileSync(file, "#!/usr/bin/env bash\necho $1\n");
    expect(await shellcheck(file)).toContain("SC2086");
  });
});
