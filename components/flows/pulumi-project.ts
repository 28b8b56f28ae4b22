import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/**
 * Which Pulumi project a stacks directory belongs to. `pulumi up` reads
 * `<project>/<stackConfigDir>/Pulumi.<stack>.yaml`, where the project is the
 * nearest directory holding Pulumi.yaml and stackConfigDir comes from that
 * file; the flows edit `<stacks-dir>/Pulumi.<stack>.yaml`. The two must be
 * the same file, or Pulumi applies a config kube-ha never wrote.
 */

export const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml"] as const;

export interface PulumiProject {
  /** Directory holding Pulumi.yaml: the Automation API's workDir. */
  dir: string;
  /** Where Pulumi reads stack files: stackConfigDir resolved against dir (dir itself when unset). */
  stackConfigDir: string;
}

export class ProjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProjectError";
  }
}

function projectFileIn(dir: string): string | undefined {
  return PROJECT_FILES.map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
}

/** The nearest directory at or above `start` that holds a Pulumi project file. */
export function nearestProjectDir(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (projectFileIn(dir)) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The project in `dir`, with its stackConfigDir resolved. */
export function readProject(dir: string): PulumiProject {
  const file = projectFileIn(dir);
  if (!file) throw new ProjectError(`no Pulumi.yaml in ${dir}`);
  let raw: unknown;
  try {
    raw = parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new ProjectError(`${file} does not parse: ${e instanceof Error ? e.message : String(e)}`);
  }
  const configured = raw && typeof raw === "object" ? (raw as Record<string, unknown>).stackConfigDir : undefined;
  if (configured !== undefined && typeof configured !== "string") {
    throw new ProjectError(`${file}: stackConfigDir must be a string, not ${JSON.stringify(configured)}`);
  }
  return { dir, stackConfigDir: path.resolve(dir, configured ?? ".") };
}

/** A path with symlinks resolved where it exists (/tmp → /private/tmp and the like). */
function real(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * The project whose stackConfigDir is `stacksDir`: found by walking up from
 * the stacks directory, else from `cwd`. Throws a ProjectError saying what
 * to do when there is none, or when Pulumi would read its stack files from
 * another directory.
 */
export function projectForStacksDir(stacksDir: string, cwd: string): PulumiProject {
  const dir = nearestProjectDir(stacksDir) ?? nearestProjectDir(cwd);
  if (!dir) {
    throw new ProjectError(
      `no Pulumi project: no Pulumi.yaml in ${path.resolve(stacksDir)}, ${path.resolve(cwd)} or any directory above them. ` +
        `Run kube-ha inside the project, with --stacks-dir its stackConfigDir`,
    );
  }
  const project = readProject(dir);
  if (real(project.stackConfigDir) !== real(stacksDir)) {
    throw new ProjectError(
      `--stacks-dir ${path.resolve(stacksDir)} is not where the Pulumi project in ${dir} keeps its stack files ` +
        `(its Pulumi.yaml gives stackConfigDir ${project.stackConfigDir}): pulumi would read ${project.stackConfigDir}/Pulumi.<stack>.yaml, ` +
        `not the file kube-ha edits. Use --stacks-dir ${project.stackConfigDir}, or move the stack file there`,
    );
  }
  return project;
}
