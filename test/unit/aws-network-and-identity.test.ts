import { describe, expect, it } from "vitest";
import { instanceArchitecture, ubuntuAmiQuery } from "../../components/platforms/aws/image";
import { planAwsControlPlane } from "../../components/platforms/aws/args";
import { clusterSecretArnPattern, masterPolicy, ssmManagedInstanceCorePolicyArn } from "../../components/platforms/aws/identity-policy";
import { nlbSubnets } from "../../components/platforms/aws/load-balancer";
import { INTERNAL_NLB_HOST, type NewNetworkLayout, awsNetworkLayout, internalNlbAddresses } from "../../components/platforms/aws/network-layout";
import { FIRST_MASTER_HOST } from "../../components/plan/addresses";
import { USER_DATA_LIMIT_BYTES, decodeUserData, encodeUserData } from "../../components/platforms/aws/user-data";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import { SpecError } from "../../components/spec/errors";
import { parseClusterSpec } from "../../components/spec/validate";

const zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const planOf = (extra: Record<string, unknown> = {}) =>
  planControlPlane(parseClusterSpec({ cloud: "aws", region: "eu-west-1", replicaZones: zones, ...extra }));

describe("AWS network layout", () => {
  it("gives each zone in use a private and a public subnet, a NAT gateway each, and puts an internet-facing NLB in public subnets", () => {
    const layout = awsNetworkLayout(planOf());
    if (layout.kind !== "new") throw new Error("expected a new VPC");
    expect(layout.zones.map((z) => z.zone)).toEqual(zones);
    expect(new Set(layout.zones.flatMap((z) => [z.cidr, z.publicCidr])).size).toBe(6);
    expect(layout).toMatchObject({ natGateways: true, publicSubnets: true, loadBalancerSubnets: "public" });
  });

  it("routes masters with public addresses through the internet gateway and an internal NLB through private subnets", () => {
    const layout = awsNetworkLayout(planOf({ assignPublicIp: true, loadBalancerScheme: "internal" }));
    expect(layout).toMatchObject({ kind: "new", natGateways: false, publicSubnets: false, loadBalancerSubnets: "private" });
  });

  it("keeps extra network zones so the NLB does not lose a subnet while a zone is empty", () => {
    const plan = planOf({ replicaZones: ["eu-west-1a"], networkZones: ["eu-west-1c", "eu-west-1b"] });
    const layout = awsNetworkLayout(plan);
    if (layout.kind !== "new") throw new Error("expected a new VPC");
    expect(layout.zones.map((z) => z.zone)).toEqual(zones);
    // A zone's subnets do not depend on which other zones hold replicas.
    expect(layout.zones).toEqual((awsNetworkLayout(planOf()) as NewNetworkLayout).zones);
  });

  it("puts an internet-facing NLB in an existing VPC's listed public subnets", () => {
    const plan = planOf({
      existingNetwork: {
        network: "vpc-0abc",
        subnets: zones.map((zone, i) => ({ name: `subnet-${i}`, cidr: `10.20.${i}.0/24`, zone })),
        loadBalancerSubnets: ["subnet-pub-a", "subnet-pub-b"],
      },
    });
    expect(awsNetworkLayout(plan)).toMatchObject({ kind: "existing", loadBalancerSubnetIds: ["subnet-pub-a", "subnet-pub-b"] });
  });

  it("uses an existing VPC's subnet of each replica's zone", () => {
    const plan = planOf({
      existingNetwork: {
        network: "vpc-0abc",
        subnets: zones.map((zone, i) => ({ name: `subnet-${i}`, cidr: `10.20.${i}.0/24`, zone })),
      },
      loadBalancerScheme: "internal",
    });
    expect(awsNetworkLayout(plan)).toEqual({
      kind: "existing",
      vpcId: "vpc-0abc",
      masterSubnets: zones.map((zone, i) => ({ zone, subnetId: `subnet-${i}`, cidr: `10.20.${i}.0/24` })),
      loadBalancerSubnetIds: ["subnet-0", "subnet-1", "subnet-2"],
    });
  });

  it("refuses network zones outside the region before planning resources", () => {
    try {
      planAwsControlPlane("t", { region: "eu-west-1", replicaZones: zones, networkZones: ["us-east-1a"] });
      throw new Error("expected a SpecError");
    } catch (e) {
      expect(e).toBeInstanceOf(SpecError);
      expect((e as SpecError).problems.map((p) => p.key)).toEqual(["networkZones[0]"]);
    }
  });
});

