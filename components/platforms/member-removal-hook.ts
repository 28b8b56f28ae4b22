import type * as pulumi from "@pulumi/pulumi";
import { attachMemberRemoval } from "../membership/etcd-member-removal";
import type { RemovalTransport } from "../membership/removal-transport";
import type { ControlPlanePlan, ReplicaPlan } from "../plan/types";

/**
 * Where a control plane attaches etcd member removal, on every platform
 * (docs/contracts.md, "Removal"). A machine's etcd member is removed before
 * the machine is deleted, by a resource whose delete runs
 * `kube-ha-etcd remove NAME` on a surviving member found by discovery (and
 * then deletes the machine's Node, for a master).
 *
 * The per-replica assembly (replica-assembly.ts) calls the hook once per
 * machine, right after it exists, with options whose `dependsOn` holds the
 * machine's resources: a resource created with them is deleted before the
 * machine. The hook returns what it created (or nothing); the master's
 * load-balancer membership depends on it, so the master leaves the load
 * balancer before the removal runs (its apiserver, which talks only to its
 * local member, fails once the member is gone).
 *
 * By default the hook is kube-ha's own removal command over the platform's
 * removal transport; the component argument `etcdMemberRemoval: false`
 * turns it off (members are then removed by hand with `kube-ha-etcd
 * remove`), and a function of your own replaces it.
 */
export type MemberRemovalHook<Context> = (context: Context) => pulumi.Resource[] | void;

/** What a removal hook is given. `Instance` is the platform's machine resource. */
export interface MemberRemovalContext<Instance extends pulumi.Resource> {
  /** Prefix for the hook's resource names: `<component>-<replica>`. */
  resourceName: string;
  plan: ControlPlanePlan;
  replica: ReplicaPlan;
  instance: Instance;
  /** The cluster-admin kubeconfig from the component's ClusterPki (a secret). */
  adminKubeconfig: pulumi.Output<string>;
  /** Options to create the removal resources with (parent, provider, dependsOn the machine's resources). */
  opts: pulumi.CustomResourceOptions;
}

/**
 * kube-ha's removal command (components/membership/etcd-member-removal.ts)
 * as a hook: under the component, over `transport`, and before the context's
 * `alsoBefore` resources as well as the instance. The cloud provider in
 * `opts` is not passed on: the command is not a cloud resource.
 */
export function removalCommandHook<Instance extends pulumi.Resource, Context extends MemberRemovalContext<Instance>>(
  transport: RemovalTransport<Instance>,
  alsoBefore: (context: Context) => pulumi.Resource[] = () => [],
): MemberRemovalHook<Context> {
  return (c) => {
    const scope = c.opts.parent;
    if (!scope) throw new Error(`the removal command of ${c.replica.name} needs the control plane as its parent`);
    const more = alsoBefore(c);
    return [
      attachMemberRemoval(scope, {
        transport,
        plan: c.plan,
        replica: c.replica,
        instance: c.instance,
        adminKubeconfig: c.adminKubeconfig,
        resourceName: c.resourceName,
        ...(more.length > 0 ? { dependsOn: more } : {}),
      }),
    ];
  };
}

/** The component argument → the hook to call: `false` none, a function itself, undefined the default. */
export function chosenRemovalHook<Context>(arg: MemberRemovalHook<Context> | false | undefined, byDefault: MemberRemovalHook<Context>): MemberRemovalHook<Context> | undefined {
  if (arg === false) return undefined;
  return arg ?? byDefault;
}
