import { PLATFORM_RULES } from "../platforms/rules";
import type { RemoveTarget } from "../plan/plan-remove";
import type { Cloud } from "../spec/schema";

/**
 * kube-up/kube-down compatibility: the environment variables their HA flows
 * read, honoured when the equivalent flag is absent (a flag always wins).
 *
 * - `KUBE_GCE_ZONE` (GCP stacks) / `KUBE_AWS_ZONE` (AWS stacks): the zone of
 *   the replica to add, or to remove when no name is given.
 * - `KUBE_REPLICA_NAME`: the replica to remove or replace; for an add of a
 *   single zone, the new replica's name.
 * - `KUBE_DELETE_NODES=false`: keep the removed master's Node object.
 *
 * kube-down removed "the first replica in the zone" when no name was given;
 * kube-ha refuses a zone that holds several replicas and names them instead.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export interface AddFlags {
  zones: string[];
  names: string[];
  force: boolean;
}

export interface RemoveFlags {
  name?: string;
  zone?: string;
  keepNodes: boolean;
  force: boolean;
}

export interface ReplaceFlags {
  name?: string;
}

export type ResolvedRequest =
  | { kind: "add"; zones: string[]; names: string[]; force: boolean }
  | { kind: "remove"; target: RemoveTarget; keepNodes: boolean; force: boolean }
  | { kind: "replace"; name: string };

/** A request that cannot be made from the flags and the environment: a usage error. */
export interface UsageProblem {
  usage: string;
}

/** The variable naming a replica's zone, the platform's (its rules' kubeUpZoneVariable). */
export function zoneVariable(cloud: Cloud): string {
  return PLATFORM_RULES[cloud].kubeUpZoneVariable;
}

function envValue(env: Env, key: string): string | undefined {
  const v = env[key]?.trim();
  return v ? v : undefined;
}

export function resolveAdd(flags: AddFlags, env: Env, cloud: Cloud): ResolvedRequest | UsageProblem {
  const zoneVar = zoneVariable(cloud);
  const zones = flags.zones.length > 0 ? flags.zones : [envValue(env, zoneVar)].filter((z): z is string => z !== undefined);
  if (zones.length === 0) return { usage: `say where the new replica goes: --zone ZONE (or ${zoneVar})` };
  let names = flags.names;
  const envName = envValue(env, "KUBE_REPLICA_NAME");
  if (names.length === 0 && envName !== undefined && zones.length === 1) names = [envName];
  return { kind: "add", zones, names, force: flags.force };
}

export function resolveRemove(flags: RemoveFlags, env: Env, cloud: Cloud): ResolvedRequest | UsageProblem {
  const zoneVar = zoneVariable(cloud);
  const keepNodes = flags.keepNodes || envValue(env, "KUBE_DELETE_NODES") === "false";
  if (flags.name !== undefined && flags.zone !== undefined) {
    return { usage: "give --name or --zone, not both (the name alone says which replica)" };
  }
  let target: RemoveTarget | undefined;
  if (flags.name !== undefined) target = { name: flags.name };
  else if (flags.zone !== undefined) target = { zone: flags.zone };
  else {
    const name = envValue(env, "KUBE_REPLICA_NAME");
    const zone = envValue(env, zoneVar);
    if (name !== undefined) target = { name };
    else if (zone !== undefined) target = { zone };
  }
  if (!target) return { usage: `say which replica to remove: --name NAME or --zone ZONE (or KUBE_REPLICA_NAME / ${zoneVar})` };
  return { kind: "remove", target, keepNodes, force: flags.force };
}

export function resolveReplace(flags: ReplaceFlags, env: Env): ResolvedRequest | UsageProblem {
  const name = flags.name ?? envValue(env, "KUBE_REPLICA_NAME");
  if (name === undefined) return { usage: "say which replica to replace: --name NAME (or KUBE_REPLICA_NAME)" };
  return { kind: "replace", name };
}

export function isUsageProblem(r: ResolvedRequest | UsageProblem): r is UsageProblem {
  return "usage" in r;
}
