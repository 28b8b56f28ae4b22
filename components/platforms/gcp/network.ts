import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan } from "../../plan/types";
import { gcpName } from "./naming";

/**
 * The network the masters live in: a new VPC with one regional subnet (the
 * plan's network CIDR) and Cloud NAT for egress, as masters have no external
 * address; or the existing network and subnet from the spec, used as they are.
 */
export interface MasterNetwork {
  network: pulumi.Output<string>;
  subnetwork: pulumi.Output<string>;
  /**
   * What a machine waits for before it boots: the Cloud NAT of a new network
   * (its boot downloads packages and binaries, which fail until NAT exists).
   * Empty for an existing network, whose egress is the user's.
   */
  egressReady: pulumi.Resource[];
}

export function createNetwork(name: string, plan: ControlPlanePlan, opts: pulumi.CustomResourceOptions): MasterNetwork {
  const existing = plan.spec.network.existing;
  if (existing) {
    return { network: pulumi.output(existing.network), subnetwork: pulumi.output(existing.subnets[0]!.name), egressReady: [] };
  }
  const region = plan.spec.region;
  const network = new gcp.compute.Network(
    `${name}-network`,
    { name: gcpName(plan.clusterName, "net"), autoCreateSubnetworks: false, routingMode: "REGIONAL" },
    opts,
  );
  const subnetwork = new gcp.compute.Subnetwork(
    `${name}-subnet`,
    {
      name: gcpName(plan.clusterName, "masters"),
      network: network.id,
      region,
      ipCidrRange: plan.network.cidr,
      privateIpGoogleAccess: true,
    },
    opts,
  );
  const router = new gcp.compute.Router(`${name}-router`, { name: gcpName(plan.clusterName, "router"), network: network.id, region }, opts);
  const nat = new gcp.compute.RouterNat(
    `${name}-nat`,
    {
      name: gcpName(plan.clusterName, "nat"),
      router: router.name,
      region,
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
      subnetworks: [{ name: subnetwork.id, sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
    },
    opts,
  );
  return { network: network.id, subnetwork: subnetwork.id, egressReady: [nat] };
}
