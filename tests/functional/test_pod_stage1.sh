#!/bin/bash
# The pod commands that go through the pod's stage1 plugin (stage1-fly.so): enter, stop, and the
# stage1 gc step of rm/gc, on pod directories in rkt's layout held by a real process (the pid
# and pgid files written as fly writes them). Also what happens when a pod's stage1 is missing.
. "$(dirname "$0")/lib.sh"
private_mounts "$@"
pin_stage1 fly  # written against fly: the process becomes the app, host namespaces
. "$(dirname "$0")/pod_lib.sh"
command -v flock >/dev/null || skip "flock(1) is missing"
[ -f "$RKT_BUILD_DIR/lib/rkt/plugins/stage1-fly.so" ] || skip "stage1-fly.so is not built"

D=$T/data
mkdir -p "$D"
R() { run_rkt --dir="$D" "$@"; }

# --- enter ------------------------------------------------------------------------------------
P=$(make_pod "$D" run)
H=$(hold_pod "$D" "$P")
R enter "$P" /bin/sh -c 'echo "in $AC_APP_NAME as $(id -u)"; test -x /bin/busybox && exit 7'
assert_rc 7 "enter exit status is the command's"
assert_eq "$OUT" "in busybox as 0" "enter runs in the app with its environment"
R enter --app=busybox "${P:0:8}" /bin/true
assert_rc 0 "enter --app with a prefix"
R enter "$P"
assert_contains "$ERR" 'enter: no command specified, assuming "/bin/bash"' "default command"
assert_rc 254 "busybox has no /bin/bash"
PREP=$(make_pod "$D" prepared)
R enter "$PREP" /bin/true
assert_rc 254 "enter a pod that is not running"
assert_contains "$ERR" "enter: pod \"$PREP\" isn't currently running" "enter state message"
R enter
assert_rc 254 "enter without a pod"

# --- stop -------------------------------------------------------------------------------------
R stop "$P"
assert_rc 0 "stop"
assert_eq "$OUT" "\"$P\"" "stop prints the quoted UUID"
wait "$H" 2>/dev/null
R status --wait=5s "$P"
assert_contains "$OUT" "state=exited" "stopped pod exits"
R stop "$P"
assert_rc 0 "stop an exited pod"
assert_eq "$OUT" "pod \"$P\" is already stopped" "already stopped"
R stop "$PREP"
assert_rc 254 "stop a prepared pod"
assert_contains "$ERR" "stop: pod \"$PREP\" is not running" "not running message"
assert_contains "$ERR" "stop: failed to stop 1 pod(s)" "stop failure summary"

# --force: SIGKILL, which a holder ignoring SIGTERM cannot escape.
P2=$(make_pod "$D" run)
pod2=$D/pods/run/$P2
setsid flock "$pod2" sh -c 'trap "" TERM; while :; do sleep 0.1; done' </dev/null >/dev/null 2>&1 &
H2=$!
on_exit "kill -KILL -- -$H2 2>/dev/null"
for i in $(seq 1 100); do flock -n -s "$pod2" true 2>/dev/null || break; sleep 0.05; done
echo "$H2" >"$pod2/pid"
echo "$H2" >"$pod2/pgid"
printf '%s\n' "$P2" >"$T/uuid2"
R stop --force --uuid-file="$T/uuid2"
assert_rc 0 "stop --force --uuid-file"
wait "$H2" 2>/dev/null
R status --wait=5s "$P2"
assert_contains "$OUT" "state=exited" "stop --force kills"
R stop --uuid-file="$T/missing"
assert_rc 1 "stop: unreadable --uuid-file"
R stop
assert_rc 254 "stop without pods"

# --- a pod whose stage1 is not installed ------------------------------------------------------
P3=$(make_pod "$D" run)
ln -sfn nosuch "$D/pods/run/$P3/flavor"
H3=$(hold_pod "$D" "$P3")
R stop "$P3"
assert_rc 254 "stop with a missing stage1"
assert_contains "$ERR" "error stopping \"$P3\": cannot load stage1 \`nosuch\`" "missing stage1 named"
release_pod "$H3"
R rm "$P3"
assert_rc 0 "rm still removes a pod whose stage1 is gone"
assert_contains "$ERR" "skipping stage1 GC: cannot load stage1 \`nosuch\`" "rm reports the stage1"
pod_path "$D" "$P3" >/dev/null && fail "pod removed"

