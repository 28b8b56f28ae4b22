import { REMOVAL_ENV } from "../membership/removal-scripts";

/**
 * The environment the flows give the `pulumi` process, read at delete time
 * by every replica's removal command (components/membership). Each value is
 * always set explicitly: a variable left exported in the operator's shell
 * (say KUBE_HA_SKIP_MEMBER_REMOVAL=true after a destroy) must never decide
 * whether an etcd member is removed.
 */

/** `true`: keep the removed master's Node object (remove-replica --keep-nodes). */
export const KEEP_NODES_ENV = REMOVAL_ENV.keepNodes;
/** `true`: the removal commands do nothing (a whole-cluster destroy only). */
export const SKIP_MEMBER_REMOVAL_ENV = REMOVAL_ENV.skip;

/** For a `pulumi up` of a replica change: members are removed, Nodes deleted unless keepNodes. */
export function upEnv(keepNodes: boolean): Record<string, string> {
  return { [SKIP_MEMBER_REMOVAL_ENV]: "false", [KEEP_NODES_ENV]: keepNodes ? "true" : "false" };
}

/**
 * For `pulumi destroy` of a whole cluster: every removal command would run at
 * once, and the last ones would be refused (their survivors are going too).
 */
export function destroyEnv(): Record<string, string> {
  return { [SKIP_MEMBER_REMOVAL_ENV]: "true" };
}
