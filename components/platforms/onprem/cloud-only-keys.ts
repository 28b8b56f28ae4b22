import { type SpecProblem, describeValue } from "../../spec/errors";

/**
 * Cloud-neutral keys that mean nothing on machines you own, each with why and
 * what to do instead. Refused rather than ignored: a key that silently does
 * nothing is a promise kube-ha does not keep.
 */
const NOT_ON_PREMISES: Readonly<Record<string, string>> = {
  replicaZones: "on-premises replicas need their addresses (there is no address management): list them in replicas as { name, zone, address }",
  etcdZones: "on-premises etcd members need their addresses: list them in etcdMembers as { name, zone, address }",
  gcpProject: "only used with cloud: gcp: remove it",
  masterMachineType: "kube-ha creates no machines on-premises (the hosts are yours): remove it",
  etcdMachineType: "kube-ha creates no machines on-premises (the hosts are yours): remove it",
  machineImage: "the hosts run the OS you installed on them: remove it",
  bootDiskSizeGb: "the hosts' disks are yours: remove it",
  etcdDiskSizeGb: "etcd keeps its data in /var/lib/etcd on the host's own disk: remove it",
  existingNetwork: "on-premises hosts are on your network already: remove existingNetwork and set networkCidr to the hosts' subnet",
  networkZones: "on-premises zones are failure domains you name, with no subnets of their own: remove it",
  extraZones: "on-premises zones are failure domains you name (there is no zone table to extend): remove it",
  loadBalancerScheme: "on-premises the endpoint is onprem.endpoint (mode keepalived-haproxy, nginx-stream or external): remove it",
  healthCheck: "on-premises the apiservers are checked by HAProxy with timings fixed for its failover budget (plan/vip-failover.ts): remove it",
  assignPublicIp: "on-premises hosts keep the addresses you gave them: remove it",
  labels: "on-premises hosts take no cloud labels (kube-ha creates no cloud resource to carry them): remove it",
};

export function cloudOnlyKeyProblems(raw: Readonly<Record<string, unknown>>, prefix: string): SpecProblem[] {
  return Object.entries(NOT_ON_PREMISES)
    .filter(([key]) => raw[key] !== undefined)
    .map(([key, message]) => ({ key: `${prefix}${key}`, value: describeValue(raw[key]), message }));
}
