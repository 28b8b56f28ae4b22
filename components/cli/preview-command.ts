import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { haReportDot } from "../preview/diagram-dot";
import { formatOutputs } from "../preview/outputs-text";
import { renderDotToSvg } from "../preview/diagram-svg";
import { previewJson, previewJsonText } from "../preview/preview-json";
import { previewStack } from "../preview/preview-stack";
import { formatHaReport } from "../preview/report-text";
import { formatResourceTree } from "../preview/resource-tree";
import { ProgramError } from "../preview/run-program";
import { UnknownStackError, findProjectDir } from "../preview/stack-files";
import { SpecError, formatProblem } from "../spec/errors";
import type { CliIo } from "./main";

export const DEFAULT_STACK = "gcp-ha";

export interface PreviewOptions {
  stack: string;
  json?: boolean;
  diagram?: string;
  dir?: string;
}

/**
 * `kube-ha preview [--stack NAME] [--json] [--diagram FILE.svg]`: what a
 * stack would build, offline (the ready program on Pulumi's mock runtime),
 * with the HA report. Exit 0; 1 for invalid stack config; 2 for an unknown
 * stack or another failure.
 */
export function registerPreviewCommand(program: Command, io: CliIo): void {
  program
    .command("preview")
    .description("offline: the resources a stack would create and its HA report (no credentials, no Pulumi CLI, no network)")
    .option("-s, --stack <name>", "stack to preview: stacks/Pulumi.<name>.yaml", DEFAULT_STACK)
    .option("--json", "print { stack, resources: [{ type, name, parent, inputs }], report } with secrets as \"[secret]\"")
    .option("--diagram <file.svg>", "also write an SVG diagram of zones, masters, load balancer and firewall rules")
    .option("--dir <path>", "project directory holding Pulumi.yaml (default: the nearest one above the current directory)")
    .action(async (opts: PreviewOptions) => {
      io.exitCode = await runPreview(opts, io);
    });
}

export async function runPreview(opts: PreviewOptions, io: CliIo): Promise<number> {
  const projectDir = opts.dir ? path.resolve(io.cwd, opts.dir) : findProjectDir(io.cwd);
  let preview;
  try {
    preview = await previewStack(projectDir, opts.stack);
  } catch (e) {
    return reportFailure(e, opts.stack, io);
  }
  if (opts.json) {
    io.stdout(previewJsonText(previewJson(preview.stack, preview.resources, preview.report)));
  } else {
    io.stdout(`kube-ha offline preview of stack ${preview.stack} (Pulumi mock runtime: nothing is created)\n\n`);
    io.stdout(formatResourceTree(preview.resources));
    io.stdout("\n");
    io.stdout(formatOutputs(preview.outputs));
    io.stdout("\n");
    io.stdout(formatHaReport(preview.report));
  }
  if (opts.diagram) {
    const file = path.resolve(io.cwd, opts.diagram);
    const svg = await renderDotToSvg(haReportDot(preview.report));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, svg);
    // Keep stdout pure JSON under --json.
    (opts.json ? io.stderr : io.stdout)(`diagram written to ${file}\n`);
  }
  return 0;
}

function reportFailure(e: unknown, stack: string, io: CliIo): number {
  const reason = e instanceof ProgramError ? e.reason : e;
  if (reason instanceof UnknownStackError) {
    io.stderr(`kube-ha preview: ${reason.message}\n`);
    return 2;
  }
  if (reason instanceof SpecError) {
    io.stderr(`kube-ha preview: stack ${stack} has invalid configuration; nothing was registered.\n`);
    for (const p of reason.problems) io.stderr(`  - ${formatProblem(p)}\n`);
    return 1;
  }
  const message = reason instanceof Error ? reason.message : String(reason);
  io.stderr(`kube-ha preview: stack ${stack} failed: ${message}\n`);
  return 2;
}
