import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, isScalar, isSeq, parseDocument, type Document, Pair, Scalar, type YAMLMap, YAMLSeq } from "yaml";
import { CONFIG_NAMESPACE } from "../spec/stack-config";
import { stackFileName } from "../spec/stack-file-config";
import type { ReplicaSpec } from "../spec/cluster-spec";

/**
 * Editing `stacks/Pulumi.<stack>.yaml` in place: the replica list, the
 * even-count override and the network's zones change; every comment and
 * every other key stays as the user wrote it. Uses the `yaml` Document API,
 * never string surgery.
 */

const REPLICAS = `${CONFIG_NAMESPACE}:replicas`;
const REPLICA_ZONES = `${CONFIG_NAMESPACE}:replicaZones`;
const ALLOW_EVEN = `${CONFIG_NAMESPACE}:allowEvenReplicaCount`;
const NETWORK_ZONES = `${CONFIG_NAMESPACE}:networkZones`;

/** The stack's file; an org-qualified name (`myorg/gcp-ha`) is the short name's file, as Pulumi has it. */
export function stackFilePath(stacksDir: string, stack: string): string {
  return path.join(stacksDir, stackFileName(stack));
}

/** Stacks that have a file in the directory, for "no such stack" messages. */
export function listStacks(stacksDir: string): string[] {
  try {
    return fs
      .readdirSync(stacksDir)
      .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
      .filter((s): s is string => s !== undefined)
      .sort();
  } catch {
    return [];
  }
}

export interface StackReplicasEdit {
  /** The replicas as the file lists them now, in file order, with their resolved names. */
  current: readonly ReplicaSpec[];
  /** The replicas the file should list, each written out as {name, zone, address}. */
  next: readonly ReplicaSpec[];
  /**
   * `true` sets `kube-ha:allowEvenReplicaCount: true`, `false` removes the key,
   * `undefined` leaves it as it is.
   */
  allowEvenReplicaCount?: boolean;
  /**
   * Sets `kube-ha:networkZones` to this list (in place when the key exists,
   * else right after the replica settings); `undefined` leaves it as it is.
   */
  networkZones?: readonly string[];
}

/**
 * A stack file's text with its replica list replaced. A `replicaZones`
 * shorthand becomes an explicit `replicas` list at the same place. Entries
 * that stay keep their comments; names and addresses are always written out
 * so later edits never move a replica.
 */
export function editStackReplicas(text: string, edit: StackReplicasEdit): string {
  // Duplicate keys were refused, linearly, when the file was read (spec/stack-file-config.ts).
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) throw new Error(`stack file does not parse: ${doc.errors[0]!.message}`);
  const config = configMap(doc);

  const replicasPair = findPair(config, REPLICAS);
  const zonesPair = findPair(config, REPLICA_ZONES);
  const existingPair = replicasPair ?? zonesPair;
  const oldItems = existingPair && isSeq(existingPair.value) ? existingPair.value.items : [];

  // The file's entries map to the current replicas by position (names are resolved in list order).
  const byName = new Map<string, unknown>();
  edit.current.forEach((r, i) => {
    if (i < oldItems.length) byName.set(r.name, oldItems[i]);
  });

  const seq = new YAMLSeq();
  for (const r of edit.next) seq.items.push(replicaNode(doc, r, byName.get(r.name)));

  if (existingPair) {
    if (existingPair === zonesPair) {
      const key = new Scalar(REPLICAS);
      copyComments(existingPair.key, key);
      existingPair.key = key;
    }
    copyComments(existingPair.value, seq);
    existingPair.value = seq;
  } else {
    config.items.push(new Pair(new Scalar(REPLICAS), seq));
  }

  if (edit.allowEvenReplicaCount === true) {
    const pair = findPair(config, ALLOW_EVEN);
    if (pair) pair.value = new Scalar(true);
    else {
      const at = config.items.indexOf(findPair(config, REPLICAS)!);
      config.items.splice(at + 1, 0, new Pair(new Scalar(ALLOW_EVEN), new Scalar(true)));
    }
  } else if (edit.allowEvenReplicaCount === false) {
    const pair = findPair(config, ALLOW_EVEN);
    if (pair) config.items.splice(config.items.indexOf(pair), 1);
  }

  if (edit.networkZones !== undefined) {
    const pair = findPair(config, NETWORK_ZONES);
    // Zones that stay keep their entries (and comments).
    const oldZones = pair && isSeq(pair.value) ? pair.value.items : [];
    const zones = new YAMLSeq();
    for (const zone of edit.networkZones) {
      zones.items.push(oldZones.find((n) => isScalar(n) && n.value === zone) ?? doc.createNode(zone));
    }
    if (pair) {
      copyComments(pair.value, zones);
      if (isSeq(pair.value)) zones.flow = pair.value.flow; // keep the user's style: [a, b] stays inline
      pair.value = zones;
    } else {
      const after = findPair(config, ALLOW_EVEN) ?? findPair(config, REPLICAS)!;
      config.items.splice(config.items.indexOf(after) + 1, 0, new Pair(new Scalar(NETWORK_ZONES), zones));
    }
  }
  return doc.toString();
}

/** The existing entry updated (keeping its comments), or a new one. */
function replicaNode(doc: Document, r: ReplicaSpec, old: unknown): unknown {
  if (isMap(old)) {
    const fields: Record<string, string | undefined> = { name: r.name, zone: r.zone, address: r.address };
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) old.delete(k);
      else if (old.has(k)) {
        const node = old.get(k, true);
        if (isScalar(node)) node.value = v;
        else old.set(k, v);
      } else old.set(k, v);
    }
    return old;
  }
  const node = doc.createNode({ name: r.name, zone: r.zone, ...(r.address !== undefined ? { address: r.address } : {}) });
  // A shorthand entry (a bare zone) hands its comments to the entry that replaces it:
  // the one above it stays above, the one after the zone stays after the zone.
  if (isScalar(old) && isMap(node)) {
    const o = old as Commented;
    if (o.commentBefore) (node as Commented).commentBefore = o.commentBefore;
    if (o.spaceBefore) (node as Commented).spaceBefore = true;
    const zone = node.get("zone", true);
    if (o.comment && isScalar(zone)) zone.comment = o.comment;
  }
  return node;
}

function configMap(doc: Document): YAMLMap {
  let config = doc.get("config", true);
  if (!isMap(config)) {
    doc.set("config", doc.createNode({}));
    config = doc.get("config", true);
  }
  return config as YAMLMap;
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key) as Pair | undefined;
}

type Commented = { commentBefore?: string | null; comment?: string | null; spaceBefore?: boolean };

function copyComments(from: unknown, to: unknown): void {
  if (!from || !to || typeof from !== "object" || typeof to !== "object") return;
  const f = from as Commented;
  const t = to as Commented;
  if (f.commentBefore) t.commentBefore = f.commentBefore;
  if (f.comment) t.comment = f.comment;
  if (f.spaceBefore) t.spaceBefore = f.spaceBefore;
}

export function readStackFile(file: string): string {
  return fs.readFileSync(file, "utf8");
}

/** Replaces the file atomically (write a sibling, then rename), so an interrupted write never leaves half a file. */
export function writeStackFile(file: string, text: string): void {
  const tmp = `${file}.kube-ha-${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, "utf8");
  fs.renameSync(tmp, file);
}
