import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ProjectError, nearestProjectDir, projectForStacksDir, readProject } from "../../components/flows/pulumi-project";
import { type TempProject, tempPulumiProject } from "../support/fake-automation";

const projects: TempProject[] = [];
afterEach(() => {
  while (projects.length > 0) projects.pop()!.remove();
});
function project(opts: Parameters<typeof tempPulumiProject>[1] = {}): TempProject {
  const p = tempPulumiProject({}, opts);
  projects.push(p);
  return p;
}

describe("finding the Pulumi project of a stacks directory", () => {
  it("walks up from the stacks directory to the nearest Pulumi.yaml and resolves its stackConfigDir", () => {
    const p = project({ stackConfigDir: "deploy/stacks" });
    expect(nearestProjectDir(p.stacksDir)).toBe(p.dir);
    expect(readProject(p.dir)).toEqual({ dir: p.dir, stackConfigDir: path.join(p.dir, "deploy", "stacks") });
    expect(projectForStacksDir(p.stacksDir, "/")).toEqual({ dir: p.dir, stackConfigDir: p.stacksDir });
  });

  it("without stackConfigDir the project directory itself holds the stack files", () => {
    const p = project({ stackConfigDir: null });
    expect(p.stacksDir).toBe(p.dir);
    expect(projectForStacksDir(p.dir, "/")).toEqual({ dir: p.dir, stackConfigDir: p.dir });
    fs.mkdirSync(path.join(p.dir, "stacks"));
    expect(() => projectForStacksDir(path.join(p.dir, "stacks"), "/")).toThrow(ProjectError);
  });

  it("refuses a directory inside the project that is not its stackConfigDir, naming the one Pulumi reads", () => {
    const p = project();
    const other = path.join(p.dir, "old-stacks");
    fs.mkdirSync(other);
    expect(() => projectForStacksDir(other, "/")).toThrow(
      `--stacks-dir ${other} is not where the Pulumi project in ${p.dir} keeps its stack files (its Pulumi.yaml gives stackConfigDir ${p.stacksDir})`,
    );
  });

  it("for a stacks directory in no project, takes the project above cwd, and refuses when that reads other files", () => {
    const outside = project({ noProjectFile: true });
    const p = project();
    expect(() => projectForStacksDir(outside.stacksDir, p.dir)).toThrow(`not where the Pulumi project in ${p.dir} keeps its stack files`);
    expect(projectForStacksDir(p.stacksDir, outside.dir).dir).toBe(p.dir);
  });

  it("with no Pulumi.yaml above the stacks directory or cwd, says so", () => {
    const outside = project({ noProjectFile: true });
    if (nearestProjectDir(path.dirname(outside.dir)) !== undefined) throw new Error(`a Pulumi.yaml above ${outside.dir} spoils this test`);
    expect(() => projectForStacksDir(outside.stacksDir, outside.dir)).toThrow(/^no Pulumi project: no Pulumi.yaml in /);
  });

  it("reads Pulumi.yml too, and rejects a stackConfigDir that is not a string", () => {
    const p = project({ noProjectFile: true });
    fs.writeFileSync(path.join(p.dir, "Pulumi.yml"), "name: x\nruntime: nodejs\nstackConfigDir: [a]\n");
    expect(nearestProjectDir(p.stacksDir)).toBe(p.dir);
    expect(() => readProject(p.dir)).toThrow("stackConfigDir must be a string");
  });
});
