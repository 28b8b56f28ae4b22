import type * as aws from "@pulumi/aws";
import { type MemberRemovalContext, type MemberRemovalHook, chosenRemovalHook, removalCommandHook } from "../member-removal-hook";
import { REMOVAL_ENV } from "../../membership/removal-scripts";
import type { RemovalTransport } from "../../membership/removal-transport";
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
 * AwsControlPlane's removal hook (../member-removal-hook.ts): given the
 * replica's instance and its etcd volume attachment, whose delete (detaching
 * the volume stops the instance) must wait for the removal too.
 */
export type EtcdMemberRemovalContext = MemberRemovalContext<aws.ec2.Instance> & {
  /** The replica's etcd volume attachment: detaching it stops the instance, so removal goes first. */
  etcdAttachment: aws.ec2.VolumeAttachment;
};
export type EtcdMemberRemovalHook = MemberRemovalHook<EtcdMemberRemovalContext>;

/**
 * The default hook: kube-ha's removal command over SSM Run Command
 * (AWS-RunShellScript), before the instance and its etcd volume attachment.
 * The masters' role gets AmazonSSMManagedInstanceCore for it; with
 * `etcdMemberRemoval: false` neither the command nor the policy exists.
 */
export const awsMemberRemovalCommand: EtcdMemberRemovalHook = removalCommandHook<aws.ec2.Instance, EtcdMemberRemovalContext>(awsRemovalTransport, (c) => [c.etcdAttachment]);

/** The component argument → the hook to call (undefined: none). */
export function awsMemberRemovalHook(arg: EtcdMemberRemovalHook | false | undefined): EtcdMemberRemovalHook | undefined {
  return chosenRemovalHook(arg, awsMemberRemovalCommand);
}
