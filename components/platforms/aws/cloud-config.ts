import { stringify } from "yaml";

/** Where cloud-init keeps scripts it runs at every boot (module scripts-per-boot). */
export const PER_BOOT_SCRIPT = "/var/lib/cloud/scripts/per-boot/kube-ha-boot.sh";

/**
 * A boot script → cloud-config user-data that installs it as a per-boot
 * script. A bare `#!/bin/bash` user-data runs once per instance; kube-ha's
 * boot script is idempotent and meant to run on every boot (as a GCP
 * startup-script does). cloud-init writes the file in its init stage and
 * runs per-boot scripts in its final stage, so it also runs on the first boot.
 * Pure; YAML written with the `yaml` package.
 */
export function perBootCloudConfig(script: string): string {
  const doc = {
    write_files: [
      {
        path: PER_BOOT_SCRIPT,
        owner: "root:root",
        permissions: "0700",
        content: script,
      },
    ],
  };
  return `#cloud-config\n${stringify(doc, { lineWidth: 0, blockQuote: "literal" })}`;
}
