#!/usr/bin/env bash
# kube-ha: remove the etcd member and Node before the machine is deleted for replica @@REPLICA@@ (@@PLATFORM@@).
# Run by a @pulumi/command local.Command on the machine running `pulumi up`;
# Pulumi runs the delete with the script and environment stored in its state.
set -euo pipefail

replica=@@REPLICA@@
log() { printf 'kube-ha: %s\n' "$*" >&2; }

@@REMOVE_MEMBER@@
@@DELETE_NODE@@

@@KUBECONFIG_FILE@@
unset KUBE_HA_ADMIN_KUBECONFIG
if [ "${KUBE_HA_SKIP_MEMBER_REMOVAL:-false}" = true ]; then
  log "KUBE_HA_SKIP_MEMBER_REMOVAL=true: not removing $replica's etcd member or Node (the cluster is being torn down)"
  exit 0
fi
@@MEMBER_STEP@@
delete_node
