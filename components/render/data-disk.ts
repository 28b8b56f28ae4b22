/**
 * The etcd data disk: found by a stable device name (never /dev/sdb, whose
 * letter can change between boots), formatted once, mounted at
 * PATHS.etcdDataMount through /etc/fstab by filesystem UUID.
 */

export type DataDiskRef =
  /** GCP: the `deviceName` of the attached disk → /dev/disk/by-id/google-<deviceName>. */
  | { cloud: "gcp"; deviceName: string }
  /** AWS: the EBS volume id → the NVMe by-id link (vol-0abc… → vol0abc…). */
  | { cloud: "aws"; volumeId: string };

/** The device name kube-ha gives the etcd disk on GCP (one per instance, so it needs no replica in it). */
export const GCP_ETCD_DEVICE_NAME = "kube-ha-etcd";

export function dataDiskDevicePath(disk: DataDiskRef): string {
  if (disk.cloud === "gcp") {
    if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(disk.deviceName)) throw new Error(`not a GCP device name: ${disk.deviceName}`);
    return `/dev/disk/by-id/google-${disk.deviceName}`;
  }
  if (!/^vol-[0-9a-f]+$/.test(disk.volumeId)) throw new Error(`not an EBS volume id: ${disk.volumeId}`);
  return `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${disk.volumeId.replace("-", "")}`;
}

export const DATA_DISK_FUNCTIONS = String.raw`# mount_etcd_disk: waits for ETCD_DEVICE, formats it once (ext4), mounts it at ETCD_MOUNT.
mount_etcd_disk() {
  local attempt uuid
  for attempt in $(seq 1 60); do
    [ -e "$ETCD_DEVICE" ] && break
    [ "$attempt" -lt 60 ] || { log "etcd disk $ETCD_DEVICE never appeared"; return 1; }
    sleep 5
  done
  if ! blkid -o value -s TYPE "$ETCD_DEVICE" >/dev/null 2>&1; then
    log "formatting the etcd disk $ETCD_DEVICE (first boot)"
    mkfs.ext4 -q -L kube-ha-etcd "$ETCD_DEVICE"
  fi
  uuid=$(blkid -o value -s UUID "$ETCD_DEVICE")
  install -d -m 0700 "$ETCD_MOUNT"
  if ! grep -q "^UUID=$uuid " /etc/fstab; then
    printf 'UUID=%s %s ext4 defaults,noatime,nofail 0 2\n' "$uuid" "$ETCD_MOUNT" >>/etc/fstab
  fi
  mountpoint -q "$ETCD_MOUNT" || mount "$ETCD_MOUNT"
  chmod 0700 "$ETCD_MOUNT"
}`;
