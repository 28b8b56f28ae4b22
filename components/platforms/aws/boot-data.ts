import type { BootData, RecordedRegistration } from "../platform";
import { IDENTITY_KEYS } from "../../render/replica-identity";
import { ebsVolumeDevicePath } from "./data-disk";
import { decodeUserData } from "./user-data";

const INSTANCE = "aws:ec2/instance:Instance";
const VOLUME_ATTACHMENT = "aws:ec2/volumeAttachment:VolumeAttachment";

/** The instance's user data (decoded when gzip+base64), found by the replica tag every machine carries. */
export function bootData(resources: readonly RecordedRegistration[], replicaName: string): BootData | undefined {
  const instance = resources.find((r) => r.custom && r.type === INSTANCE && (r.inputs["tags"] as Record<string, unknown> | undefined)?.[IDENTITY_KEYS.replica] === replicaName);
  if (!instance) return undefined;
  const text = decodeUserData(instance.inputs as { userData?: unknown; userDataBase64?: unknown });
  if (!text) return undefined;
  // The component attaches the etcd volume as "<instance resource>-etcd" (machine.ts).
  const attachment = resources.find((r) => r.type === VOLUME_ATTACHMENT && r.name === `${instance.name}-etcd`);
  const volumeId = attachment?.inputs["volumeId"];
  return {
    fileName: "user-data",
    content: text,
    what: `EC2 user-data of instance ${instance.name}, exactly as the instance receives it (cloud-config installing the compacted boot program)`,
    ...(typeof volumeId === "string" && volumeId.startsWith("vol-") ? { etcdDevice: ebsVolumeDevicePath(volumeId) } : {}),
  };
}
