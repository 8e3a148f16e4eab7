# Shared by the nspawn flavor's functional tests: skips without what they need, the busybox
# image, `R` (rkt on a scratch data directory with the nspawn stage1), pod lookups and bounded
# waits. Source after lib.sh and private_mounts.

[ -x /bin/busybox ] || skip "busybox-static is not installed"
command -v systemd-nspawn >/dev/null ||
  skip "systemd-nspawn is not installed (Debian package systemd-container; make deps)"
PLUGINS="$RKT_BUILD_DIR/lib/rkt/plugins"
[ -f "$PLUGINS/stage1-nspawn.so" ] || skip "stage1-nspawn.so is not built"
[ -x "$PLUGINS/stage1-nspawn/supervisor" ] || skip "the nspawn pod supervisor is not built"
[ -f "$PLUGINS/store-cas.so" ] || skip "store-cas.so is not built"

DATA="$T/data"
NSPAWN=--stage1-name=coreos.com/rkt/stage1-nspawn
R() { run_rkt --dir="$DATA" --insecure-options=image "$@"; }
# The pods' cgroups live outside $T: lib.sh collects $DATA at exit, before $T goes.

# rkt_bg ARGS... &: rkt itself becomes the background job ($! is rkt's PID).
rkt_bg() { exec "$RKT" --dir="$DATA" --insecure-options=image "$@"; }

"$RKT_SOURCE_DIR/tests/fixtures/make-busybox-aci.sh" "$T/bb.aci" example.com/busybox 1.0.0 >/dev/null ||
  die "cannot build the busybox image"
R fetch "$T/bb.aci"
[ "$RC" -eq 0 ] || die "cannot fetch the busybox image: $ERR"
IMG=$(printf '%s' "$OUT" | tail -n1)

# pod_dir UUID: the pod's directory, wherever it is now.
pod_dir() {
  local d
  for d in run exited-garbage garbage prepared; do
    [ -d "$DATA/pods/$d/$1" ] && { echo "$DATA/pods/$d/$1"; return 0; }
  done
  return 1
}

# pod_has UUID PATH: the pod's directory (wherever it is by now) has PATH. The uuid file is
# written while the pod is still being prepared, before it has a directory pod_dir finds.
pod_has() {
  local d
  d=$(pod_dir "$1") && [ -e "$d/$2" ]
}

# wait_until DESCRIPTION CMD...: polls CMD (every 50 ms, at most 60 s); fails the test when it
# never succeeds. A bound against hangs, not a timing assumption.
wait_until() {
  local what=$1 i
  shift
  for ((i = 0; i < 1200; i++)); do
    "$@" && return 0
    sleep 0.05
  done
  fail "$what: still not true after 60 s"
  return 1
}

# pod_processes UUID: PIDs of the pod's processes still alive (those whose cgroup is the pod's).
pod_processes() {
  local scope=${1//-/\\\\x2d}
  grep -l "machine-rkt\\\\x2d$scope" /proc/[0-9]*/cgroup 2>/dev/null | cut -d/ -f3
}

# pod_cgroups UUID: the pod's cgroups (machine-rkt\x2d<uuid>.scope) in every hierarchy.
pod_cgroups() {
  find /sys/fs/cgroup -maxdepth 6 -type d -name "machine-rkt*${1:0:8}*.scope" 2>/dev/null
}

# no_leftovers UUID DESCRIPTION: no mount, cgroup or process of the pod remains.
no_leftovers() {
  local u=$1
  if grep -q "$u" /proc/self/mountinfo; then fail "$2: mounts of pod $u remain"; fi
  if [ -n "$(pod_processes "$u")" ]; then fail "$2: processes of pod $u remain"; fi
  if [ -n "$(pod_cgroups "$u")" ]; then fail "$2: cgroups of pod $u remain: $(pod_cgroups "$u")"; fi
  if [ -e "/run/systemd/nspawn/propagate/rkt-$u" ]; then fail "$2: nspawn's propagate dir remains"; fi
}