describe("an internal NLB's addresses", () => {
  it("are pinned at host 5 of each zone's private subnet of a new VPC, between AWS's reserved hosts and the masters'", () => {
    expect(INTERNAL_NLB_HOST).toBeGreaterThanOrEqual(4);
    expect(INTERNAL_NLB_HOST).toBeLessThan(FIRST_MASTER_HOST);
    const layout = awsNetworkLayout(planOf({ loadBalancerScheme: "internal" })) as NewNetworkLayout;
    expect(layout.zones.map((z) => z.cidr)).toEqual(["10.10.0.0/20", "10.10.16.0/20", "10.10.32.0/20"]);
    expect(internalNlbAddresses(layout, "internal")).toEqual(["10.10.0.5", "10.10.16.5", "10.10.32.5"]);
  });

  it("are left to AWS for an internet-facing NLB and in an existing (possibly shared) subnet", () => {
    const external = awsNetworkLayout(planOf());
    expect(internalNlbAddresses(external, "external")).toEqual([undefined, undefined, undefined]);
    const existing = awsNetworkLayout(planOf({
      loadBalancerScheme: "internal",
      existingNetwork: { network: "vpc-1", subnets: zones.map((zone, i) => ({ zone, name: `subnet-${i}`, cidr: `10.9.${i * 16}.0/20` })) },
    }));
    expect(internalNlbAddresses(existing, "internal")).toEqual([undefined, undefined, undefined]);
  });

  it("become subnet mappings only when some address is pinned", () => {
    expect(nlbSubnets(["s-a", "s-b"], [undefined, undefined])).toEqual({ subnets: ["s-a", "s-b"] });
    expect(nlbSubnets(["s-a", "s-b"], ["10.0.0.5", "10.0.16.5"])).toEqual({
      subnetMappings: [{ subnetId: "s-a", privateIpv4Address: "10.0.0.5" }, { subnetId: "s-b", privateIpv4Address: "10.0.16.5" }],
    });
  });
});

describe("AMI", () => {
  it.each([
    ["m6i.xlarge", "amd64"],
    ["t3.large", "amd64"],
    ["g5.xlarge", "amd64"],
    ["m7g.xlarge", "arm64"],
    ["c7gn.large", "arm64"],
    ["t4g.medium", "arm64"],
    ["a1.large", "arm64"],
  ])("%s runs %s images", (type, arch) => {
    expect(instanceArchitecture(type)).toBe(arch);
  });

  it("asks for Canonical's newest Ubuntu 24.04 LTS of the masters' architecture", () => {
    expect(ubuntuAmiQuery("m7g.large")).toEqual({
      owners: ["099720109477"],
      mostRecent: true,
      filters: [
        { name: "name", values: ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-*"] },
        { name: "virtualization-type", values: ["hvm"] },
        { name: "root-device-type", values: ["ebs"] },
      ],
    });
  });
});

describe("user-data encoding", () => {
  it("keeps a script that fits as plain text", () => {
    expect(encodeUserData("#!/bin/bash\necho hi\n")).toEqual({ userData: "#!/bin/bash\necho hi\n" });
  });

  it("gzips a script over 16 KiB, deterministically, and it decodes back", () => {
    const script = `#!/bin/bash\n${Array.from({ length: 2000 }, (_, i) => `echo line ${i}`).join("\n")}\n`;
    expect(Buffer.byteLength(script)).toBeGreaterThan(USER_DATA_LIMIT_BYTES);
    const a = encodeUserData(script);
    expect("userDataBase64" in a).toBe(true);
    expect(encodeUserData(script)).toEqual(a);
    expect(decodeUserData(a)).toBe(script);
  });
});

describe("the masters' IAM policy", () => {
  it("reads only this cluster's secrets (name pattern and cluster tag) and lists instances", () => {
    const policy = masterPolicy("prod", "eu-west-1", "123456789012");
    expect(policy.Statement).toEqual([
      {
        Sid: "ReadThisClustersKeyMaterial",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        Resource: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod-*-pki-??????",
        Condition: { StringEquals: { "aws:ResourceTag/kube-ha-cluster": "prod" } },
      },
      { Sid: "DiscoverPeers", Effect: "Allow", Action: ["ec2:DescribeInstances"], Resource: "*" },
    ]);
  });

  it("uses the region's partition", () => {
    expect(clusterSecretArnPattern("c", "cn-north-1", "1")).toMatch(/^arn:aws-cn:/);
    expect(clusterSecretArnPattern("c", "us-gov-west-1", "1")).toMatch(/^arn:aws-us-gov:/);
  });

  it("lets SSM Run Command reach the masters (etcd member removal) through the AWS managed policy of the region's partition", () => {
    expect(ssmManagedInstanceCorePolicyArn("eu-west-1")).toBe("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
    expect(ssmManagedInstanceCorePolicyArn("cn-north-1")).toBe("arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore");
    expect(ssmManagedInstanceCorePolicyArn("us-gov-west-1")).toBe("arn:aws-us-gov:iam::aws:policy/AmazonSSMManagedInstanceCore");
  });

  it("opens no port for the removal on AWS: SSM Run Command needs none, so the plan has no IAP ssh rule", () => {
    expect(planOf().ports.filter((p) => p.ports[0] <= 22 && p.ports[1] >= 22)).toEqual([]);
  });
});
