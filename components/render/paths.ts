/**
 * Where things live on a master. Shared by the boot script, the etcd
 * renderers, the membership script and the kubeadm configuration, so that
 * every renderer agrees without passing paths around.
 */
export const PATHS = {
  /** kubeadm's PKI directory; key material from the secret store is written under it. */
  pkiDir: "/etc/kubernetes/pki",
  etcdPkiDir: "/etc/kubernetes/pki/etcd",
  /** Mount point of the separate etcd data disk. */
  etcdDataMount: "/var/lib/etcd",
  /** etcd's data directory (a subdirectory, so lost+found on the disk is not in it). */
  etcdDataDir: "/var/lib/etcd/data",
  etcdConfigDir: "/etc/kube-ha/etcd",
  /** The membership script (bootstrap | join | remove | status). */
  membershipScript: "/usr/local/bin/kube-ha-etcd",
  kubeadmConfig: "/etc/kube-ha/kubeadm.yaml",
  /** Environment file describing this replica (name, address, cluster), sourced by the scripts. */
  replicaEnv: "/etc/kube-ha/replica.env",
  stateDir: "/var/lib/kube-ha",
  /** The boot program (written by the startup-script / user-data, run by bootUnit). */
  bootProgram: "/usr/local/sbin/kube-ha-boot",
  /** The systemd unit that runs the boot program on every boot and retries it on failure. */
  bootUnit: "/etc/systemd/system/kube-ha-boot.service",
} as const;
