import * as fs from "node:fs";
import { planControlPlane } from "../plan/control-plane-plan";
import type { ControlPlanePlan } from "../plan/types";
import type { ClusterSpec } from "../spec/cluster-spec";
import { rawConfigFromStackFile } from "../spec/stack-config";
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

/** Stack text → spec → plan; throws the spec's SpecError (every problem, with its fix). */
export function planFromStackText(text: string, stack: string): { spec: ClusterSpec; plan: ControlPlanePlan } {
  const spec = parseClusterSpec(rawConfigFromStackFile(text), { stackName: stack, keyPrefix: "kube-ha:" });
  return { spec, plan: planControlPlane(spec) };
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
  return { stack, file, text, ...planFromStackText(text, stack) };
}
