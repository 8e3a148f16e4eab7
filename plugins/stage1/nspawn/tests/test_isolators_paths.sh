#!/usr/bin/env bash
# Path protections and --readonly-rootfs of nspawn apps, tried from inside real pods
# (rkt-notes §6.6; rkt's tests/rkt_paths_test.go): rkt's read-only paths refuse writes, its
# inaccessible paths show nothing, --insecure-options=paths lifts both; a read-only rootfs
# refuses writes while a writable volume stays writable.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/nspawn_lib.sh"

[ -e /proc/sys/vm/panic_on_oom ] || skip "no /proc/sys/vm/panic_on_oom on this host"
[ -e /proc/kallsyms ] || skip "no /proc/kallsyms on this host"

# Writes panic_on_oom's own value back (a no-op when it is allowed; nspawn's read-only /proc/sys
# refuses it too unless --insecure-options=paths), reads kallsyms, lists /sys/fs (cgroup is
# there unless covered) and reports the options of /sys/kernel's own mount (ours: nspawn makes
# /sys read-only as a whole).
PROBE='v=$(cat /proc/sys/vm/panic_on_oom)
if echo "$v" >/proc/sys/vm/panic_on_oom 2>/dev/null; then echo write=ok; else echo write=refused; fi
echo kallsyms=$(wc -c </proc/kallsyms)
echo sysfs=$(ls /sys/fs | tr "\n" " ")
echo syskernel=$(awk "\$5 == \"/sys/kernel\" {print \$6}" /proc/self/mountinfo | cut -d, -f1)'
line() { printf '%s\n' "$OUT" | sed -n "s|^$1=||p" | head -n1; }

# 1. Defaults: protected.
bounded R run $NSPAWN --net=host "$IMG" --exec /bin/sh -- -c "$PROBE"
assert_rc 0 "a pod with the default path protections"
assert_eq "$(line write)" refused "a write to /proc/sys/vm/panic_on_oom (read-only path)"
assert_eq "$(line kallsyms)" 0 "/proc/kallsyms is covered by an empty inaccessible file"
assert_eq "$(line sysfs)" "" "/sys/fs is covered by an empty inaccessible directory"
assert_eq "$(line syskernel)" ro "/sys/kernel is a read-only mount"

# 2. --insecure-options=paths: none of it.
bounded R run --insecure-options=image,paths $NSPAWN --net=host "$IMG" --exec /bin/sh -- -c "$PROBE"
assert_rc 0 "a pod with --insecure-options=paths"
assert_eq "$(line write)" ok "--insecure-options=paths: /proc/sys/vm/panic_on_oom is writable"
[ "$(line kallsyms)" -gt 0 ] || fail "--insecure-options=paths: /proc/kallsyms is empty: $OUT"
case " $(line sysfs)" in *" cgroup "*) ;; *) fail "--insecure-options=paths: no /sys/fs/cgroup: $OUT" ;; esac
assert_eq "$(line syskernel)" "" "--insecure-options=paths: /sys/kernel is not a mount of its own"

# 3. --readonly-rootfs: the rootfs refuses writes, a writable volume and /tmp take them, a
#    readOnly volume still refuses them.
mkdir -p "$T/rw" "$T/ro"
bounded R run $NSPAWN --net=host --volume=rw,kind=host,source="$T/rw" \
  --volume=ro,kind=host,source="$T/ro",readOnly=true "$IMG" --readonly-rootfs=true \
  --mount=volume=rw,target=/rw --mount=volume=ro,target=/ro --exec /bin/sh -- -c '
for f in /new /rw/new /ro/new /tmp/new; do
  if touch $f 2>/dev/null; then echo "$f=ok"; else echo "$f=refused"; fi
done'
assert_rc 0 "a pod with --readonly-rootfs"
assert_eq "$(line /new)" refused "--readonly-rootfs: a write to the rootfs"
assert_eq "$(line /rw/new)" ok "--readonly-rootfs: a write to a writable volume"
assert_eq "$(line /ro/new)" refused "--readonly-rootfs: a write to a readOnly volume"
assert_eq "$(line /tmp/new)" ok "--readonly-rootfs: a write to /tmp"
[ -e "$T/rw/new" ] || fail "--readonly-rootfs: the write to the volume did not reach the host"

