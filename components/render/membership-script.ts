import { shellFile } from "../shell/shell-file";
import { ETCD_FILES } from "./etcd-config";
import { ETCD_START_COMMAND, ETCDCTL_BINARY } from "./etcd-unit";
import { PATHS } from "./paths";

/**
 * The etcd membership script, `kube-ha-etcd bootstrap | join | remove NAME |
 * status` (installed at PATHS.membershipScript). One standalone bash script,
 * the same on every member: a member's identity (name, URLs) comes from
 * ETCD_FILES.memberEnv or the environment, so the script never lists peers
 * and adding a replica changes no other replica's copy.
 *
 * Its source is components/render/scripts/kube-ha-etcd.sh, read at run time
 * (components/shell/shell-file.ts); rendering only fills in the defaults
 * block at its top.
 */

/** The script's source, relative to components/. */
export const MEMBERSHIP_SCRIPT_SOURCE = "render/scripts/kube-ha-etcd.sh";

/** The script's exit codes (also in its --help). */
export const MEMBERSHIP_EXIT = {
  ok: 0,
  failed: 1,
  /** The change is unsafe or conflicts with the cluster; nothing was changed. */
  refused: 2,
  /** The cluster is unhealthy or unreachable, or did not converge before the timeout. */
  unavailable: 3,
  usage: 64,
  /** etcdctl is missing. */
  missing: 69,
} as const;

export interface MembershipScriptDefaults {
  /** Holds config.yaml (rendered); member.yaml and initial-cluster.yaml are written here. */
  configDir?: string;
  dataDir?: string;
  pkiDir?: string;
  /** Shell command that starts the member; it sees KUBE_HA_ETCD_MEMBER_CONFIG. */
  startCommand?: string;
  etcdctl?: string;
}

const DEFAULT_KEYS = {
  configDir: "DEFAULT_CONFIG_DIR",
  dataDir: "DEFAULT_DATA_DIR",
  pkiDir: "DEFAULT_PKI_DIR",
  startCommand: "DEFAULT_START_CMD",
  etcdctl: "DEFAULT_ETCDCTL",
} as const satisfies Record<keyof MembershipScriptDefaults, string>;

/** The defaults on a kube-ha machine. */
export function machineDefaults(): Required<MembershipScriptDefaults> {
  return {
    configDir: dirOf(ETCD_FILES.config),
    dataDir: PATHS.etcdDataDir,
    pkiDir: PATHS.pkiDir,
    startCommand: ETCD_START_COMMAND,
    etcdctl: ETCDCTL_BINARY,
  };
}

/** The script with its defaults block filled in (machine defaults unless overridden). */
export function renderMembershipScript(overrides: MembershipScriptDefaults = {}): string {
  const values = { ...machineDefaults(), ...overrides };
  let script = shellFile(MEMBERSHIP_SCRIPT_SOURCE);
  for (const [field, variable] of Object.entries(DEFAULT_KEYS) as [keyof MembershipScriptDefaults, string][]) {
    const line = new RegExp(`^${variable}=.*$`, "m");
    if (!line.test(script)) throw new Error(`the membership script has no ${variable}= line to fill in`);
    script = script.replace(line, () => `${variable}=${shellQuote(values[field])}`);
  }
  return script;
}

/** One shell word, single-quoted. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/"));
}
