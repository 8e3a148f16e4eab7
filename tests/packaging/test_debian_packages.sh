#!/usr/bin/env bash
# The Debian packages as a user gets them (docs/install.md, issue 11):
#  1. `make deb`'s driver builds them from this build tree; lintian reports no error; binaries
#     are stripped, their symbols in -dbgsym packages;
#  2. a configuration with -DRKT_PLUGIN_STAGE1_FLY=OFF has no rkt-stage1-fly package;
#  3. a fresh Debian 12 root made by mmdebstrap from the system's Debian mirror installs them
#     (with their dependencies from the mirror); inside it `rkt version`, `rkt plugins list`
#     (exactly the installed packages' plugins, under /usr/lib/<triplet>/rkt), rkt's groups and
#     directory modes, the enabled gc timer, and a fly pod from the demo image;
#  4. with rkt-stage1-fly removed, `rkt run` names the missing flavor.
# Everything is made under the build tree and removed at the end; the root's mounts live in a
# private mount namespace and are unmounted before anything is deleted. Skips (77) when the
# mirror cannot be reached.
export TMPDIR="${RKT_BUILD_DIR:?run through ctest}"
. "$RKT_SOURCE_DIR/tests/functional/lib.sh"
RKT_TEST_HOST_NETWORK=1 # mmdebstrap reads the Debian mirror
private_mounts "$@"

for tool in dpkg-buildpackage dh lintian mmdebstrap; do
  command -v "$tool" >/dev/null || skip "$tool is missing (make deps installs debhelper, lintian, mmdebstrap)"
done
[ -x /bin/busybox ] || skip "busybox-static is not installed"

