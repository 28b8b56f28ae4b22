import type { SpecProblem } from "./errors";
import { describeValue } from "./errors";
import type { Cloud } from "./schema";

/**
 * The cloud's rules for `labels` (GCP labels / AWS tags on every resource),
 * checked before anything is registered: the cloud would refuse the first
 * resource carrying a bad one, halfway through a `pulumi up`.
 *
 * GCP (labels): ≤ 64 per resource; keys 1–63 characters, values 0–63; only
 * lowercase letters (international ones too), digits, `_` and `-`; keys start
 * with a lowercase letter.
 * AWS (tags): ≤ 50 user tags per resource; keys 1–128 characters, values
 * 0–256; no `aws:` prefix (any case) on keys or values; letters, digits,
 * spaces and `+ - = . _ : / @` — the set every tagged service accepts (IAM
 * and Secrets Manager are stricter than EC2).
 */

/** Labels (GCP) / tags (AWS, with `Name`) kube-ha puts on a resource beside the user's: cluster, role, replica. */
const OWN_LABELS: Record<Cloud, number> = { gcp: 3, aws: 4 };
const MAX_LABELS: Record<Cloud, number> = { gcp: 64, aws: 50 };

const GCP_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}0-9_-]*$/u;
const GCP_VALUE = /^[\p{Ll}\p{Lo}0-9_-]*$/u;
const AWS_TEXT = /^[\p{L}\p{N}\p{Zs}+\-=._:/@]*$/u;

export function labelProblems(cloud: Cloud, labels: Record<string, string>, prefix: string): SpecProblem[] {
  const out: SpecProblem[] = [];
  const add = (key: string, value: unknown, message: string) => out.push({ key: `${prefix}labels${key}`, value: describeValue(value), message });
  const entries = Object.entries(labels);
  const max = MAX_LABELS[cloud] - OWN_LABELS[cloud];
  if (entries.length > max) {
    add("", `${entries.length} labels`,
      `${cloud === "gcp" ? "GCP allows 64 labels" : "AWS allows 50 tags"} per resource and kube-ha adds ${OWN_LABELS[cloud]}: keep at most ${max}`);
  }
  for (const [key, value] of entries) {
    const at = `.${key}`;
    if (cloud === "gcp") {
      const keyProblem =
        key.length === 0 ? "is empty" :
        [...key].length > 63 ? `is ${[...key].length} characters long; GCP allows 63` :
        !GCP_KEY.test(key) ? "is not a GCP label key (lowercase letters, digits, _ and -, starting with a lowercase letter)" : undefined;
      if (keyProblem) add(at, key, `label key ${keyProblem}: use e.g. "${gcpLabelText(key, true)}"`);
      if ([...value].length > 63) add(at, value, `label value is ${[...value].length} characters long; GCP allows 63: shorten it`);
      else if (!GCP_VALUE.test(value)) {
        add(at, value, `label value is not a GCP label value (lowercase letters, digits, _ and - only): use e.g. "${gcpLabelText(value, false)}"`);
      }
    } else {
      if (key.length === 0 || [...key].length > 128) {
        add(at, key, `tag key is ${[...key].length} characters long; AWS allows 1 to 128: use a shorter key`);
      }
      if (/^aws:/i.test(key)) add(at, key, `the aws: prefix is reserved for AWS: use a key such as "${key.slice(4) || "team"}"`);
      else if (!AWS_TEXT.test(key)) add(at, key, "tag key has characters AWS tags refuse: use letters, digits, spaces and + - = . _ : / @");
      if ([...value].length > 256) add(at, value, `tag value is ${[...value].length} characters long; AWS allows 256: shorten it`);
      if (/^aws:/i.test(value)) add(at, value, "the aws: prefix is reserved for AWS, in tag values too: drop it");
      else if (!AWS_TEXT.test(value)) add(at, value, "tag value has characters AWS tags refuse: use letters, digits, spaces and + - = . _ : / @");
    }
  }
  return out;
}

/** A GCP-valid spelling of a label key or value, for the fix text. */
function gcpLabelText(text: string, isKey: boolean): string {
  let s = text.toLowerCase().replace(/[^\p{Ll}\p{Lo}0-9_-]+/gu, "_").replace(/^_+|_+$/g, "");
  if (isKey) s = s.replace(/^[^\p{Ll}\p{Lo}]+/u, "") || "label";
  return [...s].slice(0, 63).join("");
}
