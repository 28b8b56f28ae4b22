import { PLATFORM_RULES } from "../platforms/rules";
import { type SpecProblem, describeValue } from "./errors";
import type { Cloud } from "./schema";
import {
  MAX_ZONES_PER_REGION,
  type ZoneContext,
  cloudOfRegion,
  nearestRegions,
  regionZones,
  zoneInRegion,
  zoneList,
  zoneName,
  zoneNamedInRegion,
} from "./zones";

/** The validator's rules for regions and zones, each problem with its key, value and fix. */

interface ZoneInput {
  cloud: Cloud;
  region: string;
  extraZones?: string[] | undefined;
}

export function zoneContext(input: ZoneInput): ZoneContext {
  return { cloud: input.cloud, region: input.region, extraZones: input.extraZones ?? [] };
}

/** The region is one kube-ha knows (or extraZones names its zones); extraZones are the region's and fit. */
export function regionZoneProblems(input: ZoneInput, prefix: string): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const { cloud, region } = input;
  const ctx = zoneContext(input);
  (input.extraZones ?? []).forEach((zone, i) => {
    if (!zoneNamedInRegion(cloud, region, zone)) {
      problems.push({
        key: `${prefix}extraZones[${i}]`,
        value: describeValue(zone),
        message: `not named like a zone of region ${region}: write ${zoneName(cloud, region, "<letter>")}, e.g. ${zoneName(cloud, region, "a")}`,
      });
    }
  });
  const zones = regionZones(ctx);
  if (zones.length === 0) {
    const other = cloudOfRegion(region);
    const near = nearestRegions(cloud, region).join(", ");
    const name = PLATFORM_RULES[cloud].displayName;
    const message =
      other && other !== cloud
        ? `an ${PLATFORM_RULES[other].displayName} region, not a ${name} one: set cloud: ${other}, or use a ${name} region such as ${near}`
        : `not a ${name} region kube-ha knows: use one of its ${Object.keys(PLATFORM_RULES[cloud].regionZones).length} known regions, ` +
          `nearest ${near} (all in components/spec/region-zones.ts); for a region newer than this kube-ha, list its zones in ${prefix}extraZones`;
    problems.push({ key: `${prefix}region`, value: describeValue(region), message });
  } else if (zones.length > MAX_ZONES_PER_REGION) {
    problems.push({
      key: `${prefix}extraZones`,
      value: describeValue(input.extraZones),
      message: `region ${region} would have ${zones.length} zones (${zones.join(", ")}): kube-ha cuts the network into ${MAX_ZONES_PER_REGION} zone blocks; list only the zones you use`,
    });
  }
  return problems;
}

/** Why a zone is not one of the region's, with the region's zones; undefined when it is (or the region itself is unknown). */
export function zoneProblem(input: ZoneInput, zone: string): string | undefined {
  const ctx = zoneContext(input);
  if (regionZones(ctx).length === 0 || zoneInRegion(ctx, zone)) return undefined;
  const newer = zoneNamedInRegion(input.cloud, input.region, zone)
    ? ` (if ${zone} is real and newer than kube-ha's zone table, list it in extraZones)`
    : "";
  return `not a zone of region ${input.region}: use one of ${zoneList(ctx)}${newer}`;
}
