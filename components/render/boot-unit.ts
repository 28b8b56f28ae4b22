import { filledShellFile } from "../shell/shell-file";
import { PATHS } from "./paths";
import { writeFileCommand, writeFileFunction } from "./shell";

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
 * The startup-script / user-data (boot-installer.sh): writes the boot
 * program and its unit, then starts the unit without waiting for it
 * (`--no-block`), so the startup-script / cloud-init finishes at once and
 * the boot's progress is in the unit's journal (`journalctl -u
 * kube-ha-boot`). Starting a unit that already succeeded in this boot is a
 * no-op (RemainAfterExit). `what` names the replica in its header.
 */
export function renderBootInstaller(what: string, program: string, unit: string): string {
  return filledShellFile("render/boot-installer.sh", {
    WHAT: what,
    BOOT_PROGRAM: PATHS.bootProgram,
    BOOT_UNIT: BOOT_UNIT_NAME,
    WRITE_FILE_FUNCTION: writeFileFunction(),
    WRITE_PROGRAM: `${writeFileCommand(PATHS.bootProgram, program, 0o700)}\n`,
    WRITE_UNIT: `${writeFileCommand(PATHS.bootUnit, unit, 0o644)}\n`,
  });
}
