import type { AutomationApi, StackRunner } from "./automation";
import { type WhereToRun, kubeHaCommand, pulumiCommand } from "./command-line";
import { EXIT_ERROR, EXIT_OK, EXIT_REFUSED } from "./exit-codes";
import { describeStack } from "./plan-printer";
import { SKIP_MEMBER_REMOVAL_ENV, destroyEnv } from "./pulumi-env";
import { type PulumiProject, projectForStacksDir } from "./pulumi-project";
import { loadStack } from "./stack-plan";

/**
 * `kube-ha destroy`: the whole cluster goes. A plain `pulumi destroy` runs
 * every replica's removal command at once and the last ones are refused
 * (their survivors are going too), so it stops halfway. This runs it with
 * KUBE_HA_SKIP_MEMBER_REMOVAL=true set for that one process: the etcd
 * cluster is deleted with its machines, not shrunk member by member.
 * Nothing happens without --yes.
 */

export interface DestroyInput {
  stack: string;
  stacksDir: string;
  yes: boolean;
}

export interface DestroyDeps {
  automation: AutomationApi;
  cwd: string;
  out(text: string): void;
  err(text: string): void;
}

export async function runDestroyFlow(input: DestroyInput, deps: DestroyDeps): Promise<number> {
  let project: PulumiProject;
  try {
    project = projectForStacksDir(input.stacksDir, deps.cwd);
  } catch (e) {
    deps.err(`kube-ha destroy: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_ERROR;
  }
  const where: WhereToRun = { stack: input.stack, projectDir: project.dir, stacksDir: input.stacksDir, cwd: deps.cwd };
  const command = pulumiCommand("destroy", where, destroyEnv());

  deps.out(`${describeWhat(input)}\n`);
  deps.out(
    `destroy: every resource stack ${input.stack} created is deleted — the masters with their etcd disks and data, ` +
      `the load balancer and its address, the key material in the secret store, the network kube-ha made.\n` +
      `etcd members are not removed one by one (${SKIP_MEMBER_REMOVAL_ENV}=true for this run only): the whole etcd cluster goes with its machines.\n` +
      `The stack file and the (empty) stack stay; \`pulumi stack rm --stack ${input.stack}\` removes the stack.\n` +
      `It runs: ${command}\n`,
  );
  if (!input.yes) {
    deps.err(`kube-ha destroy: refused without --yes: this deletes stack ${input.stack}'s whole cluster and its data. Run again with --yes to go ahead.\n`);
    return EXIT_REFUSED;
  }

  let runner: StackRunner;
  try {
    runner = await deps.automation.selectStack({ stackName: input.stack, workDir: project.dir, envVars: destroyEnv() });
  } catch (e) {
    deps.err(`kube-ha destroy: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_ERROR;
  }
  deps.out(`\n== pulumi destroy --stack ${input.stack}\n`);
  try {
    const outcome = await runner.destroy((text) => deps.out(text));
    deps.out(`== pulumi destroy: ${outcome.summary}\n\ndone: stack ${input.stack} is destroyed\n`);
    return EXIT_OK;
  } catch (e) {
    deps.err(
      `kube-ha destroy: ${e instanceof Error ? e.message : String(e)}\n` +
        `Fix the cause and run \`${kubeHaCommand("destroy", where, ["--yes"])}\` again (or \`${command}\`): what is already gone stays gone.\n`,
    );
    return EXIT_ERROR;
  }
}

/** The stack as its file describes it; a destroy goes by Pulumi's state, so a missing or invalid file only loses the description. */
function describeWhat(input: DestroyInput): string {
  try {
    const loaded = loadStack(input.stacksDir, input.stack);
    return describeStack(input.stack, loaded.plan);
  } catch (e) {
    return `stack ${input.stack} (its stack file cannot describe it: ${e instanceof Error ? e.message.split("\n")[0] : String(e)})`;
  }
}
