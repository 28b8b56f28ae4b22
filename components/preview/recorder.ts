import * as pulumi from "@pulumi/pulumi";
import type { MockContext } from "../platforms/preview-mock";
import { mockAnswer, mockCall } from "./mock-state";
import { decodeWireValue } from "./redact";

/**
 * The offline preview's mock runtime: installs `pulumi.runtime.setMocks` and
 * records every registration (custom resources and components) with its
 * type, name, parent and inputs.
 *
 * The SDK hands a mock's `newResource` its inputs already unwrapped, so
 * secret-ness is lost there. The recorder therefore also looks at each
 * registration request as it goes over the (mock) wire, where secrets still
 * carry Pulumi's secret signature: those values are recorded as "[secret]",
 * their plaintext is remembered for value-based redaction, and they are
 * handed back to the program still marked secret, as the real engine would.
 */

export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent resource; undefined for a top-level registration. */
  parentUrn?: string;
  /** True for cloud resources, false for component resources. */
  custom: boolean;
  /** Inputs as sent, with every secret value replaced by "[secret]". */
  inputs: Record<string, unknown>;
}

/** The registration request, as much of it as the recorder reads. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

type Callback = (...args: unknown[]) => void;
interface WrappableMonitor {
  registerResource(req: RegisterRequest, callback: Callback): unknown;
}

const SIG = pulumi.runtime.specialSigKey;

export class PreviewRecorder {
  readonly resources: RecordedResource[] = [];
  /** Plaintexts of every value seen marked secret, for value-based redaction. */
  readonly secrets = new Set<string>();
  /** Wire-form inputs waiting for their `newResource` call, per type + name, in order. */
  private readonly pendingWire = new Map<string, Record<string, unknown>[]>();

  constructor(private readonly ctx: MockContext) {}

  /** Sets the mocks (project, stack, preview mode) and starts recording. Call before the program runs. */
  async install(project: string, stack: string): Promise<void> {
    await pulumi.runtime.setMocks(this.mocks(), project, stack, true);
    const monitor = pulumi.runtime.getMonitor() as unknown as WrappableMonitor | undefined;
    if (!monitor || typeof monitor.registerResource !== "function") {
      throw new Error("the Pulumi mock runtime did not install a resource monitor");
    }
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: RegisterRequest, callback: Callback) => {
      try {
        this.record(req);
      } catch {
        // Recording must never break a registration.
      }
      return original(req, callback);
    };
  }

  private record(req: RegisterRequest): void {
    const type = req.getType();
    const name = req.getName();
    const parent = req.getParent() || undefined;
    const wire = req.getObject()?.toJavaScript() ?? {};
    const key = `${type}\u0000${name}`;
    const queue = this.pendingWire.get(key) ?? [];
    queue.push(wire);
    this.pendingWire.set(key, queue);
    this.resources.push({
      urn: urnOf(parent, type, name),
      type,
      name,
      ...(parent ? { parentUrn: parent } : {}),
      custom: req.getCustom(),
      inputs: decodeWireValue(wire, this.secrets) as Record<string, unknown>,
    });
  }

  private takeWire(type: string, name: string): Record<string, unknown> | undefined {
    const queue = this.pendingWire.get(`${type}\u0000${name}`);
    return queue?.shift();
  }

  mocks(): pulumi.runtime.Mocks {
    return {
      newResource: (args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult => {
        try {
          const wire = this.takeWire(args.type, args.name);
          if (!args.custom) return { id: undefined, state: {} };
          const answer = mockAnswer(args.type, args.name, args.inputs as Record<string, unknown>, this.ctx);
          const state: Record<string, unknown> = { ...answer.state };
          // Echo inputs in wire form, so secret inputs come back secret and unknowns stay unknown.
          if (wire) for (const [k, v] of Object.entries(wire)) state[k] = echo(v);
          for (const k of answer.secretKeys) {
            if (state[k] !== undefined && !isWireSecret(state[k])) state[k] = { [SIG]: pulumi.runtime.specialSecretSig, value: state[k] };
          }
          return { id: answer.id, state };
        } catch {
          return { id: `${args.name}-id`, state: {} };
        }
      },
      call: (args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult => {
        try {
          return mockCall(args.token, args.inputs as Record<string, unknown>, this.ctx);
        } catch {
          return {};
        }
      },
    };
  }
}

/** The URN the mock monitor gives a registration (same rule as the SDK's MockMonitor). */
export function urnOf(parent: string | undefined, type: string, name: string): string {
  let qualified = type;
  if (parent) {
    const parentType = (parent.split("::")[2] ?? "").split("$").pop();
    qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

function isWireSecret(v: unknown): boolean {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG] === pulumi.runtime.specialSecretSig;
}

/** Wire value → what the mock returns as state: secrets and unknowns kept, resource references as their id/URN. */
function echo(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(echo);
  if (v === null || typeof v !== "object") return v;
  const obj = v as Record<string, unknown>;
  if (obj[SIG] === pulumi.runtime.specialResourceSig) return obj["id"] || obj["urn"];
  if (obj[SIG] !== undefined) return obj;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(obj)) out[k] = echo(val);
  return out;
}
