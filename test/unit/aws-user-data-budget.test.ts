import { describe, expect, it } from "vitest";
import { planAwsControlPlane } from "../../components/platforms/aws/args";
import { awsUserDataProblems } from "../../components/platforms/aws/user-data-budget";
import { PLATFORMS } from "../../components/platforms";
import { SpecError } from "../../components/spec/errors";

/**
 * EC2 accepts 16 KiB of user data; kube-ha's boot script nearly fills it.
 * A stack whose boot script would not fit is refused at plan time — by the
 * component and by the CLI flows — naming what to shorten, instead of EC2
 * refusing the instance halfway through `pulumi up`.
 */

const args = (extra: Record<string, unknown> = {}) => ({
  clusterName: "prod",
  region: "eu-west-1",
  replicas: ["a", "b", "c"].map((l) => ({ name: `master-${l}`, zone: `eu-west-1${l}` })),
  apiServerAllowedCidrs: ["100.64.7.0/24"],
  ...extra,
});
/** A long DNS name that gzip cannot shrink: four 60-character labels of pseudo-random letters. */
const longDns = (() => {
  let x = 12345;
  const letter = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return "abcdefghijklmnopqrstuvwxyz0123456789"[x % 36]!;
  };
  return `${Array.from({ length: 4 }, () => `k${Array.from({ length: 59 }, letter).join("")}`).join(".")}.io`;
})();

describe("AWS user data must fit EC2's 16 KiB, checked before anything is registered", () => {
  it("accepts the shipped shape with room to spare for the cloud's values", () => {
    const { plan } = planAwsControlPlane("t", args());
    expect(awsUserDataProblems(plan, "")).toEqual([]);
  });

  it("refuses a DNS name that would push the boot script over, naming the key, the size and the fix", () => {
    expect(longDns.length).toBeGreaterThan(200);
    expect(() => planAwsControlPlane("t", args({ apiServerDnsName: longDns }))).toThrow(SpecError);
    try {
      planAwsControlPlane("t", args({ apiServerDnsName: longDns }));
    } catch (e) {
      const [problem] = (e as SpecError).problems;
      expect(problem!.key).toBe("apiServerDnsName");
      expect(problem!.message).toMatch(/master-a's boot script would be \d+ bytes gzip-compressed, over the 16384 bytes of user data EC2 accepts/);
      expect(problem!.message).toContain("shorten apiServerDnsName");
    }
  });

  it("is one of the AWS platform's plan rules, which the program and the CLI flows apply", () => {
    const { plan } = planAwsControlPlane("t", args());
    const long = { ...plan, loadBalancer: { ...plan.loadBalancer, dnsName: longDns } };
    expect(PLATFORMS.aws.planRules(long, "kube-ha:").map((p) => p.key)).toEqual(["kube-ha:apiServerDnsName"]);
  });
});
