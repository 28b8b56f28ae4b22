import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { PULUMI_INSTALL_HINT, isPulumiMissing, localAutomation } from "../../components/flows/automation";
import { destroyEnv, upEnv } from "../../components/flows/pulumi-env";

/**
 * A stand-in `pulumi` on PATH: a shell script that logs each call's
 * first two arguments with the removal variables it sees, answers
 * `version`, `stack history` and the rest (JSON the Automation API parses),
 * and succeeds.
 */
function stubPulumi(dir: string): { log: () => string[] } {
  const log = path.join(dir, "calls.log");
  const history = JSON.stringify([{ kind: "update", result: "succeeded", startTime: "2025-01-01T00:00:00Z", resourceChanges: { delete: 12 } }]);
  const script = [
    "#!/bin/sh",
    `echo "$1 $2 skip=\${KUBE_HA_SKIP_MEMBER_REMOVAL-unset} keep=\${KUBE_HA_KEEP_NODES-unset}" >> '${log}'`,
    'case "$1 $2" in',
    '  "version "*) echo v3.248.0 ;;',
    `  "stack history") echo '${history}' ;;`,
    "  *) echo '{}' ;;",
    "esac",
    "exit 0",
  ].join("\n");
  fs.writeFileSync(path.join(dir, "pulumi"), `${script}\n`, { mode: 0o755 });
  return { log: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : []) };
}

/** Runs `fn` with `vars` set in this process's environment (as an operator's shell would have them), then restores it. */
async function withProcessEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe("the real Automation API adapter", () => {
  it("turns a missing pulumi binary into the install hint", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "kube-ha-nopulumi-"));
    const savedPath = process.env.PATH;
    process.env.PATH = empty; // no `pulumi` on this PATH, whatever the machine has installed
    try {
      await expect(localAutomation.selectStack({ stackName: "gcp-ha", workDir: path.join(__dirname, "..", ".."), envVars: {} })).rejects.toThrow(PULUMI_INSTALL_HINT);
    } finally {
      process.env.PATH = savedPath;
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it("runs up and destroy with the flow's removal variables, whatever the calling shell exported", async () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "kube-ha-stub-pulumi-"));
    try {
      const stub = stubPulumi(bin);
      await withProcessEnv({ PATH: `${bin}:${process.env.PATH}`, KUBE_HA_SKIP_MEMBER_REMOVAL: "true", KUBE_HA_KEEP_NODES: "true" }, async () => {
        const workDir = path.join(__dirname, "..", "..");
        const forUp = await localAutomation.selectStack({ stackName: "gcp-ha", workDir, envVars: upEnv(false) });
        expect(await forUp.up(() => {})).toEqual({ summary: "succeeded: 12 delete" });
        const forDestroy = await localAutomation.selectStack({ stackName: "gcp-ha", workDir, envVars: destroyEnv() });
        expect(await forDestroy.destroy(() => {})).toEqual({ summary: "succeeded: 12 delete" });
      });
      const calls = stub.log();
      expect(calls.filter((c) => c.startsWith("up "))).toEqual(["up --yes skip=false keep=false"]);
      expect(calls.filter((c) => c.startsWith("destroy "))).toEqual(["destroy --yes skip=true keep=true"]);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  it("recognises the spawn error of the Automation API and nothing else as a missing CLI", () => {
    expect(isPulumiMissing(new Error("code: -2\n stderr: Command failed with ENOENT: pulumi version\nspawn pulumi ENOENT"))).toBe(true);
    expect(isPulumiMissing(new Error("error: no stack named 'gcp-ha' found"))).toBe(false);
    expect(isPulumiMissing(new Error("ENOENT: no such file or directory, open 'Pulumi.yaml'"))).toBe(false);
  });
});
