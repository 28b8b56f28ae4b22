import { describe, expect, it } from "vitest";
import { kubeHaProgram } from "../../components/program";
import { ProgramError, runProgramOnMocks } from "../../components/preview/run-program";
import { SpecError } from "../../components/spec/errors";
import { invalidConfigs } from "../support/invalid-configs";

/** A raw config object → Pulumi's all-config form (strings; lists and objects as JSON). */
function asPulumiConfig(raw: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [`kube-ha:${k}`, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

describe("the program stops every invalid stack config before registering any resource", () => {
  it.each(invalidConfigs)("registers nothing for $rule", async ({ raw, config, key, message }) => {
    const failure = await runProgramOnMocks({
      project: "kube-ha",
      stack: "bad",
      config: { ...asPulumiConfig(raw), ...config },
      program: kubeHaProgram,
      outputs: () => ({}),
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProgramError);
    const { reason, resources } = failure as ProgramError;
    expect(resources).toEqual([]);
    expect(reason).toBeInstanceOf(SpecError);
    const hit = (reason as SpecError).problems.find((p) => p.key === key);
    expect(hit, JSON.stringify((reason as SpecError).problems)).toBeTruthy();
    expect(hit!.message).toMatch(message);
  });
});
