# write_replica_env: @@REPLICA_ENV@@, sourced by kube-ha's scripts on this machine.
write_replica_env() {
  {
    printf '%s=%q\n' KUBE_HA_CLOUD "$KUBE_HA_CLOUD"
    printf '%s=%q\n' KUBE_HA_REGION "$KUBE_HA_REGION"
    printf '%s=%q\n' KUBE_HA_CLUSTER "$KUBE_HA_CLUSTER"
    printf '%s=%q\n' KUBE_HA_REPLICA "$KUBE_HA_REPLICA"
    printf '%s=%q\n' KUBE_HA_ROLE "$KUBE_HA_ROLE"
    printf '%s=%q\n' KUBE_HA_ZONE "$KUBE_HA_ZONE"
    printf '%s=%q\n' KUBE_HA_ADDRESS "$KUBE_HA_ADDRESS"
    printf '%s=%q\n' ETCD_ROLE "$ETCD_ROLE"
  } | write_file @@REPLICA_ENV_WORD@@ 0644
}
