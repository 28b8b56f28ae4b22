#!/bin/bash
# kube-ha boot script: @@WHAT@@.
# Installs @@BOOT_PROGRAM@@ and @@BOOT_UNIT@@, which runs it and retries until it succeeds.
# It holds no secret: key material comes from the cloud's secret store at boot.
set -euo pipefail
umask 022
@@WRITE_FILE_FUNCTION@@
@@WRITE_PROGRAM@@
@@WRITE_UNIT@@
systemctl daemon-reload
systemctl start --no-block @@BOOT_UNIT@@
