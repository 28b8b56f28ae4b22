import { decodeUserData } from "../aws/user-data";
import { IDENTITY_KEYS } from "../render/replica-identity";
import type { Cloud } from "../spec/schema";
import type { RecordedResource } from "./recorder";

const INSTANCE_TYPES: Record<Cloud, string> = {
  gcp: "gcp:compute/instance:Instance",
  aws: "aws:ec2/instance:Instance",
};

/**
 * The boot data a replica's instance was registered with, exactly as the
 * component handed it to the cloud: GCP's `startup-script` metadata, AWS's
 * user-data (decoded when gzip+base64). Undefined when no instance of that
 * replica was recorded.
 */
export function bootDataOf(
  resources: readonly RecordedResource[],
  cloud: Cloud,
  replicaName: string,
): { fileName: string; content: string; what: string } | undefined {
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
    return { fileName: "startup-script.sh", content: script, what: `GCP startup-script of instance ${instance.name} (boot script)` };
  }
  const text = decodeUserData(inputs as { userData?: unknown; userDataBase64?: unknown });
  if (!text) return undefined;
  return { fileName: "user-data", content: text, what: `EC2 user-data of instance ${instance.name} (cloud-config carrying the boot script)` };
}
