#!/usr/bin/env bash
# A stage1 image that really runs its pod (sdk/examples/script-stage1: shell entrypoints that
# chroot into the app) through the aci flavor: run, prepare + run-prepared, status/list from
# its rkt/status files, enter, stop, gc, and `image gc` keeping the stage1 image while a pod
# uses it. Plus rkt's errors for a running pod whose stage1 lacks enter and stop.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/aci_lib.sh"

EXAMPLE="$RKT_SOURCE_DIR/sdk/examples/script-stage1"
S1=$("$EXAMPLE/build.sh" "$T/s1.aci") || die "cannot build the script stage1"
S1=${S1:0:71}
EXIT3=$(app_image "$T/exit3.aci" example.com/exit3 /bin/sh -c 'echo app says hi; exit 3')
SLEEPER=$(app_image "$T/sleeper.aci" example.com/sleeper /bin/sleep 3600)

# wait_running UUID: until `rkt list` shows the pod running (a bounded number of polls; the
# pod's own start, not a duration, ends the wait).
wait_running() {
  local i
  for ((i = 0; i < 600; i++)); do
    R status "$1"
    case "$OUT" in *state=running*pid=[1-9]*) return 0 ;; esac
    sleep 0.1
  done
  fail "pod $1 never ran: $OUT $ERR"
  return 1
}
# start_sleeper [STAGE1]: runs the sleeper pod in the background; sets $uuid and $runner.
start_sleeper() {
  "$RKT" --dir="$DATA" --system-config="$T/sys" --local-config="$T/local" \
    --insecure-options=image run --stage1-path="${1:-$T/s1.aci}" --uuid-file-save="$T/uuid" \
    "$SLEEPER" >"$T/runner.out" 2>&1 &
  runner=$!
  on_exit "kill $runner 2>/dev/null"
  local i
  for ((i = 0; i < 600; i++)); do
    [ -s "$T/uuid" ] && break
    kill -0 "$runner" 2>/dev/null || die "the pod did not start: $(cat "$T/runner.out")"
    sleep 0.1
  done
  uuid=$(cat "$T/uuid")
  rm -f "$T/uuid"
  wait_running "$uuid"
}

# 1. run: the app's output and exit status, recorded in rkt/status/<app>.
R run --stage1-path="$T/s1.aci" "$EXIT3"
assert_rc 3 "run: the app's exit status"
assert_eq "$OUT" "app says hi" "run: the app's output"
uuid=$(basename "$(last_pod)")
R status "$uuid"
assert_contains "$OUT" "state=exited" "status: exited"
assert_contains "$OUT" "app-exit3=3" "status: exit code from the status file"
R list --no-legend
assert_contains "$OUT" "exit3	example.com/exit3:1.0.0	exited" "list"

# 2. prepare + run-prepared.
R prepare --stage1-path="$T/s1.aci" "$EXIT3"
assert_rc 0 "prepare"
prepared=$OUT
assert_file "$DATA/pods/prepared/$prepared/stage1TreeStoreID" "prepared pod records its stage1 tree"
R run-prepared "$prepared"
assert_rc 3 "run-prepared: the app's exit status"
assert_eq "$OUT" "app says hi" "run-prepared: the app's output"
R status "$prepared"
assert_contains "$OUT" "app-exit3=3" "run-prepared: status"

# 3. A running pod: enter, image gc keeps the stage1 image, stop.
start_sleeper
R enter "$uuid" /bin/sh -c 'echo entered $(cat /proc/1/comm 2>/dev/null); exit 5'
assert_rc 5 "enter: the command's exit status"
assert_contains "$OUT" "entered" "enter ran in the app"
R enter --app=sleeper "$uuid" /bin/ls /bin/sleep
assert_rc 0 "enter --app"
R image gc --grace-period=0s
assert_rc 0 "image gc while the pod runs"
R image list --no-legend --fields=id
assert_contains "$OUT" "${S1:0:19}" "image gc keeps the running pod's stage1 image"
assert_file "$DATA/cas/tree/$(cat "$DATA/pods/run/$uuid/stage1TreeStoreID")" "its tree is kept"
R stop "$uuid"
assert_rc 0 "stop"
wait "$runner"
assert_eq "$?" "143" "the stopped pod's run exits with the app's status (SIGTERM)"
R status "$uuid"
assert_contains "$OUT" "app-sleeper=143" "status after stop"

# 4. gc calls the gc entrypoint ([--debug] [--local-config DIR] UUID, interface version 5),
#    then image gc can remove the stage1 image.
SCRIPT_STAGE1_GC_LOG=$T/gc.log R gc --grace-period=0s
assert_rc 0 "gc"
assert_contains "$(cat "$T/gc.log" 2>/dev/null)" "--local-config $T/local $uuid" "gc entrypoint arguments"
[ -z "$(ls -A "$DATA/pods/run" 2>/dev/null)" ] || fail "gc left pods in run/"
R image gc --grace-period=0s
R image list --no-legend --fields=id
assert_not_contains "$OUT" "${S1:0:19}" "image gc removes the stage1 image once no pod uses it"

# 5. A stage1 without enter and stop entrypoints: rkt's errors on a running pod.
SLEEPER=$(app_image "$T/sleeper.aci" example.com/sleeper /bin/sleep 3600)  # image gc took it
mkdir -p "$T/bare"
cp "$EXAMPLE/rootfs/init" "$T/bare/init"
ACI_EXTRA_DIR=$T/bare \
  ACI_MANIFEST_PATCH='{"annotations":[{"name":"coreos.com/rkt/stage1/run","value":"/init"}]}' \
  "$FIX/make-busybox-aci.sh" "$T/bare.aci" example.com/bare-stage1 1.0.0 >/dev/null
start_sleeper "$T/bare.aci"
R enter "$uuid" /bin/true
assert_rc 254 "enter without an enter entrypoint"
assert_contains "$ERR" "entrypoint \"coreos.com/rkt/stage1/enter\" not found" "enter entrypoint missing"
R stop "$uuid"
assert_rc 254 "stop without a stop entrypoint"
assert_contains "$ERR" "rkt stop not implemented for pod's stage1" "stop entrypoint missing"
kill "$(cat "$DATA/pods/run/$uuid/pid")"
wait "$runner"
assert_eq "$?" "143" "the pod ends with its stage1 killed"
