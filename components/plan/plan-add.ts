import type { ReplicaSpec } from "../spec/cluster-spec";
import { MAX_REPLICA_NAME, invalidNameReason } from "../spec/names";
import { nextFreeName } from "../spec/replica-names";
import { regionZones, zoneInRegion, zoneLetter, zoneList } from "../spec/zones";
import { assignAddresses } from "./addresses";
import { pinnedReplicas } from "./current-replicas";
import { MAX_MEMBERS_WITHOUT_OVERRIDE, quorum, toleratedFailures } from "../spec/quorum";
import { type ChangeStep, type ReplicaChangeResult, refuse } from "./replica-change";
import type { ControlPlanePlan } from "./types";

export interface AddRequest {
  /** One zone per new replica; several at once take 3 → 5 without landing on 4. */
  zones: string[];
  /** Names for the new replicas, in the order of `zones`; derived from the zone when absent. */
  names?: string[];
  /** Accept an even final count (never a quorum loss). */
  force?: boolean;
}

/**
 * Plans adding replicas: the new list (names and addresses pinned), one
 * stage per replica, and the ordered steps; or a refusal with its reason.
 */
export function planAdd(current: ControlPlanePlan, req: AddRequest): ReplicaChangeResult {
  const { spec } = current;
  const before = pinnedReplicas(current);
  const names = req.names ?? [];
  if (req.zones.length === 0) return refuse("nothing-to-do", "no zone given: say where the new replica goes with --zone");
  if (names.length > req.zones.length) {
    return refuse("invalid-name", `${names.length} names for ${req.zones.length} zone(s): give at most one name per --zone`);
  }
  for (const zone of req.zones) {
    if (!zoneInRegion(spec, zone)) {
      return refuse("zone-not-in-region", `zone ${zone} is not a zone of region ${spec.region}`, `use one of ${zoneList(spec)}`);
    }
  }

  const taken = new Set(before.map((r) => r.name));
  for (const m of current.etcdNodes) taken.add(m.name);
  const added: ReplicaSpec[] = [];
  for (const [i, zone] of req.zones.entries()) {
    const wanted = names[i];
    if (wanted !== undefined) {
      const bad = invalidNameReason(wanted, MAX_REPLICA_NAME);
      if (bad) return refuse("invalid-name", `replica name "${wanted}" ${bad}`);
      if (taken.has(wanted)) return refuse("name-exists", `a replica named "${wanted}" already exists: pick another name, or omit --name`);
    }
    const name = wanted ?? nextFreeName(taken, "master", zone);
    taken.add(name);
    added.push({ name, zone });
  }

  const n0 = before.length;
  const n1 = n0 + added.length;
  const stackedEtcd = current.etcd.topology === "stacked";
  let forced = false;
  if (stackedEtcd && n1 % 2 === 0) {
    if (!req.force) {
      const code = n1 === 2 ? "two-replicas" : "even-count";
      const why =
        n1 === 2
          ? `${n0} → 2 replicas: a 2-replica etcd is less available than 1 (losing either stops writes)`
          : `${n0} → ${n1} replicas: ${n1} etcd members tolerate ${toleratedFailures(n1)} failure(s), no more than ${n1 - 1}`;
      const more = suggestZones(current, added.length + 1);
      return refuse(code, why, `add ${added.length + 1} at once to reach ${n1 + 1}: ${more.map((z) => `--zone ${z}`).join(" ")} (or --force to pass through ${n1} on purpose)`);
    }
    forced = true;
  }
  if (n1 > MAX_MEMBERS_WITHOUT_OVERRIDE && !spec.allowLargeControlPlane) {
    return refuse("too-many", `${n0} → ${n1} replicas: more than ${MAX_MEMBERS_WITHOUT_OVERRIDE} slows every etcd write`, "set allowLargeControlPlane: true in the stack if you mean it");
  }

  const reserved = new Set([...before.map((r) => r.address!), ...current.etcdNodes.map((m) => m.address)]);
  const addresses = assignAddresses(spec, added, "master", reserved);
  added.forEach((r, i) => (r.address = addresses[i]!.address));

  const stages: ReplicaSpec[][] = [];
  const steps: ChangeStep[] = [];
  let members = stackedEtcd ? n0 : current.etcd.members.length;
  for (const [i, r] of added.entries()) {
    stages.push([...before, ...added.slice(0, i + 1)]);
    steps.push(
      { action: "create-pki", replica: r.name, detail: `issue ${r.name}'s leaf certificates from the shared CAs and store its key material in the secret store` },
      { action: "create-machine", replica: r.name, detail: `create ${r.name} in ${r.zone} at ${r.address}, with its etcd disk` },
    );
    if (stackedEtcd) {
      steps.push(
        { action: "join-etcd-learner", replica: r.name, detail: `on boot, ${r.name} joins etcd as a non-voting learner (${members} voters, quorum ${quorum(members)} unchanged)` },
        { action: "promote-etcd-member", replica: r.name, detail: `once caught up, ${r.name} is promoted: ${members + 1} voters, quorum ${quorum(members + 1)}, tolerates ${toleratedFailures(members + 1)}` },
      );
      members++;
    }
    steps.push(
      { action: "join-control-plane", replica: r.name, detail: `kubeadm join --control-plane on ${r.name}, with a token it mints from the shared CA` },
      { action: "add-to-load-balancer", replica: r.name, detail: `${r.name} joins the load balancer's backends; it takes traffic once /readyz passes` },
    );
  }

  const etcdBefore = stackedEtcd ? n0 : current.etcd.members.length;
  const etcdAfter = stackedEtcd ? n1 : etcdBefore;
  return {
    ok: true,
    kind: "add",
    before,
    after: stages[stages.length - 1]!,
    added,
    removed: [],
    stages,
    quorum: { before: quorum(etcdBefore), after: quorum(etcdAfter) },
    toleratedFailures: { before: toleratedFailures(etcdBefore), after: toleratedFailures(etcdAfter) },
    steps,
    forced,
  };
}

/**
 * Zones for new replicas, fewest masters first (Cluster API's rule), among
 * the zones in use (topped up to three with the region's zones, b, c, d and a first).
 */
export function suggestZones(current: ControlPlanePlan, count: number): string[] {
  const { spec } = current;
  const counts = new Map<string, number>();
  for (const m of current.masters) counts.set(m.zone, (counts.get(m.zone) ?? 0) + 1);
  const rank = (z: string) => {
    const i = ["b", "c", "d", "a"].indexOf(zoneLetter(z));
    return i < 0 ? 4 : i; // other letters after, in table order
  };
  const candidates = regionZones(spec).sort((a, b) => rank(a) - rank(b));
  for (const zone of candidates) {
    if (counts.size >= 3) break;
    if (!counts.has(zone)) counts.set(zone, 0);
  }
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const [zone] = [...counts.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))[0]!;
    out.push(zone);
    counts.set(zone, counts.get(zone)! + 1);
  }
  return out;
}
