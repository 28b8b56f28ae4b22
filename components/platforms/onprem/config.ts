import { formatCidr, formatIpv4, parseCidr, parseIpv4, rangeSize, containsIp, type Ipv4Range } from "../../spec/cidr";
import { SpecError, type SpecProblem, describeValue, problemsOf } from "../../spec/errors";
import { MAX_REPLICA_NAME, invalidNameReason, suggestName } from "../../spec/names";
import { memberCountProblem } from "../../spec/quorum";
import type { z } from "zod";
import { enumSuggestion, mentionsDropped, repairInput, zodProblems } from "../../spec/zod-problems";
import { type EndpointMode, type OnpremHostInput, type OnpremStackInput, onpremStackInput } from "./config-schema";
import { cloudOnlyKeyProblems } from "./cloud-only-keys";
import { FAILURE_DOMAIN_NAME, onpremRules } from "./rules";
import { secretProblems } from "./secrets-config";

/**
 * An on-premises stack's config → the platform's settings, or a SpecError
 * listing every problem with its key, value and fix (spec/errors.ts), before
 * anything is registered. Pure.
 *
 * It checks what only this platform knows: the hosts (names, failure domains,
 * addresses inside the hosts' subnet and unique), the endpoint of the chosen
 * mode (the VIP inside the subnet and no host's, the VRRP router id, the
 * nginx hosts), the ssh settings and the secrets, the etcd member count (the
 * quorum rule of every platform, spec/quorum.ts), and the cloud-neutral keys
 * that mean nothing here. The rest of the cloud-neutral keys
 * (kubernetesVersion, podCidr, …) are the cloud-neutral spec's.
 */

export interface OnpremSsh {
  /** Where ssh connects: the host's address, or its hosts.<name>.sshAddress. */
  host: string;
  user: string;
  port: number;
}

export type OnpremHostRole = "master" | "etcd" | "load-balancer";

/** A machine kube-ha reaches over ssh. */
export interface OnpremHost {
  name: string;
  role: OnpremHostRole;
  /** Failure domain; load-balancer hosts have none. */
  zone?: string;
  address: string;
  ssh: OnpremSsh;
  /** keepalived-haproxy, masters: the interface the VIP goes on. */
  interface?: string;
}

export type OnpremEndpoint =
  | { mode: "keepalived-haproxy"; vip: string; prefixLength: number; virtualRouterId: number }
  | { mode: "nginx-stream"; loadBalancers: { name: string; address: string }[] }
  | { mode: "external"; address?: string };

export interface OnpremConfig {
  /** The `region` key: the site's name. */
  site: string;
  /** The hosts' subnet (networkCidr). */
  networkCidr: string;
  endpoint: OnpremEndpoint;
  /** The endpoint's DNS name (the cloud-neutral apiServerDnsName), if any. */
  dnsName?: string;
  /** Where ssh comes from (the cloud-neutral sshAllowedCidr: the machines running pulumi and the CLI), if given. */
  sshFrom?: string;
  /** Masters, then external etcd members, then nginx-stream load balancers, in the order the stack lists them. */
  hosts: OnpremHost[];
  /**
   * The config keys the secrets are read from, never their values: the
   * builder reads them as Pulumi secrets (`config.requireSecret`), so they
   * stay secret in the state and out of every plan, log and preview.
   */
  secretKeys: { sshPrivateKey: "sshPrivateKey"; vrrpPassword?: "vrrpPassword" };
  warnings: string[];
}

export interface OnpremParseOptions {
  /** Prefix of config keys in messages: `kube-ha:` for stack config (the default). */
  keyPrefix?: string;
}

/** The longest Linux interface name (IFNAMSIZ − 1). */
const MAX_INTERFACE = 15;
const INTERFACE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const SSH_USER = /^[a-z_][a-z0-9_-]{0,31}$/;

