#!/bin/bash
# Runs in the guest (run-in-vm.sh): path protections, --readonly-rootfs and the device policy of
# nspawn apps on cgroup v2 (rkt-notes §6.6), where the device policy is an eBPF program on the
# app's cgroup: the standard nodes work, a device the pod does not name can be neither created
# nor opened, a device volume can; --insecure-options=paths lifts paths and devices.
# cgroup v1: plugins/stage1/nspawn/tests/test_isolators_paths.sh.
set -u
fail() { echo "FAIL: $*"; exit 1; }

grep -q '^cgroup2 /sys/fs/cgroup cgroup2 ' /proc/mounts || fail "cgroup2 is not mounted on /sys/fs/cgroup"
# The device volume: a misc device every x86 kernel has, which opens without privileges (the
# guest has no loop module for /dev/loop-control, which the v1 test uses).
voldev=/dev/cpu_dma_latency
[ -c $voldev ] || fail "no $voldev in the guest"
(exec 3<$voldev) || fail "cannot open $voldev outside a pod"

data=$(mktemp -d)
rkt() {
  "$RKT" --dir="$data" --insecure-options="${INSECURE:-image}" run \
    --stage1-name=coreos.com/rkt/stage1-nspawn --net=host "$@" 2>"$data/stderr" ||
    fail "pod failed: $(cat "$data/stderr")"
}
line() { printf '%s\n' "$out" | sed -n "s|^$1=||p" | head -n1; }
expect() { # key value description
  [ "$(line "$1")" = "$2" ] || fail "$3: expected $1=$2 in: $out $(cat "$data/stderr")"
  echo "ok: $3"
}

# 1. Protected paths and --readonly-rootfs, a writable and a read-only volume.
mkdir -p "$data/rw" "$data/ro"
out=$(rkt --volume=rw,kind=host,source="$data/rw" --volume=ro,kind=host,source="$data/ro",readOnly=true \
  "$RKT_VM_IMAGES/busybox.aci" --readonly-rootfs=true --mount=volume=rw,target=/rw \
  --mount=volume=ro,target=/ro --exec /bin/sh -- -c '
echo sysfs=$(ls /sys/fs | tr "\n" " ")
v=$(cat /proc/sys/vm/panic_on_oom)
if (echo "$v" >/proc/sys/vm/panic_on_oom) 2>/dev/null; then echo write=ok; else echo write=refused; fi
echo syskernel=$(awk "\$5 == \"/sys/kernel\" {o = \$6} END {print o}" /proc/self/mountinfo | cut -d, -f1)
for f in /new /rw/new /ro/new; do
  if touch $f 2>/dev/null; then echo "$f=ok"; else echo "$f=refused"; fi
done') || exit 1
echo "$out"
expect sysfs "" "/sys/fs is covered by an empty inaccessible directory"
expect write refused "a write to /proc/sys/vm/panic_on_oom (read-only path)"
expect syskernel ro "/sys/kernel is mounted read-only (on nspawn's own read-only mount on v2)"
expect /new refused "--readonly-rootfs: a write to the rootfs"
expect /rw/new ok "--readonly-rootfs: a write to a readOnly=false volume"
expect /ro/new refused "--readonly-rootfs: a write to a readOnly volume"
[ -e "$data/rw/new" ] || fail "the write to the volume did not reach the host"
! grep -q "device policy is not applied" "$data/stderr" || fail "$(cat "$data/stderr")"

# 2. The device policy (and, lifted, the paths): /dev/kmsg's number in a directory volume (opened write-only, which
#    needs no other privilege; nothing written), mknod, a device volume.
mkdir -p "$data/devdir"
mknod "$data/devdir/kmsg" c 1 11 || fail "cannot make a device node"
DEVPROBE='echo x >/dev/null && echo null=ok
head -c1 /dev/zero >/dev/null && echo zero=ok
if mknod /tmp/loop b 7 0 2>/dev/null; then echo mknod=ok; else echo mknod=refused; fi
if (exec 3</vol-dev) 2>/dev/null; then echo vol=ok; else echo vol=refused; fi
if (exec 3>/devdir/kmsg) 2>/dev/null; then echo other=ok; else echo other=refused; fi
v=$(cat /proc/sys/vm/panic_on_oom)
if (echo "$v" >/proc/sys/vm/panic_on_oom) 2>/dev/null; then echo write=ok; else echo write=refused; fi
echo sysfs=$(ls /sys/fs | tr "\n" " ")'
DEVPOD=(--volume=dev,kind=host,source=$voldev --volume=devdir,kind=host,source="$data/devdir"
  "$RKT_VM_IMAGES/busybox.aci" --mount=volume=dev,target=/vol-dev --mount=volume=devdir,target=/devdir
  --exec /bin/sh -- -c "$DEVPROBE")
out=$(rkt "${DEVPOD[@]}") || exit 1
echo "$out"
expect null ok "the device program allows /dev/null"
expect zero ok "the device program allows /dev/zero"
expect mknod refused "mknod of a device the pod does not name"
expect other refused "open of a device node the pod does not name"
expect vol ok "a device volume ($voldev) can be opened"

out=$(INSECURE=image,paths rkt "${DEVPOD[@]}") || exit 1
echo "$out"
expect mknod ok "--insecure-options=paths: mknod is allowed"
expect other ok "--insecure-options=paths: any device node can be opened"
expect write ok "--insecure-options=paths: /proc/sys/vm/panic_on_oom is writable"
case " $(line sysfs)" in *" cgroup "*) echo "ok: --insecure-options=paths: /sys/fs/cgroup is there" ;;
  *) fail "--insecure-options=paths: no /sys/fs/cgroup: $out" ;; esac
