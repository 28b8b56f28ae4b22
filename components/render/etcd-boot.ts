import type { ControlPlanePlan } from "../plan/types";
import { filledShellFile } from "../shell/shell-file";
import { ETCD_FILES, etcdMemberOf, renderEtcdConfig, type EtcdConfigOptions } from "./etcd-config";
import { ETCD_BINARY, ETCD_UNIT_PATH, ETCDCTL_BINARY, renderEtcdUnit } from "./etcd-unit";
import { renderMembershipScript, shellQuote } from "./membership-script";
import { PATHS } from "./paths";

/**
 * Everything a machine needs to run its etcd member (docs/contracts.md):
 * the files to write and the bash that starts, founds or joins the member.
 * Depends only on this member and cluster-wide settings, so the boot script
 * that embeds it stays byte-identical when other replicas come and go.
 */

export interface EtcdBootFile {
  path: string;
  content: string;
  mode: number;
}

export interface EtcdBootParts {
  files: EtcdBootFile[];
  /**
   * Bash that starts, bootstraps or joins this member. Reads ETCD_ENDPOINTS
   * (other members' client URLs, comma-separated, may be empty) and
   * KUBE_HA_MAY_BOOTSTRAP (`true` only on the replica allowed to found the
   * cluster). Idempotent: with the member's data present it only starts it.
   */
  run: string;
}

export function renderEtcdBootParts(plan: ControlPlanePlan, memberName: string, opts: EtcdConfigOptions = {}): EtcdBootParts {
  const member = etcdMemberOf(plan, memberName);
  const files: EtcdBootFile[] = [
    { path: ETCD_FILES.config, content: renderEtcdConfig(plan, member.name, opts), mode: 0o644 },
    { path: ETCD_FILES.memberEnv, content: renderMemberEnv(plan, member.name), mode: 0o644 },
    { path: ETCD_UNIT_PATH, content: renderEtcdUnit(plan, member.name), mode: 0o644 },
    { path: PATHS.membershipScript, content: renderMembershipScript(), mode: 0o755 },
  ];
  return { files, run: renderRun(member.name) };
}

/** KEY=value lines for the membership script (also valid as a systemd EnvironmentFile). */
export function renderMemberEnv(plan: ControlPlanePlan, memberName: string): string {
  const member = etcdMemberOf(plan, memberName);
  const entries: [string, string][] = [
    ["KUBE_HA_ETCD_NAME", member.name],
    ["KUBE_HA_ETCD_PEER_URL", member.peerUrl],
    ["KUBE_HA_ETCD_CLIENT_URL", member.clientUrl],
  ];
  for (const [key, value] of entries) {
    if (!/^[A-Za-z0-9._:/=,-]+$/.test(value)) throw new Error(`${key} value "${value}" holds characters the env file cannot carry unquoted`);
  }
  return [
    `# etcd member ${member.name} of ${plan.clusterName}, read by ${PATHS.membershipScript}.`,
    ...entries.map(([k, v]) => `${k}=${v}`),
    "",
  ].join("\n");
}

/** etcd-run.sh: the member's binaries checked, then the membership script's bootstrap or join. */
function renderRun(memberName: string): string {
  return filledShellFile("render/etcd-run.sh", {
    MEMBER: memberName,
    ETCD_BINARY: shellQuote(ETCD_BINARY),
    ETCDCTL_BINARY: shellQuote(ETCDCTL_BINARY),
    MEMBERSHIP_SCRIPT: shellQuote(PATHS.membershipScript),
  });
}
