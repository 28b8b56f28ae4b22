import { spawn } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const REPO = path.join(__dirname, "..", "..");

/** Runs `node bin/kube-ha.js …` (the real entry, as `npm run preview` does), bounded in time; never leaves it running. */
function runBin(args: string[], timeoutMs = 90_000): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, "bin", "kube-ha.js"), ...args], {
      cwd: REPO,
      // No cloud credentials, no Pulumi access token: the preview must not need them.
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => void (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => void (err += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`kube-ha preview did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe("node bin/kube-ha.js preview (the real entry point)", () => {
  it("prints the gcp-ha report offline, without credentials, in seconds", async () => {
    const started = Date.now();
    const { code, out, err } = await runBin(["preview"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("HA report: stack gcp-ha");
    expect(out).toContain("failover budget: 13 s");
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it("pipes the whole --json document (nothing cut off when the process exits)", async () => {
    const { code, out } = await runBin(["preview", "--json"]);
    expect(code).toBe(0);
    expect(out.length).toBeGreaterThan(65_536);
    expect((JSON.parse(out) as { stack: string }).stack).toBe("gcp-ha");
  });
});
