import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan } from "../../plan/types";
import { nthAddress, parseCidr } from "../../spec/cidr";
import { gcpName } from "./naming";

/**
 * The endpoint: a reserved address (external regional, or internal in the
 * masters' subnet), a regional HTTPS health check `GET /readyz` on 6443 with
 * the plan's interval/timeout/thresholds, one unmanaged instance group per
 * zone, a regional TCP backend service over all groups and a forwarding rule
 * on 6443. Masters join their zone's group through a membership resource of
 * their own (attachToGroup), so adding a replica only adds.
 */
export interface LoadBalancer {
  address: pulumi.Output<string>;
  groups: Record<string, gcp.compute.InstanceGroup>;
  healthCheck: gcp.compute.RegionHealthCheck;
  backendService: gcp.compute.RegionBackendService;
  forwardingRule: gcp.compute.ForwardingRule;
}

/** The internal LB address of a new network: host 5 of the network, below every planned machine (hosts ≥ 10 of each zone block). */
export function internalLbAddress(plan: ControlPlanePlan): string | undefined {
  if (plan.network.existing) return undefined;
  return nthAddress(parseCidr(plan.network.cidr)!, 5);
}

export function createLoadBalancer(
  name: string,
  plan: ControlPlanePlan,
  net: { network: pulumi.Input<string>; subnetwork: pulumi.Input<string> },
  opts: pulumi.CustomResourceOptions,
): LoadBalancer {
  const cluster = plan.clusterName;
  const region = plan.spec.region;
  const lb = plan.loadBalancer;
  const internal = lb.scheme === "internal";
  const scheme = internal ? "INTERNAL" : "EXTERNAL";
  const pinnedInternal = internal ? internalLbAddress(plan) : undefined;

  const address = new gcp.compute.Address(
    `${name}-api-address`,
    internal
      ? {
          name: gcpName(cluster, "api"),
          addressType: "INTERNAL",
          subnetwork: net.subnetwork,
          region,
          ...(pinnedInternal ? { address: pinnedInternal } : {}),
        }
      : { name: gcpName(cluster, "api"), addressType: "EXTERNAL", networkTier: "PREMIUM", region },
    opts,
  );

  const healthCheck = new gcp.compute.RegionHealthCheck(
    `${name}-api-health`,
    {
      name: gcpName(cluster, "api-readyz"),
      region,
      checkIntervalSec: lb.healthCheck.intervalSeconds,
      timeoutSec: lb.healthCheck.timeoutSeconds,
      healthyThreshold: lb.healthCheck.healthyThreshold,
      unhealthyThreshold: lb.healthCheck.unhealthyThreshold,
      httpsHealthCheck: { port: lb.healthCheck.port, requestPath: lb.healthCheck.path },
    },
    opts,
  );

  const groups: Record<string, gcp.compute.InstanceGroup> = {};
  for (const zone of plan.zones) {
    groups[zone] = new gcp.compute.InstanceGroup(
      `${name}-masters-${zone}`,
      {
        name: gcpName(cluster, "masters", zone),
        zone,
        network: net.network,
        namedPorts: [{ name: "apiserver", port: lb.port }],
      },
      opts,
    );
  }

  const backendService = new gcp.compute.RegionBackendService(
    `${name}-api-backend`,
    {
      name: gcpName(cluster, "api"),
      region,
      protocol: "TCP",
      loadBalancingScheme: scheme,
      healthChecks: healthCheck.id,
      connectionDrainingTimeoutSec: 10,
      backends: plan.zones.map((zone) => ({ group: groups[zone]!.id, balancingMode: "CONNECTION" })),
      ...(internal ? { network: net.network } : {}),
    },
    opts,
  );

  const forwardingRule = new gcp.compute.ForwardingRule(
    `${name}-api-forwarding`,
    {
      name: gcpName(cluster, "api"),
      region,
      ipAddress: address.address,
      ipProtocol: "TCP",
      loadBalancingScheme: scheme,
      backendService: backendService.id,
      ...(internal
        ? { ports: [String(lb.port)], network: net.network, subnetwork: net.subnetwork }
        : { portRange: String(lb.port), networkTier: "PREMIUM" }),
    },
    opts,
  );

  return { address: address.address, groups, healthCheck, backendService, forwardingRule };
}

/**
 * A master's membership of its zone's instance group: the LB attachment, a
 * resource of its own.
 *
 * - `replaceWith: [instance]`: its inputs (group, zone, the instance's self
 *   link) do not change when the instance is replaced, so without it Pulumi
 *   would not re-add the new instance, which would silently drop out of the
 *   load balancer. `replaceWith` (engine-side) says exactly "replace me when
 *   it is replaced"; @pulumi/pulumi refuses it loudly on a CLI too old to
 *   honour it, where `replacementTrigger` would not. No input of
 *   InstanceGroupMembership can carry the instance's numeric id instead.
 * - `after`: the replica's removal resources. Depending on them, the
 *   membership is deleted — the master leaves the LB — before their delete
 *   removes its etcd member (after which its apiserver fails).
 */
export function attachToGroup(
  resourceName: string,
  group: gcp.compute.InstanceGroup,
  zone: string,
  instance: gcp.compute.Instance,
  after: pulumi.Resource[],
  opts: pulumi.CustomResourceOptions,
): gcp.compute.InstanceGroupMembership {
  return new gcp.compute.InstanceGroupMembership(
    resourceName,
    { instanceGroup: group.name, zone, instance: instance.selfLink },
    { ...opts, dependsOn: [...dependencyList(opts.dependsOn), instance, ...after], replaceWith: [instance] },
  );
}

function dependencyList(dependsOn: pulumi.CustomResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
  if (dependsOn === undefined) return [];
  return Array.isArray(dependsOn) ? dependsOn : [dependsOn as pulumi.Input<pulumi.Resource>];
}
