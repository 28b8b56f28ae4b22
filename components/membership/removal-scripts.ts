import type { Cloud } from "../spec/schema";
import { MEMBERSHIP_EXIT } from "../render/membership-script";
import { PATHS } from "../render/paths";

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
 */

export interface RemovalScriptInput {
  cloud: Cloud;
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

/** Environment variables the delete script reads. */
export const REMOVAL_ENV = {
  gcpProject: "KUBE_HA_GCP_PROJECT",
  awsRegion: "KUBE_HA_AWS_REGION",
  /** GCP instance name or AWS instance id of the replica leaving: never a survivor. */
  instance: "KUBE_HA_INSTANCE",
  /** Secret: the admin kubeconfig, written to a private temporary file only while kubectl runs. */
  adminKubeconfig: "KUBE_HA_ADMIN_KUBECONFIG",
  /** Set by `kube-ha remove-replica --keep-nodes` (or KUBE_DELETE_NODES=false) on the `pulumi up` process. */
  keepNodes: "KUBE_HA_KEEP_NODES",
  /** Set by hand for `pulumi destroy` of a whole cluster: skip member removal and Node deletion. */
  skip: "KUBE_HA_SKIP_MEMBER_REMOVAL",
} as const;

/**
 * The membership script's "refused as unsafe" exit (e.g. quorum): the only
 * answer that stops the removal. Any other failure on one survivor — gcloud's
 * own (1: IAM or OS Login denied), ssh's (255), the script not installed yet
 * (127: the survivor is still booting), etcd unavailable from there (3) — is
 * worth trying the next survivor for: `remove` is idempotent and re-checks
 * quorum wherever it runs.
 */
const MEMBERSHIP_REFUSED = MEMBERSHIP_EXIT.refused;

/** Attempts at deleting the Node, and seconds between them (bounded: about a minute). */
export const NODE_DELETE_ATTEMPTS = 12;
export const NODE_DELETE_RETRY_SECONDS = 5;

/** Seconds the AWS script waits for one SSM command (bounded poll). */
export const SSM_WAIT_SECONDS = 1000;
const SSM_POLL_SECONDS = 5;

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

function header(input: RemovalScriptInput, what: string): string[] {
  return [
    "#!/usr/bin/env bash",
    `# kube-ha: ${what} for replica ${input.replica} (${input.cloud}).`,
    "# Run by a @pulumi/command local.Command on the machine running `pulumi up`;",
    "# Pulumi runs the delete with the script and environment stored in its state.",
    "set -euo pipefail",
    "",
    `replica=${input.replica}`,
    "log() { printf 'kube-ha: %s\\n' \"$*\" >&2; }",
    "",
  ];
}

/** The `create` script: a no-op that warns early about tools the removal will need. */
export function renderRemovalCreateScript(input: RemovalScriptInput): string {
  checkInput(input);
  const tools = [input.cloud === "gcp" ? "gcloud" : "aws", ...(input.nodeName !== undefined ? ["kubectl"] : [])];
  return [
    ...header(input, "removal guard (create: checks only)"),
    `for tool in ${tools.join(" ")}; do`,
    '  if ! command -v "$tool" >/dev/null 2>&1; then',
    '    log "warning: $tool is not installed here; removing replica $replica later (kube-ha remove-replica) runs it from this machine"',
    "  fi",
    "done",
    `log "when $replica leaves the config, ${input.etcdMember ? "its etcd member is removed from a surviving member before its machine is deleted" : "its Node is deleted before its machine"}"`,
    "",
  ].join("\n");
}

/**
 * The admin kubeconfig goes to a private temporary file first thing, and the
 * environment variable holding it is unset, so no child process (gcloud,
 * ssh, aws) inherits it.
 */
function kubeconfigFile(input: RemovalScriptInput): string[] {
  if (input.nodeName === undefined) return [`unset ${REMOVAL_ENV.adminKubeconfig}`];
  return [
    "kubeconfig=''",
    "cleanup() { if [ -n \"$kubeconfig\" ]; then rm -f \"$kubeconfig\"; fi; }",
    "trap cleanup EXIT",
    `if [ -n "\${${REMOVAL_ENV.adminKubeconfig}:-}" ]; then`,
    "  kubeconfig=$(mktemp)",
    "  chmod 600 \"$kubeconfig\"",
    `  printf '%s\\n' "$${REMOVAL_ENV.adminKubeconfig}" >"$kubeconfig"`,
    "fi",
    `unset ${REMOVAL_ENV.adminKubeconfig}`,
  ];
}

function nodeDeletion(input: RemovalScriptInput): string[] {
  if (input.nodeName === undefined) return ["delete_node() { :; }"];
  return [
    "delete_node() {",
    "  local attempt",
    `  if [ "\${${REMOVAL_ENV.keepNodes}:-false}" = true ]; then`,
    `    log "${REMOVAL_ENV.keepNodes}=true: keeping Node ${input.nodeName}"`,
    "    return 0",
    "  fi",
    '  if [ -z "$kubeconfig" ]; then',
    `    log "no admin kubeconfig in ${REMOVAL_ENV.adminKubeconfig}: cannot delete Node ${input.nodeName}; set ${REMOVAL_ENV.keepNodes}=true to keep it"`,
    "    return 1",
    "  fi",
    `  log "deleting Node ${input.nodeName} through the apiserver"`,
    `  for attempt in $(seq 1 ${NODE_DELETE_ATTEMPTS}); do`,
    `    if kubectl --kubeconfig "$kubeconfig" delete node ${input.nodeName} --ignore-not-found --wait=false; then return 0; fi`,
    `    if [ "$attempt" -lt ${NODE_DELETE_ATTEMPTS} ]; then`,
    `      log "could not delete Node ${input.nodeName} (attempt $attempt of ${NODE_DELETE_ATTEMPTS}): retrying in ${NODE_DELETE_RETRY_SECONDS} s"`,
    `      sleep ${NODE_DELETE_RETRY_SECONDS}`,
    "    fi",
    "  done",
    `  log "could not delete Node ${input.nodeName}: the etcd member is gone already; fix apiserver access and run pulumi up again, or set ${REMOVAL_ENV.keepNodes}=true"`,
    "  return 1",
    "}",
  ];
}

function gcpRemoval(input: RemovalScriptInput): string[] {
  const filter = [...Object.entries(input.selector).map(([k, v]) => `labels.${k}=${v}`), "status=RUNNING"].join(" AND ");
  return [
    "remove_member() {",
    `  : "\${${REMOVAL_ENV.gcpProject}:?the GCP project of replica $replica}" "\${${REMOVAL_ENV.instance}:?the instance of replica $replica}"`,
    "  local listing name zone line rc",
    `  local peer_url=${input.peerUrl ?? ""}`,
    // Called as `remove_member || rc=$?`, where bash ignores set -e: every failure is checked by hand.
    `  if ! listing=$(gcloud compute instances list --project "$${REMOVAL_ENV.gcpProject}" --filter '${filter}' --format 'value(name,zone.basename())'); then`,
    '    log "cannot list the running members (gcloud compute instances list failed, message above)"',
    "    return 1",
    "  fi",
    "  local -a survivors=()",
    "  while IFS=$'\\t' read -r name zone; do",
    `    if [ -n "$name" ] && [ "$name" != "$${REMOVAL_ENV.instance}" ]; then survivors+=("$name $zone"); fi`,
    '  done <<<"$listing"',
    '  if [ "${#survivors[@]}" -eq 0 ]; then',
    '    log "no other member is running: there is no member list to remove $replica from"',
    "    no_members=true",
    "    return 0",
    "  fi",
    '  for line in "${survivors[@]}"; do',
    '    name=${line%% *}',
    '    zone=${line#* }',
    '    log "removing etcd member $replica through $name ($zone)"',
    "    rc=0",
    `    gcloud compute ssh "$name" --project "$${REMOVAL_ENV.gcpProject}" --zone "$zone" --tunnel-through-iap --quiet -- sudo ${PATHS.membershipScript} remove "$replica" --peer-url "$peer_url" </dev/null || rc=$?`,
    '    if [ "$rc" -eq 0 ]; then return 0; fi',
    `    if [ "$rc" -eq ${MEMBERSHIP_REFUSED} ]; then`,
    '      log "kube-ha-etcd remove $replica was refused on $name (exit $rc, message above): the machine is not deleted"',
    "      return 1",
    "    fi",
    '    log "$name could not do it (exit $rc: gcloud or ssh failed or was denied, the member is still booting, or its etcd is unavailable): trying the next member"',
    "  done",
    '  log "no surviving member was reachable: etcd member $replica was not removed"',
    "  return 1",
    "}",
  ];
}

function awsRemoval(input: RemovalScriptInput): string[] {
  const filters = [...Object.entries(input.selector).map(([k, v]) => `Name=tag:${k},Values=${v}`), "Name=instance-state-name,Values=running"].join(" ");
  const parameters = JSON.stringify({
    commands: [`${PATHS.membershipScript} remove ${input.replica} --peer-url ${input.peerUrl ?? ""}`],
    executionTimeout: ["900"],
  });
  const polls = Math.ceil(SSM_WAIT_SECONDS / SSM_POLL_SECONDS);
  const region = `"$${REMOVAL_ENV.awsRegion}"`;
  const invocation = `aws ssm get-command-invocation --region ${region} --command-id "$command_id" --instance-id "$id"`;
  return [
    "remove_member() {",
    `  : "\${${REMOVAL_ENV.awsRegion}:?the AWS region of replica $replica}" "\${${REMOVAL_ENV.instance}:?the instance of replica $replica}"`,
    "  local listing id command_id status details code",
    // Called as `remove_member || rc=$?`, where bash ignores set -e: every failure is checked by hand.
    `  if ! listing=$(aws ec2 describe-instances --region ${region} --filters ${filters} --query 'Reservations[].Instances[].InstanceId' --output text); then`,
    '    log "cannot list the running members (aws ec2 describe-instances failed, message above)"',
    "    return 1",
    "  fi",
    "  local -a ids=() survivors=()",
    '  read -r -d \'\' -a ids <<<"$listing" || true',
    '  for id in "${ids[@]}"; do',
    `    if [ "$id" != "$${REMOVAL_ENV.instance}" ] && [ "$id" != None ]; then survivors+=("$id"); fi`,
    "  done",
    '  if [ "${#survivors[@]}" -eq 0 ]; then',
    '    log "no other member is running: there is no member list to remove $replica from"',
    "    no_members=true",
    "    return 0",
    "  fi",
    '  for id in "${survivors[@]}"; do',
    '    log "removing etcd member $replica through $id (SSM Run Command)"',
    `    if ! command_id=$(aws ssm send-command --region ${region} --instance-ids "$id" --document-name AWS-RunShellScript --timeout-seconds 60 --comment "kube-ha: remove etcd member $replica" --parameters '${parameters}' --query Command.CommandId --output text); then`,
    '      log "cannot send a command to $id: trying the next member"',
    "      continue",
    "    fi",
    "    status=Pending",
    `    for _ in $(seq 1 ${polls}); do`,
    `      status=$(${invocation} --query Status --output text 2>/dev/null || echo Pending)`,
    `      case "$status" in Pending | InProgress | Delayed | Cancelling) sleep ${SSM_POLL_SECONDS} ;; *) break ;; esac`,
    "    done",
    `    ${invocation} --query '[StandardOutputContent,StandardErrorContent]' --output text >&2 || true`,
    '    case "$status" in',
    "      Success) return 0 ;;",
    "      Failed)",
    `        code=$(${invocation} --query ResponseCode --output text || echo 1)`,
    `        if [ "$code" = ${MEMBERSHIP_REFUSED} ]; then`,
    '          log "kube-ha-etcd remove $replica was refused on $id (exit $code, message above): the machine is not deleted"',
    "          return 1",
    "        fi",
    '        log "kube-ha-etcd remove $replica failed on $id (exit $code, message above): trying the next member"',
    "        continue",
    "        ;;",
    "    esac",
    `    details=$(${invocation} --query StatusDetails --output text 2>/dev/null || echo unknown)`,
    '    case "$details" in',
    `      Undeliverable | 'Delivery Timed Out' | DeliveryTimedOut) log "the command never ran on $id ($details): trying the next member" ;;`,
    '      *) log "the command on $id ended $status ($details): the machine is not deleted"; return 1 ;;',
    "    esac",
    "  done",
    '  log "no surviving member was reachable: etcd member $replica was not removed"',
    "  return 1",
    "}",
  ];
}

/** The `delete` script: member removal from a survivor, then the Node object. */
export function renderRemovalDeleteScript(input: RemovalScriptInput): string {
  checkInput(input);
  const main: string[] = [
    `if [ "\${${REMOVAL_ENV.skip}:-false}" = true ]; then`,
    `  log "${REMOVAL_ENV.skip}=true: not removing $replica's etcd member or Node (the cluster is being torn down)"`,
    "  exit 0",
    "fi",
  ];
  if (input.etcdMember) {
    main.push(
      "no_members=false",
      "rc=0",
      "remove_member || rc=$?",
      'if [ "$rc" -eq 0 ] && [ "$no_members" = true ]; then',
      '  log "nothing left to remove $replica from, and no apiserver to delete its Node with: done"',
      "  exit 0",
      "fi",
      'if [ "$rc" -ne 0 ]; then',
      `  log "fix access (see the README) and run pulumi up again; if the whole cluster is gone, set ${REMOVAL_ENV.skip}=true"`,
      '  exit "$rc"',
      "fi",
      'log "etcd member $replica removed (or was already gone)"',
    );
  }
  main.push("delete_node");
  return [
    ...header(input, "remove the etcd member and Node before the machine is deleted"),
    ...(input.etcdMember ? [...(input.cloud === "gcp" ? gcpRemoval(input) : awsRemoval(input)), ""] : []),
    ...nodeDeletion(input),
    "",
    ...kubeconfigFile(input),
    ...main,
    "",
  ].join("\n");
}