export function parseOnpremConfig(raw: Record<string, unknown>, opts: OnpremParseOptions = {}): OnpremConfig {
  const prefix = opts.keyPrefix ?? "kube-ha:";
  const parsed = onpremStackInput.safeParse(raw);
  if (parsed.success) {
    const problems: SpecProblem[] = [];
    const config = resolve(parsed.data, raw, prefix, problems);
    if (problems.length > 0) throw new SpecError(problems);
    return config;
  }
  // As the cloud-neutral spec does: a structural problem must not hide the others.
  const problems = zodProblems(parsed.error, raw, prefix, onpremStackInput);
  const reparse = (input: unknown) => onpremStackInput.safeParse(input);
  const repaired = repairNested(raw, parsed.error.issues) ?? repairInput(raw, parsed.error.issues, reparse);
  if (repaired) {
    const rest: SpecProblem[] = [];
    resolve(onpremStackInput.parse(repaired.input), repaired.input as Record<string, unknown>, prefix, rest);
    problems.push(...rest.filter((p) => !mentionsDropped(p, prefix, repaired.dropped)));
  }
  throw new SpecError(problems);
}

/** Same as parseOnpremConfig but returns the problems instead of throwing. */
export function checkOnpremConfig(raw: Record<string, unknown>, opts: OnpremParseOptions = {}): SpecProblem[] {
  return problemsOf(() => parseOnpremConfig(raw, opts));
}

