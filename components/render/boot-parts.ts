import type { Cloud } from "../spec/schema";

/**
 * What a boot program needs from the platform its machine runs on (issue
 * 10): bash that reaches the platform's API with the machine's own identity,
 * finds this cluster's other machines, and fetches this replica's key
 * material. The renderer defines the shape and never branches on a
 * platform's name; each platform supplies its parts from its own folder
 * (components/platforms/<name>/boot-parts.ts).
 */
export interface BootParts {
  /** The platform's name, as the boot program records it (KUBE_HA_CLOUD) and names it in its header. */
  cloud: Cloud;
  /**
   * Bash helpers that reach the platform's API with the machine's own
   * identity, nothing else (credentials never on a command line). The other
   * parts call them.
   */
  cloudApiFunctions: string;
  /**
   * The boot step (a function of cloudApiFunctions) that installs the
   * platform's CLI, run right after the OS packages; undefined when the
   * platform needs none.
   */
  cliInstallStep?: string;
  /**
   * Bash defining `discover_replicas ROLE`: prints `NAME ADDRESS` per machine
   * of this cluster with ROLE that exists and is running (this one
   * included), sorted by name (C collation), so a boot script never carries
   * the list of other replicas. Reads KUBE_HA_CLUSTER.
   */
  peerDiscoveryFunctions: string;
  /**
   * Bash defining `fetch_key_material`: prints THIS replica's key material
   * (a JSON map: path under the PKI directory → PEM) on stdout, for the
   * caller to capture — never to a log. The secret is named by
   * KUBE_HA_SECRET_ID and may not exist yet at the first boot, so it
   * retries before giving up.
   */
  secretFetchFunctions: string;
}
