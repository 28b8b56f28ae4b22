import { PATHS } from "../render/paths";
import { fillPlaceholders } from "../shell/placeholders";
import { shellFile } from "../shell/shell-file";
import type { RemovalTransport } from "./removal-transport";

/**
 * The scripts of a replica's removal command (components/membership/
 * etcd-member-removal.ts), rendered purely from the plan. They run on the
 * machine that runs `pulumi up`, not on a master:
 *
 * - `create` only says what will happen and warns early about missing tools;
 *   it is idempotent and harmless, because Pulumi re-runs it on any input change.
 * - `delete` runs when the replica leaves the config, before its instance is
 *   deleted and after its load-balancer attachment is (the attachment depends
 *   on the command): it finds a surviving member by cloud discovery *at
 *   delete time* (the stored script must not name a host that may be gone),
 *   runs the membership script's `remove <name> --peer-url <planned peer URL>`
 *   there (idempotent: a member already gone is success; the peer URL also
 *   finds a member a crashed join added, which has no name yet), then deletes
 *   the Node object through the apiserver, retrying a bounded number of times.
 *
 * Why the Node goes after the member, not before: a refused removal (quorum)
 * then changes nothing at all, and once the member is gone the leaving
 * master's apiserver (which talks only to its local member) is down, so its
 * kubelet cannot re-register the Node. The replica is already out of the
 * load balancer, so kubectl reaches a surviving apiserver; the retry covers
 * connections the LB still drains to the leaving one.
 *
 * Values known only from cloud resources (project, region, the victim's
 * instance) and the admin kubeconfig (secret) reach the script as
 * environment variables of the command; what the operator decides at removal
 * time comes from the environment of the `pulumi up` process.
 *
 * The scripts are the .sh files beside this module (removal-create.sh, and
 * removal-delete.sh with its parts), and the platform's `remove_member`
 * (its RemovalTransport); what varies per replica fills their @@NAME@@
 * placeholders (components/shell/placeholders.ts). On failure, the delete
 * script's Node deletion tries 12 times, 5 s apart (about a minute); the
 * membership script's exit 2 ("refused as unsafe", e.g.
 * quorum) is the only answer of a survivor that stops the removal — any
 * other failure there (the transport's own, the script not installed yet
 * while the survivor boots, etcd unavailable from there) is worth trying the
 * next survivor for: `remove` is idempotent and re-checks quorum wherever it
 * runs.
 */

export interface RemovalScriptInput {
  /** How the delete script reaches a survivor: the platform's. */
  transport: RemovalTransport;
  /** The replica (and etcd member) leaving. */
  replica: string;
  /** Remove the etcd member (stacked masters and external etcd VMs). */
  etcdMember: boolean;
  /**
   * The member's peer URL from the plan (required when `etcdMember`): passed
   * to `remove` as `--peer-url`, so a member added by a join that crashed
   * before etcd started (it has no name yet) is found and removed too.
   */
  peerUrl?: string;
  /** Node object to delete; undefined for machines that are not Kubernetes nodes (external etcd VMs). */
  nodeName?: string;
  /** Labels (GCP) or tags (AWS) every running survivor of the same role carries. */
  selector: Record<string, string>;
}

/** Environment variables the delete script reads (besides its transport's own). */
export const REMOVAL_ENV = {
  /** The replica leaving's instance (GCP instance name, AWS instance id): never a survivor. */
  instance: "KUBE_HA_INSTANCE",
  /** Secret: the admin kubeconfig, written to a private temporary file only while kubectl runs. */
  adminKubeconfig: "KUBE_HA_ADMIN_KUBECONFIG",
  /** Set by `kube-ha remove-replica --keep-nodes` (or KUBE_DELETE_NODES=false) on the `pulumi up` process. */
  keepNodes: "KUBE_HA_KEEP_NODES",
  /** Set by hand for `pulumi destroy` of a whole cluster: skip member removal and Node deletion. */
  skip: "KUBE_HA_SKIP_MEMBER_REMOVAL",
} as const;

