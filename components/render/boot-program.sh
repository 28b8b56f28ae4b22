#!/bin/bash
# kube-ha boot program: @@ROLE@@ @@REPLICA@@ of cluster @@CLUSTER@@ (@@CLOUD@@).
# Rendered by kube-ha from the plan; run by kube-ha-boot.service, idempotent.
# It holds no secret: key material comes from the cloud's secret store at boot.
set -euo pipefail
umask 022
export DEBIAN_FRONTEND=noninteractive

@@CONSTANTS@@

log() { printf '[kube-ha] %s\n' "$*" >&2; }
