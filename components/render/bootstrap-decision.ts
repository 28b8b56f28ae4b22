import { filledShellFile } from "../shell/shell-file";
import { PATHS } from "./paths";

/**
 * Bash that decides, at boot, how this replica's etcd member starts
 * (docs/contracts.md, "Who bootstraps"): it finds the other members by
 * cloud discovery and exports
 *
 * - ETCD_ENDPOINTS: the other members' client URLs, comma-separated (may be empty);
 * - KUBE_HA_MAY_BOOTSTRAP: `true` only when no other member answers on its
 *   client port and this replica is the first member by name among those
 *   discovery lists — checked twice, SETTLE_SECONDS apart, so a replica
 *   still being created is seen before anyone founds a cluster.
 *
 * A member "answers" when anything completes a TLS exchange on its client
 * port (any HTTP status), healthy or not: an existing cluster without
 * quorum must still never be founded again.
 */
export const SETTLE_SECONDS = 60;

/**
 * Present while this replica founded the cluster and has not yet finished
 * `kubeadm init`: written when its etcd member founds a new cluster from an
 * empty data directory (KUBE_HA_MAY_BOOTSTRAP=true), removed once the
 * control plane is up. Only a replica holding it may run `kubeadm init`, so
 * init never runs against an etcd that already held a cluster — and a
 * founder whose init failed still retries init after its peers have joined
 * its etcd (they then answer, so KUBE_HA_MAY_BOOTSTRAP alone would say no).
 */
export const FOUNDER_MARKER = `${PATHS.stateDir}/founder`;

/** `note_etcd_founding`, `etcd_member_answers`, `find_etcd_peers` (bootstrap-decision.sh). */
export function bootstrapDecisionFunctions(): string {
  return filledShellFile("render/bootstrap-decision.sh");
}
