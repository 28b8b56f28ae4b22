/**
 * The files of a replica's key material, relative to kubeadm's PKI
 * directory (kubeadm's names). The cert specs decide what is issued, the PKI
 * component issues it under these names, and the renderers point etcd and
 * kubeadm at them: one definition, below all three.
 */
export const PKI_FILES = {
  ca: { cert: "ca.crt", key: "ca.key" },
  frontProxyCa: { cert: "front-proxy-ca.crt", key: "front-proxy-ca.key" },
  etcdCa: { cert: "etcd/ca.crt", key: "etcd/ca.key" },
  /** The etcd peer CA: the only issuer etcd's peer port trusts (its key stays in Pulumi state). */
  etcdPeerCa: { cert: "etcd/peer-ca.crt", key: "etcd/peer-ca.key" },
  serviceAccount: { pub: "sa.pub", key: "sa.key" },
  apiserver: { cert: "apiserver.crt", key: "apiserver.key" },
  apiserverEtcdClient: { cert: "apiserver-etcd-client.crt", key: "apiserver-etcd-client.key" },
  apiserverKubeletClient: { cert: "apiserver-kubelet-client.crt", key: "apiserver-kubelet-client.key" },
  etcdServer: { cert: "etcd/server.crt", key: "etcd/server.key" },
  etcdPeer: { cert: "etcd/peer.crt", key: "etcd/peer.key" },
} as const;
