import type { SpecProblem } from "../../spec/errors";
import type { EndpointMode } from "./config-schema";

/**
 * The shape of the platform's secrets, `kube-ha:sshPrivateKey` and
 * `kube-ha:vrrpPassword`. No message shows a value, not even a part of it.
 * That they are Pulumi secrets (`secure:` in the stack file), not plain
 * text, is checked with every other credential (spec/plaintext-credentials.ts).
 */

/**
 * keepalived's `auth_type PASS` password: VRRP v2 carries 8 bytes of it, and
 * keepalived's parser truncates a longer `auth_pass` to 8 characters
 * (vrrp_parser.c, "Truncating auth_pass to 8 characters"; keepalived.conf(5):
 * "Only the first eight (8) characters are used"). The characters are the ones
 * the keepalived.conf renderer lets into the file (render/lb/lb-input-checks.ts).
 */
export const VRRP_PASSWORD_MAX = 8;
const VRRP_PASSWORD_CHARS = /^[A-Za-z0-9._~+\/=:@%^*()-]+$/;

const NOT_SHOWN = "(secret; not shown)";
const PRIVATE_KEY = /^-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----\r?\n[\s\S]+\r?\n-----END ([A-Z0-9]+ )*PRIVATE KEY-----\s*$/;

export function secretProblems(raw: Readonly<Record<string, unknown>>, mode: EndpointMode, prefix: string): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (key: string, value: unknown, message: string) =>
    problems.push({ key: `${prefix}${key}`, value: value === undefined ? "(not set)" : NOT_SHOWN, message });

  const key = raw["sshPrivateKey"];
  const setKey = `pulumi config set --secret ${prefix}sshPrivateKey < ~/.ssh/id_ed25519`;
  if (key === undefined) {
    add("sshPrivateKey", key, `kube-ha reaches the hosts over ssh: set the private key of the hosts' authorized key with \`${setKey}\``);
  } else if (typeof key !== "string" || !PRIVATE_KEY.test(key.trim() + "\n")) {
    const path = typeof key === "string" && /^(~|\.{0,2})\//.test(key.trim());
    add("sshPrivateKey", key,
      path
        ? `is a path; kube-ha needs the key itself (the hosts are reached from wherever pulumi runs): \`${setKey}\``
        : `not a private key (-----BEGIN … PRIVATE KEY----- … -----END … PRIVATE KEY-----): set the whole key file with \`${setKey}\``);
  }

  const password = raw["vrrpPassword"];
  if (mode !== "keepalived-haproxy") {
    if (password !== undefined) add("vrrpPassword", password, `only used with onprem.endpoint.mode: keepalived-haproxy (this stack's is ${mode}): remove it`);
    return problems;
  }
  const setPassword = `pulumi config set --secret ${prefix}vrrpPassword`;
  if (password === undefined) {
    add("vrrpPassword", password, `keepalived-haproxy needs the VRRP password the masters share: set 1 to ${VRRP_PASSWORD_MAX} characters with \`${setPassword}\``);
  } else if (typeof password !== "string") {
    add("vrrpPassword", password, `must be text: set it with \`${setPassword}\` (quoted, if it is all digits)`);
  } else if (password.length > VRRP_PASSWORD_MAX) {
    add("vrrpPassword", password,
      `is ${password.length} characters; keepalived uses only the first ${VRRP_PASSWORD_MAX} (VRRP v2 carries ${VRRP_PASSWORD_MAX} bytes and keepalived truncates the rest): use at most ${VRRP_PASSWORD_MAX}`);
  } else if (password.length === 0 || !VRRP_PASSWORD_CHARS.test(password)) {
    add("vrrpPassword", password, `use 1 to ${VRRP_PASSWORD_MAX} letters, digits and . _ ~ + / = : @ % ^ * ( ) - (keepalived.conf takes no spaces, quotes, # or !)`);
  }
  return problems;
}
