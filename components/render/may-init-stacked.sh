# may_init: true when this replica may run kubeadm init: its etcd member founded the cluster
# and init has not finished yet (FOUNDER_MARKER, see note_etcd_founding).
may_init() {
  [ -f "$FOUNDER_MARKER" ]
}
