#!/bin/sh
# split-debug.sh MANIFEST DEBUG_DIR: strips the ELF files of an install (`make install`) and keeps
# their debug symbols in DEBUG_DIR/.build-id/<xx>/<rest of the build ID>.debug, where gdb finds
# them by build ID (debug-file-directory; /usr/lib/debug for PREFIX=/usr), as Debian's -dbgsym
# packages lay them out. MANIFEST is the install_manifest.txt `cmake --install` wrote (paths
# without DESTDIR, which is read from the environment like cmake does).
set -eu

[ $# -eq 2 ] || { echo "usage: split-debug.sh MANIFEST DEBUG_DIR" >&2; exit 2; }
manifest=$1 debugdir=$2
stripped=0
while IFS= read -r file || [ -n "$file" ]; do
  file="${DESTDIR:-}$file"
  [ -f "$file" ] && [ ! -L "$file" ] || continue
  [ "$(head -c 4 "$file" | od -An -c | tr -d ' \n')" = '177ELF' ] || continue
  id=$(readelf -n "$file" | sed -n 's/^ *Build ID: *//p')
  [ -n "$id" ] || { echo "split-debug: $file has no build ID" >&2; exit 1; }
  rest=${id#??}
  debug="$debugdir/.build-id/${id%"$rest"}/$rest.debug"
  mkdir -p "$(dirname "$debug")"
  objcopy --only-keep-debug --compress-debug-sections "$file" "$debug"
  chmod 0644 "$debug"
  # As dh_strip: executables lose every symbol, shared objects keep their dynamic ones.
  case $file in
    *.so) strip --strip-unneeded --remove-section=.comment --remove-section=.note "$file" ;;
    *) strip --remove-section=.comment --remove-section=.note "$file" ;;
  esac
  stripped=$((stripped + 1))
done <"$manifest"
echo "stripped $stripped files, debug symbols in $debugdir/.build-id"
