# write_file PATH MODE: stdin → PATH with MODE, atomically.
write_file() {
  local dest=$1 mode=$2 tmp
  install -d -m 0755 "$(dirname "$dest")"
  tmp=$(mktemp "$dest.XXXXXX")
  cat >"$tmp"
  chmod "$mode" "$tmp"
  mv -f "$tmp" "$dest"
}
