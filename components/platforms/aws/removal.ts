import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { attachMemberRemoval } from "../../membership/etcd-member-removal";
import { REMOVAL_ENV } from "../../membership/removal-scripts";
import type { RemovalTransport } from "../../membership/removal-transport";
import type { ControlPlanePlan, ReplicaPlan } from "../../plan/types";
import { fillPlaceholders } from "../../shell/placeholders";
import { shellFile } from "../../shell/shell-file";

/** The delete script's environment variable naming the region to look for survivors in. */
export const AWS_REGION_ENV = "KUBE_HA_AWS_REGION";

const TRANSPORT_SHELL = "platforms/aws/removal-transport.sh";

/**
 * How the removal command reaches a survivor on AWS (removal-transport.sh):
 * it lists the running instances carrying the selector's tags with
 * `aws ec2 describe-instances`, and runs the membership script on one after
 * another with SSM Run Command (AWS-RunShellScript), polling for each
 * command's end a bounded time (200 polls 5 s apart: about 1000 s). A
 * refusal (exit 2) stops; a failure or a command that never ran
 * (undeliverable) moves on to the next survivor; any other end stops.
 */
export const awsRemovalTransport: RemovalTransport<aws.ec2.Instance> = {
  platform: "aws",
  tool: "aws",
  removeMemberFunction: (member) =>
    fillPlaceholders(
      shellFile(TRANSPORT_SHELL),
      {
        FILTERS: [...Object.entries(member.selector).map(([k, v]) => `Name=tag:${k},Values=${v}`), "Name=instance-state-name,Values=running"].join(" "),
        MEMBERSHIP_SCRIPT: member.membershipScript,
        REPLICA: member.replica,
        PEER_URL: member.peerUrl,
      },
      TRANSPORT_SHELL,
    ),
  environment: (instance, plan) => ({ [AWS_REGION_ENV]: plan.spec.region, [REMOVAL_ENV.instance]: instance.id }),
};

/**
 * Where AwsControlPlane attaches etcd member removal. Per the contract
 * (docs/contracts.md, "Removal"), a replica's etcd member is removed before
 * its machine is deleted, by a @pulumi/command resource per replica whose
 * `delete` runs `kube-ha-etcd remove NAME` on a surviving master found by
 * discovery (then deletes the replica's Node).
 *
 * AwsControlPlane calls this hook once per replica, right after the
 * replica's instance exists, with `{ parent, dependsOn: [instance, etcd
 * volume attachment] }`: a resource created with those options is deleted
 * before the volume is detached (which stops the instance) and before the
 * instance is terminated, which is exactly the ordering the removal needs.
 *
 * The hook returns the resources it created (or nothing): the replica's
 * target-group attachment depends on them, so Pulumi deregisters the replica
 * from the NLB before it runs their delete. (Once its member is removed, a
 * master's apiserver — which talks only to its local member — fails; it must
 * not be a target by then.)
 *
 * By default the hook is `awsMemberRemovalCommand`, kube-ha's own removal
 * command, and the masters' role gets AmazonSSMManagedInstanceCore so SSM
 * Run Command can reach them. `etcdMemberRemoval: false` turns both off
 * (members of removed replicas are then removed by hand with
 * `kube-ha-etcd remove`); a function of your own replaces the command.
 */
export type EtcdMemberRemovalHook = (context: EtcdMemberRemovalContext) => pulumi.Resource[] | void;

export interface EtcdMemberRemovalContext {
  /** Prefix for the hook's resource names (the component's name + replica name). */
  resourceName: string;
  plan: ControlPlanePlan;
  replica: ReplicaPlan;
  instance: aws.ec2.Instance;
  /** The replica's etcd volume attachment: detaching it stops the instance, so removal goes first. */
  etcdAttachment: aws.ec2.VolumeAttachment;
  /** The cluster-admin kubeconfig from the component's ClusterPki (a secret). */
  adminKubeconfig: pulumi.Output<string>;
  /** Options to create the removal resource with (parent, provider, dependsOn the instance and its etcd attachment). */
  opts: pulumi.CustomResourceOptions;
}

/**
 * The default hook: kube-ha's removal command
 * (components/membership/etcd-member-removal.ts) under the component,
 * ordered before the instance and its etcd volume attachment. It reaches a
 * survivor with `aws ssm send-command` (AWS-RunShellScript). The cloud
 * provider in `opts` is not passed on: the command is not an AWS resource.
 */
export const awsMemberRemovalCommand: EtcdMemberRemovalHook = (c) => {
  const scope = c.opts.parent;
  if (!scope) throw new Error(`the removal command of ${c.replica.name} needs the control plane as its parent`);
  return [attachMemberRemoval(scope, {
    transport: awsRemovalTransport,
    plan: c.plan,
    replica: c.replica,
    instance: c.instance,
    adminKubeconfig: c.adminKubeconfig,
    resourceName: c.resourceName,
    dependsOn: [c.etcdAttachment],
  })];
};

/** The component argument → the hook to call (undefined: none). */
export function awsMemberRemovalHook(arg: EtcdMemberRemovalHook | false | undefined): EtcdMemberRemovalHook | undefined {
  if (arg === false) return undefined;
  return arg ?? awsMemberRemovalCommand;
}
