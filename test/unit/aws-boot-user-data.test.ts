import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { planAwsControlPlane } from "../../components/platforms/aws/args";
import { awsBootScript, awsUserData } from "../../components/platforms/aws/boot";
import { PER_BOOT_SCRIPT, perBootCloudConfig } from "../../components/platforms/aws/cloud-config";
import { USER_DATA_LIMIT_BYTES, decodeUserData, encodeUserData } from "../../components/platforms/aws/user-data";

const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const VOLUME = "vol-0123456789abcdef0";
const NLB = "prod-api-0123456789abcdef.elb.eu-west-1.amazonaws.com";

describe("AWS user-data", () => {
  it("installs the boot script as a cloud-init per-boot script, so it runs on every boot like a GCP startup-script", () => {
    const cc = perBootCloudConfig("#!/bin/bash\necho 'hi'\n");
    expect(cc.startsWith("#cloud-config\n")).toBe(true);
    expect(parse(cc)).toEqual({
      write_files: [{ path: PER_BOOT_SCRIPT, owner: "root:root", permissions: "0700", content: "#!/bin/bash\necho 'hi'\n" }],
    });
  });

  it("stays within EC2's 16 KiB for the largest control plane without an override (7 masters, longest names)", () => {
    const long = "a23456789012345678901234";
    const { plan } = planAwsControlPlane("x", {
      clusterName: long,
      region: "eu-west-1",
      replicas: Array.from({ length: 7 }, (_, i) => ({ name: `${"abcdefg"[i]}${long.slice(1)}`, zone: ZONES[i % 3]! })),
      apiServerDnsName: "kubernetes-api.a-rather-long-subdomain.production.example.com",
      apiServerAllowedCidrs: Array.from({ length: 20 }, (_, i) => `198.51.${i}.0/24`),
    });
    for (const replica of plan.masters) {
      const encoded = encodeUserData(perBootCloudConfig(awsBootScript(plan, replica, VOLUME, NLB)));
      const size = "userData" in encoded ? Buffer.byteLength(encoded.userData) : Buffer.from(encoded.userDataBase64, "base64").length;
      expect(size, replica.name).toBeLessThanOrEqual(USER_DATA_LIMIT_BYTES);
    }
  });

  it("is byte-identical for an existing replica whether the cluster has 3 or 5 replicas", async () => {
    const planOf = (n: number) =>
      planAwsControlPlane("x", {
        clusterName: "prod",
        region: "eu-west-1",
        replicas: Array.from({ length: n }, (_, i) => ({ name: i < 3 ? `master-${"abc"[i]}` : `master-${"abc"[i % 3]}-2`, zone: ZONES[i % 3]! })),
      }).plan;
    const three = planOf(3);
    const five = planOf(5);
    for (const m of three.masters) {
      const twin = five.masters.find((x) => x.name === m.name)!;
      expect(twin.address).toBe(m.address);
      expect(awsBootScript(five, twin, VOLUME, NLB)).toBe(awsBootScript(three, m, VOLUME, NLB));
    }
    const ud = await new Promise((r) => awsUserData({ plan: three, replica: three.masters[0]!, etcdVolumeId: VOLUME, endpointAddress: NLB }).apply(r));
    expect(decodeUserData(ud as object)).toBe(perBootCloudConfig(awsBootScript(three, three.masters[0]!, VOLUME, NLB)));
  });
});
