import { describe, expect, it } from "vitest";
import { PLATFORMS } from "../../components/platforms";
import { PLATFORM_NAMES, PLATFORM_RULES } from "../../components/platforms/rules";
import { CLOUDS, clusterSpecInput } from "../../components/spec/schema";

/**
 * The platforms' rules registry (components/platforms/rules.ts) is the one
 * list of platforms: the config schema's `cloud` values come from it, and
 * each Platform object carries the same rules the spec layer asks.
 */
describe("the platform rules registry", () => {
  it("gives the config schema its cloud values, in its order", () => {
    expect(CLOUDS).toEqual(Object.keys(PLATFORM_RULES));
    expect(PLATFORM_NAMES).toEqual(["gcp", "aws"]);
    for (const cloud of PLATFORM_NAMES) expect(clusterSpecInput.shape.cloud.safeParse(cloud).success).toBe(true);
    expect(clusterSpecInput.shape.cloud.safeParse("azure").success).toBe(false);
  });

  it("hands every Platform the rules the spec asks", () => {
    expect(Object.keys(PLATFORMS)).toEqual(PLATFORM_NAMES);
    for (const cloud of PLATFORM_NAMES) expect(PLATFORMS[cloud].rules).toBe(PLATFORM_RULES[cloud]);
  });
});
