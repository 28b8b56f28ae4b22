import * as pulumi from "@pulumi/pulumi";

/**
 * Secret redaction for the offline preview. Three layers, so that a private
 * key cannot slip out by any one route:
 *  1. values Pulumi marks secret on the wire (the serialized form carries a
 *     signature; the mock runtime's `newResource` only sees them unwrapped);
 *  2. any string equal to, or containing, a value seen as secret anywhere in
 *     the run (a secret that lost its marking on the way, e.g. through an
 *     output the mock echoed back, is still caught);
 *  3. patterns that are key material whatever their marking: PEM private key
 *     blocks, kubeconfig `client-key-data` / `token` fields, bootstrap tokens.
 */

export const REDACTED = "[secret]";
export const UNKNOWN = "[unknown until apply]";

const SIG = pulumi.runtime.specialSigKey;

/** Wire form (serialized properties) → plain JSON with secrets replaced, secret plaintexts collected. */
export function decodeWireValue(value: unknown, secrets: Set<string>): unknown {
  if (value === pulumi.runtime.unknownValue) return UNKNOWN;
  if (Array.isArray(value)) return value.map((v) => decodeWireValue(v, secrets));
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  const sig = obj[SIG];
  if (sig === pulumi.runtime.specialSecretSig) {
    collectStrings(obj["value"], secrets);
    return REDACTED;
  }
  if (sig === pulumi.runtime.specialOutputValueSig) {
    if (obj["secret"] === true) {
      collectStrings(obj["value"], secrets);
      return REDACTED;
    }
    return "value" in obj ? decodeWireValue(obj["value"], secrets) : UNKNOWN;
  }
  if (sig === pulumi.runtime.specialResourceSig) return `[resource ${String(obj["urn"] ?? "")}]`;
  if (sig === pulumi.runtime.specialAssetSig || sig === pulumi.runtime.specialArchiveSig) {
    return `[${sig === pulumi.runtime.specialAssetSig ? "asset" : "archive"} ${String(obj["path"] ?? obj["uri"] ?? "inline")}]`;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = decodeWireValue(v, secrets);
  return out;
}

function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === "string") {
    // Very short strings ("", "1") would redact unrelated text; they carry no key material.
    if (value.length >= 8) into.add(value);
    return;
  }
  if (Array.isArray(value)) value.forEach((v) => collectStrings(v, into));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === SIG) continue;
      collectStrings(v, into);
    }
  }
}

const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g;
/** kubeconfig (YAML or JSON) fields that hold credentials. */
const KUBECONFIG_SECRET_FIELD = /((?<![\w-])"?(?:client-key-data|token|password)"?\s*:\s*)("[^"\n]*"|'[^'\n]*'|[^\s,{}[\]"'\\]+)/g;
/** kubeadm bootstrap token: 6 + "." + 16 lowercase alphanumerics. */
const BOOTSTRAP_TOKEN = /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g;

/** Redacts key material found by shape in one string. */
export function redactPatterns(text: string): string {
  return text
    .replace(PEM_PRIVATE_KEY, REDACTED)
    .replace(KUBECONFIG_SECRET_FIELD, (_m, field: string, value: string) => {
      const quote = value.startsWith('"') || value.startsWith("'") ? value.charAt(0) : "";
      return `${field}${quote}${REDACTED}${quote}`;
    })
    .replace(BOOTSTRAP_TOKEN, REDACTED);
}

/** Redacts every known secret plaintext and every key-material pattern in a plain JSON value. */
export function redactValue(value: unknown, secrets: ReadonlySet<string>): unknown {
  if (typeof value === "string") return redactString(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, secrets);
    return out;
  }
  return value;
}

function redactString(text: string, secrets: ReadonlySet<string>): string {
  if (text === REDACTED) return text;
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join(REDACTED);
  }
  return redactPatterns(out);
}
