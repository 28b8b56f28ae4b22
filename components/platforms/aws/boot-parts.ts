import type { BootParts } from "../../render/boot-parts";
import { IDENTITY_KEYS } from "../../render/replica-identity";
import { filledShellFile } from "../../shell/shell-file";

/**
 * AWS's parts of the boot program (components/render/boot-parts.ts), one
 * shell file per function group beside this module, read when a boot
 * program is rendered:
 *
 * - boot-cloud-api.sh: the AWS API with the instance's own identity: the AWS
 *   CLI v2, which takes the instance profile's credentials from IMDSv2 by
 *   itself. The AWS CLI is not an apt package on Ubuntu 24.04 (noble) any
 *   more ("Package 'awscli' has no installation candidate",
 *   aws/aws-cli#8978), so `install_cloud_cli` installs the `aws-cli` snap
 *   (classic confinement, the CLI v2; snapd ships on Canonical's AMIs),
 *   once, after snapd has seeded.
 * - boot-peer-discovery.sh: `discover_replicas ROLE`: `ec2
 *   describe-instances` filtered by tags (needs `ec2:DescribeInstances`).
 * - boot-secret-fetch.sh: `fetch_key_material`: the replica's secret from
 *   Secrets Manager, retried for up to ten minutes (Pulumi creates secrets
 *   and instances in parallel).
 */

const { cluster, role, replica } = IDENTITY_KEYS;

/** A part: its shell file, without the final newline (the boot program separates its sections). */
function part(path: string, values: Record<string, string> = {}): string {
  return filledShellFile(path, values).replace(/\n$/, "");
}

export const awsBootParts: BootParts = {
  cloud: "aws",
  get cloudApiFunctions() {
    return part("platforms/aws/boot-cloud-api.sh");
  },
  cliInstallStep: "install_cloud_cli",
  get peerDiscoveryFunctions() {
    return part("platforms/aws/boot-peer-discovery.sh", { CLUSTER_KEY: cluster, ROLE_KEY: role, REPLICA_KEY: replica });
  },
  get secretFetchFunctions() {
    return part("platforms/aws/boot-secret-fetch.sh");
  },
};
