import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AwsControlPlane, type AwsControlPlaneArgs } from "../../components/platforms/aws/control-plane";
import { GcpControlPlane, type GcpControlPlaneArgs } from "../../components/platforms/gcp/control-plane";
import { cloudCall, cloudOutputs, realisticVolumeIds } from "../support/cloud-mocks";
import { type MockRegistry, installMocks, valueOf } from "../support/pulumi-mocks";

/**
 * Issue 9, item 4: what a cloud refuses (or a master's boot fails on) until
 * the network's way out exists is created after it.
 * - AWS refuses an internet-facing NLB in a VPC without an attached internet
 *   gateway: the NLB depends on the gateway and the public route associations.
 * - GCP masters download packages at boot, which fails until Cloud NAT
 *   exists: every machine depends on the router NAT of a new network.
 * Legacy `transformations` run under mocks and show each child's dependsOn.
 */

const T = {
  lb: "aws:lb/loadBalancer:LoadBalancer",
  igw: "aws:ec2/internetGateway:InternetGateway",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  routeTable: "aws:ec2/routeTable:RouteTable",
  gcpInstance: "gcp:compute/instance:Instance",
  routerNat: "gcp:compute/routerNat:RouterNat",
};

interface Child {
  type: string;
  name: string;
  opts: pulumi.CustomResourceOptions;
  resource: pulumi.Resource;
}

/** Records every child of a component with its options (the mock runtime runs legacy transformations). */
function recorder(): { children: Child[]; opts: pulumi.ComponentResourceOptions } {
  const children: Child[] = [];
  return {
    children,
    opts: {
      transformations: [
        (a) => {
          children.push({ type: a.type, name: a.name, opts: a.opts as pulumi.CustomResourceOptions, resource: a.resource });
          return undefined;
        },
      ],
    },
  };
}

const deps = (c: Child) => ([] as unknown[]).concat(c.opts.dependsOn ?? []);
const ofType = (children: Child[], type: string) => children.filter((c) => c.type === type);

const awsArgs = (extra: Partial<AwsControlPlaneArgs> = {}): AwsControlPlaneArgs => ({
  region: "eu-west-1",
  replicaZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  apiServerAllowedCidrs: ["203.0.113.0/24"],
  ...extra,
});
const gcpArgs = (extra: Partial<GcpControlPlaneArgs> = {}): GcpControlPlaneArgs => ({
  region: "europe-west1",
  replicaZones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"],
  apiServerAllowedCidrs: ["203.0.113.0/24"],
  ...extra,
});

let reg: MockRegistry;
const awsPublic = recorder();
const awsPublicIps = recorder();
const awsInternal = recorder();
const awsExisting = recorder();
const gcpNew = recorder();
const gcpExternalEtcd = recorder();
const gcpExisting = recorder();

beforeAll(async () => {
  reg = await installMocks({ stack: "boot-order", outputs: cloudOutputs, call: cloudCall });
  realisticVolumeIds();
  const built: { endpoint: pulumi.Output<string> }[] = [
    new AwsControlPlane("ap", awsArgs({ clusterName: "ap" }), awsPublic.opts),
    new AwsControlPlane("apip", awsArgs({ clusterName: "apip", assignPublicIp: true }), awsPublicIps.opts),
    new AwsControlPlane("ain", awsArgs({ clusterName: "ain", loadBalancerScheme: "internal" }), awsInternal.opts),
    new AwsControlPlane(
      "aex",
      awsArgs({
        clusterName: "aex",
        loadBalancerScheme: "internal",
        existingNetwork: {
          network: "vpc-1",
          subnets: [
            { name: "subnet-a", cidr: "10.10.0.0/20", zone: "eu-west-1a" },
            { name: "subnet-b", cidr: "10.10.16.0/20", zone: "eu-west-1b" },
            { name: "subnet-c", cidr: "10.10.32.0/20", zone: "eu-west-1c" },
          ],
        },
      }),
      awsExisting.opts,
    ),
    new GcpControlPlane("gn", gcpArgs({ clusterName: "gn" }), gcpNew.opts),
    new GcpControlPlane(
      "gx",
      gcpArgs({ clusterName: "gx", etcdTopology: "external", etcdZones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"] }),
      gcpExternalEtcd.opts,
    ),
    new GcpControlPlane(
      "ge",
      gcpArgs({
        clusterName: "ge",
        existingNetwork: { network: "shared-vpc", subnets: [{ name: "shared-subnet", cidr: "10.20.0.0/16" }] },
      }),
      gcpExisting.opts,
    ),
  ];
  for (const cp of built) await valueOf(cp.endpoint);
});

describe("AWS: the internet-facing NLB waits for the VPC's internet gateway and public routes", () => {
  it.each([
    ["behind NAT gateways", awsPublic],
    ["with public master addresses (no NAT)", awsPublicIps],
  ])("in a new VPC %s, the NLB depends on the internet gateway and every public route-table association", (_, rec) => {
    expect(reg.errors).toEqual([]);
    const [lb] = ofType(rec.children, T.lb);
    const [igw] = ofType(rec.children, T.igw);
    const publicAssociations = ofType(rec.children, T.association).filter((c) => c.name.endsWith("-public"));
    expect(lb).toBeDefined();
    expect(igw).toBeDefined();
    expect(publicAssociations).toHaveLength(3);
    expect(deps(lb!)).toContain(igw!.resource);
    for (const a of publicAssociations) expect(deps(lb!)).toContain(a.resource);
  });

  it("an internal NLB in private subnets waits for nothing of the internet gateway's", () => {
    const [lb] = ofType(awsInternal.children, T.lb);
    expect(deps(lb!)).toEqual([]);
  });

  it("in an existing VPC there is no gateway of kube-ha's to wait for", () => {
    expect(ofType(awsExisting.children, T.igw)).toEqual([]);
    const [lb] = ofType(awsExisting.children, T.lb);
    expect(deps(lb!)).toEqual([]);
  });
});

describe("GCP: machines boot after Cloud NAT exists in a new network", () => {
  it.each([
    ["stacked masters", gcpNew, 3],
    ["masters and external etcd VMs", gcpExternalEtcd, 6],
  ])("every instance (%s) depends on the router NAT", (_, rec, count) => {
    const [nat] = ofType(rec.children, T.routerNat);
    expect(nat).toBeDefined();
    const instances = ofType(rec.children, T.gcpInstance);
    expect(instances).toHaveLength(count);
    for (const i of instances) expect(deps(i), i.name).toContain(nat!.resource);
  });

  it("with an existing network there is no NAT of kube-ha's, and the instances are still built", () => {
    expect(ofType(gcpExisting.children, T.routerNat)).toEqual([]);
    expect(ofType(gcpExisting.children, T.gcpInstance)).toHaveLength(3);
  });
});
