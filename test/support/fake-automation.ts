import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AutomationApi, SelectStackArgs, StackRunner } from "../../components/flows/automation";
import { readProject } from "../../components/flows/pulumi-project";

/** One `pulumi up` or `pulumi destroy` the flow asked for, with the stack file as Pulumi would have read it. */
export interface RecordedRun {
  stackName: string;
  workDir: string;
  envVars: Record<string, string>;
  /** Text of <stackConfigDir>/Pulumi.<stack>.yaml (from workDir's Pulumi.yaml) when the run was called. */
  stackFileText: string;
}

export interface FakeAutomationOptions {
  /** Makes the Nth up (1-based) fail with this message. */
  failUp?: { at: number; message: string };
  /** Makes destroy fail with this message. */
  failDestroy?: string;
  /** Makes selectStack fail with this error (e.g. the CLI missing). */
  selectError?: Error;
}

/**
 * An Automation API that runs nothing and records every call, in order. Like
 * the real one, it finds the stack file through workDir's Pulumi.yaml
 * (stackConfigDir), and selecting a stack in a directory that holds no
 * Pulumi project fails.
 */
export class FakeAutomation implements AutomationApi {
  readonly selected: SelectStackArgs[] = [];
  readonly ups: RecordedRun[] = [];
  readonly destroys: RecordedRun[] = [];

  constructor(private readonly opts: FakeAutomationOptions = {}) {}

  async selectStack(args: SelectStackArgs): Promise<StackRunner> {
    this.selected.push(args);
    if (this.opts.selectError) throw this.opts.selectError;
    const project = readProject(args.workDir);
    const file = path.join(project.stackConfigDir, `Pulumi.${args.stackName}.yaml`);
    const record = (): RecordedRun => ({ ...args, stackFileText: fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "" });
    return {
      up: async (onOutput) => {
        this.ups.push(record());
        const n = this.ups.length;
        onOutput(`fake pulumi up #${n} of ${args.stackName}\n`);
        if (this.opts.failUp?.at === n) throw new Error(this.opts.failUp.message);
        return { summary: `succeeded (fake up #${n})` };
      },
      destroy: async (onOutput) => {
        this.destroys.push(record());
        onOutput(`fake pulumi destroy of ${args.stackName}\n`);
        if (this.opts.failDestroy !== undefined) throw new Error(this.opts.failDestroy);
        return { summary: "succeeded (fake destroy)" };
      },
    };
  }
}

export interface TempProject {
  /** The project directory (holds Pulumi.yaml unless `noProjectFile`). */
  dir: string;
  /** The stack config directory holding the stack files. */
  stacksDir: string;
  /** Path of a stack's file in stacksDir. */
  file(stack: string): string;
  /** Deletes the whole directory. */
  remove(): void;
}

/**
 * A throwaway Pulumi project for the fake to run in: Pulumi.yaml with
 * `stackConfigDir` (default `stacks`; `null` writes none, so the project
 * directory itself holds the stack files) and copies of stack files there.
 * `noProjectFile` leaves Pulumi.yaml out: a stacks directory in no project.
 */
export function tempPulumiProject(
  files: Record<string, string>,
  opts: { stackConfigDir?: string | null; noProjectFile?: boolean } = {},
): TempProject {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-ha-project-"));
  const configDir = opts.stackConfigDir === undefined ? "stacks" : opts.stackConfigDir;
  if (!opts.noProjectFile) {
    const lines = ["name: kube-ha", "runtime: nodejs", ...(configDir !== null ? [`stackConfigDir: ${configDir}`] : [])];
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `${lines.join("\n")}\n`);
  }
  const stacksDir = path.join(dir, configDir ?? ".");
  fs.mkdirSync(stacksDir, { recursive: true });
  for (const [stack, text] of Object.entries(files)) fs.writeFileSync(path.join(stacksDir, `Pulumi.${stack}.yaml`), text);
  return {
    dir,
    stacksDir,
    file: (stack) => path.join(stacksDir, `Pulumi.${stack}.yaml`),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