/** The scripts' shell files, relative to components/. */
export const REMOVAL_SHELL = {
  create: "membership/removal-create.sh",
  /** The delete script's frame: header, parts below, skip check, Node deletion last. */
  delete: "membership/removal-delete.sh",
  /** The Node deletion (`delete_node`) of a replica that is a Kubernetes node… */
  deleteNode: "membership/removal-delete-node.sh",
  /** …and of one that is not (an external etcd VM). */
  noNode: "membership/removal-no-node.sh",
  /** The admin kubeconfig to a private temporary file, removed on exit (only with a Node to delete). */
  kubeconfigFile: "membership/removal-kubeconfig.sh",
  /** Runs `remove_member` and decides from its outcome (only for an etcd member). */
  memberStep: "membership/removal-member-step.sh",
} as const;

const SAFE = /^[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;
/** https://IPv4-or-host:port, nothing a shell or JSON string would treat specially. */
const SAFE_URL = /^https:\/\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?:[0-9]{1,5}$/;

function checkSafe(what: string, value: string): string {
  if (!SAFE.test(value)) throw new Error(`${what} ${JSON.stringify(value)} is not safe to embed in a removal script: use lowercase letters, digits, - and _`);
  return value;
}

function checkInput(input: RemovalScriptInput): void {
  checkSafe("replica name", input.replica);
  if (input.nodeName !== undefined) checkSafe("node name", input.nodeName);
  if (input.etcdMember) {
    if (input.peerUrl === undefined) throw new Error(`replica ${input.replica} runs an etcd member: its removal needs the member's peer URL (from the plan)`);
    if (!SAFE_URL.test(input.peerUrl)) throw new Error(`peer URL ${JSON.stringify(input.peerUrl)} is not safe to embed in a removal script: expected https://ADDRESS:PORT`);
  }
  const entries = Object.entries(input.selector);
  if (entries.length === 0) throw new Error("the survivor selector is empty: it must name the cluster and role");
  for (const [k, v] of entries) {
    checkSafe("selector key", k);
    checkSafe("selector value", v);
  }
}

function fill(path: string, values: Record<string, string>): string {
  return fillPlaceholders(shellFile(path), values, path);
}

/** The `create` script: a no-op that warns early about tools the removal will need. */
export function renderRemovalCreateScript(input: RemovalScriptInput): string {
  checkInput(input);
  const tools = [input.transport.tool, ...(input.nodeName !== undefined ? ["kubectl"] : [])];
  return fill(REMOVAL_SHELL.create, {
    REPLICA: input.replica,
    PLATFORM: input.transport.platform,
    TOOLS: tools.join(" "),
    WHEN_REMOVED: input.etcdMember
      ? "its etcd member is removed from a surviving member before its machine is deleted"
      : "its Node is deleted before its machine",
  });
}

/**
 * The `delete` script: member removal from a survivor, then the Node object.
 * The admin kubeconfig goes to a private temporary file first thing, and the
 * environment variable holding it is unset, so no child process (the
 * transport's CLI, ssh) inherits it.
 */
export function renderRemovalDeleteScript(input: RemovalScriptInput): string {
  checkInput(input);
  const member = input.etcdMember
    ? input.transport.removeMemberFunction({
        replica: input.replica,
        peerUrl: input.peerUrl!,
        selector: input.selector,
        membershipScript: PATHS.membershipScript,
      })
    : undefined;
  return fill(REMOVAL_SHELL.delete, {
    REPLICA: input.replica,
    PLATFORM: input.transport.platform,
    // The function, then a blank line.
    REMOVE_MEMBER: member === undefined ? "" : `${member}\n`,
    DELETE_NODE: input.nodeName === undefined ? shellFile(REMOVAL_SHELL.noNode) : fill(REMOVAL_SHELL.deleteNode, { NODE: input.nodeName }),
    KUBECONFIG_FILE: input.nodeName === undefined ? "" : shellFile(REMOVAL_SHELL.kubeconfigFile),
    MEMBER_STEP: input.etcdMember ? shellFile(REMOVAL_SHELL.memberStep) : "",
  });
}
