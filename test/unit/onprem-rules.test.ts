import { describe, expect, it } from "vitest";
import { awsRules } from "../../components/platforms/aws/rules";
import { gcpRules } from "../../components/platforms/gcp/rules";
import { FAILURE_DOMAIN_NAME, onpremRules } from "../../components/platforms/onprem/rules";
import { PLATFORM_NAMES } from "../../components/platforms/rules";

/**
 * The on-premises platform's pure rules (components/platforms/onprem/rules.ts),
 * and what the PlatformRules interface grew for them: free-form zones and
 * "no default machine types".
 */
describe("on-premises platform rules (not registered yet)", () => {
  it("is not selectable: the registry and the config schema do not list it", () => {
    expect(PLATFORM_NAMES).not.toContain("onprem");
  });

  it("takes any failure-domain name as a zone, with no region table", () => {
    expect(onpremRules.zoneSource).toBe("free-form");
    expect(onpremRules.regionZones).toEqual({});
    for (const zone of ["rack-1", "room-b", "dc2-row3", "r1"]) expect(onpremRules.zoneNamedInRegion("dc-berlin", zone)).toBe(true);
    for (const zone of ["Rack 1", "rack_1", "-rack", "rack-", "", "a".repeat(64)]) expect(onpremRules.zoneNamedInRegion("dc-berlin", zone)).toBe(false);
    expect(FAILURE_DOMAIN_NAME.test("a".repeat(63))).toBe(true);
    expect(() => onpremRules.zoneName("dc-berlin", "a")).toThrow(/named by the stack/);
  });

  it("reserves only the network and broadcast addresses, has no labels, no default machine types and no extra TCP ports", () => {
    expect(onpremRules.network).toEqual({ subnetScope: "region", reservedAddresses: { head: 1, tail: 1 } });
    expect(onpremRules.labels.max - onpremRules.labels.own).toBe(0);
    expect(onpremRules.defaultMachineTypes).toBeNull();
    expect(onpremRules.extraPorts(["master"])).toEqual([]);
    expect(onpremRules.existingNetworkProblems({ subnets: [], loadBalancerScheme: "external", zonesInUse: [] })).toEqual([
      expect.objectContaining({ key: "existingNetwork", message: expect.stringMatching(/remove existingNetwork and set networkCidr/) }),
    ]);
  });

  it("the clouds keep their zone tables and default machine types", () => {
    expect(gcpRules.zoneSource).toBe("region-table");
    expect(awsRules.zoneSource).toBe("region-table");
    expect(gcpRules.defaultMachineTypes).toEqual({ master: "e2-standard-4", etcd: "e2-standard-2" });
    expect(awsRules.defaultMachineTypes).toEqual({ master: "m6i.xlarge", etcd: "m6i.large" });
  });
});
