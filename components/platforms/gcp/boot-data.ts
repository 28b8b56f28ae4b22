import type { BootData, RecordedRegistration } from "../platform";
import { IDENTITY_KEYS } from "../../render/replica-identity";
import { gcpDiskDevicePath } from "./data-disk";

const INSTANCE = "gcp:compute/instance:Instance";

/** The instance's `startup-script` metadata, found by the replica label every machine carries. */
export function bootData(resources: readonly RecordedRegistration[], replicaName: string): BootData | undefined {
  const instance = resources.find((r) => r.custom && r.type === INSTANCE && (r.inputs["labels"] as Record<string, unknown> | undefined)?.[IDENTITY_KEYS.replica] === replicaName);
  if (!instance) return undefined;
  const inputs = instance.inputs;
  const metadata = (inputs["metadata"] ?? {}) as Record<string, unknown>;
  const script = inputs["metadataStartupScript"] ?? metadata["startup-script"];
  if (typeof script !== "string") return undefined;
  const disks = (Array.isArray(inputs["attachedDisks"]) ? inputs["attachedDisks"] : []) as { deviceName?: unknown }[];
  const deviceName = disks.map((d) => d.deviceName).find((d): d is string => typeof d === "string");
  return {
    fileName: "startup-script.sh",
    content: script,
    what: `GCP startup-script of instance ${instance.name}, exactly as the instance receives it (installs the compacted boot program)`,
    ...(deviceName ? { etcdDevice: gcpDiskDevicePath(deviceName) } : {}),
  };
}
