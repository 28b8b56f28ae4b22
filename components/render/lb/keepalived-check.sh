#!/usr/bin/env bash
# kube-ha-lb-check: keepalived's vrrp_script on a kube-ha master (installed by kube-ha).
#
# Succeeds only when this master can serve the cluster endpoint: its HAProxy
# is running AND at least one apiserver behind it passes HAProxy's /readyz
# check. It asks HAProxy's loopback monitor, which answers 200 in that case
# and 503 when no apiserver is healthy; when HAProxy is down nothing answers.
# (Checking only that an haproxy process exists, as `killall -0 haproxy`
# does, keeps the VIP on a master whose apiservers are all unreachable.)
#
# Usage: kube-ha-lb-check.sh MONITOR_URL [MAX_SECONDS]
#   exit 0: healthy; any other status: this master should give up the VIP.
set -euo pipefail

if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then
  echo "usage: kube-ha-lb-check.sh MONITOR_URL [MAX_SECONDS]" >&2
  exit 64
fi
url=$1
max_seconds=${2:-1}

# Never through a proxy: the monitor is on this host's loopback.
exec curl --silent --show-error --fail --output /dev/null \
  --noproxy '*' --max-time "$max_seconds" -- "$url"
