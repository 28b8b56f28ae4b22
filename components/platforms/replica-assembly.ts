import * as pulumi from "@pulumi/pulumi";
import { attachJoinWait } from "../membership/join-wait";
import { type TeardownPhase, teardownDependsOn } from "../plan/teardown-order";
import type { ControlPlanePlan, ReplicaPlan } from "../plan/types";
import type { ClusterPki } from "../pki/cluster-pki";

/**
 * The per-replica sequence every platform builds, in one place: key
 * material → machine → removal steps → load-balancer membership → join
 * wait. A platform's control plane builds its cluster-wide resources
 * (network, firewall, load balancer, identity, PKI) and hands this assembly
 * the parts that differ (ReplicaParts); the order, and the teardown order
 * the parts are deleted in (plan/teardown-order.ts), are decided here only.
 */

/** One replica as a control plane's `replicas` output describes it, on every platform. */
export interface ReplicaOutput {
  name: string;
  zone: string;
  address: string;
  /** The platform's id of the machine (GCP: the instance's numeric id; AWS: the EC2 instance id). */
  machineId: string;
}

/** What a platform's machine part made: what teardown deletes last, and the machine's id. */
export interface ReplicaMachine {
  /** Deleted in the "machine" phase, after the replica left the load balancer and etcd. */
  teardown: pulumi.Resource[];
  /** The platform's id of the machine, for the replica output. */
  machineId: pulumi.Output<string>;
}

/** The parts of one replica that differ per platform; the assembly calls them in order. */
export interface ReplicaParts<M extends ReplicaMachine> {
  /** Stores the replica's key material (files: path under the PKI directory → PEM, secret); returns what the machine must boot after. */
  keyMaterial(replica: ReplicaPlan, files: pulumi.Output<Record<string, string>>): pulumi.Resource[];
  /** Creates the machine, booting after `bootAfter` (its key material among them). */
  machine(replica: ReplicaPlan, bootAfter: pulumi.Resource[]): M;
  /**
   * The replica's removal steps (etcd member, then Node), deleted before the
   * machine: a resource created with `opts` is. Returns what it created (none: no removal step).
   */
  removal(replica: ReplicaPlan, machine: M, opts: pulumi.CustomResourceOptions): pulumi.Resource[];
  /** Puts a master behind the load balancer; the membership is deleted before `dependsOn` (the removal steps). */
  loadBalancerMember(replica: ReplicaPlan, machine: M, dependsOn: pulumi.Resource[]): pulumi.Resource;
}

export interface AssemblyArgs<M extends ReplicaMachine> {
  /** The component's name: every per-replica resource is named `<name>-<replica>…`. */
  name: string;
  plan: ControlPlanePlan;
  pki: ClusterPki;
  parts: ReplicaParts<M>;
  /** Make `pulumi up` wait until each new master has joined (membership/join-wait.ts). */
  joinWait: boolean;
  /** The options of the removal steps besides their teardown dependencies (parent, provider, …). */
  removalOpts: pulumi.CustomResourceOptions;
}

/**
 * Builds every replica of the plan (masters, then the etcd machines of the
 * external topology) under `scope` and returns the masters as outputs.
 * Teardown order: the load-balancer membership goes first (the master is out
 * of the load balancer before its member is removed and its apiserver
 * fails), then the removal steps, then the machine.
 */
export function assembleReplicas<M extends ReplicaMachine>(scope: pulumi.ComponentResource, args: AssemblyArgs<M>): pulumi.Output<ReplicaOutput[]> {
  const { name, plan, pki, parts } = args;
  const masters: pulumi.Output<ReplicaOutput>[] = [];
  for (const replica of [...plan.masters, ...plan.etcdNodes]) {
    const files = pki.replicaFiles[replica.name];
    if (!files) throw new Error(`ClusterPki made no key material for ${replica.name}`);
    const machine = parts.machine(replica, parts.keyMaterial(replica, files));
    const teardown: Partial<Record<TeardownPhase, pulumi.Resource[]>> = { machine: machine.teardown };
    teardown["etcd-member"] = parts.removal(replica, machine, { ...args.removalOpts, dependsOn: teardownDependsOn("etcd-member", teardown) });
    if (replica.role !== "master") continue;
    const member = parts.loadBalancerMember(replica, machine, teardownDependsOn("load-balancer", teardown));
    if (args.joinWait) {
      attachJoinWait(scope, { plan, replica, adminKubeconfig: pki.adminKubeconfig, resourceName: `${name}-${replica.name}`, dependsOn: [member] });
    }
    masters.push(machine.machineId.apply((machineId) => ({ name: replica.name, zone: replica.zone, address: replica.address, machineId })));
  }
  return pulumi.all(masters);
}
