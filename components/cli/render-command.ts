import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { PLATFORMS } from "../platforms";
import { previewStack } from "../preview/preview-stack";
import { findReplica, replicaFiles } from "../preview/replica-files";
import { ProgramError } from "../preview/run-program";
import { UnknownStackError, findProjectDir } from "../preview/stack-files";
import { SpecError, formatProblem } from "../spec/errors";
import { DEFAULT_STACK } from "./preview-command";
import type { CliIo } from "./main";

export interface RenderOptions {
  stack: string;
  replica: string;
  out: string;
  withSecrets?: boolean;
  dir?: string;
}

/** Why --with-secrets cannot be honoured offline (printed, exit 2). */
export const WITH_SECRETS_OFFLINE =
  "--with-secrets needs the stack's real key material, which exists only after `pulumi up` (in Pulumi state and in the " +
  "cloud's secret store). Offline, the mock runtime mints no keys (its tls resources return placeholders), and kube-ha " +
  "will not write fake keys that look real. Without --with-secrets the key files are written as placeholders that say " +
  "where each file comes from at boot.";

/**
 * `kube-ha render --stack NAME --replica NAME --out DIR`: writes everything
 * that would run on that master (the boot script exactly as the instance
 * receives it, the boot program it installs in readable, uncompacted form,
 * etcd config/unit, membership script, kubeadm configuration, key-file
 * placeholders) so it can be read and debugged. Runs the ready program
 * offline, like `preview`.
 */
export function registerRenderCommand(program: Command, io: CliIo): void {
  program
    .command("render")
    .description(
      "write everything that would run on one replica (boot script as received, its readable boot program, etcd files, membership script, kubeadm config) to a directory",
    )
    .option("-s, --stack <name>", "stack: stacks/Pulumi.<name>.yaml", DEFAULT_STACK)
    .requiredOption("-r, --replica <name>", "replica (master or etcd member) name, e.g. master-b")
    .requiredOption("-o, --out <dir>", "output directory (created; existing files are overwritten)")
    .option("--with-secrets", "write real key material instead of placeholders (not possible offline; see the message)")
    .option("--dir <path>", "project directory holding Pulumi.yaml (default: the nearest one above the current directory)")
    .action(async (opts: RenderOptions) => {
      io.exitCode = await runRender(opts, io);
    });
}

export async function runRender(opts: RenderOptions, io: CliIo): Promise<number> {
  if (opts.withSecrets) {
    io.stderr(`kube-ha render: ${WITH_SECRETS_OFFLINE}\n`);
    return 2;
  }
  const projectDir = opts.dir ? path.resolve(io.cwd, opts.dir) : findProjectDir(io.cwd);
  let preview;
  try {
    preview = await previewStack(projectDir, opts.stack);
  } catch (e) {
    const reason = e instanceof ProgramError ? e.reason : e;
    if (reason instanceof SpecError) {
      io.stderr(`kube-ha render: stack ${opts.stack} has invalid configuration:\n`);
      for (const p of reason.problems) io.stderr(`  - ${formatProblem(p)}\n`);
      return 1;
    }
    io.stderr(`kube-ha render: ${reason instanceof UnknownStackError || reason instanceof Error ? reason.message : String(reason)}\n`);
    return 2;
  }
  const { plan } = preview.result;
  const replica = findReplica(plan, opts.replica);
  if (!replica) {
    const names = [...plan.masters, ...plan.etcdNodes].map((r) => r.name);
    io.stderr(`kube-ha render: stack ${opts.stack} has no replica "${opts.replica}": its replicas are ${names.join(", ")}\n`);
    return 2;
  }
  const lb = preview.outputs["loadBalancerAddress"];
  const endpointAddress = typeof lb === "string" && !lb.startsWith("[") ? lb : "LOAD_BALANCER_ADDRESS";
  const boot = PLATFORMS[plan.spec.cloud].bootData(preview.resources, replica.name);
  const files = replicaFiles({ plan, replicaName: replica.name, endpointAddress, ...(boot ? { boot } : {}) });
  const outDir = path.resolve(io.cwd, opts.out);
  for (const f of files) {
    const target = path.join(outDir, f.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.content, { mode: f.mode });
    fs.chmodSync(target, f.mode);
  }
  io.stdout(`kube-ha render: ${files.length} files for ${replica.name} of stack ${opts.stack} in ${outDir}\n`);
  for (const f of files) io.stdout(`  ${f.path}\n`);
  if (!boot) io.stdout(`(no boot script: no ${plan.spec.cloud} instance for ${replica.name} was registered by the program)\n`);
  return 0;
}
