import { LocalWorkspace, PulumiCommand, type Stack, type UpdateSummary } from "@pulumi/pulumi/automation";
import { pulumiVersionProblem } from "./pulumi-version";

/**
 * The narrow slice of Pulumi's Automation API the flows use, and its
 * real implementation over LocalWorkspace. Tests inject a fake
 * (test/support/fake-automation.ts) that records every call.
 *
 * Config for each stage is not set through `stack.setConfig`: the flow writes
 * it into `stacks/Pulumi.<stack>.yaml` itself (keeping the user's comments and
 * layout), and `pulumi up` reads that file. Pulumi's own `config set` would
 * store the replica list as a JSON string and reformat the file.
 */

export interface RunOutcome {
  /** One line for people, e.g. "succeeded: 3 create, 12 same". */
  summary: string;
}

/** One selected stack: the replica flows run `up`, `kube-ha destroy` runs `destroy`. */
export interface StackRunner {
  /** Runs `pulumi up` (no preview prompt), streaming Pulumi's own output. Rejects when the update fails. */
  up(onOutput: (text: string) => void): Promise<RunOutcome>;
  /** Runs `pulumi destroy` (no prompt), streaming Pulumi's own output. Rejects when it fails. */
  destroy(onOutput: (text: string) => void): Promise<RunOutcome>;
}

export interface SelectStackArgs {
  stackName: string;
  /** The Pulumi project directory (holds Pulumi.yaml; its stackConfigDir holds the stack files). */
  workDir: string;
  /** Extra environment of the `pulumi` process and everything it starts (providers, commands). */
  envVars: Record<string, string>;
}

export interface AutomationApi {
  /** Selects an existing stack; rejects with a message a person can act on. */
  selectStack(args: SelectStackArgs): Promise<StackRunner>;
}

export const PULUMI_INSTALL_HINT = "pulumi CLI not found: install it with curl -fsSL https://get.pulumi.com | sh";

/** Raised for failures of the Pulumi CLI, with the message to show. */
export class AutomationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AutomationError";
  }
}

/** Whether an Automation API error means the `pulumi` binary is missing. */
export function isPulumiMissing(err: unknown): boolean {
  const text = err instanceof Error ? `${err.message} ${String(err)}` : String(err);
  return /spawn \S*pulumi ENOENT/.test(text) || /failed with ENOENT: \S*pulumi /.test(text);
}

function explain(err: unknown, what: string): AutomationError {
  if (isPulumiMissing(err)) return new AutomationError(PULUMI_INSTALL_HINT);
  const text = err instanceof Error ? err.message : String(err);
  return new AutomationError(`${what} failed: ${text.trim()}`);
}

function outcome(result: { summary: UpdateSummary }): RunOutcome {
  const changes = Object.entries(result.summary.resourceChanges ?? {})
    .map(([op, n]) => `${n} ${op}`)
    .join(", ");
  return { summary: `${result.summary.result}${changes ? `: ${changes}` : ""}` };
}

/**
 * The real thing: the `pulumi` CLI driven by @pulumi/pulumi/automation
 * (a static import: a dynamic import() of the package's directory fails
 * under Node's ESM resolution).
 */
export const localAutomation: AutomationApi = {
  async selectStack({ stackName, workDir, envVars }) {
    let stack: Stack;
    let pulumiCommand: PulumiCommand;
    try {
      pulumiCommand = await PulumiCommand.get();
    } catch (err) {
      throw explain(err, "running pulumi version");
    }
    const tooOld = pulumiCommand.version ? pulumiVersionProblem(pulumiCommand.version.format()) : undefined;
    if (tooOld) throw new AutomationError(tooOld);
    try {
      stack = await LocalWorkspace.selectStack({ stackName, workDir }, { envVars, pulumiCommand });
    } catch (err) {
      throw explain(err, `selecting stack ${stackName} in ${workDir}`);
    }
    return {
      async up(onOutput) {
        try {
          return outcome(await stack.up({ onOutput, onError: onOutput }));
        } catch (err) {
          throw explain(err, `pulumi up on stack ${stackName}`);
        }
      },
      async destroy(onOutput) {
        try {
          return outcome(await stack.destroy({ onOutput, onError: onOutput }));
        } catch (err) {
          throw explain(err, `pulumi destroy on stack ${stackName}`);
        }
      },
    };
  },
};