# 3b. The image's own mount points (implicit empty volumes): readOnly=false stays writable under
#     --readonly-rootfs, readOnly=true does not (rkt's ReadWritePaths= per writable mount).
ACI_MANIFEST_PATCH='{"app":{"mountPoints":[{"name":"data","path":"/data","readOnly":false},
  {"name":"conf","path":"/conf","readOnly":true}]}}' \
  "$RKT_SOURCE_DIR/tests/fixtures/make-busybox-aci.sh" "$T/mp.aci" example.com/mp 1.0.0 >/dev/null ||
  die "cannot build the image with mount points"
R fetch "$T/mp.aci"
[ "$RC" -eq 0 ] || die "cannot fetch the image with mount points: $ERR"
bounded R run $NSPAWN --net=host "$(printf '%s\n' "$OUT" | tail -n1)" --readonly-rootfs=true \
  --exec /bin/sh -- -c 'for f in /new /data/new /conf/new; do
  if touch $f 2>/dev/null; then echo "$f=ok"; else echo "$f=refused"; fi
done'
assert_rc 0 "a pod with --readonly-rootfs and the image's mount points"
assert_eq "$(line /new)" refused "--readonly-rootfs: a write to the rootfs (image with mount points)"
assert_eq "$(line /data/new)" ok "--readonly-rootfs: a write to the image's readOnly=false mount point"
assert_eq "$(line /conf/new)" refused "--readonly-rootfs: a write to the image's readOnly mount point"

# 4. Without --readonly-rootfs the rootfs takes writes.
bounded R run $NSPAWN --net=host "$IMG" --exec /bin/sh -- -c \
  'if touch /new 2>/dev/null; then echo /new=ok; else echo /new=refused; fi'
assert_rc 0 "a pod with a writable rootfs"
assert_eq "$(line /new)" ok "a write to a writable rootfs"

# 5. Device policy (cgroup v1 devices controller here; v2's device program:
#    tests/vm/test_isolators_paths.sh): the standard nodes work, a node the pod does not name can
#    be neither created nor opened (/dev/kmsg's number in a directory volume: opened write-only,
#    which needs no other privilege, nothing written), a device
#    volume can be used; --insecure-options=paths lifts the policy.
if ! awk '$1 == "devices" && $4 == 1 {f=1} END {exit !f}' /proc/cgroups || [ ! -c /dev/loop-control ]; then
  echo "SKIP part: no cgroup v1 devices controller or no /dev/loop-control on this host" >&2
else
  mkdir -p "$T/devdir"
  mknod "$T/devdir/kmsg" c 1 11 || die "cannot make a device node in $T"
  DEVPROBE='echo x >/dev/null && echo null=ok
head -c1 /dev/zero >/dev/null && echo zero=ok
if mknod /tmp/loop b 7 0 2>/dev/null; then echo mknod=ok; else echo mknod=refused; fi
if (exec 3</vol-dev) 2>/dev/null; then echo vol=ok; else echo vol=refused; fi
if (exec 3>/devdir/kmsg) 2>/dev/null; then echo other=ok; else echo other=refused; fi'
  DEVVOLS=(--volume=dev,kind=host,source=/dev/loop-control --volume=devdir,kind=host,source="$T/devdir")
  DEVMOUNTS=(--mount=volume=dev,target=/vol-dev --mount=volume=devdir,target=/devdir)
  bounded R run $NSPAWN --net=host "${DEVVOLS[@]}" "$IMG" "${DEVMOUNTS[@]}" \
    --exec /bin/sh -- -c "$DEVPROBE"
  assert_rc 0 "a pod with the device policy"
  assert_eq "$(line null)" ok "the device policy allows /dev/null"
  assert_eq "$(line zero)" ok "the device policy allows /dev/zero"
  assert_eq "$(line mknod)" refused "mknod of a device the pod does not name"
  assert_eq "$(line other)" refused "open of a device node the pod does not name"
  assert_eq "$(line vol)" ok "a device volume (/dev/loop-control) can be opened"
  bounded R run --insecure-options=image,paths $NSPAWN --net=host "${DEVVOLS[@]}" "$IMG" \
    "${DEVMOUNTS[@]}" --exec /bin/sh -- -c "$DEVPROBE"
  assert_rc 0 "a pod without the device policy"
  assert_eq "$(line mknod)" ok "--insecure-options=paths: mknod is allowed"
  assert_eq "$(line other)" ok "--insecure-options=paths: any device node can be opened"
fi