function resolve(input: OnpremStackInput, raw: Record<string, unknown>, prefix: string, problems: SpecProblem[]): OnpremConfig {
  const add = (key: string, value: unknown, message: string) => problems.push({ key: `${prefix}${key}`, value: describeValue(value), message });
  const warnings: string[] = [];
  const { endpoint } = input.onprem;
  const mode: EndpointMode = endpoint.mode;

  problems.push(...cloudOnlyKeyProblems(raw, prefix));

  // The hosts' subnet: given, and with room for hosts and a VIP.
  const networkCidr = raw["networkCidr"] === undefined ? undefined : input.networkCidr;
  const subnet = networkCidr === undefined ? undefined : parseCidr(networkCidr);
  if (networkCidr === undefined) {
    add("networkCidr", undefined, "on-premises it is the hosts' subnet, which kube-ha cannot guess: set it, e.g. 192.168.10.0/24");
  } else if (subnet && subnet.prefix > 30) {
    add("networkCidr", networkCidr, "no room for hosts and a VIP: give the hosts' whole subnet, /30 or larger (e.g. 192.168.10.0/24)");
  }

  // Masters and etcd members: the quorum rule of every platform, then each host.
  const masters = input.replicas ?? [];
  const stacked = input.etcdTopology === "stacked";
  const etcdMembers = input.etcdMembers ?? [];
  const countRule = (count: number, key: string, value: unknown) => {
    const problem = memberCountProblem(count, { allowEven: input.allowEvenReplicaCount, allowLarge: input.allowLargeControlPlane });
    if (problem) add(key, value, `${count} replica(s): ${problem}`);
  };
  if (stacked) {
    countRule(masters.length, "replicas", masters);
    if (input.etcdMembers) add("etcdMembers", input.etcdMembers, "only used with etcdTopology: external: remove it, or set etcdTopology: external");
  } else {
    if (masters.length === 0) add("replicas", masters, "at least one master is required: list it as { name, zone, address }");
    if (etcdMembers.length === 0) add("etcdMembers", undefined, "etcdTopology: external needs its members: list 3 hosts as { name, zone, address }");
    else countRule(etcdMembers.length, "etcdMembers", etcdMembers);
  }

  const names = new Map<string, string>();
  const addresses = new Map<string, string>();
  const claim = (key: string, name: string, address: string) => {
    const nameProblem = invalidNameReason(name, MAX_REPLICA_NAME);
    if (nameProblem) add(`${key}.name`, name, `${nameProblem}: use e.g. "${suggestName(name, MAX_REPLICA_NAME)}"`);
    const otherName = names.get(name);
    if (otherName !== undefined) add(`${key}.name`, name, `duplicate host name (also ${otherName}): give each host its own name`);
    else names.set(name, key);
    const otherAddress = addresses.get(address);
    if (otherAddress !== undefined) add(`${key}.address`, address, `duplicate address (also ${otherAddress}): give each host its own address`);
    else addresses.set(address, key);
  };
  const checkReplica = (key: string, host: OnpremHostInput) => {
    claim(key, host.name, host.address);
    if (!FAILURE_DOMAIN_NAME.test(host.zone)) {
      add(`${key}.zone`, host.zone, `not a failure-domain name: name the host's rack or room as a DNS label, e.g. "${suggestName(host.zone, 63)}"`);
    }
    if (subnet) {
      const outside = addressProblem(subnet, host.address, "a host");
      if (outside) add(`${key}.address`, host.address, outside);
    }
  };
  masters.forEach((h, i) => checkReplica(`replicas[${i}]`, h));
  etcdMembers.forEach((h, i) => checkReplica(`etcdMembers[${i}]`, h));
  const zones = new Set(masters.map((m) => m.zone));
  if (masters.length >= 3 && zones.size === 1) {
    warnings.push(`every master is in failure domain ${[...zones][0]}: losing it loses the control plane; spread the masters over ${masters.length >= 5 ? "3 or more" : "3"} racks or rooms`);
  }

  // The endpoint of the chosen mode.
  const dnsName = typeof raw["apiServerDnsName"] === "string" ? raw["apiServerDnsName"] : undefined;
  const notForMode = (key: keyof typeof endpoint, usedBy: EndpointMode, fix = "remove it") => {
    if (endpoint[key] !== undefined) add(`onprem.endpoint.${key}`, endpoint[key], `only used with mode: ${usedBy}: ${fix}`);
  };
  let resolvedEndpoint: OnpremEndpoint;
  if (mode === "keepalived-haproxy") {
    notForMode("loadBalancers", "nginx-stream");
    notForMode("address", "external", "the endpoint is the VIP (onprem.endpoint.vip)");
    if (endpoint.vip === undefined) {
      add("onprem.endpoint.vip", undefined, "keepalived-haproxy needs the VIP: an unused address of networkCidr that no host has (e.g. the subnet's .250)");
    } else {
      const owner = addresses.get(endpoint.vip);
      const outside = subnet ? addressProblem(subnet, endpoint.vip, "the VIP") : undefined;
      if (outside) add("onprem.endpoint.vip", endpoint.vip, outside);
      else if (owner !== undefined) add("onprem.endpoint.vip", endpoint.vip, `is ${owner}'s address: the VIP must be an address no host has`);
    }
    if (endpoint.prefixLength !== undefined && subnet && endpoint.prefixLength !== subnet.prefix) {
      add("onprem.endpoint.prefixLength", endpoint.prefixLength,
        `the VIP is on the hosts' subnet ${formatCidr(subnet)}: use ${subnet.prefix}, or omit it (networkCidr's is taken)`);
    }
    if (endpoint.virtualRouterId === undefined) {
      add("onprem.endpoint.virtualRouterId", undefined,
        "keepalived-haproxy needs a VRRP router id: pick 1–255, one no other VRRP group on the hosts' segment uses (two groups with one id fight over their VIPs)");
    }
    const overrides = input.onprem.hosts ?? {};
    if (endpoint.interface !== undefined) checkInterface("onprem.endpoint.interface", endpoint.interface, add);
    const missing = masters.filter((m) => (overrides[m.name]?.interface ?? endpoint.interface) === undefined);
    if (endpoint.interface === undefined && missing.length > 0) {
      add("onprem.endpoint.interface", undefined,
        `keepalived-haproxy needs the interface carrying the hosts' subnet on ${missing.map((m) => m.name).join(", ")}: set it (e.g. eth0), per host in onprem.hosts.<name>.interface where hosts differ`);
    }
    resolvedEndpoint = {
      mode,
      vip: endpoint.vip ?? "",
      prefixLength: subnet?.prefix ?? 32,
      virtualRouterId: endpoint.virtualRouterId ?? 0,
    };
  } else if (mode === "nginx-stream") {
    for (const key of ["vip", "prefixLength", "virtualRouterId", "interface"] as const) notForMode(key, "keepalived-haproxy");
    notForMode("address", "external", "the endpoint is the load balancers");
    const lbs = endpoint.loadBalancers ?? [];
    if (lbs.length === 0) {
      add("onprem.endpoint.loadBalancers", endpoint.loadBalancers, "nginx-stream needs at least one load-balancer host: list it as { name, address }");
    } else if (lbs.length === 1) {
      warnings.push(`onprem.endpoint.loadBalancers has one host (${lbs[0]!.name}): it is a single point of failure for the endpoint; list two and name them with apiServerDnsName`);
    } else if (dnsName === undefined) {
      add("apiServerDnsName", undefined,
        `${lbs.length} load balancers need one name for the endpoint: set apiServerDnsName to a DNS name that resolves to every one of them (${lbs.map((l) => l.address).join(", ")})`);
    }
    const masterAddresses = new Set(masters.map((m) => m.address));
    lbs.forEach((lb, i) => {
      const key = `onprem.endpoint.loadBalancers[${i}]`;
      if (masterAddresses.has(lb.address)) {
        add(`${key}.address`, lb.address, "is a master's address: nginx would collide with the apiserver on :6443; run it on a host of its own (or use mode keepalived-haproxy)");
      } else {
        claim(key, lb.name, lb.address);
      }
      if (subnet) {
        const reserved = reservedProblem(subnet, lb.address);
        if (reserved) add(`${key}.address`, lb.address, reserved);
      }
    });
    resolvedEndpoint = { mode, loadBalancers: lbs };
  } else {
    for (const key of ["vip", "prefixLength", "virtualRouterId", "interface"] as const) notForMode(key, "keepalived-haproxy");
    notForMode("loadBalancers", "nginx-stream");
    if (endpoint.address === undefined && dnsName === undefined) {
      add("onprem.endpoint.address", undefined, "external needs your load balancer's address: set onprem.endpoint.address, or its DNS name in apiServerDnsName");
    } else if (endpoint.address !== undefined && addresses.has(endpoint.address)) {
      add("onprem.endpoint.address", endpoint.address, `is ${addresses.get(endpoint.address)!}'s address: give your load balancer's own address`);
    }
    resolvedEndpoint = { mode, ...(endpoint.address !== undefined ? { address: endpoint.address } : {}) };
  }

  // ssh: the defaults, then each host's overrides (which must name a host).
  const hosts: OnpremHost[] = [];
  const ssh = input.onprem.ssh;
  if (!SSH_USER.test(ssh.user)) add("onprem.ssh.user", ssh.user, "not a login name: use the user ssh logs in as (root, or one with password-less sudo), e.g. \"ubuntu\"");
  const overrides = input.onprem.hosts ?? {};
  const addHost = (h: { name: string; address: string; zone?: string }, role: OnpremHostRole) => {
    const o = overrides[h.name] ?? {};
    const iface = role === "master" && mode === "keepalived-haproxy" ? (o.interface ?? endpoint.interface) : undefined;
    hosts.push({
      name: h.name,
      role,
      ...(h.zone !== undefined ? { zone: h.zone } : {}),
      address: h.address,
      ssh: { host: o.sshAddress ?? h.address, user: o.user ?? ssh.user, port: o.port ?? ssh.port },
      ...(iface !== undefined ? { interface: iface } : {}),
    });
  };
  masters.forEach((h) => addHost(h, "master"));
  etcdMembers.forEach((h) => addHost(h, "etcd"));
  if (resolvedEndpoint.mode === "nginx-stream") resolvedEndpoint.loadBalancers.forEach((h) => addHost(h, "load-balancer"));
  const known = hosts.map((h) => h.name);
  for (const [name, o] of Object.entries(overrides)) {
    const key = `onprem.hosts.${name}`;
    if (!known.includes(name)) {
      add(key, name, `no host is named ${name}: use one of ${known.join(", ") || "(none yet)"}, or remove it`);
      continue;
    }
    if (o.user !== undefined && !SSH_USER.test(o.user)) add(`${key}.user`, o.user, "not a login name: use the user ssh logs in as on this host, e.g. \"ubuntu\"");
    if (o.interface !== undefined) {
      const role = hosts.find((h) => h.name === name)!.role;
      if (mode !== "keepalived-haproxy" || role !== "master") {
        add(`${key}.interface`, o.interface, "only used on the masters with mode: keepalived-haproxy (the VIP's interface): remove it");
      } else {
        checkInterface(`${key}.interface`, o.interface, add);
      }
    }
  }

  problems.push(...secretProblems(raw, mode, prefix));

  return {
    site: input.region,
    networkCidr: networkCidr ?? "",
    endpoint: resolvedEndpoint,
    ...(dnsName !== undefined ? { dnsName } : {}),
    ...(input.sshAllowedCidr !== undefined ? { sshFrom: input.sshAllowedCidr } : {}),
    hosts,
    secretKeys: { sshPrivateKey: "sshPrivateKey", ...(mode === "keepalived-haproxy" ? { vrrpPassword: "vrrpPassword" as const } : {}) },
    warnings,
  };
}

