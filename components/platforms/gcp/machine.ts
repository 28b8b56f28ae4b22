import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan, ReplicaPlan } from "../../plan/types";
import { identityLabels, machineName } from "../../render/replica-identity";
import { GCP_ETCD_DEVICE_NAME } from "./data-disk";
import { gcpBootImage } from "./image";
import { gcpName, roleTag } from "./naming";

export interface ReplicaResources {
  address: gcp.compute.Address;
  etcdDisk?: gcp.compute.Disk;
  instance: gcp.compute.Instance;
}

export interface ReplicaArgs {
  plan: ControlPlanePlan;
  replica: ReplicaPlan;
  subnetwork: pulumi.Input<string>;
  serviceAccountEmail: pulumi.Input<string>;
  /** The boot script (startup-script metadata): holds no secret. */
  startupScript: pulumi.Input<string>;
  /** What must exist before the machine boots (its secret version and access), besides `opts.dependsOn`. */
  bootDependsOn: pulumi.Resource[];
}

/**
 * One machine: its static internal address (the plan's), its etcd data disk
 * and the instance in its zone — Shielded VM, no external address unless
 * `assignPublicIp`, labels and tags naming cluster/role/replica, the
 * masters' service account, the boot script as startup-script. Every input
 * comes from this replica and cluster-wide settings only.
 *
 * A new machine type never stops a running master: `machineType` is in
 * `ignoreChanges` and `allowStoppingForUpdate` is false. Pulumi updates the
 * masters in parallel, so an in-place type change would stop every master at
 * once (etcd and the apiserver with them); the new type reaches a master
 * through replace-replica, one replica at a time. The same holds for the
 * boot script (`metadata` is ignored too): a new kubernetesVersion or a new
 * kube-ha release would otherwise install a newer kubelet on every master at
 * its next reboot, beside an older control plane; it reaches a master
 * through replace-replica, as on AWS (whose user-data changes are ignored). The instance is replaced
 * delete-first: its replacement takes the same name, address and etcd disk.
 */
export function createReplica(name: string, args: ReplicaArgs, opts: pulumi.CustomResourceOptions): ReplicaResources {
  const { plan, replica } = args;
  const spec = plan.spec;
  const cluster = plan.clusterName;
  const labels = { ...spec.labels, ...identityLabels(cluster, replica) };
  const prefix = `${name}-${replica.name}`;
  const machineType = replica.role === "master" ? spec.machines.masterType : spec.machines.etcdType;

  const address = new gcp.compute.Address(
    `${prefix}-address`,
    {
      name: gcpName(cluster, replica.name, "ip"),
      addressType: "INTERNAL",
      subnetwork: args.subnetwork,
      address: replica.address,
      region: spec.region,
      labels,
    },
    opts,
  );

  const etcdDisk = replica.etcdMember
    ? new gcp.compute.Disk(
        `${prefix}-etcd-disk`,
        {
          name: gcpName(cluster, replica.name, "etcd"),
          zone: replica.zone,
          size: spec.machines.etcdDiskSizeGb,
          type: "pd-ssd",
          labels,
        },
        opts,
      )
    : undefined;

  const instance = new gcp.compute.Instance(
    `${prefix}-instance`,
    {
      name: machineName(cluster, replica.name),
      zone: replica.zone,
      machineType,
      bootDisk: {
        initializeParams: {
          image: gcpBootImage(spec.machines.image, machineType),
          size: spec.machines.bootDiskSizeGb,
          type: "pd-balanced",
        },
      },
      ...(etcdDisk ? { attachedDisks: [{ source: etcdDisk.id, deviceName: GCP_ETCD_DEVICE_NAME }] } : {}),
      networkInterfaces: [
        {
          subnetwork: args.subnetwork,
          networkIp: address.address,
          ...(spec.assignPublicIp ? { accessConfigs: [{}] } : {}),
        },
      ],
      serviceAccount: { email: args.serviceAccountEmail, scopes: ["cloud-platform"] },
      shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
      labels,
      tags: [roleTag(cluster, replica.role)],
      metadata: { "startup-script": args.startupScript, "enable-oslogin": "TRUE" },
      allowStoppingForUpdate: false,
    },
    {
      ...opts,
      dependsOn: [...dependencies(opts.dependsOn), ...args.bootDependsOn],
      ignoreChanges: ["machineType", "metadata"],
      deleteBeforeReplace: true,
    },
  );
  return { address, ...(etcdDisk ? { etcdDisk } : {}), instance };
}

/** The resources an options object already depends on, as a list (kube-ha's components always pass a list or one resource). */
function dependencies(dependsOn: pulumi.CustomResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
  if (dependsOn === undefined) return [];
  return Array.isArray(dependsOn) ? dependsOn : [dependsOn as pulumi.Input<pulumi.Resource>];
}
