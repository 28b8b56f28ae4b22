import { PATHS } from "./paths";
import { WRITE_FILE_FUNCTION, writeFileCommand } from "./shell";

/**
 * How the boot program runs: not straight from the startup-script or
 * user-data, but as kube-ha-boot.service, which the startup-script /
 * user-data installs and starts. A oneshot unit with Restart=on-failure
 * (allowed for Type=oneshot since systemd 245, NixOS/nixpkgs#90604; noble
 * ships 255), so a boot that fails — a founder still coming up, a join that
 * timed out, a mirror down — is simply run again RESTART_SECONDS later. No
 * start-rate limit: the retries go on until the boot succeeds.
 *
 * The unit is not enabled: the startup-script (GCP) and the per-boot
 * user-data script (AWS) already run at every boot and start it after
 * writing the current program, so it never runs a stale copy. (Enabling it
 * in multi-user.target and ordering it after cloud-final.service would be a
 * cycle on Ubuntu, where cloud-final runs after multi-user.target.)
 */

export const BOOT_UNIT_NAME = "kube-ha-boot.service";
/** Seconds between a failed boot and the next attempt. */
export const RESTART_SECONDS = 30;

export function renderBootUnit(description: string): string {
  return [
    "[Unit]",
    `Description=${description}`,
    "Wants=network-online.target",
    "After=network-online.target",
    "StartLimitIntervalSec=0",
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStart=${PATHS.bootProgram}`,
    "Restart=on-failure",
    `RestartSec=${RESTART_SECONDS}s`,
    "",
  ].join("\n");
}

/**
 * The startup-script / user-data: writes the boot program and its unit,
 * then starts the unit without waiting for it (`--no-block`), so the
 * startup-script / cloud-init finishes at once and the boot's progress is
 * in the unit's journal (`journalctl -u kube-ha-boot`). Starting a unit that
 * already succeeded in this boot is a no-op (RemainAfterExit).
 */
export function renderBootInstaller(header: string, program: string, unit: string): string {
  return [
    "#!/bin/bash",
    header,
    "set -euo pipefail",
    "umask 022",
    WRITE_FILE_FUNCTION,
    writeFileCommand(PATHS.bootProgram, program, 0o700),
    writeFileCommand(PATHS.bootUnit, unit, 0o644),
    "systemctl daemon-reload",
    `systemctl start --no-block ${BOOT_UNIT_NAME}`,
    "",
  ].join("\n");
}
