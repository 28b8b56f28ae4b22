#!/usr/bin/env bash
# kube-ha-vip-notify: keepalived's notify hook on a kube-ha master (installed by kube-ha).
#
# Logs every VRRP transition of this master (MASTER, BACKUP, FAULT, STOP) with
# a UTC timestamp to LOG_FILE and, where a syslog socket exists, to syslog
# (tag kube-ha-vip), so an operator can see when and why the VIP moved.
#
# Usage: kube-ha-vip-notify.sh LOG_FILE TYPE NAME STATE [PRIORITY]
#   keepalived appends TYPE (INSTANCE or GROUP), NAME, STATE and PRIORITY to
#   the command configured with `notify`.
set -euo pipefail

if [ "$#" -lt 4 ]; then
  echo "usage: kube-ha-vip-notify.sh LOG_FILE TYPE NAME STATE [PRIORITY]" >&2
  exit 64
fi
log_file=$1
kind=$2
name=$3
state=$4
priority=${5:-unknown}

line="$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ) vrrp ${kind,,} ${name} -> ${state} (priority ${priority})"
mkdir -p -- "$(dirname -- "$log_file")"
printf '%s\n' "$line" >>"$log_file"
if command -v logger >/dev/null 2>&1; then
  logger -t kube-ha-vip -- "$line" 2>/dev/null || true
fi
