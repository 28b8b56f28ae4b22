import * as pulumi from "@pulumi/pulumi";
import { PLATFORMS } from "../platforms";
import type { MockContext } from "../platforms/preview-mock";
import { type RecordedResource, PreviewRecorder } from "./recorder";
import { decodeWireValue, redactValue } from "./redact";

/**
 * Runs any Pulumi program for one stack on the mock runtime, in this
 * process, with no engine, CLI, credentials or network: sets the stack's
 * config and the mocks first, then runs the program, waits for its outputs
 * and every registration to settle, and returns what was registered with
 * secrets redacted.
 */

export interface ProgramRun<T> {
  /** What the program function returned (its outputs still as Pulumi Outputs). */
  result: T;
  resources: RecordedResource[];
  /** The program's outputs, settled, secrets replaced by "[secret]". */
  outputs: Record<string, unknown>;
  /** Plaintexts seen marked secret during the run (for redacting anything else printed). */
  secrets: ReadonlySet<string>;
}

export interface RunOptions<T> {
  project: string;
  stack: string;
  /** `namespace:key` → value, as Pulumi passes config to a program. */
  config: Record<string, string>;
  secretKeys?: string[];
  /** The program: registers resources, returns its result; `outputs(result)` picks the stack outputs. */
  program: () => T | Promise<T>;
  outputs: (result: T) => Record<string, unknown>;
  /** Upper bound for outputs and registrations to settle. */
  timeoutMs?: number;
}

/** Raised when the program throws; carries the registrations made before it did. */
export class ProgramError extends Error {
  constructor(
    readonly reason: unknown,
    readonly resources: RecordedResource[],
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = "ProgramError";
  }
}

/** The region to preview when the stack names none (no kube-ha:region, no provider region). */
const FALLBACK_REGION = "us-central1";

/** The mock cloud's view of the stack: kube-ha:region, else the first platform provider's region key set (registry order). */
export function mockContextFromConfig(config: Record<string, string>): MockContext {
  const providerRegion = Object.values(PLATFORMS)
    .map((p) => config[p.providerRegionKey])
    .find((r) => r !== undefined);
  return { region: config["kube-ha:region"] ?? providerRegion ?? FALLBACK_REGION, config };
}

export async function runProgramOnMocks<T>(opts: RunOptions<T>): Promise<ProgramRun<T>> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  pulumi.runtime.setAllConfig(opts.config, opts.secretKeys ?? []);
  const recorder = new PreviewRecorder(mockContextFromConfig(opts.config));
  await recorder.install(opts.project, opts.stack);

  // Errors raised inside the SDK's own promise chains surface as unhandled
  // rejections: collect them for the duration of the run instead of crashing.
  const asyncErrors: unknown[] = [];
  const onRejection = (reason: unknown) => {
    asyncErrors.push(reason);
  };
  process.on("unhandledRejection", onRejection);
  try {
    let result: T;
    try {
      result = await opts.program();
    } catch (e) {
      await settle(pulumi.runtime.disconnect(), timeoutMs, "registrations");
      throw new ProgramError(e, recorder.resources);
    }
    const wire = await settle(pulumi.runtime.serializeProperties("outputs", opts.outputs(result)), timeoutMs, "the program's outputs");
    await settle(pulumi.runtime.disconnect(), timeoutMs, "registrations");
    if (asyncErrors.length > 0) throw new ProgramError(asyncErrors[0], recorder.resources);
    const outputs = decodeWireValue(wire, recorder.secrets) as Record<string, unknown>;
    const secrets = recorder.secrets;
    return {
      result,
      resources: recorder.resources.map((r) => ({ ...r, inputs: redactValue(r.inputs, secrets) as Record<string, unknown> })),
      outputs: redactValue(outputs, secrets) as Record<string, unknown>,
      secrets,
    };
  } finally {
    process.off("unhandledRejection", onRejection);
  }
}

async function settle<V>(promise: Promise<V>, timeoutMs: number, what: string): Promise<V> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} to settle`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
