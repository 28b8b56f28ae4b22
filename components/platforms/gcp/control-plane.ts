import * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan, ReplicaPlan } from "../../plan/types";
import { ClusterPki } from "../../pki/cluster-pki";
import { SpecError } from "../../spec/errors";
import { type ReplicaMachine, type ReplicaOutput, type ReplicaParts, assembleReplicas } from "../replica-assembly";
import { type GcpControlPlaneArgs, type GcpControlPlanePlannedArgs, planGcpControlPlane } from "./args";
import { gcpStartupScript } from "./boot";
import { createFirewall } from "./firewall";
import { createMasterIdentity } from "./identity";
import { attachToGroup, createLoadBalancer } from "./load-balancer";
import { type ReplicaResources, createReplica } from "./machine";
import { createNetwork } from "./network";
import { ambientGcpLocationProblems, reportProviderLocation, usesAmbientProvider } from "./provider-region";
import { enableProjectServices } from "./project-services";
import { gcpMemberRemovalHook } from "./removal";
import { createReplicaSecret } from "./secrets";

export type { GcpControlPlaneArgs, GcpControlPlanePlannedArgs, GcpOnlyArgs } from "./args";

/**
 * A highly-available Kubernetes control plane on GCP (`kube-ha:index:GcpControlPlane`),
 * thin over the plan: the args are parsed into a ClusterSpec before anything
 * is registered (a SpecError names every problem), planned, and turned into
 * resources. Every per-replica resource is named by the replica and made
 * from that replica and cluster-wide settings only, so a stack with more
 * replicas holds the same resources, with identical inputs, plus the new ones.
 * The per-replica sequence is the platforms' shared one (../replica-assembly.ts).
 */
export class GcpControlPlane extends pulumi.ComponentResource {
  /** The plan every resource was made from (plain data). */
  readonly plan: ControlPlanePlan;
  /** `https://<LB DNS name or address>:6443`. */
  readonly endpoint: pulumi.Output<string>;
  readonly loadBalancerAddress: pulumi.Output<string>;
  readonly replicas: pulumi.Output<ReplicaOutput[]>;
  /** cluster-admin kubeconfig for the endpoint. Secret. */
  readonly adminKubeconfig: pulumi.Output<string>;

  constructor(name: string, args: GcpControlPlaneArgs | GcpControlPlanePlannedArgs, opts?: pulumi.ComponentResourceOptions) {
    const { provider, etcdMemberRemoval, etcdParts, joinWait } = args;
    // Parse and plan first (unless given a plan): bad args throw here, before anything is registered.
    const plan = planGcpControlPlane(name, args);
    // The provider's default region and zone must agree with kube-ha's region (provider-region.ts).
    const locationProblems = usesAmbientProvider(provider, opts) ? ambientGcpLocationProblems(plan.spec.region, "region") : [];
    if (locationProblems.length > 0) throw new SpecError(locationProblems);
    super("kube-ha:index:GcpControlPlane", name, {}, opts);
    this.plan = plan;
    const child: pulumi.CustomResourceOptions = { parent: this, ...(provider ? { provider } : {}) };
    reportProviderLocation(provider ?? this.getProvider("gcp:compute/network:Network"), plan.spec.region, this);

    const removal = gcpMemberRemovalHook(etcdMemberRemoval);
    // The project's APIs first: every cloud resource waits for the API it is made through.
    const services = enableProjectServices(name, plan, { memberRemoval: removal !== undefined }, child);
    const compute: pulumi.CustomResourceOptions = { ...child, dependsOn: [services.compute] };
    const identity = createMasterIdentity(name, plan, { ...child, dependsOn: [services.iam, services.resourceManager] });
    const net = createNetwork(name, plan, compute);
    createFirewall(name, plan, net.network, compute);
    const lb = createLoadBalancer(name, plan, net, compute);
    const pki = new ClusterPki(`${name}-pki`, { plan, endpointAddress: lb.address }, { parent: this });

    type Machine = ReplicaMachine & ReplicaResources;
    const parts: ReplicaParts<Machine> = {
      keyMaterial: (replica, files) => {
        const secret = createReplicaSecret(name, plan.clusterName, replica, files, identity.member, { ...child, dependsOn: [services.secretManager] });
        return [secret.version, secret.access];
      },
      machine: (replica, keyMaterial) => {
        const machine = createReplica(
          name,
          {
            plan,
            replica,
            subnetwork: net.subnetwork,
            serviceAccountEmail: identity.email,
            startupScript: gcpStartupScript(plan, replica, lb.address, etcdParts),
            // With a removal step, the machine is reached through IAP to remove its member:
            // the API is on before the machine (and so before its removal command) exists.
            // In a new network, Cloud NAT exists before the machine boots (its downloads need it).
            bootDependsOn: [...keyMaterial, ...(services.iap ? [services.iap] : []), ...net.egressReady],
          },
          compute,
        );
        return { ...machine, teardown: [machine.instance], machineId: machine.instance.instanceId };
      },
      // Every machine leaves through its removal step: an etcd member's member is removed
      // from a survivor, a master's Node is deleted (both, for a stacked master).
      removal: (replica: ReplicaPlan, machine, removalOpts) =>
        removal?.({ resourceName: `${name}-${replica.name}`, plan, replica, instance: machine.instance, adminKubeconfig: pki.adminKubeconfig, opts: removalOpts }) ?? [],
      loadBalancerMember: (replica, machine, dependsOn) =>
        attachToGroup(`${name}-${replica.name}-lb-member`, lb.groups[replica.zone]!, replica.zone, machine.instance, dependsOn, compute),
    };
    this.replicas = assembleReplicas(this, { name, plan, pki, parts, joinWait: joinWait ?? true, removalOpts: { ...child, deleteBeforeReplace: true } });

    const host = plan.loadBalancer.dnsName ? pulumi.output(plan.loadBalancer.dnsName) : lb.address;
    this.endpoint = pulumi.interpolate`https://${host}:${plan.loadBalancer.port}`;
    this.loadBalancerAddress = lb.address;
    this.adminKubeconfig = pulumi.secret(pki.adminKubeconfig);
    this.registerOutputs({
      endpoint: this.endpoint,
      loadBalancerAddress: this.loadBalancerAddress,
      replicas: this.replicas,
      adminKubeconfig: this.adminKubeconfig,
    });
  }
}
