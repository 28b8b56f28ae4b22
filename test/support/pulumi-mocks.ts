/**
 * A reusable recorder for Pulumi's mock runtime. `installMocks()` calls
 * `setMocks` and returns a registry of every registration (components too),
 * with its parent. `newResource` never throws (a throwing mock floods the run
 * with unhandled rejections): failures are kept in `registry.errors`.
 *
 * Secret inputs are unwrapped into `inputs`; their paths are listed in
 * `secretInputs` so a test can check that key material only arrives as a secret.
 */
import * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
  type: string;
  name: string;
  /** Inputs with secrets unwrapped to their plain values. */
  inputs: Record<string, unknown>;
  /** Dotted paths of inputs that arrived as secrets (e.g. "privateKeyPem", "metadata.key"). */
  secretInputs: string[];
  /** Name of the parent resource (undefined for top-level resources). */
  parent?: string;
  parentUrn?: string;
  urn?: string;
  custom: boolean;
  provider?: string;
}

export interface MockRegistry {
  resources: RecordedResource[];
  /** Messages of anything that went wrong inside the mock (never thrown). */
  errors: string[];
  ofType(type: string): RecordedResource[];
  named(name: string): RecordedResource | undefined;
  /** Names registered more than once with the same type and parent (the mock runtime does not catch these). */
  duplicates(): string[];
}

export interface InstallOptions {
  project?: string;
  stack?: string;
  preview?: boolean;
  organization?: string;
  /** Extra output state per resource, merged over the echoed inputs and the built-in fakes. */
  outputs?: (r: { type: string; name: string; inputs: Record<string, unknown> }) => Record<string, unknown> | undefined;
  /** Results of provider function calls (invokes); default: the call's inputs. */
  call?: (args: pulumi.runtime.MockCallArgs) => Record<string, unknown>;
}

/** Mock outputs for resources whose providers compute key material, so PEM-consuming code sees text. */
export function fakeComputedOutputs(type: string, name: string): Record<string, unknown> {
  switch (type) {
    case "tls:index/privateKey:PrivateKey":
      return {
        privateKeyPem: `-----BEGIN PRIVATE KEY-----\nfake-${name}\n-----END PRIVATE KEY-----\n`,
        privateKeyPemPkcs8: `-----BEGIN PRIVATE KEY-----\nfake-${name}\n-----END PRIVATE KEY-----\n`,
        publicKeyPem: `-----BEGIN PUBLIC KEY-----\nfake-${name}\n-----END PUBLIC KEY-----\n`,
        publicKeyOpenssh: `ecdsa-sha2-nistp256 fake-${name}`,
      };
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      return { certPem: `-----BEGIN CERTIFICATE-----\nfake-${name}\n-----END CERTIFICATE-----\n` };
    case "tls:index/certRequest:CertRequest":
      return { certRequestPem: `-----BEGIN CERTIFICATE REQUEST-----\nfake-${name}\n-----END CERTIFICATE REQUEST-----\n` };
    default:
      return {};
  }
}

const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Installs the mocks and returns the registry. Call before registering anything. */
export async function installMocks(opts: InstallOptions = {}): Promise<MockRegistry> {
  const resources: RecordedResource[] = [];
  const errors: string[] = [];
  let pendingParentUrn: string | undefined;

  const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
      try {
        const secretInputs: string[] = [];
        const inputs = unwrapSecrets(args.inputs ?? {}, "", secretInputs) as Record<string, unknown>;
        const parentUrn = pendingParentUrn || undefined;
        pendingParentUrn = undefined;
        resources.push({
          type: args.type,
          name: args.name,
          inputs,
          secretInputs,
          ...(parentUrn ? { parentUrn, parent: nameOfUrn(parentUrn) } : {}),
          custom: args.custom ?? true,
          ...(args.provider ? { provider: args.provider } : {}),
        });
        const extra = opts.outputs?.({ type: args.type, name: args.name, inputs }) ?? {};
        return {
          id: args.custom === false ? undefined : `${args.name}-id`,
          state: { ...(args.inputs ?? {}), ...fakeComputedOutputs(args.type, args.name), ...extra },
        };
      } catch (e) {
        errors.push(`newResource ${args.type} ${args.name}: ${String(e)}`);
        return { id: `${args.name}-id`, state: args.inputs ?? {} };
      }
    },
    call(args) {
      try {
        return opts.call ? opts.call(args) : (args.inputs ?? {});
      } catch (e) {
        errors.push(`call ${args.token}: ${String(e)}`);
        return {};
      }
    },
  };

  await pulumi.runtime.setMocks(mocks, opts.project ?? "kube-ha", opts.stack ?? "test", opts.preview ?? false, opts.organization ?? "organization");
  captureParents((parentUrn, register) => {
    pendingParentUrn = parentUrn;
    const before = resources.length;
    register();
    pendingParentUrn = undefined;
    const record = resources.length > before ? resources[resources.length - 1] : undefined;
    return (urn) => {
      if (record) record.urn = urn;
    };
  }, errors);

  return {
    resources,
    errors,
    ofType: (type) => resources.filter((r) => r.type === type),
    named: (name) => resources.find((r) => r.name === name),
    duplicates() {
      const seen = new Map<string, number>();
      for (const r of resources) {
        const key = `${r.parentUrn ?? ""}|${r.type}|${r.name}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
    },
  };
}

/** Resolves an Output's value (secret or not) in a test. */
export function valueOf<T>(o: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(o).apply((v) => resolve(v as T)));
}

/**
 * The mock monitor's newResource is not told the parent; its registerResource
 * request is. Wrap it: remember the parent URN just before the (synchronous)
 * call into newResource, and the resource's URN from the response.
 */
function captureParents(
  around: (parentUrn: string, register: () => Promise<void>) => (urn: string) => void,
  errors: string[],
): void {
  type Req = { getParent(): string };
  type Resp = { getUrn(): string } | undefined;
  type Cb = (err: unknown, resp: Resp) => void;
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource?: (req: Req, cb: Cb) => Promise<void> } | undefined;
  const original = monitor?.registerResource;
  if (!monitor || typeof original !== "function") {
    errors.push("mock monitor has no registerResource: parents are not recorded");
    return;
  }
  monitor.registerResource = (req: Req, cb: Cb) => {
    let gotUrn: (urn: string) => void = () => {};
    let pending: Promise<void> = Promise.resolve();
    gotUrn = around(req.getParent(), () => {
      pending = original.call(monitor, req, (err, resp) => {
        try {
          if (resp) gotUrn(resp.getUrn());
        } catch {
          // Recording is best effort; the registration itself proceeds.
        }
        cb(err, resp);
      });
      return pending;
    });
    return pending;
  };
}

function nameOfUrn(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i < 0 ? urn : urn.slice(i + 2);
}

function unwrapSecrets(v: unknown, path: string, secrets: string[]): unknown {
  if (Array.isArray(v)) return v.map((x, i) => unwrapSecrets(x, `${path}[${i}]`, secrets));
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SIG_KEY] === SECRET_SIG) {
      secrets.push(path || "<root>");
      return unwrapSecrets(o.value, path, []);
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = unwrapSecrets(x, path ? `${path}.${k}` : k, secrets);
    return out;
  }
  return v;
}
