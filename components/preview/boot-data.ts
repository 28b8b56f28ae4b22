import { decodeUserData } from "../aws/user-data";
import type { DataDiskRef } from "../render/data-disk";
import { IDENTITY_KEYS } from "../render/replica-identity";
import type { Cloud } from "../spec/schema";
import type { RecordedResource } from "./recorder";

const INSTANCE_TYPES: Record<Cloud, string> = {
  gcp: "gcp:compute/instance:Instance",
  aws: "aws:ec2/instance:Instance",
};
const AWS_VOLUME_ATTACHMENT = "aws:ec2/volumeAttachment:VolumeAttachment";

export interface BootData {
  /** File name for `render` (startup-script.sh, user-data). */
  fileName: string;
  /** Exactly what the instance receives. */
  content: string;
  /** One line for the index. */
  what: string;
  /**
   * The etcd data disk the boot program was rendered for, as the instance
   * was registered with it (GCP: the attached disk's device name; AWS: the
   * attached EBS volume's id). Undefined when the machine has none, or it
   * was not recorded.
   */
  etcdDisk?: DataDiskRef;
}

/**
 * The boot data a replica's instance was registered with, exactly as the
 * component handed it to the cloud: GCP's `startup-script` metadata, AWS's
 * user-data (decoded when gzip+base64). Undefined when no instance of that
 * replica was recorded.
 */
export function bootDataOf(resources: readonly RecordedResource[], cloud: Cloud, replicaName: string): BootData | undefined {
  // Found by the identity label (GCP) / tag (AWS) the components put on every machine.
  const instance = resources.find((r) => {
    if (!r.custom || r.type !== INSTANCE_TYPES[cloud]) return false;
    const labels = (cloud === "gcp" ? r.inputs["labels"] : r.inputs["tags"]) as Record<string, unknown> | undefined;
    return labels?.[IDENTITY_KEYS.replica] === replicaName;
  });
  if (!instance) return undefined;
  const inputs = instance.inputs;
  if (cloud === "gcp") {
    const metadata = (inputs["metadata"] ?? {}) as Record<string, unknown>;
    const script = inputs["metadataStartupScript"] ?? metadata["startup-script"];
    if (typeof script !== "string") return undefined;
    const disks = (Array.isArray(inputs["attachedDisks"]) ? inputs["attachedDisks"] : []) as { deviceName?: unknown }[];
    const deviceName = disks.map((d) => d.deviceName).find((d): d is string => typeof d === "string");
    return {
      fileName: "startup-script.sh",
      content: script,
      what: `GCP startup-script of instance ${instance.name}, exactly as the instance receives it (installs the compacted boot program)`,
      ...(deviceName ? { etcdDisk: { cloud: "gcp", deviceName } } : {}),
    };
  }
  const text = decodeUserData(inputs as { userData?: unknown; userDataBase64?: unknown });
  if (!text) return undefined;
  // The AWS component attaches the etcd volume as "<instance resource>-etcd" (components/aws/replica.ts).
  const attachment = resources.find((r) => r.type === AWS_VOLUME_ATTACHMENT && r.name === `${instance.name}-etcd`);
  const volumeId = attachment?.inputs["volumeId"];
  return {
    fileName: "user-data",
    content: text,
    what: `EC2 user-data of instance ${instance.name}, exactly as the instance receives it (cloud-config installing the compacted boot program)`,
    ...(typeof volumeId === "string" && volumeId.startsWith("vol-") ? { etcdDisk: { cloud: "aws", volumeId } } : {}),
  };
}
