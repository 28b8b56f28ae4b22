import type { ControlPlanePlan } from "../plan/types";
import { ETCD_FILES, etcdMemberOf } from "./etcd-config";
import { PATHS } from "./paths";

/**
 * How the etcd member runs on its machine: a systemd unit (not a static
 * pod), so etcd is up before — and independent of — the kubelet, and the
 * membership script can start it before kubeadm runs. etcd reads
 * ETCD_FILES.memberConfig, which the membership script assembles at the
 * member's first start; the unit is enabled by the script, never before.
 */

export const ETCD_UNIT_NAME = "kube-ha-etcd.service";
export const ETCD_UNIT_PATH = `/etc/systemd/system/${ETCD_UNIT_NAME}`;
/** Where the boot script installs the pinned etcd release (ETCD_VERSION). */
export const ETCD_BINARY = "/usr/local/bin/etcd";
export const ETCDCTL_BINARY = "/usr/local/bin/etcdctl";

/** The membership script's default way to start the member (tests inject their own). */
export const ETCD_START_COMMAND = `systemctl daemon-reload && systemctl enable --now --no-block ${ETCD_UNIT_NAME}`;

/** The unit file for one member. systemd's INI syntax, not YAML. */
export function renderEtcdUnit(plan: ControlPlanePlan, memberName: string): string {
  const member = etcdMemberOf(plan, memberName);
  return [
    "[Unit]",
    `Description=etcd member ${member.name} of cluster ${plan.clusterName} (kube-ha)`,
    "Documentation=https://etcd.io/docs/v3.5/op-guide/configuration/",
    "Wants=network-online.target",
    "After=network-online.target local-fs.target",
    `RequiresMountsFor=${PATHS.etcdDataMount}`,
    `ConditionPathExists=${ETCD_FILES.memberConfig}`,
    "",
    "[Service]",
    // notify: etcd tells systemd once it serves; the script starts it with --no-block, as a
    // founding member of a multi-member cluster is not ready until its peers are.
    "Type=notify",
    `ExecStart=${ETCD_BINARY} --config-file ${ETCD_FILES.memberConfig}`,
    "Restart=always",
    "RestartSec=5s",
    "TimeoutStartSec=0",
    "LimitNOFILE=65536",
    // etcd is latency-sensitive: keep it ahead of the workloads on the same machine.
    "Nice=-10",
    "IOSchedulingClass=best-effort",
    "IOSchedulingPriority=0",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}