/** Why an address cannot be `what` on the hosts' subnet (outside it, or its network or broadcast address), or undefined. */
function addressProblem(subnet: Ipv4Range, address: string, what: string): string | undefined {
  const ip = parseIpv4(address)!;
  if (!containsIp(subnet, ip)) return `outside networkCidr ${formatCidr(subnet)}: ${what} must be on the hosts' subnet; use an address inside it`;
  return reservedProblem(subnet, address);
}

/** The subnet's network and broadcast addresses are no host's (the platform rules' reservedAddresses). */
function reservedProblem(subnet: Ipv4Range, address: string): string | undefined {
  const ip = parseIpv4(address)!;
  if (!containsIp(subnet, ip)) return undefined;
  const { head, tail } = onpremRules.network.reservedAddresses;
  const offset = ip - subnet.base;
  const last = rangeSize(subnet) - 1;
  if (offset >= head && offset <= last - tail) return undefined;
  const which = offset < head ? "network" : "broadcast";
  return `the ${which} address of ${formatCidr(subnet)}: use one from ${formatIpv4(subnet.base + head)} to ${formatIpv4(subnet.base + last - tail)}`;
}

function checkInterface(key: string, name: string, add: (key: string, value: unknown, message: string) => void): void {
  if (name.length > MAX_INTERFACE || !INTERFACE_NAME.test(name)) {
    add(key, name, `not a Linux interface name (at most ${MAX_INTERFACE} letters, digits, '.', '_' and '-'): use the one \`ip -br addr\` shows with the host's address, e.g. eth0`);
  }
}

