import type { OpenPort } from "../plan/types";

/**
 * The addressing and validation rules of one platform, as data and pure
 * functions (issue 10). The spec, the planner and the CLI flows ask
 * `PLATFORM_RULES[cloud]` (platforms/rules.ts) for them instead of comparing
 * a platform's name. Every member is required, so a new platform answers each.
 *
 * These modules sit below the spec layer: they import nothing at run time
 * but each other (test/unit/layer-direction.test.ts), so the config schema
 * can take its list of platforms from the registry without an import cycle.
 */
export interface PlatformRules {
  /** The platform's name in messages: "GCP", "AWS". */
  displayName: string;

  /**
   * Where the platform's zones come from. "region-table": a region's zones are
   * regionZones[region] (named by zoneName) plus the stack's extraZones named
   * like them (zoneNamedInRegion). "free-form": there is no table (machines you
   * own); a zone is any failure-domain name the stack gives (a rack, a room)
   * that zoneNamedInRegion accepts, regionZones is empty and zoneName is never
   * asked.
   */
  zoneSource: "region-table" | "free-form";
  /** A zone's name from its region and letter (`europe-west1` + `b`, `eu-west-1` + `a`). */
  zoneName(region: string, letter: string): string;
  /** Whether a zone is named like one of the region's, real or not. */
  zoneNamedInRegion(region: string, zone: string): boolean;
  /** Every region kube-ha knows on this platform → the letters of its zones. */
  regionZones: Readonly<Record<string, string>>;

  network: NetworkRules;
  labels: LabelRules;

  /**
   * The machine types of a stack that names none (masterMachineType,
   * etcdMachineType); null where kube-ha creates no machines (the hosts are
   * the user's own), so there is no type to default to.
   */
  defaultMachineTypes: MachineTypes | null;

  /** What this platform refuses in a stack's `existingNetwork`, in the order the validator reports it. */
  existingNetworkProblems(facts: ExistingNetworkFacts): KeyedProblem[];

  /** Ports this platform opens beyond the cloud-neutral ones (to the etcd members, `to`), e.g. for the member removal transport. */
  extraPorts(to: OpenPort["to"]): OpenPort[];

  /** The kube-up/kube-down environment variable that names a replica's zone. */
  kubeUpZoneVariable: string;

  /** Config keys only this platform reads (a stack of another platform that sets one is refused). */
  ownConfigKeys: readonly PlatformConfigKey[];
}

/** A master's and an external etcd member's machine type. */
export type MachineTypes = Readonly<{ master: string; etcd: string }>;

/** The rules of a platform that creates its machines (GCP, AWS): it has default machine types. */
export type MachineCreatingRules = PlatformRules & { defaultMachineTypes: MachineTypes };

/** Config keys that belong to one platform. */
export type PlatformConfigKey = "gcpProject";

export interface NetworkRules {
  /**
   * Where the platform's subnets live. "zone": one subnet per zone (block k
   * of the network is zone k's subnet; an existing network gives one per
   * zone). "region": one regional subnet, block k is only where zone k's
   * machines take their addresses.
   */
  subnetScope: "zone" | "region";
  /** Addresses of every subnet the platform keeps for itself: the first `head` and the last `tail`. */
  reservedAddresses: Readonly<{ head: number; tail: number }>;
}

export interface LabelRules {
  /** Labels (tags) a resource may carry in all. */
  max: number;
  /** Labels (tags) kube-ha puts on a resource itself. */
  own: number;
  /** The limit in words, for the message: "GCP allows 64 labels". */
  limitWording: string;
  /** What the platform refuses in one label, in order; `text` is the key or the value at fault. */
  problems(key: string, value: string): { text: string; message: string }[];
}

/** What the existing-network rules look at. */
export interface ExistingNetworkFacts {
  subnets: readonly { zone?: string | undefined }[];
  loadBalancerSubnets?: readonly string[] | undefined;
  loadBalancerScheme: "external" | "internal";
  /** The zones replicas and etcd members are placed in. */
  zonesInUse: Iterable<string>;
}

/** A problem with its config key (without the stack prefix) and the value at fault. */
export interface KeyedProblem {
  key: string;
  value: unknown;
  message: string;
}
