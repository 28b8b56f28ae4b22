# write_etcd_files: this member's etcd configuration (components/render/etcd-boot.ts).
write_etcd_files() {
@@WRITE_FILES@@
}

# run_etcd_member: starts, bootstraps or joins this member (components/render/etcd-boot.ts).
run_etcd_member() {
  (
@@RUN@@
  )
}
