import * as path from "node:path";

/**
 * The command lines the flows print for people to run next: `pulumi up` /
 * `pulumi destroy` for the project, and kube-ha's own commands. Pure.
 */

/** A word as a POSIX shell reads it: bare when safe, else single-quoted. */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface WhereToRun {
  stack: string;
  /** The Pulumi project directory (holds Pulumi.yaml). */
  projectDir: string;
  /** The stack config directory kube-ha edits. */
  stacksDir: string;
  /** Where the person runs commands from. */
  cwd: string;
}

const same = (a: string, b: string) => path.resolve(a) === path.resolve(b);

/** `[VAR=value …] pulumi <verb> --stack S [--cwd PROJECT]`. */
export function pulumiCommand(verb: "up" | "destroy", where: WhereToRun, env: Record<string, string> = {}): string {
  const vars = Object.entries(env).map(([k, v]) => `${k}=${shellWord(v)} `).join("");
  const dir = same(where.projectDir, where.cwd) ? "" : ` --cwd ${shellWord(where.projectDir)}`;
  return `${vars}pulumi ${verb} --stack ${shellWord(where.stack)}${dir}`;
}

/** `kube-ha <command> --stack S [--stacks-dir DIR] <args>`; --stacks-dir only when it is not ./stacks. */
export function kubeHaCommand(command: string, where: WhereToRun, args: readonly string[]): string {
  const dir = same(where.stacksDir, path.join(where.cwd, "stacks")) ? [] : ["--stacks-dir", where.stacksDir];
  return ["kube-ha", command, "--stack", where.stack, ...dir, ...args].map(shellWord).join(" ");
}
