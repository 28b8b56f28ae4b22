import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PULUMI_INSTALL_HINT, localAutomation } from "../../components/flows/automation";
import { MIN_PULUMI_CLI, pulumiVersionProblem } from "../../components/flows/pulumi-version";

describe("the flows refuse a Pulumi CLI older than kube-ha needs (replaceWith: v3.207.0)", () => {
  it("says which version is here, which is needed and how to upgrade", () => {
    expect(MIN_PULUMI_CLI).toBe("3.207.0");
    const problem = pulumiVersionProblem("v3.206.1");
    expect(problem).toContain("the Pulumi CLI here is v3.206.1; kube-ha needs 3.207.0 or newer");
    expect(problem).toContain("replaceWith");
    expect(problem).toContain("get.pulumi.com");
    expect(pulumiVersionProblem("v2.99.0")).toContain("kube-ha needs 3.207.0 or newer");
  });

  it("accepts that version and every newer one", () => {
    for (const v of ["v3.207.0", "3.207.1", "v3.210.0", "v3.248.0-dev.0", "v4.0.0"]) expect(pulumiVersionProblem(v), v).toBeUndefined();
  });

  describe("through the real Automation API, with a stand-in pulumi binary on PATH", () => {
    let dir: string;
    const savedPath = process.env["PATH"];
    const fakePulumi = (version: string) =>
      fs.writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\nif [ "$1" = version ]; then echo ${version}; exit 0; fi\necho "fake pulumi: $*" >&2\nexit 3\n`, { mode: 0o755 });
    const select = () => localAutomation.selectStack({ stackName: "gcp-ha", workDir: dir, envVars: {} });

    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-ha-pulumi-version-"));
    });
    afterEach(() => {
      process.env["PATH"] = savedPath;
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("stops before selecting the stack when the CLI is too old", async () => {
      fakePulumi("v3.190.0");
      process.env["PATH"] = `${dir}:/usr/bin:/bin`;
      await expect(select()).rejects.toThrow("the Pulumi CLI here is 3.190.0; kube-ha needs 3.207.0 or newer");
    });

    it("goes on to select the stack with a new enough CLI", async () => {
      fakePulumi("v3.210.0");
      process.env["PATH"] = `${dir}:/usr/bin:/bin`;
      const err = await select().then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).toContain("selecting stack gcp-ha");
      expect(err?.message).not.toContain("kube-ha needs");
    });

    it("still says how to install the CLI when there is none", async () => {
      process.env["PATH"] = path.join(dir, "nothing-here");
      await expect(select()).rejects.toThrow(PULUMI_INSTALL_HINT);
    });
  });
});
