import type * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { attachJoinWait } from "../../membership/join-wait";
import { planControlPlane } from "../../plan/control-plane-plan";
import { plannedFor } from "../../plan/planned-for";
import { type TeardownPhase, teardownDependsOn } from "../../plan/teardown-order";
import type { ControlPlanePlan, ReplicaPlan } from "../../plan/types";
import { ClusterPki } from "../../pki/cluster-pki";
import { SpecError } from "../../spec/errors";
import type { ClusterSpecInput } from "../../spec/schema";
import { parseClusterSpec } from "../../spec/validate";
import { type EtcdPartsRenderer, gcpStartupScript } from "./boot";
import { createFirewall } from "./firewall";
import { attachToGroup, createLoadBalancer } from "./load-balancer";
import { type GcpEtcdMemberRemovalHook, gcpMemberRemovalHook } from "./removal";
import { createNetwork } from "./network";
import { ambientGcpLocationProblems, reportProviderLocation, usesAmbientProvider } from "./provider-region";
import { type ProjectServices, enableProjectServices } from "./project-services";
import { createReplica } from "./machine";
import { createReplicaSecret } from "./secrets";
import { createMasterIdentity } from "./identity";

export type GcpControlPlaneArgs = Omit<ClusterSpecInput, "cloud"> & GcpOnlyArgs;

/**
 * A plan made and checked already (the ready program parses and plans the
 * stack config once, with `kube-ha:` keys in its errors), with the GCP-only
 * arguments: the component does not parse again.
 */
export type GcpControlPlanePlannedArgs = { plan: ControlPlanePlan } & GcpOnlyArgs;

export type GcpOnlyArgs = {
  /** A GCP provider for every cloud resource (project, credentials). */
  provider?: gcp.Provider;
  /**
   * The etcd member removal step of each machine (removal.ts):
   * by default kube-ha's removal command; `false` for none; or your own hook.
   */
  etcdMemberRemoval?: GcpEtcdMemberRemovalHook | false;
  /** Renders a member's etcd parts; defaults to renderEtcdBootParts. */
  etcdParts?: EtcdPartsRenderer;
  /**
   * Make `pulumi up` wait until each new master has joined (its apiserver
   * mirror pod Ready; components/membership/join-wait.ts). Default true; at
   * run time KUBE_HA_SKIP_JOIN_WAIT=true skips the wait.
   */
  joinWait?: boolean;
};

export interface ReplicaOutput {
  name: string;
  zone: string;
  address: string;
}

/**
 * A highly-available Kubernetes control plane on GCP (`kube-ha:index:GcpControlPlane`),
 * thin over the plan: the args are parsed into a ClusterSpec before anything
 * is registered (a SpecError names every problem), planned, and turned into
 * resources. Every per-replica resource is named by the replica and made
 * from that replica and cluster-wide settings only, so a stack with more
 * replicas holds the same resources, with identical inputs, plus the new ones.
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
    const plan = "plan" in args ? plannedFor("gcp", args.plan) : planControlPlane(parseGcpArgs(name, args));
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

    for (const replica of [...plan.masters, ...plan.etcdNodes]) {
      this.createMachine(name, plan, replica, { identity, net, lb, pki, child, services, removal, etcdParts, joinWait: joinWait ?? true });
    }

    const host = plan.loadBalancer.dnsName ? pulumi.output(plan.loadBalancer.dnsName) : lb.address;
    this.endpoint = pulumi.interpolate`https://${host}:${plan.loadBalancer.port}`;
    this.loadBalancerAddress = lb.address;
    this.replicas = pulumi.output(plan.masters.map((m) => ({ name: m.name, zone: m.zone, address: m.address })));
    this.adminKubeconfig = pulumi.secret(pki.adminKubeconfig);
    this.registerOutputs({
      endpoint: this.endpoint,
      loadBalancerAddress: this.loadBalancerAddress,
      replicas: this.replicas,
      adminKubeconfig: this.adminKubeconfig,
    });
  }

  private createMachine(
    name: string,
    plan: ControlPlanePlan,
    replica: ReplicaPlan,
    ctx: {
      identity: ReturnType<typeof createMasterIdentity>;
      net: ReturnType<typeof createNetwork>;
      lb: ReturnType<typeof createLoadBalancer>;
      pki: ClusterPki;
      child: pulumi.CustomResourceOptions;
      services: ProjectServices;
      removal: GcpEtcdMemberRemovalHook | undefined;
      etcdParts?: EtcdPartsRenderer;
      joinWait: boolean;
    },
  ): void {
    const files = ctx.pki.replicaFiles[replica.name];
    if (!files) throw new Error(`ClusterPki made no key material for ${replica.name}`);
    const { services } = ctx;
    const compute: pulumi.CustomResourceOptions = { ...ctx.child, dependsOn: [services.compute] };
    const secret = createReplicaSecret(name, plan.clusterName, replica, files, ctx.identity.member, {
      ...ctx.child,
      dependsOn: [services.secretManager],
    });
    const machine = createReplica(
      name,
      {
        plan,
        replica,
        subnetwork: ctx.net.subnetwork,
        serviceAccountEmail: ctx.identity.email,
        startupScript: gcpStartupScript(plan, replica, ctx.lb.address, ctx.etcdParts),
        // With a removal step, the machine is reached through IAP to remove its member:
        // the API is on before the machine (and so before its removal command) exists.
        // In a new network, Cloud NAT exists before the machine boots (its downloads need it).
        bootDependsOn: [secret.version, secret.access, ...(services.iap ? [services.iap] : []), ...ctx.net.egressReady],
      },
      compute,
    );
    // The replica's resources are deleted in teardown order (plan/teardown-order.ts):
    // load balancer membership, then the etcd member (removal steps), then the machine.
    const teardown: Partial<Record<TeardownPhase, pulumi.Resource[]>> = { machine: [machine.instance] };
    // Every machine leaves through its removal step: an etcd member's member is removed
    // from a survivor, a master's Node is deleted (both, for a stacked master).
    const removalSteps =
      ctx.removal?.({
        resourceName: `${name}-${replica.name}`,
        plan,
        replica,
        instance: machine.instance,
        adminKubeconfig: ctx.pki.adminKubeconfig,
        opts: { ...ctx.child, dependsOn: teardownDependsOn("etcd-member", teardown), deleteBeforeReplace: true },
      }) ?? [];
    teardown["etcd-member"] = removalSteps;
    if (replica.role !== "master") return;
    // The LB membership goes first on removal: the master is out of the LB before its
    // member is removed (and its apiserver fails).
    const member = attachToGroup(
      `${name}-${replica.name}-lb-member`,
      ctx.lb.groups[replica.zone]!,
      replica.zone,
      machine.instance,
      teardownDependsOn("load-balancer", teardown),
      compute,
    );
    if (ctx.joinWait) {
      attachJoinWait(this, { plan, replica, adminKubeconfig: ctx.pki.adminKubeconfig, resourceName: `${name}-${replica.name}`, dependsOn: [member] });
    }
  }
}

function parseGcpArgs(name: string, args: GcpControlPlaneArgs) {
  const { provider: _p, etcdMemberRemoval: _r, etcdParts: _e, joinWait: _j, ...specArgs } = args;
  return parseClusterSpec({ ...specArgs, cloud: "gcp" }, { stackName: name, keyPrefix: "" });
}
