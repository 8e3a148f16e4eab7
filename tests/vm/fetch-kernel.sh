#!/bin/bash
# fetch-kernel.sh DIR
#
# Debian's current linux-image-amd64 kernel, unpacked (never installed: the host's /boot and
# boot loader stay as they are) into DIR/<package>/, once: `apt-get download` of the package
# the metapackage depends on, then `dpkg-deb -x`. Prints the unpacked directory (boot/vmlinuz-*,
# lib/modules/<version>/). Needs the Debian mirror the first time; exits 1 saying why otherwise.
set -euo pipefail
dir=$1
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-/ {print $2; exit}')
[ -n "$pkg" ] || { echo "apt knows no linux-image-amd64 (apt-get update needed?)" >&2; exit 1; }
if ! ls "$dir/$pkg"/boot/vmlinuz-* >/dev/null 2>&1; then
  mkdir -p "$dir"
  tmp=$(mktemp -d "$dir/download.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && apt-get download -q "$pkg" >"$tmp/apt.log" 2>&1) ||
    { echo "cannot download $pkg from the Debian mirror: $(tail -n 1 "$tmp/apt.log")" >&2; exit 1; }
  dpkg-deb -x "$tmp"/*.deb "$tmp/unpacked"
  rm -rf "${dir:?}/$pkg"
  mv "$tmp/unpacked" "$dir/$pkg"
fi
echo "$dir/$pkg"