# --- gc after SIGKILL, with the pod's mounts still there, concurrently with status ------------
P4=$(make_pod "$D" run)
H4=$(hold_pod "$D" "$P4")
root4=$D/pods/run/$P4/stage1/rootfs/opt/stage2/$POD_APP/rootfs
# What fly mounts for a pod: /proc and /dev binds (made private here first: this test's namespace
# is private, but the binds must not carry propagation back), a tmpfs.
mkdir -p "$root4/proc" "$root4/dev" "$root4/tmp"
mount --rbind /proc "$root4/proc" && mount --make-rprivate "$root4/proc"
mount --rbind /dev "$root4/dev" && mount --make-rprivate "$root4/dev"
mount -t tmpfs tmpfs "$root4/tmp"
[ -n "$(mounts_below "$D")" ] || fail "test mounts in place"
release_pod "$H4" KILL
( for i in $(seq 1 40); do "$RKT" --dir="$D" status "$P4" >/dev/null 2>&1; done ) &
STATUS_LOOP=$!
R gc --grace-period=0s
wait "$STATUS_LOOP"
assert_rc 0 "gc"
# A gc that found the pod busy (status held it for an instant) leaves it for the next run.
if pod_path "$D" "$P4" >/dev/null; then
  R gc --grace-period=0s
  assert_rc 0 "second gc"
fi
assert_contains "$OUT" "Garbage collecting pod \"$P4\"" "gc collects the killed pod"
pod_path "$D" "$P4" >/dev/null && fail "gc removed the killed pod"
assert_eq "$(mounts_below "$D")" "" "no mount left under \$DATA"
[ -e /proc/self/stat ] && [ -e /dev/null ] || fail "host /proc and /dev untouched"
R gc --grace-period=0s
assert_rc 0 "gc with everything gone"
for phase in run exited-garbage garbage; do
  assert_eq "$(ls -A "$D/pods/$phase")" "" "no pod directory left in $phase"
done

# --- stage1s without enter/stop/gc -------------------------------------------------------------
# The commands name the missing op, and rm has nothing to release, whether the ops table ends
# before them (a C plugin built for ABI 1.0) or holds NULL there (an SDK flavor overriding `run`
# only: the SDK leaves what the class does not override NULL).
without_ops() { # PLUGIN_FILE FLAVOR
  [ -f "$1" ] || { echo "note: $1 not built, unsupported-op checks for $2 skipped" >&2; return; }
  local dir=$T/plugins-$2 pod holder
  mkdir -p "$dir" && cp "$1" "$dir/"
  export RKT_PLUGIN_PATH=$dir
  pod=$(make_pod "$D" run)
  ln -sfn "$2" "$D/pods/run/$pod/flavor"
  holder=$(hold_pod "$D" "$pod")
  R stop "$pod"
  assert_rc 254 "stop through $2 (no stop)"
  assert_contains "$ERR" "error stopping \"$pod\": \`stop\` is not supported by this stage1 (stage1 \`$2\`)" \
    "$2: stop not supported"
  R enter "$pod" /bin/true
  assert_rc 254 "enter through $2 (no enter)"
  assert_contains "$ERR" "enter: enter failed: \`enter\` is not supported by this stage1 (stage1 \`$2\`)" \
    "$2: enter not supported"
  release_pod "$holder"
  R rm "$pod"
  assert_rc 0 "rm with $2, which has nothing to release"
  assert_eq "$ERR" "" "$2: no gc op, nothing to report"
  pod_path "$D" "$pod" >/dev/null && fail "$2: pod removed"
  unset RKT_PLUGIN_PATH
}
without_ops "$RKT_BUILD_DIR/tests/functional-plugins/stage1-minimal.so" minimal
without_ops "$RKT_BUILD_DIR/tests/abi/plugins/stage1-run-only.so" run-only