/**
 * The input with each structurally bad value taken out where it is (not its
 * whole top-level key, as the cloud-neutral repair does: everything of this
 * platform is under `onprem`), or replaced by the enum value it obviously
 * meant; undefined when that does not parse (a required value is missing).
 * `dropped` holds the dotted paths taken out.
 */
function repairNested(raw: unknown, issues: readonly z.core.$ZodIssue[]): { input: Record<string, unknown>; dropped: Set<string> } | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const copy = structuredClone(raw) as Record<string, unknown>;
  const dropped = new Set<string>();
  for (const issue of issues) {
    const paths = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    for (const path of paths) {
      if (path.length === 0) return undefined;
      const holder = path.slice(0, -1).reduce<unknown>((at, p) => (at !== null && typeof at === "object" ? (at as Record<PropertyKey, unknown>)[p] : undefined), copy);
      if (holder === null || typeof holder !== "object" || Array.isArray(holder)) return undefined;
      const last = path[path.length - 1]!;
      const value = (holder as Record<PropertyKey, unknown>)[last];
      const meant = issue.code === "invalid_value" && typeof value === "string" ? enumSuggestion(value, issue.values) : undefined;
      if (meant !== undefined) {
        (holder as Record<PropertyKey, unknown>)[last] = meant;
      } else {
        delete (holder as Record<PropertyKey, unknown>)[last];
        dropped.add(path.map(String).join("."));
      }
    }
  }
  return onpremStackInput.safeParse(copy).success ? { input: copy, dropped } : undefined;
}
