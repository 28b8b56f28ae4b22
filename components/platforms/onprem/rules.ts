import type { ExistingNetworkFacts, KeyedProblem, PlatformRules } from "../rules-types";

/**
 * A failure domain's name on machines you own (the `zone` of a replica): a
 * rack, a room, a building, as a DNS label — `rack-1`, `room-b`, `dc2-row3`.
 * There is no table to check it against; the name only has to be safe
 * wherever kube-ha writes a zone (labels, file names, reports).
 */
export const FAILURE_DOMAIN_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The on-premises platform's addressing and validation rules
 * (platforms/rules-types.ts): hosts you already own on one subnet.
 * Not registered in PLATFORM_RULES yet (its Pulumi builder is a later slice;
 * a platform that cannot build must not be selectable).
 */
export const onpremRules: PlatformRules = {
  displayName: "on-premises",
  // No region → zones table: a zone is any failure-domain name the stack gives.
  zoneSource: "free-form",
  zoneName: () => {
    throw new Error("on-premises failure domains are named by the stack (rack-1, room-b), never built from a region and a letter");
  },
  zoneNamedInRegion: (_site, zone) => FAILURE_DOMAIN_NAME.test(zone),
  regionZones: {},
  network: {
    // The hosts share one subnet (networkCidr); kube-ha cuts nothing out of it.
    subnetScope: "region",
    // The network and the broadcast address: no host, and no VIP, may take them.
    reservedAddresses: { head: 1, tail: 1 },
  },
  labels: {
    // kube-ha creates no cloud resource on this platform: a label would have nowhere to go.
    max: 0,
    own: 0,
    limitWording: "on-premises hosts take no cloud labels (kube-ha creates no cloud resource to carry them), so 0 labels fit",
    problems: () => [],
  },
  // kube-ha creates no machines here: the hosts are the user's, there is no type to default to.
  defaultMachineTypes: null,
  existingNetworkProblems,
  /**
   * None beyond the cloud-neutral list: 6443 is both HAProxy's frontend on the
   * VIP and each apiserver on its own address; ssh from the machine running
   * `pulumi up` is the cloud-neutral `ssh` port (sshAllowedCidr). VRRP is IP
   * protocol 112, not a TCP port, which an OpenPort (and the clouds' firewall
   * code built from it) cannot say: platforms/onprem/host-ports.ts lists it
   * with the other host-to-host traffic this platform needs.
   */
  extraPorts: () => [],
  // kube-up had no on-premises provider: the replica flows read kube-ha's own variable for the zone.
  kubeUpZoneVariable: "KUBE_HA_ZONE",
  // `onprem`, `sshPrivateKey` and `vrrpPassword` join this list when the platform is registered
  // (they are not keys of the config schema before then): see platforms/onprem/config.ts.
  ownConfigKeys: [],
};

/** The hosts are on the user's network already: there is no network for kube-ha to adopt. */
function existingNetworkProblems(facts: ExistingNetworkFacts): KeyedProblem[] {
  return [
    {
      key: "existingNetwork",
      value: facts.subnets,
      message: "on-premises hosts are on your network already: remove existingNetwork and set networkCidr to the hosts' subnet",
    },
  ];
}
