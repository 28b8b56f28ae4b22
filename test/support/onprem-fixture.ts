/**
 * An on-premises stack's `kube-ha:` keys as the program receives them (the
 * secrets decrypted): three masters on one /24 in three racks, the default
 * keepalived-haproxy endpoint. No stack file under stacks/ yet: the platform
 * is not registered, so such a stack could not run.
 */
export const SSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n";
export const VRRP_PASSWORD = "k8s-vip1";

export function onpremMasters(n: number): { name: string; zone: string; address: string }[] {
  return Array.from({ length: n }, (_, i) => ({ name: `cp-${i + 1}`, zone: `rack-${(i % 3) + 1}`, address: `192.168.10.${11 + i}` }));
}

export function onpremStack(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cloud: "onprem",
    region: "dc-berlin",
    networkCidr: "192.168.10.0/24",
    replicas: onpremMasters(3),
    onprem: { ssh: { user: "ubuntu" }, endpoint: { vip: "192.168.10.250", interface: "eth0", virtualRouterId: 51 } },
    sshPrivateKey: SSH_KEY,
    vrrpPassword: VRRP_PASSWORD,
    ...overrides,
  };
}

/** The stack with `onprem.endpoint` replaced. */
export function withEndpoint(endpoint: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return onpremStack({ onprem: { ssh: { user: "ubuntu" }, endpoint }, ...overrides });
}
