#!/bin/bash
# `rkt gc` / `rkt rm` on real fly pods whose apps left what an app can leave (issue 9): 20,000
# nested directories (collected under `ulimit -n 256`), immutable and append-only files and
# directories, a mode-000 directory, bind mounts of a host directory and of a host file (one past
# PATH_MAX, at the bottom of the 20,000 levels); a pod that cannot be deleted makes gc exit
# non-zero naming the pod and the path, after collecting the others; an embryo left by a killed
# `rkt run` is collected once older than the grace period, never while its creator holds its lock.
. "$(dirname "$0")/lib.sh"
private_mounts "$@"
pin_stage1 fly  # written against fly: the process becomes the app, host namespaces
. "$(dirname "$0")/pod_lib.sh"

[ -x /bin/busybox ] || skip "busybox-static is not installed"
PLUGINS="$RKT_BUILD_DIR/lib/rkt/plugins"
[ -f "$PLUGINS/stage1-fly.so" ] || skip "stage1-fly.so is not built"
[ -f "$PLUGINS/store-cas.so" ] || skip "store-cas.so is not built"
[ -f "$PLUGINS/fetcher-aci-archive.so" ] || skip "fetcher-aci-archive.so is not built"
command -v flock >/dev/null || skip "flock(1) is missing"
command -v setpriv >/dev/null || skip "setpriv(1) is missing"

# tmpfs: 20,000 directories on a disk filesystem mounted with `discard` take a minute to make
# and as long to remove. The mount lives in this test's private namespace.
D=$T/data
mkdir -p "$D" && mount -t tmpfs tmpfs "$D" || die "cannot mount a tmpfs on $D"
on_exit "umount -l '$D'"
R() { run_rkt --dir="$D" --insecure-options=image "$@"; }
# gc under a small descriptor limit, as a periodic job may run it.
gc_limited() {
  OUT=$( (ulimit -n 256 && exec "$RKT" --dir="$D" gc "$@") 2>"$T/.stderr") && RC=0 || RC=$?
  ERR=$(cat "$T/.stderr")
}
no_pod() { # UUID DESCRIPTION
  if pod_path "$D" "$1" >/dev/null; then fail "$2: pod $1 is still there"; fi
}

"$RKT_SOURCE_DIR/tests/fixtures/make-busybox-aci.sh" "$T/bb.aci" example.com/busybox 1.0.0 >/dev/null ||
  die "cannot build the busybox image"
R fetch "$T/bb.aci"
assert_rc 0 "fetch"
IMG=$(printf '%s' "$OUT" | tail -n1)

