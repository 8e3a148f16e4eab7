#!/bin/bash
# The pod commands on real fly pods started by `rkt run` (issue 4's Done-when items): status and
# list while running and after exit (text and JSON), enter, stop and stop --force, export of an
# exited pod's app, cat-manifest, rm, gc with a grace period, after SIGKILL and concurrently with
# status, and that `gc --grace-period=0s` leaves no mount under $DATA and no pod directory.
. "$(dirname "$0")/lib.sh"
private_mounts "$@"
pin_stage1 fly  # written against fly: the process becomes the app, host namespaces

[ -x /bin/busybox ] || skip "busybox-static is not installed"
PLUGINS="$RKT_BUILD_DIR/lib/rkt/plugins"
[ -f "$PLUGINS/stage1-fly.so" ] || skip "stage1-fly.so is not built"
[ -f "$PLUGINS/store-cas.so" ] || skip "store-cas.so is not built"
[ -f "$PLUGINS/fetcher-aci-archive.so" ] || skip "fetcher-aci-archive.so is not built"
"$RKT" help 2>/dev/null | grep -qE '^[[:space:]]+run[[:space:]]' || skip "this rkt has no run command"

D=$T/data
R() { run_rkt --dir="$D" --insecure-options=image "$@"; }

"$RKT_SOURCE_DIR/tests/fixtures/make-busybox-aci.sh" "$T/bb.aci" example.com/busybox 1.0.0 >/dev/null ||
  die "cannot build the busybox image"
R fetch "$T/bb.aci"
assert_rc 0 "fetch"
IMG=$(printf '%s' "$OUT" | tail -n1)

# start_pod NAME ARGS...: `rkt run` in the background (it becomes the app); waits until the pod
# runs and its pid file is written. Sets POD_UUID and POD_RUN_PID.
start_pod() {
  local name=$1
  shift
  "$RKT" --dir="$D" --insecure-options=image run --uuid-file-save="$T/$name.uuid" "$@" \
    </dev/null >"$T/$name.out" 2>"$T/$name.err" &
  POD_RUN_PID=$!
  on_exit "kill -KILL $POD_RUN_PID 2>/dev/null"
  local i
  for i in $(seq 1 200); do
    if [ -s "$T/$name.uuid" ]; then
      POD_UUID=$(cat "$T/$name.uuid")
      [ -f "$D/pods/run/$POD_UUID/pid" ] && [ -s "$T/$name.out" ] && return 0
    fi
    sleep 0.05
  done
  die "pod $name did not start: $(cat "$T/$name.err")"
}

# --- a running pod: status, list, enter, cat-manifest ----------------------------------------
start_pod one "$IMG" --exec /bin/sh -- -c 'echo started; echo kept >/exported-marker; sleep 600'
U1=$POD_UUID
P1=$POD_RUN_PID
R status "$U1"
assert_rc 0 "status running"
assert_contains "$OUT" "state=running" "running state"
assert_contains "$OUT" "pid=$P1" "pid is the app's (rkt run became the app)"
assert_contains "$OUT" "exited=false" "not exited"
assert_contains "$OUT" "started=" "start time"
R status --format=json "$U1"
assert_json "$OUT" "status json"
assert_contains "$OUT" '"state":"running"' "json state"
assert_contains "$OUT" "\"image_id\":\"$IMG" "json image id (fetch prints a prefix of it)"
R list --no-legend
assert_contains "$OUT" "${U1:0:8}" "list shows the pod"
assert_contains "$OUT" "example.com/busybox:1.0.0" "list image name"
assert_contains "$OUT" "running" "list state"
R list --format=json
assert_json "$OUT" "list json"
R enter "$U1" /bin/sh -c 'cat /exported-marker; echo "$AC_APP_NAME"; exit 3'
assert_rc 3 "enter exit status"
assert_eq "$OUT" "$(printf 'kept\nbusybox')" "enter sees the app's rootfs and environment"
R cat-manifest "$U1"
assert_rc 0 "cat-manifest"
assert_contains "$OUT" "$(printf '"acKind": "PodManifest"')" "cat-manifest pretty"
assert_contains "$OUT" "\"id\": \"$IMG" "cat-manifest has the image id"
R export "$U1" "$T/running.aci"
assert_rc 254 "export of a running pod"
R rm "$U1"
assert_rc 254 "rm of a running pod"
R gc --grace-period=0s
assert_rc 0 "gc leaves running pods alone"
assert_not_contains "$OUT$ERR" "$U1" "gc does not touch the running pod"

