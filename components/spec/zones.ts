import { PLATFORM_NAMES, PLATFORM_RULES } from "../platforms/rules";
import { editDistance } from "./names";
import type { Cloud } from "./schema";

/**
 * Zones and regions, from the platform's zone table (its rules,
 * components/platforms/<name>/regions.ts) plus the zones a stack names itself
 * in `extraZones` (a region or zone newer than the table). The platform's
 * rules name its zones: GCP zones are `<region>-<letter>` (europe-west1-b),
 * AWS availability zones `<region><letter>` (eu-west-1a).
 */

/** Zones per region kube-ha can give address blocks to: 8 private + 8 public blocks of the network. */
export const MAX_ZONES_PER_REGION = 8;

/** Where a region and its zones are, for the functions below. */
export interface ZoneContext {
  cloud: Cloud;
  region: string;
  /** The stack's `extraZones`: zones kube-ha's table does not list yet. */
  extraZones?: readonly string[];
}

export function zoneName(cloud: Cloud, region: string, letter: string): string {
  return PLATFORM_RULES[cloud].zoneName(region, letter);
}

/** Whether a zone is named like one of the region's (`<region>-x` / `<region>x`), real or not. */
export function zoneNamedInRegion(cloud: Cloud, region: string, zone: string): boolean {
  return PLATFORM_RULES[cloud].zoneNamedInRegion(region, zone);
}

/** Whether the table lists the region (extraZones aside). */
export function regionInTable(cloud: Cloud, region: string): boolean {
  return Object.hasOwn(PLATFORM_RULES[cloud].regionZones, region);
}

/**
 * The region's zones: the table's, then the stack's extraZones that are named
 * like the region's and not in the table. Empty for a region the table does
 * not know and extraZones does not fill.
 */
export function regionZones(ctx: ZoneContext): string[] {
  const letters = regionInTable(ctx.cloud, ctx.region) ? PLATFORM_RULES[ctx.cloud].regionZones[ctx.region]! : "";
  const zones = [...letters].map((l) => zoneName(ctx.cloud, ctx.region, l));
  for (const z of ctx.extraZones ?? []) {
    if (zoneNamedInRegion(ctx.cloud, ctx.region, z) && !zones.includes(z)) zones.push(z);
  }
  return zones;
}

/** Whether the zone exists in the region (by the table or the stack's extraZones). */
export function zoneInRegion(ctx: ZoneContext, zone: string): boolean {
  return regionZones(ctx).includes(zone);
}

/**
 * The zone's block of the network (0–7), from its place among the region's
 * zones: its letter's place in the alphabet for a–h (the rule every existing
 * stack was planned with, so addresses never move), else the region's lowest
 * block no a–h zone of the region owns. Distinct for every zone of a region
 * of at most 8 zones; undefined for a zone not in the region, or past the 8th.
 */
export function zoneBlockIndex(ctx: ZoneContext, zone: string): number | undefined {
  const zones = regionZones(ctx);
  if (!zones.includes(zone)) return undefined;
  const byLetter = (z: string) => zoneLetter(z).charCodeAt(0) - "a".charCodeAt(0);
  const own = byLetter(zone);
  if (own < MAX_ZONES_PER_REGION) return own;
  const taken = new Set(zones.map(byLetter).filter((i) => i < MAX_ZONES_PER_REGION));
  const free = [...Array(MAX_ZONES_PER_REGION).keys()].filter((i) => !taken.has(i));
  return free[zones.filter((z) => byLetter(z) >= MAX_ZONES_PER_REGION).indexOf(zone)];
}

/** "europe-west1-b, europe-west1-c, europe-west1-d": the region's zones, for messages. */
export function zoneList(ctx: ZoneContext): string {
  return regionZones(ctx).join(", ");
}

/** The known regions of a cloud nearest to a name (edit distance), for "did you mean". */
export function nearestRegions(cloud: Cloud, region: string, count = 3): string[] {
  return Object.keys(PLATFORM_RULES[cloud].regionZones)
    .map((r) => ({ r, d: editDistance(r, region.slice(0, 64)) }))
    .sort((a, b) => a.d - b.d || a.r.localeCompare(b.r))
    .slice(0, count)
    .map((x) => x.r);
}

/** The other cloud whose table lists this region, if one does (`eu-west-1` under cloud: gcp). */
export function cloudOfRegion(region: string): Cloud | undefined {
  return PLATFORM_NAMES.find((c) => regionInTable(c, region));
}

/** The zone's letter ("b" for europe-west1-b or us-east-1b). */
export function zoneLetter(zone: string): string {
  return zone.slice(-1);
}
