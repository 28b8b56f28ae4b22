/**
 * Checks on the load-balancer renderers' inputs. Each throws an Error naming
 * the field, what it got and what it takes, before any text is rendered: the
 * configs these values go into (haproxy.cfg, keepalived.conf, nginx.conf)
 * have their own quoting and comment rules, so only plain tokens are let in.
 * Secrets are checked with messages that never contain the value.
 */
import { formatIpv4, parseIpv4 } from "../../spec/cidr";
import type { BackendCheckTimings, VrrpTimings } from "../../plan/vip-failover";
import type { ApiserverCheck, LbBackend, LbBind } from "./types";

export class LbInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LbInputError";
  }
}

function fail(field: string, got: unknown, wants: string): never {
  throw new LbInputError(`${field}: got ${JSON.stringify(got)}, wants ${wants}`);
}

/** A canonical dotted-quad IPv4 address (no spaces, no leading zeros). */
export function checkIpv4(field: string, value: string): string {
  const n = typeof value === "string" ? parseIpv4(value) : undefined;
  if (n === undefined || formatIpv4(n) !== value) fail(field, value, "an IPv4 address such as 10.0.0.11");
  return value;
}

export function checkPort(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) fail(field, value, "a TCP port, 1–65535");
  return value;
}

export function checkIntRange(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) fail(field, value, `a whole number from ${min} to ${max}`);
  return value;
}

/** Letters, digits, `.`, `_`, `-`, starting with a letter or digit: safe as an identifier in every config. */
export function checkName(field: string, value: string, maxLength = 63): string {
  if (typeof value !== "string" || value.length > maxLength || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) {
    fail(field, value, `a name of letters, digits, '.', '_' and '-' (at most ${maxLength} characters)`);
  }
  return value;
}

/** A Linux interface name (at most 15 characters). */
export function checkInterface(field: string, value: string): string {
  return checkName(field, value, 15);
}

/** An absolute path of plain characters (no spaces, quotes or `#`, which the configs would treat specially). */
export function checkPath(field: string, value: string): string {
  if (typeof value !== "string" || !/^\/[A-Za-z0-9._\/@+-]*$/.test(value) || value.split("/").includes("..")) {
    fail(field, value, "an absolute path of letters, digits and . _ / @ + -");
  }
  return value;
}

/** An HTTP path such as /readyz. */
export function checkHttpPath(field: string, value: string): string {
  if (typeof value !== "string" || !/^\/[A-Za-z0-9._~\/?=&-]*$/.test(value)) fail(field, value, "an HTTP path such as /readyz");
  return value;
}

/** An http:// URL on a literal IPv4 address, e.g. http://127.0.0.1:6444/healthz. */
export function checkHttpUrl(field: string, value: string): string {
  const m = typeof value === "string" ? /^http:\/\/([0-9.]+):(\d+)(\/.*)$/.exec(value) : null;
  if (!m) fail(field, value, "an http:// URL on an IPv4 address with a port and a path");
  checkIpv4(`${field} (host)`, m[1]!);
  checkPort(`${field} (port)`, Number(m[2]));
  checkHttpPath(`${field} (path)`, m[3]!);
  return value;
}

/** Whole milliseconds, at least `min`. */
export function checkMs(field: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min || value > 86_400_000) fail(field, value, `whole milliseconds, at least ${min}`);
  return value;
}

export function checkBind(field: string, bind: LbBind): LbBind {
  checkIpv4(`${field}.address`, bind?.address);
  checkPort(`${field}.port`, bind?.port);
  return bind;
}

/** At least one backend; names and address:port pairs unique. */
export function checkBackends(field: string, backends: ReadonlyArray<LbBackend>): ReadonlyArray<LbBackend> {
  if (!Array.isArray(backends) || backends.length === 0) fail(field, backends, "at least one backend");
  const names = new Set<string>();
  const endpoints = new Set<string>();
  backends.forEach((b, i) => {
    checkName(`${field}[${i}].name`, b.name);
    checkIpv4(`${field}[${i}].address`, b.address);
    checkPort(`${field}[${i}].port`, b.port);
    if (names.has(b.name)) fail(`${field}[${i}].name`, b.name, "a name no other backend has");
    const endpoint = `${b.address}:${b.port}`;
    if (endpoints.has(endpoint)) fail(`${field}[${i}]`, endpoint, "an address:port no other backend has");
    names.add(b.name);
    endpoints.add(endpoint);
  });
  return backends;
}

/** A VRRP v2 PASS password: 1–8 printable characters without space, quote, `#` or `!`. The message never shows it. */
export function checkVrrpPassword(field: string, value: string): string {
  if (typeof value !== "string" || !/^[A-Za-z0-9._~+\/=:@%^*()-]{1,8}$/.test(value)) {
    throw new LbInputError(
      `${field}: wants 1–8 characters of letters, digits and . _ ~ + / = : @ % ^ * ( ) - (VRRP v2 sends at most 8; the value is a secret and is not shown)`,
    );
  }
  return value;
}

export function checkBackendTimings(field: string, t: BackendCheckTimings): BackendCheckTimings {
  checkMs(`${field}.intervalMs`, t?.intervalMs, 100);
  checkMs(`${field}.fastIntervalMs`, t.fastIntervalMs, 100);
  checkMs(`${field}.downIntervalMs`, t.downIntervalMs, 100);
  checkMs(`${field}.timeoutMs`, t.timeoutMs, 100);
  checkIntRange(`${field}.fall`, t.fall, 1, 100);
  checkIntRange(`${field}.rise`, t.rise, 1, 100);
  return t;
}

export function checkApiserverCheck(field: string, check: ApiserverCheck): ApiserverCheck {
  if (check?.path !== undefined) checkHttpPath(`${field}.path`, check.path);
  if (check?.caFile !== undefined) checkPath(`${field}.caFile`, check.caFile);
  checkBackendTimings(`${field}.timings`, check?.timings);
  return check;
}

/** keepalived takes whole seconds for these (VRRP v2 advertisements are whole seconds). */
export function checkVrrpTimings(field: string, t: VrrpTimings): VrrpTimings {
  checkIntRange(`${field}.checkIntervalSeconds`, t?.checkIntervalSeconds, 1, 3600);
  checkIntRange(`${field}.checkTimeoutSeconds`, t.checkTimeoutSeconds, 1, 3600);
  checkIntRange(`${field}.fall`, t.fall, 1, 100);
  checkIntRange(`${field}.rise`, t.rise, 1, 100);
  checkIntRange(`${field}.advertIntervalSeconds`, t.advertIntervalSeconds, 1, 255);
  return t;
}