# --- stop, then the exited pod: status, list, export ------------------------------------------
R stop "$U1"
assert_rc 0 "stop"
assert_eq "$OUT" "\"$U1\"" "stop output"
wait "$P1" 2>/dev/null
R status --wait=10s "$U1"
assert_rc 0 "status --wait after stop"
assert_contains "$OUT" "state=exited" "exited after stop"
assert_contains "$OUT" "exited=true" "exited=true"
R status --format=json-pretty "$U1"
assert_contains "$OUT" "$(printf '\t"state": "exited"')" "json-pretty exited"
R list
assert_contains "$OUT" "exited" "list shows the exited pod"
R stop "$U1"
assert_eq "$OUT" "pod \"$U1\" is already stopped" "stop an exited pod"
R export "$U1" "$T/one.aci"
assert_rc 0 "export of the exited pod"
[ "$(tar -xzOf "$T/one.aci" rootfs/exported-marker 2>/dev/null)" = kept ] ||
  fail "exported ACI carries the app's changes"
tar -tzf "$T/one.aci" | grep -qx manifest || fail "exported ACI has a manifest"
if grep -q " $D/tmp" /proc/self/mountinfo; then fail "export left a mount under \$DATA/tmp"; fi
R fetch "$T/one.aci"
assert_rc 0 "the exported ACI is a valid image"

# --- stop --force: an app that ignores SIGTERM ------------------------------------------------
start_pod two "$IMG" --exec /bin/sh -- -c 'trap "" TERM; echo started; while :; do sleep 1; done'
U2=$POD_UUID
P2=$POD_RUN_PID
R stop "$U2"
assert_rc 0 "stop (ignored)"
sleep 0.5
R status "$U2"
assert_contains "$OUT" "state=running" "SIGTERM ignored: still running"
R stop --force "$U2"
assert_rc 0 "stop --force"
wait "$P2" 2>/dev/null
R status --wait=10s "$U2"
assert_contains "$OUT" "state=exited" "stop --force kills"

# --- rm of an exited pod ----------------------------------------------------------------------
R rm "$U2"
assert_rc 0 "rm"
assert_eq "$OUT" "\"$U2\"" "rm output"
[ -e "$D/pods/run/$U2" ] || [ -e "$D/pods/exited-garbage/$U2" ] && fail "rm removed the pod"

# --- SIGKILL, then gc with and without a grace period, concurrently with status ---------------
start_pod three "$IMG" --exec /bin/sh -- -c 'echo started; sleep 600'
U3=$POD_UUID
P3=$POD_RUN_PID
kill -KILL "$P3"
wait "$P3" 2>/dev/null
R status "$U3"
assert_contains "$OUT" "state=exited" "killed pod is exited"
R gc
assert_rc 0 "gc marks"
assert_contains "$ERR" "moving pod \"$U3\" to garbage" "gc marks the killed pod"
assert_contains "$ERR" "moving pod \"$U1\" to garbage" "gc marks the stopped pod"
assert_contains "$ERR" "pod \"$U3\" not removed: still within grace period (30m0s)" "grace period"
R status "$U3"
assert_contains "$OUT" "state=exited garbage" "status of a marked pod"
( for i in $(seq 1 30); do "$RKT" --dir="$D" status "$U3" >/dev/null 2>&1; done ) &
LOOP=$!
R gc --grace-period=0s
wait "$LOOP"
assert_rc 0 "gc --grace-period=0s"
R gc --grace-period=0s   # what a concurrent status kept busy
assert_rc 0 "second gc"
if grep -q " $D" /proc/self/mountinfo; then fail "mounts left under \$DATA after gc"; fi
for phase in prepare prepared run exited-garbage garbage; do
  assert_eq "$(ls -A "$D/pods/$phase" 2>/dev/null)" "" "no pod directory left in $phase"
done
R list --no-legend
assert_eq "$OUT" "" "no pods listed"
