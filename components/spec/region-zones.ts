import { PLATFORM_NAMES, PLATFORM_RULES } from "../platforms/rules";
import type { Cloud } from "./schema";

/**
 * The zones of every region kube-ha knows, by cloud: region → the letters of
 * its zones. Each platform keeps its own table in its rules
 * (components/platforms/<name>/regions.ts: how it was compiled and how to
 * extend it); this gathers them, for the messages that point here and the
 * tests that check every region's blocks (test/unit/region-zones.test.ts).
 */
export const REGION_ZONES: Readonly<Record<Cloud, Readonly<Record<string, string>>>> = Object.fromEntries(
  PLATFORM_NAMES.map((cloud) => [cloud, PLATFORM_RULES[cloud].regionZones]),
) as Record<Cloud, Readonly<Record<string, string>>>;
