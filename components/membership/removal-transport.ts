import type * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan } from "../plan/types";
import type { Cloud } from "../spec/schema";

/**
 * How a replica's removal command (etcd-member-removal.ts) reaches a
 * surviving member from the machine running `pulumi up`: the part of the
 * removal that differs per platform. Each platform has one
 * (components/platforms/<name>/removal.ts, its shell beside it in
 * removal-transport.sh) and passes it when it attaches the command.
 */
export interface RemovalTransport<Instance extends pulumi.Resource = pulumi.Resource> {
  /** The platform, named in the scripts' header comment. */
  readonly platform: Cloud;
  /** The command-line tool the delete script runs here (the create script warns when it is missing). */
  readonly tool: string;
  /**
   * The bash function `remove_member` of the delete script, ending in a
   * newline. At delete time it lists the running survivors (`selector`,
   * leaving out the replica's own instance), runs
   * `<membershipScript> remove <replica> --peer-url <peerUrl>` on one after
   * another and returns 0 once one did it; it returns 1 as soon as one
   * refuses (exit 2: unsafe, e.g. quorum), and when none could be reached.
   * With no survivor at all it sets `no_members=true` and returns 0. It may
   * use `$replica` and `log` of the script, and the variables `environment`
   * sets.
   */
  removeMemberFunction(member: MemberToRemove): string;
  /**
   * The environment variables the function reads, from the replica's
   * instance (known only from cloud resources): the instance itself (it is
   * never a survivor; REMOVAL_ENV.instance) and where to look for the others.
   */
  environment(instance: Instance, plan: ControlPlanePlan): Record<string, pulumi.Input<string>>;
}

/** What `remove_member` is rendered for; every value is checked safe to embed (removal-scripts.ts). */
export interface MemberToRemove {
  replica: string;
  /** The member's planned peer URL (it finds a member a crashed join added, which has no name yet). */
  peerUrl: string;
  /** Labels (GCP) or tags (AWS) every running survivor of the same role carries. */
  selector: Record<string, string>;
  /** Where the membership script is installed on every member. */
  membershipScript: string;
}
