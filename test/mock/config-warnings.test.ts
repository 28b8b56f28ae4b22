import * as pulumi from "@pulumi/pulumi";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { kubeHaProgram } from "../../components/program";
import { previewStack } from "../../components/preview/preview-stack";
import { ProgramError, runProgramOnMocks } from "../../components/preview/run-program";
import { SpecError } from "../../components/spec/errors";
import { type TempProject, tempPulumiProject } from "../support/fake-automation";

const made: TempProject[] = [];
afterAll(() => {
  for (const p of made) p.remove();
});
afterEach(() => vi.restoreAllMocks());

/** A project whose one stack, `w`, has this stack file (test/support/fake-automation.ts makes it). */
function project(stackFile: string): string {
  const p = tempPulumiProject({ w: stackFile });
  made.push(p);
  return p.dir;
}

const STACK = `config:
  gcp:project: p
  kube-ha:cloud: gcp
  kube-ha:region: europe-west1
  kube-ha:replicaZones: [europe-west1-b, europe-west1-c, europe-west1-d]
  kube-ha:apiServerAllowedCidrs: [100.64.7.0/24] # a real (not documentation) range: no warning of its own
`;
const SSH_WARNING = /^sshAllowedCidr 0\.0\.0\.0\/0 opens ssh \(22\) on every master to the whole internet/;
const ACCESS_KEY_WARNING = "aws:accessKey looks like a credential and is in plain text in the stack file: set it with `pulumi config set --secret aws:accessKey`";

describe("warnings about the stack config reach the person running it", () => {
  it("the program logs them with pulumi.log.warn (what pulumi preview/up show)", async () => {
    const warn = vi.spyOn(pulumi.log, "warn").mockResolvedValue();
    await runProgramOnMocks({
      project: "kube-ha",
      stack: "w",
      config: {
        "kube-ha:cloud": "gcp",
        "kube-ha:region": "europe-west1",
        "kube-ha:replicaZones": '["europe-west1-b","europe-west1-c","europe-west1-d"]',
        "kube-ha:apiServerAllowedCidrs": '["100.64.7.0/24"]',
        "kube-ha:sshAllowedCidr": "0.0.0.0/0",
        "aws:accessKey": "AKIAIOSFODNN7EXAMPLE",
      },
      program: kubeHaProgram,
      outputs: (r) => ({ ...r.outputs }),
    });
    const logged = warn.mock.calls.map((c) => c[0]);
    expect(logged).toContain(ACCESS_KEY_WARNING);
    expect(logged.some((m) => SSH_WARNING.test(m))).toBe(true);
  });

  it("the offline preview shows them in the HA report", async () => {
    const dir = project(`${STACK}  kube-ha:sshAllowedCidr: 0.0.0.0/0\n  aws:accessKey: AKIAIOSFODNN7EXAMPLE\n`);
    const { report } = await previewStack(dir, "w");
    expect(report.warnings).toContain(ACCESS_KEY_WARNING);
    expect(report.warnings.some((w) => SSH_WARNING.test(w))).toBe(true);
  });

  it("the offline preview accepts a secure: cloud secret and refuses a plain-text one, registering nothing", async () => {
    const secure = await previewStack(project(`${STACK}  aws:secretKey:\n    secure: AAABAKz0bm90LWEtcmVhbC1rZXk=\n`), "w");
    expect(secure.report.warnings).toEqual([]);
    const failure = await previewStack(project(`${STACK}  aws:secretKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n`), "w").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProgramError);
    expect((failure as ProgramError).resources).toEqual([]);
    expect(((failure as ProgramError).reason as SpecError).problems.map((p) => p.key)).toEqual(["aws:secretKey"]);
  });

  it("the offline preview refuses a mistyped namespace written without a colon (kube-ha.replicaZones)", async () => {
    const failure = await previewStack(project(`${STACK}  kube-ha.allowEvenReplicaCount: true\n`), "w").catch((e: unknown) => e);
    const problems = ((failure as ProgramError).reason as SpecError).problems;
    expect(problems).toEqual([expect.objectContaining({ key: "kube-ha:kube-ha.allowEvenReplicaCount", message: expect.stringContaining('did you mean "kube-ha:allowEvenReplicaCount"?') })]);
  });
});
