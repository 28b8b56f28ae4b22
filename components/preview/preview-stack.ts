import { type KubeHaProgram, kubeHaProgram } from "../program";
import { type HaReport, buildHaReport } from "./ha-report";
import type { RecordedResource } from "./recorder";
import { runProgramOnMocks } from "./run-program";
import { readStackConfig } from "./stack-files";

/** Pulumi.yaml's project name; the mock runtime runs the program under it. */
export const PROJECT_NAME = "kube-ha";

export interface StackPreview {
  stack: string;
  resources: RecordedResource[];
  report: HaReport;
  /** The stack outputs, settled, secrets redacted. */
  outputs: Record<string, unknown>;
  result: KubeHaProgram;
}

/**
 * The offline preview of one stack: reads `stacks/Pulumi.<stack>.yaml`, runs
 * the ready program (components/program.ts) on the mock runtime and builds
 * the HA report from its plan. Throws UnknownStackError for a stack with no
 * file, and ProgramError (wrapping the SpecError) for bad config.
 */
export async function previewStack(projectDir: string, stack: string): Promise<StackPreview> {
  const stackConfig = readStackConfig(projectDir, stack);
  // The program sees the stack's own name (pulumi.getStack() of `myorg/gcp-ha` is `gcp-ha`).
  stack = stackConfig.stack;
  const run = await runProgramOnMocks({
    project: PROJECT_NAME,
    stack,
    config: stackConfig.config,
    secretKeys: stackConfig.secretKeys,
    // The report shows the warnings; the mock runtime would print pulumi.log.warn to stderr as well.
    program: () => kubeHaProgram({ warn: () => {} }),
    outputs: (r) => ({ ...r.outputs }),
  });
  return {
    stack,
    resources: run.resources,
    report: buildHaReport(stack, run.result.plan, run.result.warnings),
    outputs: run.outputs,
    result: run.result,
  };
}
