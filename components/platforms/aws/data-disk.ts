/**
 * Where an attached EBS volume shows up on a Nitro instance: the NVMe by-id
 * link named after the volume id (vol-0abc… → vol0abc…), a stable path
 * (never /dev/sdb or /dev/nvme1n1, which can change between boots). The boot
 * program mounts the etcd disk from it (components/render/data-disk.ts).
 */

/** The EBS volume id → its NVMe by-id link. */
export function ebsVolumeDevicePath(volumeId: string): string {
  if (!/^vol-[0-9a-f]+$/.test(volumeId)) throw new Error(`not an EBS volume id: ${volumeId}`);
  return `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${volumeId.replace("-", "")}`;
}
