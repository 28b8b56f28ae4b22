import * as pulumi from "@pulumi/pulumi";
import { ClusterPki } from "../../pki/cluster-pki";
import type { ClusterPkiOutputs } from "../../pki/types";
import type { ControlPlanePlan, ReplicaPlan } from "../../plan/types";
import { type ReplicaMachine, type ReplicaOutput, type ReplicaParts, assembleReplicas } from "../replica-assembly";
import { machineName } from "../../render/replica-identity";
import { mastersImage } from "./image";
import { type AwsControlPlaneArgs, type AwsControlPlanePlannedArgs, planAwsControlPlane } from "./args";
import { awsUserData } from "./boot";
import { awsMemberRemovalHook } from "./removal";
import { createMasterIdentity } from "./identity";
import { attachReplica, createApiLoadBalancer } from "./load-balancer";
import { createNetwork } from "./network";
import { ambientAwsRegionProblems, reportProviderRegion, usesAmbientProvider } from "./provider-region";
import { internalNlbAddresses } from "./network-layout";
import { type AwsReplica, createReplica } from "./machine";
import { createReplicaSecret } from "./secrets";
import { createSecurityGroups } from "./firewall";
import { clusterTags, replicaTags } from "./tags";
import { SpecError } from "../../spec/errors";

export type { AwsControlPlaneArgs, AwsControlPlanePlannedArgs } from "./args";

/**
 * An HA Kubernetes control plane on AWS (`kube-ha:index:AwsControlPlane`):
 * masters spread over availability zones, each with a fixed private address,
 * its own etcd volume and its key material in Secrets Manager, behind a
 * Network Load Balancer on 6443. Thin over the plan: every decision is made
 * by planControlPlane and the pure helpers next to this file, and the
 * per-replica sequence is the platforms' shared one (../replica-assembly.ts).
 *
 * The args are parsed and planned before anything is registered, so bad
 * input throws SpecError and leaves no resource behind.
 */
export class AwsControlPlane extends pulumi.ComponentResource {
  /** `https://<apiServerDnsName or NLB DNS name>:6443`. */
  readonly endpoint: pulumi.Output<string>;
  /** The NLB's DNS name. */
  readonly loadBalancerAddress: pulumi.Output<string>;
  readonly replicas: pulumi.Output<ReplicaOutput[]>;
  /** Secret. */
  readonly adminKubeconfig: pulumi.Output<string>;
  readonly vpcId: pulumi.Output<string>;
  /** The cluster's CAs and per-replica key material (secret maps). */
  readonly pki: ClusterPkiOutputs;
  /** Every HA decision, as plain data (the preview's report reads it). */
  readonly plan: ControlPlanePlan;

  constructor(name: string, args: AwsControlPlaneArgs | AwsControlPlanePlannedArgs, opts?: pulumi.ComponentResourceOptions) {
    const { plan, layout } = planAwsControlPlane(name, args);
    // The AWS provider builds in its own region: refuse one that is not kube-ha's (provider-region.ts).
    const regionProblems = usesAmbientProvider(args.provider, opts) ? ambientAwsRegionProblems(plan.spec.region, "region") : [];
    if (regionProblems.length > 0) throw new SpecError(regionProblems);
    super("kube-ha:index:AwsControlPlane", name, {}, opts);
    this.plan = plan;
    const child: pulumi.CustomResourceOptions = { parent: this, ...(args.provider ? { provider: args.provider } : {}) };
    reportProviderRegion(args.provider ?? this.getProvider("aws:ec2/vpc:Vpc"), plan.spec.region, this);
    const { spec } = plan;
    const tags = (resourceName: string) => clusterTags(plan.clusterName, spec.labels, resourceName);

    const network = createNetwork(name, layout, tags, child);
    const groups = createSecurityGroups(name, plan, layout, network, tags, child);
    const removal = awsMemberRemovalHook(args.etcdMemberRemoval);
    const identity = createMasterIdentity(name, plan.clusterName, spec.region, tags, child, { ssm: removal !== undefined });
    const api = createApiLoadBalancer(name, plan, {
      vpcId: network.vpcId,
      subnetIds: network.loadBalancerSubnetIds,
      privateAddresses: internalNlbAddresses(layout, plan.loadBalancer.scheme),
      securityGroupId: groups.loadBalancer.id,
      after: network.loadBalancerReady,
    }, tags, child);

    this.loadBalancerAddress = api.loadBalancer.dnsName;
    const endpointAddress = plan.loadBalancer.dnsName ? pulumi.output(plan.loadBalancer.dnsName) : api.loadBalancer.dnsName;
    this.endpoint = pulumi.interpolate`https://${endpointAddress}:${plan.loadBalancer.port}`;

    const pki = new ClusterPki(`${name}-pki`, { plan, endpointAddress }, { parent: this });
    this.pki = pki;
    const image = mastersImage(spec.machines.image, spec.machines.masterType, child);

    type Machine = ReplicaMachine & AwsReplica;
    const rtags = (replica: ReplicaPlan) => (nameTag: string) => replicaTags(plan.clusterName, spec.labels, replica, nameTag);
    const parts: ReplicaParts<Machine> = {
      keyMaterial: (replica, files) => {
        const secret = createReplicaSecret(name, plan.clusterName, replica.name, files, rtags(replica)(`${machineName(plan.clusterName, replica.name)}-pki`), child);
        return [secret.version];
      },
      machine: (replica, keyMaterial) => {
        const created = createReplica(name, {
          plan,
          replica,
          image,
          subnetId: network.masterSubnetIds[replica.zone]!,
          securityGroupId: groups.masters.id,
          instanceProfileName: identity.instanceProfile.name,
          userData: (etcdVolumeId) => awsUserData({ plan, replica, etcdVolumeId, endpointAddress }),
          tags: rtags(replica),
          machineName: machineName(plan.clusterName, replica.name),
          // The SSM agent registers at boot: give it its policy first (else it retries with back-off).
          bootAfter: [...(network.egressReady[replica.zone] ?? []), identity.policy, ...(identity.ssmCore ? [identity.ssmCore] : []), ...keyMaterial],
        }, child);
        groups.admitReplica(replica.name, created.instance, child);
        // Teardown deletes the etcd volume attachment (detaching it stops the instance) with the instance, last.
        return { ...created, teardown: [created.instance, created.etcdAttachment], machineId: created.instance.id };
      },
      removal: (replica, machine, removalOpts) =>
        removal?.({
          resourceName: `${name}-${replica.name}`,
          plan,
          replica,
          instance: machine.instance,
          etcdAttachment: machine.etcdAttachment,
          adminKubeconfig: pki.adminKubeconfig,
          opts: removalOpts,
        }) ?? [],
      // Out of the NLB first: its apiserver fails once its member is gone.
      loadBalancerMember: (replica, _machine, dependsOn) =>
        attachReplica(name, replica, api.targetGroup, plan.loadBalancer.port, { ...child, dependsOn }),
    };
    this.replicas = assembleReplicas(this, { name, plan, pki, parts, joinWait: args.joinWait ?? true, removalOpts: child });
    this.adminKubeconfig = pulumi.secret(pki.adminKubeconfig);
    this.vpcId = network.vpcId;
    this.registerOutputs({
      endpoint: this.endpoint,
      loadBalancerAddress: this.loadBalancerAddress,
      replicas: this.replicas,
      adminKubeconfig: this.adminKubeconfig,
      vpcId: this.vpcId,
    });
  }
}
