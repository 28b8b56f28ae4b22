/**
 * IPv4 CIDR arithmetic for the planner: parsing, overlap, host and subnet
 * selection. Validation of the textual form is zod's `cidrv4`; this file only
 * does the integer maths on ranges that already parsed.
 */

export interface Ipv4Range {
  /** Network address as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIpv4(text: string): number | undefined {
  const m = IPV4.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** Parses "a.b.c.d/n"; returns undefined when it is not an IPv4 CIDR. The base is masked. */
export function parseCidr(text: string): Ipv4Range | undefined {
  const [addr, len, extra] = text.trim().split("/");
  if (addr === undefined || len === undefined || extra !== undefined || !/^\d{1,2}$/.test(len)) return undefined;
  const ip = parseIpv4(addr);
  const prefix = Number(len);
  if (ip === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { base: Math.floor(ip / size) * size, prefix };
}

/**
 * The canonical text of a CIDR (network address, no host bits), or undefined
 * when it does not parse. `203.0.113.5/24` → `203.0.113.0/24`.
 */
export function canonicalCidr(text: string): string | undefined {
  const r = parseCidr(text);
  return r ? formatCidr(r) : undefined;
}

export function rangeSize(r: Ipv4Range): number {
  return 2 ** (32 - r.prefix);
}

export function formatCidr(r: Ipv4Range): string {
  return `${formatIpv4(r.base)}/${r.prefix}`;
}

export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.base < b.base + rangeSize(b) && b.base < a.base + rangeSize(a);
}

export function containsIp(r: Ipv4Range, ip: number): boolean {
  return ip >= r.base && ip < r.base + rangeSize(r);
}

/** The n-th address of a range (0 is the network address). */
export function nthAddress(r: Ipv4Range, n: number): string {
  if (n < 0 || n >= rangeSize(r)) throw new RangeError(`address #${n} is outside ${formatCidr(r)}`);
  return formatIpv4(r.base + n);
}

/** The index-th subnet of the given prefix length inside r. */
export function nthSubnet(r: Ipv4Range, prefix: number, index: number): Ipv4Range {
  if (prefix < r.prefix) throw new RangeError(`/${prefix} does not fit in ${formatCidr(r)}`);
  const size = 2 ** (32 - prefix);
  if (index < 0 || (index + 1) * size > rangeSize(r)) {
    throw new RangeError(`subnet #${index} of size /${prefix} is outside ${formatCidr(r)}`);
  }
  return { base: r.base + index * size, prefix };
}
