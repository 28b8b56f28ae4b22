import type { ControlPlanePlan } from "../plan/types";
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

function renderRun(memberName: string): string {
  return [
    `# etcd member ${memberName}: found the cluster (KUBE_HA_MAY_BOOTSTRAP=true) or join it as a learner;`,
    "# with its data already on the etcd disk the membership script only starts it.",
    `for bin in ${shellQuote(ETCD_BINARY)} ${shellQuote(ETCDCTL_BINARY)}; do`,
    '  if [ ! -x "$bin" ]; then',
    '    echo "kube-ha: $bin is missing: install the pinned etcd release before starting the member" >&2',
    "    exit 1",
    "  fi",
    "done",
    'export ETCD_ENDPOINTS="${ETCD_ENDPOINTS:-}"',
    'if [ "${KUBE_HA_MAY_BOOTSTRAP:-false}" = true ]; then',
    `  ${shellQuote(PATHS.membershipScript)} bootstrap`,
    "else",
    `  ${shellQuote(PATHS.membershipScript)} join`,
    "fi",
    "",
  ].join("\n");
}
