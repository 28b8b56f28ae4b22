import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MEMBERSHIP_EXIT, renderMembershipScript, shellQuote } from "../../components/render/membership-script";
import { KUBE_HA_ETCD_SH } from "../../components/render/scripts/kube-ha-etcd-sh";
import { embedScriptModule, SCRIPT_MODULE_PATH, SCRIPT_SOURCE_PATH } from "../support/etcd-embed-script";

const dir = mkdtempSync(join(tmpdir(), "membership-script-"));
const script = join(dir, "kube-ha-etcd");
writeFileSync(script, renderMembershipScript(), { mode: 0o755 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync("bash", [script, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", KUBE_HA_ETCD_ENV_FILE: join(dir, "none"), ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the membership script", () => {
  it("embeds exactly scripts/kube-ha-etcd.sh (regenerate with npx tsx test/support/etcd-embed-script.ts)", () => {
    const source = readFileSync(SCRIPT_SOURCE_PATH, "utf8");
    expect(KUBE_HA_ETCD_SH).toBe(source);
    expect(readFileSync(SCRIPT_MODULE_PATH, "utf8")).toBe(embedScriptModule(source));
  });

  it("passes shellcheck as rendered (fails when shellcheck is missing)", () => {
    execFileSync("shellcheck", ["-s", "bash", script], { stdio: "pipe" });
  });

  it("fills in the machine's defaults, and a test's start hook when given one", () => {
    const rendered = renderMembershipScript();
    expect(rendered).toContain("DEFAULT_CONFIG_DIR='/etc/kube-ha/etcd'\n");
    expect(rendered).toContain("DEFAULT_ETCDCTL='/usr/local/bin/etcdctl'\n");
    expect(rendered).toContain("DEFAULT_START_CMD='systemctl daemon-reload && systemctl enable --now --no-block kube-ha-etcd.service'\n");
    expect(renderMembershipScript({ startCommand: "echo it's started" })).toContain(`DEFAULT_START_CMD=${shellQuote("echo it's started")}\n`);
  });

  it("documents its commands, inputs and exit codes in --help", () => {
    const r = run(["--help"]);
    expect(r.code).toBe(MEMBERSHIP_EXIT.ok);
    for (const word of ["bootstrap", "join", "remove NAME", "status", "ETCD_ENDPOINTS", "KUBE_HA_ETCD_NAME", "KUBE_HA_ETCD_START", "KUBE_HA_ETCD_TIMEOUT"]) {
      expect(r.stdout).toContain(word);
    }
    for (const [code, meaning] of [[0, "done"], [2, "refused"], [3, "unhealthy"], [64, "usage"], [69, "missing"]] as const) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${code}\\s+.*${meaning}`, "m"));
    }
  });

  it("answers a bad command line with exit 64 and what to do", () => {
    expect(run([]).code).toBe(MEMBERSHIP_EXIT.usage);
    const unknown = run(["frobnicate"]);
    expect(unknown.code).toBe(MEMBERSHIP_EXIT.usage);
    expect(unknown.stderr).toContain("use bootstrap, join, remove NAME or status");
    expect(run(["remove"]).code).toBe(MEMBERSHIP_EXIT.usage);
    expect(run(["--bogus", "status"]).code).toBe(MEMBERSHIP_EXIT.usage);
    expect(run(["status"], { KUBE_HA_ETCD_TIMEOUT: "soon" }).stderr).toContain("positive whole seconds");
  });

  it("exits 69 with the fix when etcdctl is missing", () => {
    const r = run(["status"], { KUBE_HA_ETCDCTL: "/nonexistent/etcdctl" });
    expect(r.code).toBe(MEMBERSHIP_EXIT.missing);
    expect(r.stderr).toContain("install etcdctl");
  });

  it("refuses to join without knowing who it is, before touching the cluster", () => {
    const pki = join(dir, "pki");
    mkdirSync(join(pki, "etcd"), { recursive: true });
    for (const f of ["ca.crt", "server.crt", "server.key"]) writeFileSync(join(pki, "etcd", f), "x");
    const r = run(["join"], { KUBE_HA_PKI_DIR: pki, KUBE_HA_ETCDCTL: "true" });
    expect(r.code).toBe(MEMBERSHIP_EXIT.usage);
    expect(r.stderr).toContain("KUBE_HA_ETCD_NAME is not set");
  });

  it("reads the member's identity from its env file, the environment winning", () => {
    const pki = join(dir, "pki");
    const envFile = join(dir, "member.env");
    writeFileSync(envFile, "KUBE_HA_ETCD_NAME=from-file\nKUBE_HA_ETCD_PEER_URL=http://not-https\n");
    const r = run(["join"], { KUBE_HA_PKI_DIR: pki, KUBE_HA_ETCDCTL: "true", KUBE_HA_ETCD_ENV_FILE: envFile, KUBE_HA_ETCD_NAME: "from-env" });
    expect(r.code).toBe(MEMBERSHIP_EXIT.usage);
    expect(r.stderr).toContain("KUBE_HA_ETCD_PEER_URL must be https://ADDRESS:PORT, got 'http://not-https'");
  });
});
