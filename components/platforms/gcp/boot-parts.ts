import type { BootParts } from "../../render/boot-parts";
import { IDENTITY_KEYS } from "../../render/replica-identity";
import { filledShellFile } from "../../shell/shell-file";

/**
 * GCP's parts of the boot program (components/render/boot-parts.ts), one
 * shell file per function group beside this module, read when a boot
 * program is rendered:
 *
 * - boot-cloud-api.sh: the GCP API with the instance's own identity: the
 *   metadata server's access token for the attached service account, sent
 *   to curl through a file descriptor, never on a command line.
 * - boot-peer-discovery.sh: `discover_replicas ROLE`: the compute aggregated
 *   instance list, every page (nextPageToken, bounded to 20 pages of 500),
 *   matched on the kube-ha labels by jq — no server-side `filter`, whose
 *   syntax for label keys with hyphens is easy to get silently wrong —
 *   keeping only RUNNING instances (needs `compute.instances.list`).
 * - boot-secret-fetch.sh: `fetch_key_material`: the replica's secret from
 *   Secret Manager, retried for up to ten minutes (Pulumi creates secrets
 *   and instances in parallel).
 */

const { cluster, role, replica } = IDENTITY_KEYS;

/** A part: its shell file, without the final newline (the boot program separates its sections). */
function part(path: string, values: Record<string, string> = {}): string {
  return filledShellFile(path, values).replace(/\n$/, "");
}

export const gcpBootParts: BootParts = {
  cloud: "gcp",
  get cloudApiFunctions() {
    return part("platforms/gcp/boot-cloud-api.sh");
  },
  get peerDiscoveryFunctions() {
    return part("platforms/gcp/boot-peer-discovery.sh", { CLUSTER_KEY: cluster, ROLE_KEY: role, REPLICA_KEY: replica });
  },
  get secretFetchFunctions() {
    return part("platforms/gcp/boot-secret-fetch.sh");
  },
};
