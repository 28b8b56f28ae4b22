import * as fs from "node:fs";
import * as path from "node:path";
import type { AutomationApi, SelectStackArgs, StackRunner } from "../../components/flows/automation";

/** One `pulumi up` the flow asked for, with the stack file as Pulumi would have read it. */
export interface RecordedUp {
  stackName: string;
  workDir: string;
  envVars: Record<string, string>;
  /** Text of stacks/Pulumi.<stack>.yaml at the moment `up` was called. */
  stackFileText: string;
}

export interface FakeAutomationOptions {
  /** Directory of the stack files (default `<workDir>/stacks`, as Pulumi.yaml's stackConfigDir says). */
  stacksDir?: string;
  /** Makes the Nth up (1-based) fail with this message. */
  failUp?: { at: number; message: string };
  /** Makes selectStack fail with this error (e.g. the CLI missing). */
  selectError?: Error;
}

/** An Automation API that runs nothing and records every call, in order. */
export class FakeAutomation implements AutomationApi {
  readonly selected: SelectStackArgs[] = [];
  readonly ups: RecordedUp[] = [];

  constructor(private readonly opts: FakeAutomationOptions = {}) {}

  async selectStack(args: SelectStackArgs): Promise<StackRunner> {
    this.selected.push(args);
    if (this.opts.selectError) throw this.opts.selectError;
    const file = path.join(this.opts.stacksDir ?? path.join(args.workDir, "stacks"), `Pulumi.${args.stackName}.yaml`);
    return {
      up: async (onOutput) => {
        this.ups.push({ ...args, stackFileText: fs.readFileSync(file, "utf8") });
        const n = this.ups.length;
        onOutput(`fake pulumi up #${n} of ${args.stackName}\n`);
        if (this.opts.failUp?.at === n) throw new Error(this.opts.failUp.message);
        return { summary: `succeeded (fake up #${n})` };
      },
    };
  }
}
