#!/bin/sh
# Seed 004's keepalived check, `killall -0 haproxy` ("does a process named
# haproxy exist?"), asked about this network namespace only: the bench's
# masters are namespaces of one machine and share its process table, where
# killall would also find the other masters' HAProxy. killall comes from
# psmisc; pidof (procps/sysvinit-utils) is on every Debian machine.
# Exit 0 while an haproxy process runs in this namespace.
self=$(readlink "/proc/$$/ns/net")
for pid in $(pidof haproxy); do
  if [ "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" = "$self" ] && kill -0 "$pid" 2>/dev/null; then
    exit 0
  fi
done
exit 1
