# mount_etcd_disk: waits for ETCD_DEVICE, formats it once (ext4), mounts it at ETCD_MOUNT.
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
}
