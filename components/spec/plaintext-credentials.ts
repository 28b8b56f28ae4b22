import type { SpecProblem } from "./errors";

/**
 * Credentials written in plain text in the stack file (not `secure:`), which
 * is meant to be committed: anyone who reads the file or its git history can
 * use them. Pulumi encrypts a value set with `pulumi config set --secret`.
 *
 * - **Error** for a cloud credential that alone grants access: `aws:secretKey`,
 *   `aws:token`, `gcp:accessToken`, and `gcp:credentials` holding a key file's
 *   JSON (a path to the file is fine); and for kube-ha's own secrets, the
 *   on-premises platform's `kube-ha:sshPrivateKey` (root on every host) and
 *   `kube-ha:vrrpPassword`. Refusing costs one command; letting it through
 *   puts a working key in git on the first commit.
 * - **Warning** for other keys named like a secret (`aws:accessKey`, which is
 *   an identifier rather than a secret but half of a credential; `*password`,
 *   `*token`, `*secret`, `*apiKey`, `*privateKey`, `*credentials` of any
 *   namespace, kube-ha's included): the name suggests a secret, the value may
 *   not be one.
 * The value itself is never repeated in a message.
 */

export interface ConfigEntry {
  /** `namespace:name` */
  key: string;
  value: unknown;
  /** Set as a secret (`secure:` in the stack file; a secret key for the program). */
  secret: boolean;
}

interface KnownCredential {
  key: string;
  what: string;
  /** Where else the credential can come from; kube-ha's own secrets have nowhere else. */
  environment?: string;
  /** Whether the value is the credential itself (and not, say, a path to it). */
  isCredential?: (value: string) => boolean;
}

const KNOWN_CREDENTIALS: KnownCredential[] = [
  { key: "aws:secretKey", what: "an AWS secret access key", environment: "AWS_SECRET_ACCESS_KEY or an AWS profile" },
  { key: "aws:token", what: "an AWS session token", environment: "AWS_SESSION_TOKEN or an AWS profile" },
  { key: "gcp:accessToken", what: "a GCP access token", environment: "gcloud auth application-default login" },
  {
    key: "gcp:credentials",
    what: "a GCP service-account key",
    environment: "GOOGLE_APPLICATION_CREDENTIALS=<key file path> or gcloud auth application-default login",
    isCredential: (v) => v.trimStart().startsWith("{") || v.includes("private_key"),
  },
  { key: "kube-ha:sshPrivateKey", what: "the SSH private key kube-ha reaches the on-premises hosts with" },
  { key: "kube-ha:vrrpPassword", what: "the masters' VRRP password" },
];

/** A name's last word says it holds a secret (`aws:accessKey`, `foo:apiToken`), not `aws:skipCredentialsValidation`. */
const SECRET_NAME = /(password|passwd|passphrase|secret|secretkey|accesskey|token|apikey|privatekey|credentials?)$/i;
const LOOKS_LIKE_PATH = /^(~|\.{0,2})\/|^[A-Za-z]:\\/;

export function hiddenValue(value: string): string {
  return `(plain text, ${value.length} characters; not shown)`;
}

export function plaintextCredentialFindings(entries: readonly ConfigEntry[]): { problems: SpecProblem[]; warnings: string[] } {
  const problems: SpecProblem[] = [];
  const warnings: string[] = [];
  for (const { key, value, secret } of entries) {
    if (secret || typeof value !== "string" || value.trim() === "") continue;
    const known = KNOWN_CREDENTIALS.find((c) => c.key === key);
    if (known) {
      if (known.isCredential && !known.isCredential(value)) continue;
      problems.push({
        key,
        value: hiddenValue(value),
        message:
          `${known.what} in plain text in the stack file (anyone with the file or its git history can use it): ` +
          `set it encrypted with \`pulumi config set --secret ${key}\` (and rotate it if the file was shared)` +
          (known.environment !== undefined ? `, or remove it and use ${known.environment}` : ""),
      });
      continue;
    }
    const name = key.slice(key.indexOf(":") + 1);
    if (SECRET_NAME.test(name) && !LOOKS_LIKE_PATH.test(value) && !/^(true|false|\d+)$/.test(value)) {
      warnings.push(`${key} looks like a credential and is in plain text in the stack file: set it with \`pulumi config set --secret ${key}\``);
    }
  }
  return { problems, warnings };
}
