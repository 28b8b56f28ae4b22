import { filledShellFile } from "../shell/shell-file";

/**
 * The etcd data disk: found by a stable device path (never /dev/sdb, whose
 * letter can change between boots), formatted once, mounted at
 * PATHS.etcdDataMount through /etc/fstab by filesystem UUID. The platform
 * says where its disk shows up (components/platforms/<name>/data-disk.ts);
 * the boot program receives that path as ETCD_DEVICE.
 */

/** `mount_etcd_disk` (data-disk.sh). */
export function dataDiskFunctions(): string {
  return filledShellFile("render/data-disk.sh");
}
