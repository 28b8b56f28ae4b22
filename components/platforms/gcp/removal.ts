import type * as gcp from "@pulumi/gcp";
import { type MemberRemovalContext, type MemberRemovalHook, chosenRemovalHook, removalCommandHook } from "../member-removal-hook";
import { REMOVAL_ENV } from "../../membership/removal-scripts";
import type { RemovalTransport } from "../../membership/removal-transport";
import { fillPlaceholders } from "../../shell/placeholders";
import { shellFile } from "../../shell/shell-file";

/** The delete script's environment variable naming the instance's project. */
export const GCP_PROJECT_ENV = "KUBE_HA_GCP_PROJECT";

const TRANSPORT_SHELL = "platforms/gcp/removal-transport.sh";

/**
 * How the removal command reaches a survivor on GCP (removal-transport.sh):
 * it lists the running instances carrying the selector's labels with
 * `gcloud compute instances list`, and runs the membership script on one
 * after another with `gcloud compute ssh --tunnel-through-iap`. Any failure
 * there but a refusal (gcloud's own 1: IAM or OS Login denied; ssh's 255;
 * 127: the survivor is still booting; 3: its etcd is unavailable) moves on to
 * the next survivor.
 */
export const gcpRemovalTransport: RemovalTransport<gcp.compute.Instance> = {
  platform: "gcp",
  tool: "gcloud",
  removeMemberFunction: (member) =>
    fillPlaceholders(
      shellFile(TRANSPORT_SHELL),
      {
        PEER_URL: member.peerUrl,
        FILTER: [...Object.entries(member.selector).map(([k, v]) => `labels.${k}=${v}`), "status=RUNNING"].join(" AND "),
        MEMBERSHIP_SCRIPT: member.membershipScript,
      },
      TRANSPORT_SHELL,
    ),
  environment: (instance) => ({ [GCP_PROJECT_ENV]: instance.project, [REMOVAL_ENV.instance]: instance.name }),
};

/** GcpControlPlane's removal hook (../member-removal-hook.ts): given the replica's instance. */
export type GcpEtcdMemberRemovalContext = MemberRemovalContext<gcp.compute.Instance>;
export type GcpEtcdMemberRemovalHook = MemberRemovalHook<GcpEtcdMemberRemovalContext>;

/**
 * The default hook: kube-ha's removal command over IAP ssh. The component
 * allows it: OS Login metadata on every instance, port 22 from IAP's range
 * only (plan port `ssh-from-iap`).
 */
export const gcpMemberRemovalCommand: GcpEtcdMemberRemovalHook = removalCommandHook(gcpRemovalTransport);

/** The component argument → the hook to call (undefined: none). */
export function gcpMemberRemovalHook(arg: GcpEtcdMemberRemovalHook | false | undefined): GcpEtcdMemberRemovalHook | undefined {
  return chosenRemovalHook(arg, gcpMemberRemovalCommand);
}
