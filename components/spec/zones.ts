import type { Cloud } from "./schema";

/**
 * Whether a zone belongs to a region, by each cloud's naming rule:
 * GCP zones are `<region>-<letter>` (europe-west1-b), AWS availability
 * zones are `<region><letter>` (eu-west-1a).
 */
export function zoneInRegion(cloud: Cloud, region: string, zone: string): boolean {
  if (cloud === "gcp") return zone.length === region.length + 2 && zone.startsWith(`${region}-`) && /[a-z]$/.test(zone);
  return zone.length === region.length + 1 && zone.startsWith(region) && /[a-z]$/.test(zone);
}

export function exampleZone(cloud: Cloud, region: string, letter = "b"): string {
  return cloud === "gcp" ? `${region}-${letter}` : `${region}${letter}`;
}

/** The zone's letter ("b" for europe-west1-b or us-east-1b). */
export function zoneLetter(zone: string): string {
  return zone.slice(-1);
}

/** A stable small integer for a zone letter: a=0, b=1, … Used to carve per-zone subnets. */
export function zoneOrdinal(zone: string): number {
  return zoneLetter(zone).charCodeAt(0) - "a".charCodeAt(0);
}
