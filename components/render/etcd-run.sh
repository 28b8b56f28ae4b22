# etcd member @@MEMBER@@: found the cluster (KUBE_HA_MAY_BOOTSTRAP=true) or join it as a learner;
# with its data already on the etcd disk the membership script only starts it.
for bin in @@ETCD_BINARY@@ @@ETCDCTL_BINARY@@; do
  if [ ! -x "$bin" ]; then
    echo "kube-ha: $bin is missing: install the pinned etcd release before starting the member" >&2
    exit 1
  fi
done
export ETCD_ENDPOINTS="${ETCD_ENDPOINTS:-}"
if [ "${KUBE_HA_MAY_BOOTSTRAP:-false}" = true ]; then
  @@MEMBERSHIP_SCRIPT@@ bootstrap
else
  @@MEMBERSHIP_SCRIPT@@ join
fi
