/**
 * Where GCP shows an attached disk to the instance: by the `deviceName` it
 * was attached with, a stable path (never /dev/sdb, whose letter can change
 * between boots). The boot program mounts the etcd disk from it
 * (components/render/data-disk.ts).
 */

/** The device name kube-ha gives the etcd disk on GCP (one per instance, so it needs no replica in it). */
export const GCP_ETCD_DEVICE_NAME = "kube-ha-etcd";

/** The `deviceName` of an attached disk → /dev/disk/by-id/google-<deviceName>. */
export function gcpDiskDevicePath(deviceName: string): string {
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(deviceName)) throw new Error(`not a GCP device name: ${deviceName}`);
  return `/dev/disk/by-id/google-${deviceName}`;
}
