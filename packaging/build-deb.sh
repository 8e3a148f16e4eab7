#!/bin/sh
# build-deb.sh BUILD_DIR OUT_DIR: the Debian packages of a configured and built tree (`make deb`).
#
# Stages a source directory OUT_DIR/rkt-<version>/ (links to the source tree's top-level entries
# plus a debian/ made from packaging/debian/, with debian/control joined from the stanzas of the
# packages this configuration builds), runs dpkg-buildpackage there with RKT_BUILD_DIR=BUILD_DIR
# (debian/rules installs each package's CMake component from that tree), and checks the result
# with lintian (errors fail). The .deb files end up in OUT_DIR. Set RKT_DEB_FRESH_BUILD=1 to let
# debian/rules configure and build from the sources itself instead (a distribution's build).
set -eu

[ $# -eq 2 ] || { echo "usage: build-deb.sh BUILD_DIR OUT_DIR" >&2; exit 2; }
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)

stanzas="$build/packaging/control-stanzas"
[ -f "$stanzas" ] || { echo "build-deb: $build is not a configured rkt build (no $stanzas)" >&2; exit 1; }
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
debversion=$(dpkg-parsechangelog -l "$src/packaging/debian/changelog" -S Version)
case $debversion in
  "$version"+*|"$version"-*|"$version") ;;
  *) echo "build-deb: packaging/debian/changelog is at $debversion, the project at $version:" \
       "add a changelog entry" >&2; exit 1 ;;
esac

stage="$out/rkt-$version"
rm -rf "$stage" "$out"/*.deb "$out"/*.ddeb "$out"/*.changes "$out"/*.buildinfo
mkdir -p "$stage"
# Directories are linked; files are copied, so that debian/rkt.docs installs their contents.
for entry in "$src"/* "$src"/.clang-format; do
  [ -e "$entry" ] || continue
  case $entry in "$build"|"$out"|*/build|*/build-*) continue ;; esac
  [ -f "$entry/CMakeCache.txt" ] && continue
  if [ -d "$entry" ]; then ln -s "$entry" "$stage/"; else cp "$entry" "$stage/"; fi
done
cp -r "$src/packaging/debian" "$stage/debian"
rm "$stage/debian/control.in"
# shellcheck disable=SC2046  # one stanza file per line, paths without spaces
perl "$src/packaging/gen-control.pl" $(cat "$stanzas") >"$stage/debian/control"

if [ -n "${RKT_DEB_FRESH_BUILD:-}" ]; then
  unset RKT_BUILD_DIR
else
  export RKT_BUILD_DIR="$build"
fi
(cd "$stage" && dpkg-buildpackage -b --no-sign --no-pre-clean) >"$out/build.log" 2>&1 || {
  tail -40 "$out/build.log" >&2
  echo "build-deb: dpkg-buildpackage failed (full log: $out/build.log)" >&2
  exit 1
}
changes=$(ls "$out"/*.changes)
echo "packages:"
for deb in "$out"/*.deb; do echo "  $(basename "$deb")"; done
lintian --fail-on error  \
  "$changes" >"$out/lintian.log" 2>&1 || {
  cat "$out/lintian.log" >&2
  echo "build-deb: lintian reports errors" >&2
  exit 1
}
grep -c . "$out/lintian.log" >/dev/null && sed 's/^/lintian: /' "$out/lintian.log" || true
