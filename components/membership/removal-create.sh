#!/usr/bin/env bash
# kube-ha: removal guard (create: checks only) for replica @@REPLICA@@ (@@PLATFORM@@).
# Run by a @pulumi/command local.Command on the machine running `pulumi up`;
# Pulumi runs the delete with the script and environment stored in its state.
set -euo pipefail

replica=@@REPLICA@@
log() { printf 'kube-ha: %s\n' "$*" >&2; }

for tool in @@TOOLS@@; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    log "warning: $tool is not installed here; removing replica $replica later (kube-ha remove-replica) runs it from this machine"
  fi
done
log "when $replica leaves the config, @@WHEN_REMOVED@@"
