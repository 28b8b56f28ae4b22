import { clusterSpecInput } from "./schema";
import { CONFIG_NAMESPACE, readStackFileConfig } from "./stack-file-config";
import { refuseMisplacedKeys } from "./stack-file-keys";

export { CONFIG_NAMESPACE };

type ZodLike = { _zod: { def: { type: string; innerType?: ZodLike } } };

function baseType(schema: ZodLike): string {
  let s = schema;
  while (s._zod.def.innerType) s = s._zod.def.innerType;
  return s._zod.def.type;
}

const KEY_TYPES: Record<string, string> = Object.fromEntries(
  Object.entries(clusterSpecInput.shape).map(([k, v]) => [k, baseType(v as unknown as ZodLike)]),
);

/**
 * Pulumi hands config values over as strings (objects and lists as JSON).
 * Turns them back into the values the schema expects, by the key's type, so
 * that `kubernetesVersion: 1.35` stays a string and `bootDiskSizeGb: "50"`
 * becomes a number. A value that does not decode is left as it is for the
 * schema to report.
 */
export function decodeConfigValue(key: string, value: string): unknown {
  const type = KEY_TYPES[key];
  if (type === "string" || type === "enum") return value;
  if (type === "number") return value.trim() !== "" && !Number.isNaN(Number(value)) ? Number(value) : value;
  if (type === "boolean") return value === "true" ? true : value === "false" ? false : value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * `{ "kube-ha:region": "europe-west1", … }` (Pulumi's all-config form) → the
 * raw object the spec parses. Keys of other namespaces (gcp:project,
 * aws:region) are not ours and are ignored.
 */
export function rawConfigFromPulumi(all: Record<string, string>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [full, value] of Object.entries(all)) {
    const sep = full.indexOf(":");
    if (sep < 0 || full.slice(0, sep) !== CONFIG_NAMESPACE) continue;
    const key = full.slice(sep + 1);
    raw[key] = decodeConfigValue(key, value);
  }
  return raw;
}

/**
 * A stack file's text → the raw object of its `kube-ha:` keys, read by the
 * one stack-file reader and decoded exactly as the program decodes what the
 * Pulumi CLI hands it, so the CLI flows, the offline preview and `pulumi up`
 * see the same values. Throws a SpecError for keys Pulumi would refuse.
 */
export function rawConfigFromStackFile(text: string, file?: string): Record<string, unknown> {
  const read = readStackFileConfig(text, file);
  refuseMisplacedKeys(read.config, CONFIG_NAMESPACE, read.secretKeys);
  return rawConfigFromPulumi(read.config);
}
