import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { PULUMI_INSTALL_HINT, isPulumiMissing, localAutomation } from "../../components/flows/automation";

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

  it("recognises the spawn error of the Automation API and nothing else as a missing CLI", () => {
    expect(isPulumiMissing(new Error("code: -2\n stderr: Command failed with ENOENT: pulumi version\nspawn pulumi ENOENT"))).toBe(true);
    expect(isPulumiMissing(new Error("error: no stack named 'gcp-ha' found"))).toBe(false);
    expect(isPulumiMissing(new Error("ENOENT: no such file or directory, open 'Pulumi.yaml'"))).toBe(false);
  });
});
