import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/**
 * Provider-computed outputs the GCP and AWS components read, for mock-runtime
 * tests that build both clouds' control planes (pass to installMocks as
 * `outputs` and `call`).
 */
export function cloudOutputs(r: { type: string; name: string; inputs: Record<string, unknown> }): Record<string, unknown> {
  const name = typeof r.inputs["name"] === "string" ? (r.inputs["name"] as string) : r.name;
  switch (r.type) {
    case "gcp:compute/address:Address":
      return { address: (r.inputs["address"] as string | undefined) ?? "34.120.0.10" };
    case "gcp:serviceaccount/account:Account":
      return { email: `${r.inputs["accountId"]}@demo-project.iam.gserviceaccount.com`, project: "demo-project" };
    case "gcp:compute/instance:Instance":
      return { selfLink: `https://compute/${r.inputs["zone"]}/${name}`, project: "demo-project" };
    case "gcp:projects/iAMCustomRole:IAMCustomRole":
      return { name: `projects/demo-project/roles/${r.inputs["roleId"]}` };
    case "aws:lb/loadBalancer:LoadBalancer":
      return { arn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/${name}/1`, dnsName: `${name}.elb.eu-west-1.amazonaws.com` };
    case "aws:lb/targetGroup:TargetGroup":
      return { arn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${name}/1` };
    case "aws:iam/role:Role":
    case "aws:iam/instanceProfile:InstanceProfile":
      return { arn: `arn:aws:iam::123456789012:role/${r.name}`, name: r.name };
    default:
      return {};
  }
}

/** Invokes the AWS component makes (AMI lookup, account id). */
export function cloudCall(a: pulumi.runtime.MockCallArgs): Record<string, unknown> {
  if (a.token === "aws:ec2/getAmi:getAmi") return { id: "ami-0123456789abcdef0" };
  if (a.token === "aws:index/getCallerIdentity:getCallerIdentity") return { accountId: "123456789012", id: "123456789012" };
  return a.inputs ?? {};
}

/**
 * EBS volume ids must look like vol-<hex> (the AWS boot script finds the disk
 * by its NVMe serial): derive them from the Name tag. Call after installMocks.
 */
export function realisticVolumeIds(): void {
  const mocks = (pulumi.runtime.getMonitor() as unknown as { mocks: pulumi.runtime.Mocks }).mocks;
  const original = mocks.newResource.bind(mocks);
  mocks.newResource = async (a) => {
    const result = await original(a);
    if (a.type !== "aws:ebs/volume:Volume") return result;
    const tag = ((a.inputs["tags"] as Record<string, string> | undefined) ?? {})["Name"] ?? a.name;
    return { ...result, id: `vol-0${createHash("sha256").update(tag).digest("hex").slice(0, 16)}` };
  };
}
