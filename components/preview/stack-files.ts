import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { SECURE_PLACEHOLDER, readStackFileConfig, shortStackName, stackFileName } from "../spec/stack-file-config";

export { SECURE_PLACEHOLDER };

/**
 * Finding a project's stack files and reading one stack's `config:` map the
 * way the Pulumi CLI would hand it to a program, with the reader the CLI
 * flows use too (spec/stack-file-config.ts).
 */

export interface StackConfig {
  /** The stack's own name (`gcp-ha` for `myorg/gcp-ha`), as the program sees it. */
  stack: string;
  file: string;
  /** `namespace:key` → value as Pulumi passes it to a program (strings; JSON for objects and lists). */
  config: Record<string, string>;
  /** Keys whose value is a `secure:` (encrypted) value; offline it reads as a placeholder. */
  secretKeys: string[];
}

/** Raised for a stack that has no file; lists the stacks that do. */
export class UnknownStackError extends Error {
  constructor(
    readonly stackName: string,
    readonly stacksDir: string,
    readonly known: string[],
  ) {
    super(
      `unknown stack "${stackName}": no ${path.join(stacksDir, stackFileName(stackName))}. ` +
        (known.length > 0
          ? `Stacks in ${stacksDir}: ${known.join(", ")}`
          : `${stacksDir} holds no Pulumi.<stack>.yaml file: run from a kube-ha project (with Pulumi.yaml) or pass --dir`),
    );
    this.name = "UnknownStackError";
  }
}

/** The nearest directory at or above `start` holding a Pulumi.yaml (else `start`). */
export function findProjectDir(start: string): string {
  let dir = path.resolve(start);
  for (let i = 0; i < 64; i++) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return path.resolve(start);
}

/**
 * The project's stack directory: Pulumi.yaml's `stackConfigDir`; without one,
 * kube-ha's `stacks/` when it exists, else the project directory (Pulumi's default).
 */
export function stacksDir(projectDir: string): string {
  const projectFile = path.join(projectDir, "Pulumi.yaml");
  if (fs.existsSync(projectFile)) {
    const project = parse(fs.readFileSync(projectFile, "utf8")) as { stackConfigDir?: unknown } | null;
    if (project && typeof project.stackConfigDir === "string") return path.join(projectDir, project.stackConfigDir);
  }
  const conventional = path.join(projectDir, "stacks");
  return fs.existsSync(conventional) ? conventional : projectDir;
}

/** Names of the stacks that have a `Pulumi.<stack>.yaml` file, sorted. */
export function listStacks(projectDir: string): string[] {
  const dir = stacksDir(projectDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export function stackFilePath(projectDir: string, stack: string): string | undefined {
  const dir = stacksDir(projectDir);
  for (const ext of ["yaml", "yml"] as const) {
    const file = path.join(dir, stackFileName(stack, ext));
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/**
 * Reads `stacks/Pulumi.<stack>.yaml` (an org-qualified name reads the short
 * name's file, as Pulumi does), or throws UnknownStackError listing the known stacks.
 */
export function readStackConfig(projectDir: string, stack: string): StackConfig {
  const file = stackFilePath(projectDir, stack);
  if (!file) throw new UnknownStackError(stack, stacksDir(projectDir), listStacks(projectDir));
  return { stack: shortStackName(stack), file, ...readStackFileConfig(fs.readFileSync(file, "utf8"), file) };
}
