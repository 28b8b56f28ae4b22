import { type MockAnswer, type MockContext, documentationAddress, mockDigest, nonEmptyString } from "../preview-mock";

/**
 * What the offline preview's mock cloud answers for AWS (the `aws` provider
 * package): a resource's inputs echoed back plus the computed outputs a
 * program reads (ids, ARNs, DNS names, addresses), deterministic from type
 * and name (components/platforms/preview-mock.ts). Pure.
 */

/** The provider packages whose resources and functions AWS answers for. */
export const AWS_PROVIDER_PACKAGES = ["aws"] as const;

/** An AWS resource: an id with the resource's prefix (vpc-, sg-, …) and an ARN; DNS names and addresses where a program reads them. */
export function awsMockResource(type: string, name: string, inputs: Record<string, unknown>, ctx: MockContext): MockAnswer {
  const region = ctx.region;
  const [, mod = "", kind = ""] = /^aws:([^/]+)\/[^:]+:(.+)$/.exec(type) ?? [];
  const prefixes: Record<string, string> = {
    Vpc: "vpc", Subnet: "subnet", SecurityGroup: "sg", Instance: "i", Volume: "vol", InternetGateway: "igw",
    NatGateway: "nat", Eip: "eipalloc", RouteTable: "rtb", SecurityGroupRule: "sgrule", LaunchTemplate: "lt",
  };
  const id = `${prefixes[kind] ?? kind.toLowerCase()}-${mockDigest(type + name, 17)}`;
  const resName = nonEmptyString(inputs["name"]) ?? name;
  const arn = `arn:aws:${mod === "lb" ? "elasticloadbalancing" : mod}:${mod === "iam" ? "" : region}:123456789012:${kind.toLowerCase()}/${resName}`;
  const state: Record<string, unknown> = { ...inputs, arn };
  switch (type) {
    case "aws:lb/loadBalancer:LoadBalancer":
      state["dnsName"] = `${resName}-${mockDigest(name, 10)}.elb.${region}.amazonaws.com`;
      state["zoneId"] = "Z0MOCKPREVIEW";
      state["name"] = resName;
      return { id: arn, state, secretKeys: [] };
    case "aws:lb/targetGroup:TargetGroup":
    case "aws:lb/listener:Listener":
      state["name"] = resName;
      return { id: arn, state, secretKeys: [] };
    case "aws:ec2/instance:Instance":
      state["privateIp"] = nonEmptyString(inputs["privateIp"]) ?? "10.0.0.10";
      state["availabilityZone"] = nonEmptyString(inputs["availabilityZone"]) ?? `${region}a`;
      break;
    case "aws:ec2/eip:Eip":
      state["publicIp"] = documentationAddress(name);
      break;
    case "aws:iam/role:Role":
    case "aws:iam/instanceProfile:InstanceProfile":
    case "aws:iam/policy:Policy":
      state["name"] = resName;
      state["uniqueId"] = `AROA${mockDigest(name, 16).toUpperCase()}`;
      return { id: resName, state, secretKeys: [] };
    case "aws:secretsmanager/secret:Secret":
      state["name"] = resName;
      return { id: arn, state, secretKeys: [] };
    case "aws:secretsmanager/secretVersion:SecretVersion":
      state["versionId"] = mockDigest(name, 32);
      return { id: `${arn}|${state["versionId"]}`, state, secretKeys: ["secretString", "secretBinary"] };
    case "aws:ssm/parameter:Parameter":
      state["name"] = resName;
      return { id: resName, state, secretKeys: inputs["type"] === "SecureString" ? ["value"] : [] };
    default:
      break;
  }
  return { id, state, secretKeys: [] };
}

/** Answers to the AWS provider functions a program may call (caller, region, partition, images); undefined for any other. */
export function awsMockCall(token: string, inputs: Record<string, unknown>, ctx: MockContext): Record<string, unknown> | undefined {
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/preview", userId: "AIDAPREVIEW", id: "123456789012" };
    case "aws:index/getRegion:getRegion":
      return { name: ctx.region, region: ctx.region, id: ctx.region, description: ctx.region };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
    case "aws:ec2/getAmi:getAmi":
      return { ...inputs, id: "ami-0a1b2c3d4e5f60718", imageId: "ami-0a1b2c3d4e5f60718", name: "ubuntu-24.04-preview" };
    default:
      return undefined;
  }
}
