import { type SpecProblem, describeValue } from "./errors";
import { editDistance } from "./names";
import { CONFIG_KEYS } from "./schema";

/**
 * Stack-config keys meant for kube-ha but written under a mistyped namespace
 * (`kube_ha:replicas`, `kubeha:replicas`, `Kube-HA:replicas`) or with the
 * namespace glued on by another separator (`kube-ha.replicas`, which Pulumi
 * reads as `kube-ha:kube-ha.replicas`). Pulumi hands such keys to the program
 * like any other namespace's, and kube-ha would silently apply its defaults
 * instead — 3 masters where you asked for 5. Keys of other namespaces
 * (`gcp:project`, `aws:region`, `pulumi:tags`, `kubernetes:context`) are not
 * touched: only a namespace that spells `kube-ha` modulo case and punctuation,
 * or within 2 edits of it, is taken for a typo.
 */

export interface MistypedKey {
  /** The key as Pulumi passes it (`namespace:name`), or as the stack file has it. */
  key: string;
  /** What it should have been: `kube-ha:<name>`. */
  meant: string;
}

const normalise = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

function looksLikeNamespace(candidate: string, namespace: string): boolean {
  if (candidate.length === 0) return false;
  return normalise(candidate) === normalise(namespace) || editDistance(candidate.toLowerCase(), namespace) <= 2;
}

/**
 * `kube:replicas`, `kubeha-prod:region`: a namespace that is kube-ha's cut short or
 * with something added, holding one of our keys. Not `kubernetes:` or another
 * provider whose name merely starts with "kube".
 */
function kubeishWithOurKey(ns: string, name: string, namespace: string): boolean {
  const n = normalise(ns);
  const ours = normalise(namespace);
  return (n === ours.slice(0, 4) || n.startsWith(ours)) && CONFIG_KEYS.includes(name);
}

/** The known kube-ha key a name most likely meant (itself when it is one, or close to one). */
function meantName(name: string): string {
  if (CONFIG_KEYS.includes(name)) return name;
  const best = CONFIG_KEYS.map((k) => ({ k, d: editDistance(name.toLowerCase(), k.toLowerCase()) })).sort((a, b) => a.d - b.d)[0];
  return best && best.d <= 3 ? best.k : name;
}

/**
 * The key's intended `kube-ha:` spelling when it is a mistyped kube-ha key,
 * else undefined. `key` is `namespace:name`, or a bare name (a stack file's
 * project-namespace key).
 */
export function mistypedNamespace(key: string, namespace: string): string | undefined {
  const sep = key.indexOf(":");
  const ns = sep < 0 ? namespace : key.slice(0, sep);
  const name = sep < 0 ? key : key.slice(sep + 1);
  if (ns !== namespace) {
    return (looksLikeNamespace(ns, namespace) && name.length > 0) || kubeishWithOurKey(ns, name, namespace)
      ? `${namespace}:${meantName(name)}`
      : undefined;
  }
  // `kube-ha.replicas`, `kube_ha/replicas`, `kube-ha:kube-ha:replicas`, `kube-ha-replicas`, `kubeha_replicas`.
  const glued = /^([^.:/]+)[.:/](.+)$/.exec(name) ?? /^(kube[-_]?ha)[-_](.+)$/i.exec(name);
  if (glued && looksLikeNamespace(glued[1]!, namespace)) return `${namespace}:${meantName(glued[2]!)}`;
  return undefined;
}

/** Every mistyped kube-ha key among the stack's config keys. */
export function mistypedNamespaceKeys(keys: Iterable<string>, namespace: string): MistypedKey[] {
  const out: MistypedKey[] = [];
  for (const key of keys) {
    const meant = mistypedNamespace(key, namespace);
    if (meant !== undefined) out.push({ key, meant });
  }
  return out;
}

export function mistypedNamespaceProblem(m: MistypedKey, value: unknown): SpecProblem {
  return {
    key: m.key,
    value: describeValue(value),
    message: `not a kube-ha key, so kube-ha would ignore it and apply its default: did you mean "${m.meant}"? (kube-ha reads only ${m.meant.split(":")[0]}: keys)`,
  };
}
