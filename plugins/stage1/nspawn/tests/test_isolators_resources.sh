#!/usr/bin/env bash
# Resource isolators of nspawn apps on cgroup v1, read from the app's own cgroup inside real
# pods (rkt-notes §6.4; rkt's TestAppIsolatorMemory/CPU/CPUShares): the image's
# `resource/memory` 25Mi → memory.limit_in_bytes 26214400, `--memory 42Mi` replacing it,
# `resource/cpu` 800m → cpu.cfs_quota_us 80000 per 100000, `--cpu 900m`, `--cpu-shares`.
# cgroup v2 (memory.max, cpu.max, cpu.weight): tests/vm/test_isolators_resources.sh.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
[ -d /sys/fs/cgroup/memory ] && [ -d /sys/fs/cgroup/cpu ] ||
  skip "no cgroup v1 memory and cpu hierarchies (cgroup v2 is tested in tests/vm)"
. "$(dirname "$0")/nspawn_lib.sh"

# The app prints its cgroups and the knobs of the one it is in, per controller. /sys/fs is one
# of rkt's inaccessible paths: as rkt's own isolator tests, the app escapes its chroot through
# PID 1 (the supervisor, in the pod's root), which takes CAP_SYS_PTRACE.
SHOW='cat /proc/self/cgroup; cg=/proc/1/root/sys/fs/cgroup
m=$(sed -n "s/^[0-9]*:memory://p" /proc/self/cgroup); c=$(sed -n "s/^[0-9]*:cpu://p" /proc/self/cgroup)
echo mem=$(cat $cg/memory$m/memory.limit_in_bytes)
echo quota=$(cat $cg/cpu$c/cpu.cfs_quota_us) period=$(cat $cg/cpu$c/cpu.cfs_period_us)
echo shares=$(cat $cg/cpu$c/cpu.shares)'
val() { printf '%s\n' "$OUT" | sed -n "s/^.*\\b$1=\\([0-9-]*\\).*$/\\1/p" | head -n1; }

res_run() {
  local what=$1 image=$2
  shift 2
  bounded R run $NSPAWN --net=host "$image" --caps-retain=CAP_SYS_PTRACE "$@" --exec /bin/sh -- -c "$SHOW"
  assert_rc 0 "$what"
}

ACI_MANIFEST_PATCH='{"app":{"isolators":[
  {"name":"resource/memory","value":{"limit":"25Mi"}},
  {"name":"resource/cpu","value":{"limit":"800m"}},
  {"name":"os/linux/cpu-shares","value":512}]}}' \
  "$RKT_SOURCE_DIR/tests/fixtures/make-busybox-aci.sh" "$T/res.aci" example.com/res 1.0.0 >/dev/null ||
  die "cannot build the image with resource isolators"
R fetch "$T/res.aci"
[ "$RC" -eq 0 ] || die "cannot fetch the image: $ERR"
RES=$(printf '%s\n' "$OUT" | tail -n1)

# 1. The image's isolators, in the app's own cgroup system.slice/<app>.service.
res_run "image isolators" "$RES"
assert_contains "$OUT" ":memory:/system.slice/res.service" "the app's memory cgroup"
assert_contains "$OUT" ":cpu:/system.slice/res.service" "the app's cpu cgroup"
assert_eq "$(val mem)" 26214400 "image 25Mi: memory.limit_in_bytes"
assert_eq "$(val quota)" 80000 "image 800m: cpu.cfs_quota_us"
assert_eq "$(val period)" 100000 "cpu.cfs_period_us"
assert_eq "$(val shares)" 512 "image cpu shares"
assert_not_contains "$ERR" "not applied" "no warning about the resource isolators"

# 2. The flags replace the image's (CLI wins, as rkt).
res_run "flags" "$RES" --memory=42Mi --cpu=900m --cpu-shares=1024
assert_eq "$(val mem)" 44040192 "--memory 42Mi: memory.limit_in_bytes"
assert_eq "$(val quota)" 90000 "--cpu 900m: cpu.cfs_quota_us"
assert_eq "$(val shares)" 1024 "--cpu-shares 1024"

# 3. No isolator: the app stays in the pod's cgroup, unlimited.
res_run "no isolators" "$IMG"
assert_eq "$(val mem)" 9223372036854771712 "no limit: memory.limit_in_bytes"
assert_eq "$(val quota)" -1 "no limit: cpu.cfs_quota_us"