# app_root UUID: the app's /root as the pod directory holds it (the overlay's upper directory, or
# the app rootfs without overlay).
app_root() {
  local pod dir
  pod=$(pod_path "$D" "$1") || return 1
  for dir in "$pod"/overlay/*/upper/busybox/root "$pod/stage1/rootfs/opt/stage2/busybox/rootfs/root"; do
    [ -e "$dir/marker" ] && { echo "$dir"; return 0; }
  done
  return 1
}

# --- 1. everything at once, collected by one gc under ulimit -n 256 ---------------------------
# 20,000 levels: ten moves of the tree under a fresh 2,000-level chain (each path stays short).
R run --uuid-file-save="$T/hostile.uuid" "$IMG" --exec /bin/sh -- -c '
  cd /root && touch marker || exit 1
  P=$(printf "d/%.0s" $(seq 1999)); mkdir x; i=0
  while [ $i -lt 10 ]; do mkdir -p "t/$P" && mv x "t/$P" && mv t x || exit 1; i=$((i+1)); done
  mkdir -p closed/inner locked/sub mnt && echo x >closed/inner/f && echo x >immutable &&
    echo x >appendonly && echo x >locked/sub/f && echo x >filemnt && chmod 000 closed/inner closed'
assert_rc 0 "the app builds its hostile tree"
HOSTILE=$(cat "$T/hostile.uuid")
ROOT=$(app_root "$HOSTILE") || die "cannot find the app's files in pod $HOSTILE"
if chattr +i "$ROOT/immutable" 2>/dev/null; then
  chattr +a "$ROOT/appendonly" && chattr +i "$ROOT/locked/sub" && chattr +a "$ROOT/locked" &&
    chattr +a "$ROOT/x" || die "chattr failed"
else
  echo "SKIP (part): $(basename "$0"): the data directory's filesystem has no immutable attribute (chattr +i failed); immutable and append-only entries are not tested" >&2
fi
# Bind mounts an app (or its stage1) left: a host directory and a host file on the same
# filesystem as the pod (same st_dev: only the mount tells them apart).
mkdir -p "$D/host"
echo precious >"$D/host/keep"
echo precious >"$D/host-file"
mount --bind "$D/host" "$ROOT/mnt" && mount --bind "$D/host-file" "$ROOT/filemnt" ||
  die "cannot bind-mount into the pod"
on_exit "umount -l '$ROOT/mnt' '$ROOT/filemnt' 2>/dev/null"
# And one at the bottom of the 20,000 levels, far past PATH_MAX (mount(2) through /proc/self/fd).
mkdir -p "$D/deep-host"
echo precious >"$D/deep-host/keep"
python3 - "$ROOT/x" "$D/deep-host" <<'PY' || die "cannot bind-mount at the bottom of the deep tree"
import ctypes, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
while True:
    subdirs = [e.name for e in os.scandir(fd) if e.is_dir(follow_symlinks=False)]
    if not subdirs:
        break
    sub = os.open(subdirs[0], os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
    os.close(fd)
    fd = sub
os.mkdir("mnt", dir_fd=fd)
target = os.open("mnt", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
libc = ctypes.CDLL(None, use_errno=True)
MS_BIND = 4096
if libc.mount(sys.argv[2].encode(), b"/proc/self/fd/%d" % target, None, MS_BIND, None) != 0:
    sys.exit("mount: " + os.strerror(ctypes.get_errno()))
PY
R run --uuid-file-save="$T/plain.uuid" "$IMG" --exec /bin/true
assert_rc 0 "a plain pod"
PLAIN=$(cat "$T/plain.uuid")

gc_limited --grace-period=0s
assert_rc 0 "gc of the hostile pod under ulimit -n 256"
assert_contains "$OUT" "Garbage collecting pod \"$HOSTILE\"" "gc collects the hostile pod"
no_pod "$HOSTILE" "the hostile pod is deleted"
no_pod "$PLAIN" "the plain pod is deleted"
assert_eq "$(cat "$D/host/keep" 2>/dev/null)" precious "the bind-mounted host directory is intact"
assert_eq "$(cat "$D/host-file" 2>/dev/null)" precious "the bind-mounted host file is intact"
assert_eq "$(cat "$D/deep-host/keep" 2>/dev/null)" precious "the directory mounted 20,000 levels down is intact"
assert_eq "$(mounts_below "$D/pods")" "" "no mount left below the pods"

# --- 2. a pod gc cannot delete: reported with pod and path, exit non-zero, the rest collected --
R run --uuid-file-save="$T/stuck.uuid" "$IMG" --exec /bin/sh -- -c 'touch /root/marker /root/stuck'
STUCK=$(cat "$T/stuck.uuid")
R run --uuid-file-save="$T/other.uuid" "$IMG" --exec /bin/true
OTHER=$(cat "$T/other.uuid")
ROOT=$(app_root "$STUCK") || die "cannot find the app's files in pod $STUCK"
if chattr +i "$ROOT/stuck" 2>/dev/null; then
  # Without CAP_LINUX_IMMUTABLE gc cannot clear the attribute, so the file cannot go.
  OUT=$(setpriv --bounding-set -linux_immutable "$RKT" --dir="$D" gc --grace-period=0s \
    2>"$T/.stderr") && RC=0 || RC=$?
  ERR=$(cat "$T/.stderr")
  assert_rc 254 "gc that could not delete a pod"
  assert_contains "$ERR" "cannot delete pod \`$STUCK\`" "the error names the pod"
  assert_contains "$ERR" "/root/stuck\`: operation not permitted" "the error names the path"
  assert_contains "$ERR" "failed to collect one or more pods" "gc says it failed"
  no_pod "$OTHER" "the other pod is still collected"
  pod_path "$D" "$STUCK" >/dev/null || fail "the pod that could not be deleted is kept for a retry"
  R gc --grace-period=0s
  assert_rc 0 "gc with the privilege to clear the attribute"
  no_pod "$STUCK" "the pod is deleted on the retry"
else
  echo "SKIP (part): $(basename "$0"): no immutable attribute on this filesystem: gc's failure exit is not tested" >&2
  R gc --grace-period=0s
fi

# --- 3. rm of a deep pod --------------------------------------------------------------------------
R run --uuid-file-save="$T/rm.uuid" "$IMG" --exec /bin/sh -- -c '
  cd /root && P=$(printf "d/%.0s" $(seq 1999)); mkdir x; i=0
  while [ $i -lt 3 ]; do mkdir -p "t/$P" && mv x "t/$P" && mv t x || exit 1; i=$((i+1)); done'
RMPOD=$(cat "$T/rm.uuid")
OUT=$( (ulimit -n 256 && exec "$RKT" --dir="$D" rm "$RMPOD") 2>"$T/.stderr") && RC=0 || RC=$?
ERR=$(cat "$T/.stderr")
assert_rc 0 "rm of a 6,000-level pod under ulimit -n 256"
no_pod "$RMPOD" "rm deleted it"

# --- 4. embryos ----------------------------------------------------------------------------------
# What a `rkt run` killed between creating its pod directory and preparing it leaves: an empty
# pods/embryo/<uuid>; and one whose creator is alive (holds the lock).
ABANDONED=$(make_pod "$D" embryo)
LIVE=$(make_pod "$D" embryo)
HOLDER=$(hold_pod "$D" "$LIVE")
R gc
assert_rc 0 "gc with embryos"
pod_path "$D" "$ABANDONED" >/dev/null || fail "an embryo within the grace period is kept"
R gc --grace-period=0s
assert_rc 0 "gc --grace-period=0s with embryos"
no_pod "$ABANDONED" "an abandoned embryo is collected"
pod_path "$D" "$LIVE" >/dev/null || fail "an embryo whose creator holds its lock is never collected"
release_pod "$HOLDER"
# The group's last process may still be exiting: wait until the lock is really free.
for i in $(seq 200); do flock -n "$D/pods/embryo/$LIVE" true && break; sleep 0.05; done
R gc --grace-period=0s
no_pod "$LIVE" "the embryo is collected once its creator is gone"
R run "$IMG" --exec /bin/true
assert_rc 0 "run after gc"
assert_eq "$(ls -A "$D/pods/embryo")" "" "nothing left in embryo/"