# The Debian mirror apt uses here (deb822 .sources or one-line .list), bookworm's, not security.
debian_mirror() {
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
    2>/dev/null | awk '
    /^[[:space:]]*#/ { next }
    $1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { if ($(i + 1) == "bookworm") { print $i; exit } break } }
    $1 == "URIs:" { uri = $2 }
    $1 == "Suites:" { for (i = 2; i <= NF; i++) if ($i == "bookworm" && uri != "") { print uri; exit } }
    /^$/ { uri = "" }'
}
MIRROR=${RKT_TEST_DEBIAN_MIRROR:-$(debian_mirror)}
[ -n "$MIRROR" ] || skip "no bookworm mirror in /etc/apt/sources.list*"
why=$(python3 -c 'import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1] + "/dists/bookworm/InRelease", timeout=30).read(1)
except Exception as e:
    print(e)' "$MIRROR" 2>&1)
[ -z "$why" ] || skip "cannot reach the Debian mirror $MIRROR: $why"

# 1. The packages of this build.
OUTDIR="$T/deb"
OUT=$("$RKT_SOURCE_DIR/packaging/build-deb.sh" "$RKT_BUILD_DIR" "$OUTDIR" 2>&1) && RC=0 || RC=$?
ERR=$OUT
assert_rc 0 "packaging/build-deb.sh (lintian errors fail it)"
[ "$RC" -eq 0 ] || die "no packages to test"
echo "$OUT"
version=$("$RKT" version | sed -n 's/^rkt Version: //p')
deb_of() { ls "$OUTDIR/$1_"*.deb 2>/dev/null | head -1; }
for pkg in rkt rkt-stage1-fly rkt-stage1-nspawn rkt-plugin-sdk-dev rkt-dbgsym rkt-stage1-fly-dbgsym; do
  assert_file "$(deb_of "$pkg")" "package $pkg"
done
assert_eq "$(dpkg-deb -f "$(deb_of rkt)" Version)" "$version" "package version is rkt's version"
dpkg-deb -x "$(deb_of rkt)" "$T/rkt-files"
[ "$(readelf -S "$T/rkt-files/usr/bin/rkt" | grep -c '\.debug_info')" -eq 0 ] ||
  fail "usr/bin/rkt is not stripped"
assert_contains "$(dpkg-deb -c "$(deb_of rkt-dbgsym)")" "./usr/lib/debug/.build-id/" \
  "debug symbols in rkt-dbgsym"
listing=$(dpkg-deb -c "$(deb_of rkt)"; dpkg-deb -c "$(deb_of rkt-stage1-fly)")
assert_not_contains "$listing" " ./usr/lib/rkt/" "nothing in rkt's configuration directory /usr/lib/rkt"
assert_not_contains "$listing" "/usr/local" "nothing under /usr/local"
for f in ./usr/share/man/man1/rkt.1.gz ./usr/share/man/man1/rkt-run.1.gz \
  ./usr/share/bash-completion/completions/rkt ./usr/lib/sysusers.d/rkt.conf \
  ./usr/lib/tmpfiles.d/rkt.conf ./lib/systemd/system/rkt-gc.service ./lib/systemd/system/rkt-gc.timer \
  ./usr/share/doc/rkt/copyright; do
  assert_contains "$listing" " $f" "rkt ships $f"
done
assert_contains "$(dpkg-deb -c "$(deb_of rkt-stage1-fly)")" "/rkt/plugins/stage1-fly.so" \
  "rkt-stage1-fly ships the fly plugin"
nspawn=$(dpkg-deb -c "$(deb_of rkt-stage1-nspawn)")
assert_contains "$nspawn" "/rkt/plugins/stage1-nspawn.so" "rkt-stage1-nspawn ships the nspawn plugin"
assert_contains "$nspawn" "/rkt/plugins/stage1-nspawn/supervisor" "rkt-stage1-nspawn ships the supervisor"
assert_contains "$(dpkg-deb -f "$(deb_of rkt-stage1-nspawn)" Depends)" "systemd-container" \
  "rkt-stage1-nspawn depends on systemd-container"
sdk=$(dpkg-deb -c "$(deb_of rkt-plugin-sdk-dev)")
for f in ./usr/include/rkt/abi/plugin.h /cmake/RktPluginSdk/RktPluginSdkConfig.cmake \
  /pkgconfig/rkt-plugin-sdk.pc; do
  assert_contains "$sdk" "$f" "rkt-plugin-sdk-dev ships $f"
done
for schema in "$RKT_SOURCE_DIR"/sdk/schema/*.schema.json; do
  [ -e "$schema" ] || continue
  assert_contains "$sdk" "./usr/share/rkt/schema/$(basename "$schema")" "the SDK's JSON Schemas are packaged"
done

# 2. A plugin switched off drops its package (the stanza list comes from the configuration).
"${CMAKE_COMMAND:-cmake}" -S "$RKT_SOURCE_DIR" -B "$T/no-fly" -DRKT_BUILD_TESTS=OFF \
  -DRKT_PLUGIN_STAGE1_FLY=OFF >"$T/no-fly.log" 2>&1 || die "configuring without fly failed: $(tail -20 "$T/no-fly.log")"
# shellcheck disable=SC2046
control=$(perl "$RKT_SOURCE_DIR/packaging/gen-control.pl" $(cat "$T/no-fly/packaging/control-stanzas"))
assert_contains "$control" "Package: rkt-plugin-sdk-dev" "base packages without fly"
assert_not_contains "$control" "Package: rkt-stage1-fly" "-DRKT_PLUGIN_STAGE1_FLY=OFF drops rkt-stage1-fly"
assert_not_contains "$control" "Recommends: rkt-stage1-fly" "nor does rkt recommend it"

# 3. A fresh Debian 12 with the packages (file-mirror-automount makes the .deb files visible to
#    dpkg inside the root; apt takes their dependencies from the mirror).
ROOT="$T/root"
unmount_root() {
  mount --make-rprivate "$ROOT" 2>/dev/null
  umount -R "$ROOT" 2>/dev/null
  if findmnt -R "$ROOT" >/dev/null 2>&1; then
    echo "FAIL: mounts left under $ROOT; not deleting it" >&2
    return 1
  fi
  rm -rf --one-file-system "$ROOT"
}
on_exit unmount_root
mmdebstrap --variant=apt --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
  --include="$(deb_of rkt)" --include="$(deb_of rkt-stage1-fly)" \
  --include="$(deb_of rkt-plugin-sdk-dev)" bookworm "$ROOT" "$MIRROR" >"$T/mmdebstrap.log" 2>&1 ||
  die "mmdebstrap failed: $(tail -30 "$T/mmdebstrap.log")"

in_root() { OUT=$(chroot "$ROOT" "$@" 2>"$T/.stderr") && RC=0 || RC=$?; ERR=$(cat "$T/.stderr"); }

# Before /proc is mounted too: rkt then finds itself by the path it was run as.
plugins_dir="/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/rkt/plugins"
expected=$(printf '%s\n' "aci-archive $plugins_dir/fetcher-aci-archive.so loaded" \
  "appc $plugins_dir/fetcher-appc.so loaded" "cas $plugins_dir/store-cas.so loaded" \
  "fly $plugins_dir/stage1-fly.so loaded" | sort)
plugin_rows() { printf '%s\n' "$OUT" | awk -F'\t+' '{print $1, $5, $6}' | sort; }
in_root rkt plugins list --no-legend
assert_rc 0 "rkt plugins list in the Debian root, without /proc"
assert_eq "$(plugin_rows)" "$expected" "plugins of the installed packages without /proc"

# The root is a mount point (rkt makes the pod's mounts private from /), with /proc, /dev and
# /sys for the pod, all in this test's private mount namespace.
mount --bind "$ROOT" "$ROOT"
mount -t proc proc "$ROOT/proc"
mount --rbind /dev "$ROOT/dev" && mount --make-rprivate "$ROOT/dev"
mount --rbind /sys "$ROOT/sys" && mount --make-rprivate "$ROOT/sys"

in_root rkt version
assert_rc 0 "rkt version in the Debian root"
assert_contains "$OUT" "rkt Version: $version" "installed rkt's version"
in_root rkt plugins list --no-legend
assert_rc 0 "rkt plugins list in the Debian root"
assert_eq "$(plugin_rows)" "$expected" "plugins of the installed packages, all loaded"


in_root getent group rkt rkt-admin
assert_rc 0 "groups rkt and rkt-admin (sysusers.d)"
in_root stat -c '%a %U %G %n' /var/lib/rkt /var/lib/rkt/cas /var/lib/rkt/pods/run /etc/rkt
assert_eq "$OUT" "2750 root rkt /var/lib/rkt
2770 root rkt /var/lib/rkt/cas
2750 root rkt /var/lib/rkt/pods/run
2775 root rkt-admin /etc/rkt" "rkt's directories and modes (tmpfiles.d)"
assert_eq "$(readlink "$ROOT/etc/systemd/system/timers.target.wants/rkt-gc.timer")" \
  "/lib/systemd/system/rkt-gc.timer" "rkt-gc.timer enabled"
assert_contains "$(cat "$ROOT/lib/systemd/system/rkt-gc.service")" "ExecStart=/usr/bin/rkt gc" \
  "rkt-gc.service runs the installed rkt"

"$RKT_SOURCE_DIR/tests/fixtures/make-busybox-aci.sh" "$ROOT/tmp/busybox.aci" >/dev/null ||
  die "cannot build the demo image"
# The root has rkt-stage1-fly, not the default nspawn flavor (systemd-nspawn in a chroot).
FLY=--stage1-name=coreos.com/rkt/stage1-fly
in_root rkt --insecure-options=image run $FLY /tmp/busybox.aci --exec /bin/echo -- hello from a packaged pod
assert_rc 0 "a fly pod in the Debian root"
assert_eq "$OUT" "hello from a packaged pod" "the pod's output"
in_root rkt list --no-legend
assert_contains "$OUT" "example.com/busybox:1.0.0" "the pod is listed"

# 4. Without the fly package, `rkt run` says which flavor is missing.
in_root dpkg --remove rkt-stage1-fly
assert_rc 0 "dpkg --remove rkt-stage1-fly"
in_root rkt plugins list --no-legend
assert_not_contains "$OUT" "stage1-fly.so" "fly is gone from rkt plugins list"
in_root rkt --insecure-options=image run $FLY /tmp/busybox.aci --exec /bin/true
assert_rc 254 "rkt run without a stage1 package"
assert_contains "$ERR" "stage1 flavor \`fly\` is not installed" "rkt run names the missing flavor"

# Removing rkt itself leaves no file of it behind but its data and configuration.
in_root dpkg --purge rkt-plugin-sdk-dev rkt
assert_rc 0 "dpkg --purge rkt"
assert_no_file "$ROOT/usr/bin/rkt" "rkt removed"
assert_no_file "$ROOT${plugins_dir%/plugins}" "plugin directory removed"
