import { PLATFORMS } from "../platforms";
import type { Platform } from "../platforms/platform";
import { type MockAnswer, type MockContext, mockDigest } from "../platforms/preview-mock";

/**
 * What the offline preview's mock cloud answers for a resource: its inputs
 * echoed back plus the computed outputs a program reads (addresses, self
 * links, ARNs, e-mails, PEMs), deterministic from type and name. A
 * platform's resources and functions are answered by the platform that owns
 * their provider package (Platform.mockResource, Platform.mockCall); the
 * cloud-neutral ones (tls, command, anything else) here. Pure and total:
 * never throws, because a throwing mock floods the Pulumi runtime with
 * unhandled rejections.
 */

/** A recognisable, PEM-shaped placeholder (not a usable key: the mock cloud mints no keys). */
export function placeholderPem(label: "PRIVATE KEY" | "CERTIFICATE" | "CERTIFICATE REQUEST" | "PUBLIC KEY", seed: string): string {
  const body = Buffer.from(`kube-ha offline preview placeholder ${label.toLowerCase()} for ${seed}`).toString("base64");
  const lines = body.match(/.{1,64}/g) ?? [body];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** The platform whose provider package a resource type or function token is in (`gcp` of `gcp:compute/…`), if any. */
function platformOwning(token: string): Platform | undefined {
  const colon = token.indexOf(":");
  if (colon < 0) return undefined;
  const pkg = token.slice(0, colon);
  return Object.values(PLATFORMS).find((p) => p.providerPackages.includes(pkg));
}

export function mockAnswer(type: string, name: string, inputs: Record<string, unknown>, ctx: MockContext): MockAnswer {
  try {
    const platform = platformOwning(type);
    if (platform) return platform.mockResource(type, name, inputs, ctx);
    if (type.startsWith("tls:")) return tls(type, name, inputs);
    if (type.startsWith("command:")) return { id: `${name}-${mockDigest(type + name)}`, state: { ...inputs, stdout: "", stderr: "" }, secretKeys: [] };
    return { id: `${name}-${mockDigest(type + name)}`, state: { ...inputs }, secretKeys: [] };
  } catch {
    return { id: `${name}-id`, state: { ...inputs }, secretKeys: [] };
  }
}

function tls(type: string, name: string, inputs: Record<string, unknown>): MockAnswer {
  const id = mockDigest(type + name, 20);
  switch (type) {
    case "tls:index/privateKey:PrivateKey":
      return {
        id,
        state: {
          ...inputs,
          privateKeyPem: placeholderPem("PRIVATE KEY", name),
          privateKeyPemPkcs8: placeholderPem("PRIVATE KEY", `${name} (pkcs8)`),
          publicKeyPem: placeholderPem("PUBLIC KEY", name),
          publicKeyOpenssh: `ssh-ed25519 ${Buffer.from(`kube-ha preview ${name}`).toString("base64")}`,
          publicKeyFingerprintSha256: `SHA256:${mockDigest(name, 43)}`,
        },
        secretKeys: ["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh"],
      };
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      return { id, state: { ...inputs, certPem: placeholderPem("CERTIFICATE", name), validityStartTime: "2025-01-01T00:00:00Z" }, secretKeys: [] };
    case "tls:index/certRequest:CertRequest":
      return { id, state: { ...inputs, certRequestPem: placeholderPem("CERTIFICATE REQUEST", name) }, secretKeys: [] };
    default:
      return { id, state: { ...inputs }, secretKeys: [] };
  }
}

/** Answers to provider functions (invokes) a program may call: the owning platform's answer, else the inputs echoed back. */
export function mockCall(token: string, inputs: Record<string, unknown>, ctx: MockContext): Record<string, unknown> {
  return platformOwning(token)?.mockCall(token, inputs, ctx) ?? { ...inputs };
}
