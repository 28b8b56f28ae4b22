import { z } from "zod";
import { clusterSpecInput } from "../../spec/schema";

/**
 * The stack config of an on-premises stack as this platform reads it. The
 * cloud-neutral keys keep their names and shapes (the add/remove/replace
 * flows edit `replicas` the same way on every platform), with what machines
 * you own need on top:
 *
 * - `replicas: [{ name, zone, address }]`: all three required — there is no
 *   address management to pick an address, and a host has a name of its own.
 *   `zone` is the failure domain (rack, room), free-form.
 * - `region`: the site's name, free-form. `networkCidr`: the hosts' subnet
 *   (required: the clouds' default 10.10.0.0/16 would be a guess here).
 * - `kube-ha:onprem`: the platform's own settings — ssh, per-host overrides,
 *   the endpoint — in one object.
 * - `kube-ha:sshPrivateKey`, `kube-ha:vrrpPassword`: the secrets, each a key
 *   of its own so Pulumi can encrypt it (`pulumi config set --secret`);
 *   spec/plaintext-credentials.ts refuses them in plain text.
 *
 * The object is loose: the other cloud-neutral keys (kubernetesVersion,
 * podCidr, …) are the cloud-neutral schema's (spec/schema.ts).
 */

/** The keys only this platform reads (they join PlatformConfigKey and the config schema when it is registered). */
export const ONPREM_CONFIG_KEYS = ["onprem", "sshPrivateKey", "vrrpPassword"] as const;

const neutral = clusterSpecInput.shape;

/** A host: a replica (master or external etcd member) or a load balancer of nginx-stream mode. */
const hostInput = z.strictObject({
  name: z.string(),
  /** Failure domain: rack, room, building (a DNS label). */
  zone: z.string(),
  /** The host's address on the hosts' subnet; the apiserver and etcd listen on it. */
  address: z.ipv4(),
});

const loadBalancerHostInput = z.strictObject({
  name: z.string(),
  address: z.ipv4(),
});

const sshInput = z.strictObject({
  /** The login user; it must be root or have password-less sudo. */
  user: z.string(),
  port: z.number().int().min(1).max(65535).default(22),
});

/** Per-host differences, by host name. */
const hostOverrideInput = z.strictObject({
  user: z.string().optional(),
  port: z.number().int().min(1).max(65535).optional(),
  /** Where ssh reaches the host when that is not its cluster address (a management network). */
  sshAddress: z.ipv4().optional(),
  /** The interface carrying the hosts' subnet on this host, when it differs from endpoint.interface. */
  interface: z.string().optional(),
});

export const ENDPOINT_MODES = ["keepalived-haproxy", "nginx-stream", "external"] as const;
export type EndpointMode = (typeof ENDPOINT_MODES)[number];

/**
 * One object for the three modes; which keys a mode takes (and requires) is
 * checked in config.ts, where a key of another mode is named with its fix.
 * The endpoint's DNS name, in any mode, is the cloud-neutral apiServerDnsName
 * (it goes into the apiservers' certificates the same way on every platform).
 * The endpoint's port is 6443 in every mode, for the cluster's life.
 */
const endpointInput = z.strictObject({
  mode: z.enum(ENDPOINT_MODES).default("keepalived-haproxy"),
  /** keepalived-haproxy: the VIP, an unused address of the hosts' subnet. */
  vip: z.ipv4().optional(),
  /** keepalived-haproxy: the interface the VIP is added to (per host: hosts.<name>.interface). */
  interface: z.string().optional(),
  /** keepalived-haproxy: the VIP's prefix length; networkCidr's when absent, and it must be that. */
  prefixLength: z.number().int().min(1).max(32).optional(),
  /** keepalived-haproxy: the VRRP router id, unique among the VRRP groups on the hosts' segment. */
  virtualRouterId: z.number().int().min(1).max(255).optional(),
  /** nginx-stream: the hosts running nginx, each its own machine (not a master). */
  loadBalancers: z.array(loadBalancerHostInput).optional(),
  /** external: the endpoint's address (or its DNS name in the cloud-neutral apiServerDnsName). */
  address: z.ipv4().optional(),
});

const onpremInput = z.strictObject({
  ssh: sshInput,
  hosts: z.record(z.string(), hostOverrideInput).optional(),
  endpoint: endpointInput.default({ mode: "keepalived-haproxy" }),
});

export const onpremStackInput = z.looseObject({
  region: neutral.region,
  replicas: z.array(hostInput).optional(),
  etcdTopology: neutral.etcdTopology,
  etcdMembers: z.array(hostInput).optional(),
  allowEvenReplicaCount: neutral.allowEvenReplicaCount,
  allowLargeControlPlane: neutral.allowLargeControlPlane,
  networkCidr: neutral.networkCidr.optional(),
  sshAllowedCidr: neutral.sshAllowedCidr,
  onprem: onpremInput,
  // Strings only: a secret is never echoed, so its shape is checked in config.ts with a message that does not show it.
  sshPrivateKey: z.unknown().optional(),
  vrrpPassword: z.unknown().optional(),
});

export type OnpremStackInput = z.output<typeof onpremStackInput>;
export type OnpremHostInput = z.output<typeof hostInput>;
export type OnpremEndpointInput = z.output<typeof endpointInput>;
