import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsNetworkLayout, NewNetworkLayout } from "./network-layout";

/** What the rest of the control plane needs from the network. */
export interface AwsNetwork {
  vpcId: pulumi.Output<string>;
  /** The masters' subnet in each zone. */
  masterSubnetIds: Record<string, pulumi.Output<string>>;
  /** Resources a master of that zone waits for before booting (its egress route). */
  egressReady: Record<string, pulumi.Resource[]>;
  loadBalancerSubnetIds: pulumi.Output<string>[];
  /**
   * Resources the NLB waits for: in a new VPC with an internet-facing NLB, the
   * internet gateway (attached to the VPC as it is created) and the public
   * subnets' route-table associations. AWS refuses an internet-facing load
   * balancer in a VPC that has no internet gateway yet. Empty otherwise.
   */
  loadBalancerReady: pulumi.Resource[];
  /** The Elastic IP of each zone's NAT gateway (a new VPC without assignPublicIp; else empty). */
  natPublicIps: Record<string, pulumi.Output<string>>;
}

/**
 * Creates the network the layout describes (or looks nothing up, for an
 * existing one: its ids come from the spec). Every zone's resources are named
 * by the zone, so adding a zone only creates and never touches another zone.
 */
export function createNetwork(
  name: string,
  layout: AwsNetworkLayout,
  tags: (resourceName: string) => Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): AwsNetwork {
  if (layout.kind === "existing") {
    const masterSubnetIds: Record<string, pulumi.Output<string>> = {};
    const egressReady: Record<string, pulumi.Resource[]> = {};
    for (const s of layout.masterSubnets) {
      masterSubnetIds[s.zone] = pulumi.output(s.subnetId);
      egressReady[s.zone] = [];
    }
    return {
      vpcId: pulumi.output(layout.vpcId),
      masterSubnetIds,
      egressReady,
      loadBalancerSubnetIds: layout.loadBalancerSubnetIds.map((id) => pulumi.output(id)),
      loadBalancerReady: [],
      natPublicIps: {},
    };
  }
  return createVpc(name, layout, tags, opts);
}

function createVpc(
  name: string,
  layout: NewNetworkLayout,
  tags: (resourceName: string) => Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): AwsNetwork {
  const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
    cidrBlock: layout.vpcCidr,
    enableDnsSupport: true,
    enableDnsHostnames: true,
    tags: tags(`${name}-vpc`),
  }, opts);
  const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags(`${name}-igw`) }, opts);

  let publicRouteTable: aws.ec2.RouteTable | undefined;
  if (layout.publicSubnets) {
    publicRouteTable = new aws.ec2.RouteTable(`${name}-public`, {
      vpcId: vpc.id,
      routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
      tags: tags(`${name}-public`),
    }, opts);
  }

  const masterSubnetIds: Record<string, pulumi.Output<string>> = {};
  const egressReady: Record<string, pulumi.Resource[]> = {};
  const publicSubnetIds: pulumi.Output<string>[] = [];
  const publicAssociations: aws.ec2.RouteTableAssociation[] = [];
  const natPublicIps: Record<string, pulumi.Output<string>> = {};
  for (const zone of layout.zones) {
    const z = `${name}-${zone.zone}`;
    const privateSubnet = new aws.ec2.Subnet(`${z}-private`, {
      vpcId: vpc.id,
      cidrBlock: zone.cidr,
      availabilityZone: zone.zone,
      mapPublicIpOnLaunch: false,
      tags: tags(`${z}-private`),
    }, opts);
    masterSubnetIds[zone.zone] = privateSubnet.id;

    let publicSubnet: aws.ec2.Subnet | undefined;
    if (publicRouteTable) {
      publicSubnet = new aws.ec2.Subnet(`${z}-public`, {
        vpcId: vpc.id,
        cidrBlock: zone.publicCidr,
        availabilityZone: zone.zone,
        mapPublicIpOnLaunch: false,
        tags: tags(`${z}-public`),
      }, opts);
      publicAssociations.push(
        new aws.ec2.RouteTableAssociation(`${z}-public`, { subnetId: publicSubnet.id, routeTableId: publicRouteTable.id }, opts),
      );
      publicSubnetIds.push(publicSubnet.id);
    }

    let egress: aws.types.input.ec2.RouteTableRoute;
    const ready: pulumi.Resource[] = [];
    if (layout.natGateways) {
      const eip = new aws.ec2.Eip(`${z}-nat`, { domain: "vpc", tags: tags(`${z}-nat`) }, { ...opts, dependsOn: [igw] });
      const nat = new aws.ec2.NatGateway(`${z}`, {
        allocationId: eip.id,
        subnetId: publicSubnet!.id,
        connectivityType: "public",
        tags: tags(`${z}-nat`),
      }, { ...opts, dependsOn: [igw] });
      egress = { cidrBlock: "0.0.0.0/0", natGatewayId: nat.id };
      natPublicIps[zone.zone] = eip.publicIp;
      ready.push(nat);
    } else {
      egress = { cidrBlock: "0.0.0.0/0", gatewayId: igw.id };
    }
    const routeTable = new aws.ec2.RouteTable(`${z}-private`, {
      vpcId: vpc.id,
      routes: [egress],
      tags: tags(`${z}-private`),
    }, opts);
    const association = new aws.ec2.RouteTableAssociation(`${z}-private`, {
      subnetId: privateSubnet.id,
      routeTableId: routeTable.id,
    }, opts);
    ready.push(routeTable, association);
    egressReady[zone.zone] = ready;
  }

  const publicLoadBalancer = layout.loadBalancerSubnets === "public";
  return {
    vpcId: vpc.id,
    masterSubnetIds,
    egressReady,
    loadBalancerSubnetIds: publicLoadBalancer ? publicSubnetIds : layout.zones.map((z) => masterSubnetIds[z.zone]!),
    loadBalancerReady: publicLoadBalancer ? [igw, ...publicAssociations] : [],
    natPublicIps,
  };
}
