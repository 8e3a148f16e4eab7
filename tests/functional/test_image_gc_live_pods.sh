#!/bin/bash
# `rkt image gc` never removes what a pod still uses (issue 9, defect 1): the rendered trees of a
# running fly pod and of a prepared pod survive `image gc --grace-period=0s`, and both apps still
# read their files afterwards; a pod whose references cannot be read keeps every tree, with a
# warning naming it.
. "$(dirname "$0")/lib.sh"
private_mounts "$@"
pin_stage1 fly  # written against fly: the process becomes the app, host namespaces

[ -x /bin/busybox ] || skip "busybox-static is not installed"
PLUGINS="$RKT_BUILD_DIR/lib/rkt/plugins"
for p in stage1-fly store-cas fetcher-aci-archive; do
  [ -f "$PLUGINS/$p.so" ] || skip "$p.so is not built"
done

D=$T/data
R() { run_rkt --dir="$D" --insecure-options=image "$@"; }
FIX=$RKT_SOURCE_DIR/tests/fixtures

fetch_image() { # FILE NAME: prints the image key
  "$FIX/make-busybox-aci.sh" "$1" "$2" 1.0.0 >/dev/null || die "cannot build $2"
  R fetch "$1"
  [ "$RC" -eq 0 ] || die "fetch $2: $ERR"
  printf '%s' "$OUT" | tail -n1
}
RUNNING_IMG=$(fetch_image "$T/running.aci" example.com/running)
PREPARED_IMG=$(fetch_image "$T/prepared.aci" example.com/prepared)
trees() { (cd "$D/cas/tree" && ls -1 | sort); }

# A running pod: it waits for /go (made through `rkt enter` after the gc), then reads its files.
"$RKT" --dir="$D" --insecure-options=image run --uuid-file-save="$T/run.uuid" "$RUNNING_IMG" \
  --exec /bin/sh -- -c 'echo started; while [ ! -e /go ]; do sleep 0.05; done; cat /etc/passwd' \
  </dev/null >"$T/run.out" 2>"$T/run.err" &
RUN_PID=$!
on_exit "kill -KILL $RUN_PID 2>/dev/null"
for _ in $(seq 1 200); do
  [ -s "$T/run.uuid" ] && [ -f "$D/pods/run/$(cat "$T/run.uuid")/pid" ] && [ -s "$T/run.out" ] && break
  sleep 0.05
done
[ -s "$T/run.out" ] || die "the running pod did not start: $(cat "$T/run.err")"
RUN_UUID=$(cat "$T/run.uuid")

# A prepared pod of another image.
R prepare "$PREPARED_IMG" --exec /bin/sh -- -c 'cat /etc/passwd'
assert_rc 0 "prepare"
PREP_UUID=$(printf '%s' "$OUT" | tail -n1)

trees_before=$(trees)
[ "$(printf '%s\n' "$trees_before" | grep -c .)" -eq 2 ] || die "expected two trees, got: $trees_before"

R image gc --grace-period=0s
assert_rc 0 "image gc"
assert_not_contains "$ERR" "cannot get" "image gc reads every pod's references"
assert_eq "$(trees)" "$trees_before" "trees of the running and the prepared pod are kept"
# As rkt: the prepared pod's image is not used by a running pod, so it goes; its tree stays.
R image list --no-legend --fields=id
assert_contains "$OUT" "${RUNNING_IMG:0:19}" "the running pod's image is kept"
assert_not_contains "$OUT" "${PREPARED_IMG:0:19}" "the prepared pod's image is collected"

# The running app reads its files after the gc.
R enter "$RUN_UUID" /bin/touch /go
assert_rc 0 "enter the running pod"
wait "$RUN_PID" && rc=0 || rc=$?
assert_eq "$rc" 0 "the running app read /etc/passwd after image gc ($(cat "$T/run.err"))"
assert_contains "$(cat "$T/run.out")" "root:" "the running app printed /etc/passwd"

# The prepared pod runs from its recorded tree although its image is gone.
R run-prepared "$PREP_UUID"
assert_rc 0 "run-prepared after image gc"
assert_contains "$OUT" "root:" "the prepared app printed /etc/passwd"

# Fail safe: a pod whose references cannot be read keeps every tree, even unreferenced ones.
R gc --grace-period=0s
assert_rc 0 "gc of the exited pods"
R prepare "$RUNNING_IMG" --exec /bin/true
assert_rc 0 "prepare a pod to damage"
BAD_UUID=$(printf '%s' "$OUT" | tail -n1)
R rm "$BAD_UUID"  # its tree is now unreferenced
assert_rc 0 "rm"
R prepare "$RUNNING_IMG" --exec /bin/true
BAD_UUID=$(printf '%s' "$OUT" | tail -n1)
app_info=$(ls -d "$D/pods/prepared/$BAD_UUID/appsinfo/"*)
rm "$app_info/treeStoreID" && mkdir "$app_info/treeStoreID" # unreadable as a file
"$FIX/make-busybox-aci.sh" "$T/unused.aci" example.com/unused 1.0.0 >/dev/null
R image render --overwrite "$(fetch_image "$T/unused.aci" example.com/unused)" "$T/rendered"
assert_rc 0 "render an image no pod uses"
trees_before=$(trees)
R image gc --grace-period=876000h
assert_rc 0 "image gc with an unreadable pod"
assert_contains "$ERR" "pod $BAD_UUID" "the warning names the unreadable pod"
assert_contains "$ERR" "keeping every tree" "the warning says every tree is kept"
assert_eq "$(trees)" "$trees_before" "no tree is removed while a pod's references are unknown"
