import { PLATFORM_RULES } from "../platforms/rules";
import type { SpecProblem } from "./errors";
import { describeValue } from "./errors";
import type { Cloud } from "./schema";

/**
 * The cloud's rules for `labels` (GCP labels / AWS tags on every resource),
 * checked before anything is registered: the cloud would refuse the first
 * resource carrying a bad one, halfway through a `pulumi up`. The limits and
 * the syntax are each platform's (its rules' `labels`,
 * components/platforms/<name>/rules.ts).
 */
export function labelProblems(cloud: Cloud, labels: Record<string, string>, prefix: string): SpecProblem[] {
  const rules = PLATFORM_RULES[cloud].labels;
  const out: SpecProblem[] = [];
  const add = (key: string, value: unknown, message: string) => out.push({ key: `${prefix}labels${key}`, value: describeValue(value), message });
  const entries = Object.entries(labels);
  const max = rules.max - rules.own;
  if (entries.length > max) {
    add("", `${entries.length} labels`, `${rules.limitWording} per resource and kube-ha adds ${rules.own}: keep at most ${max}`);
  }
  for (const [key, value] of entries) {
    for (const p of rules.problems(key, value)) add(`.${key}`, p.text, p.message);
  }
  return out;
}
