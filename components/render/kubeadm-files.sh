# write_kubeadm_config: kubeadm.k8s.io/v1beta4 documents for init and join (no token, no key).
write_kubeadm_config() {
@@WRITE_INIT@@
@@WRITE_JOIN@@
}
