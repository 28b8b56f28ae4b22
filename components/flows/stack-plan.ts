import * as fs from "node:fs";
import { PLATFORMS } from "../platforms";
import { planControlPlane } from "../plan/control-plane-plan";
import type { ControlPlanePlan } from "../plan/types";
import type { ClusterSpec } from "../spec/cluster-spec";
import { SpecError } from "../spec/errors";
import { rawConfigFromStackFile } from "../spec/stack-config";
import { shortStackName } from "../spec/stack-file-config";
import { parseClusterSpec } from "../spec/validate";
import { listStacks, readStackFile, stackFilePath } from "./stack-file";

/** A stack file as the flows see it: where it is, its text, and the plan it describes. */
export interface LoadedStack {
  stack: string;
  file: string;
  text: string;
  spec: ClusterSpec;
  plan: ControlPlanePlan;
}

/**
 * Stack text → spec → plan, read and checked as `pulumi up` and the offline
 * preview do (the one stack-file reader, the spec, the cloud component's own
 * rules); throws a SpecError (every problem, with its fix).
 */
export function planFromStackText(text: string, stack: string, file?: string): { spec: ClusterSpec; plan: ControlPlanePlan } {
  const spec = parseClusterSpec(rawConfigFromStackFile(text, file), { stackName: shortStackName(stack), keyPrefix: "kube-ha:" });
  const plan = planControlPlane(spec);
  const problems = PLATFORMS[spec.cloud].planRules(plan, "kube-ha:");
  if (problems.length > 0) throw new SpecError(problems);
  return { spec, plan };
}

export class StackNotFoundError extends Error {
  constructor(stack: string, stacksDir: string) {
    const known = listStacks(stacksDir);
    super(
      `no stack file for "${stack}": ${stackFilePath(stacksDir, stack)} does not exist` +
        (known.length > 0 ? ` (stacks in ${stacksDir}: ${known.join(", ")})` : ` (use --stacks-dir to point at the directory holding Pulumi.<stack>.yaml)`),
    );
    this.name = "StackNotFoundError";
  }
}

export function loadStack(stacksDir: string, stack: string): LoadedStack {
  const file = stackFilePath(stacksDir, stack);
  if (!fs.existsSync(file)) throw new StackNotFoundError(stack, stacksDir);
  const text = readStackFile(file);
  return { stack, file, text, ...planFromStackText(text, stack, file) };
}
