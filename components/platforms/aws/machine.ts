import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan, ReplicaPlan } from "../../plan/types";
import type { UserData } from "./user-data";

/** Where the etcd data volume is attached; on Nitro instances it appears as an NVMe device whose serial is the volume id. */
export const ETCD_VOLUME_DEVICE = "/dev/sdf";

export interface AwsReplicaInputs {
  plan: ControlPlanePlan;
  replica: ReplicaPlan;
  image: pulumi.Input<string>;
  subnetId: pulumi.Input<string>;
  securityGroupId: pulumi.Input<string>;
  instanceProfileName: pulumi.Input<string>;
  /** This replica's user-data, given its etcd volume's id (the boot script finds the disk by it). */
  userData: (etcdVolumeId: pulumi.Output<string>) => pulumi.Output<UserData>;
  /** This replica's tags, given the Name tag. */
  tags: (nameTag: string) => Record<string, string>;
  /** The instance's Name tag (the etcd volume's is it + "-etcd"). */
  machineName: string;
  /** Resources the instance must wait for (egress route, IAM policy, its secret). */
  bootAfter: pulumi.Resource[];
}

export interface AwsReplica {
  instance: aws.ec2.Instance;
  etcdVolume: aws.ebs.Volume;
  etcdAttachment: aws.ec2.VolumeAttachment;
}

/**
 * One master: an instance at the plan's fixed private address in its zone,
 * and a separate encrypted gp3 volume for etcd data, attached as its own
 * resource so replacing the instance only re-attaches the volume.
 *
 * - IMDSv2 only (`httpTokens: required`), hop limit 1: pods behind a bridge
 *   cannot reach the instance's credentials; host-network static pods can.
 * - `ignoreChanges: ["ami"]`: a new Ubuntu release never replaces a master.
 * - `ignoreChanges: ["instanceType"]`: a type change is an in-place
 *   stop/modify/start, which Pulumi would do to every master at once; the
 *   new type reaches a master through replace-replica, one at a time.
 * - user-data: `userDataReplaceOnChange: false` (a change must never
 *   replace a master) and user-data is in `ignoreChanges` too. cloud-init
 *   runs user-data at the first boot only, so an in-place change would just
 *   stop and start the instance — every master at once, since Pulumi updates
 *   them in parallel. New boot logic reaches a master through
 *   replace-replica, one replica at a time. Adding or removing a replica
 *   never changes another replica's user-data (tested).
 */
export function createReplica(name: string, input: AwsReplicaInputs, opts: pulumi.CustomResourceOptions): AwsReplica {
  const { plan, replica, tags } = input;
  const spec = plan.spec;
  const base = `${name}-${replica.name}`;
  const etcdVolume = new aws.ebs.Volume(`${base}-etcd`, {
    availabilityZone: replica.zone,
    size: spec.machines.etcdDiskSizeGb,
    type: "gp3",
    encrypted: true,
    tags: tags(`${input.machineName}-etcd`),
  }, opts);
  const userData = input.userData(etcdVolume.id);
  const instance = new aws.ec2.Instance(base, {
    ami: input.image,
    instanceType: replica.role === "master" ? spec.machines.masterType : spec.machines.etcdType,
    availabilityZone: replica.zone,
    subnetId: input.subnetId,
    privateIp: replica.address,
    vpcSecurityGroupIds: [input.securityGroupId],
    iamInstanceProfile: input.instanceProfileName,
    associatePublicIpAddress: spec.assignPublicIp,
    metadataOptions: {
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
      instanceMetadataTags: "disabled",
    },
    rootBlockDevice: {
      volumeType: "gp3",
      volumeSize: spec.machines.bootDiskSizeGb,
      encrypted: true,
      deleteOnTermination: true,
      tags: tags(`${input.machineName}-root`),
    },
    userData: userData.apply((u) => ("userData" in u ? u.userData : undefined)),
    userDataBase64: userData.apply((u) => ("userDataBase64" in u ? u.userDataBase64 : undefined)),
    userDataReplaceOnChange: false,
    tags: tags(input.machineName),
  }, {
    ...opts,
    dependsOn: input.bootAfter,
    ignoreChanges: ["ami", "instanceType", "userData", "userDataBase64"],
    // The replacement takes the same fixed private IP and the same etcd volume: the old one must go first.
    deleteBeforeReplace: true,
  });

  const etcdAttachment = new aws.ec2.VolumeAttachment(`${base}-etcd`, {
    deviceName: ETCD_VOLUME_DEVICE,
    volumeId: etcdVolume.id,
    instanceId: instance.id,
    // A mounted etcd volume is detached only from a stopped instance.
    stopInstanceBeforeDetaching: true,
  }, { ...opts, deleteBeforeReplace: true });
  return { instance, etcdVolume, etcdAttachment };
}
