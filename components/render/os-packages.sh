# apt_get ARGS: apt-get with retries (mirrors can be briefly unreachable at boot).
apt_get() {
  local attempt
  for attempt in 1 2 3 4 5; do
    if apt-get -q -o DPkg::Lock::Timeout=120 "$@"; then return 0; fi
    log "apt-get $1 failed (attempt $attempt/5), retrying in 15 s"
    sleep 15
  done
  return 1
}

# install_os_packages PKG...: installs what is missing from the OS archive.
install_os_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f="\${Status}" "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  apt_get update
  apt_get install -y --no-install-recommends "${missing[@]}"
}
