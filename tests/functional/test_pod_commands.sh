#!/bin/bash
# rkt list, status, cat-manifest, export, rm and gc on pods in every state (rkt-notes
# §1.13-1.18): pod directories in rkt's layout, "running" pods held by a real process that owns
# the pod lock, exactly as a stage1 holds it.
. "$(dirname "$0")/lib.sh"
private_mounts "$@"
pin_stage1 fly  # written against fly: the process becomes the app, host namespaces
. "$(dirname "$0")/pod_lib.sh"
command -v flock >/dev/null || skip "flock(1) is missing"

D=$T/data
mkdir -p "$D"
R() { run_rkt --dir="$D" "$@"; }

RUN=$(make_pod "$D" run)
HOLDER=$(hold_pod "$D" "$RUN")
EXITED=$(make_pod "$D" run)
echo 3 >"$D/pods/run/$EXITED/stage1/rootfs/rkt/status/$POD_APP"
echo 4242 >"$D/pods/run/$EXITED/pid"
echo changed >"$D/pods/run/$EXITED/stage1/rootfs/opt/stage2/$POD_APP/rootfs/etc/pod-was-here"
PREPARED=$(make_pod "$D" prepared)
ABORTED=$(make_pod "$D" prepare)

# --- list -------------------------------------------------------------------------------------
R list
assert_rc 0 "list"
assert_eq "$(printf '%s\n' "$OUT" | head -1 | tr -s '\t' '|')" \
  "UUID|APP|IMAGE NAME|STATE|CREATED|STARTED|NETWORKS" "list legend"
for u in "$RUN" "$EXITED" "$PREPARED" "$ABORTED"; do
  assert_contains "$OUT" "${u:0:8}" "list shows ${u:0:8}"
done
line() { printf '%s\n' "$OUT" | grep "^${1:0:8}"; }
assert_contains "$(line "$RUN")" "running" "running pod state"
assert_contains "$(line "$RUN")" "example.com/busybox:1.0.0" "image name with version label"
started=$(line "$RUN" | tr -s '\t' '|' | cut -d'|' -f6)
case "$started" in now | *" ago") ;; *) fail "humanized start time: '$started'" ;; esac
assert_contains "$(line "$EXITED")" "exited" "exited pod state"
assert_contains "$(line "$PREPARED")" "prepared" "prepared pod state"
assert_contains "$(line "$ABORTED")" "aborted prepare" "aborted prepare state"
assert_contains "$(line "$ABORTED")" "$(printf -- '-\t')" "no apps shown as -"
R list --no-legend
assert_not_contains "$OUT" "UUID" "--no-legend"
assert_eq "$(printf '%s\n' "$OUT" | wc -l)" 4 "one line per pod"
R list --full
assert_contains "$OUT" "IMAGE ID" "--full legend"
assert_contains "$OUT" "$RUN" "--full shows the whole UUID"
assert_contains "$OUT" "$(cut -c1-19 "$T/img/id")" "--full image ID (19 chars)"
assert_not_contains "$OUT" "$(cut -c1-20 "$T/img/id")" "image ID cut at 19 chars"
R list --format=json
assert_rc 0 "list json"
assert_json "$OUT" "list json"
printf '%s' "$OUT" | python3 -c '
import json, sys
pods = {p["name"]: p for p in json.load(sys.stdin)}
run, exited = sys.argv[1], sys.argv[2]
assert pods[run]["state"] == "running", pods[run]
assert pods[run]["apps"][0]["state"] == "running"
assert pods[exited]["apps"][0]["exit_code"] == 3, pods[exited]
assert pods[exited]["app_names"] == ["busybox"]
assert pods[exited]["user_annotations"] == {"owner": "pod-tests"}
assert isinstance(pods[run]["created_at"], int) and pods[run]["created_at"] < 10**11
assert sys.argv[3] in pods and sys.argv[4] not in pods  # no creation time: left out
' "$RUN" "$EXITED" "$PREPARED" "$ABORTED" || fail "list json content: $OUT"
assert_contains "$ERR" "1 error(s) encountered when listing pods:" "json error for the aborted pod"
assert_contains "$ERR" "invalid creation time" "json error names the cause"
R list --format=json-pretty
assert_contains "$OUT" "$(printf '[\n\t{\n\t\t"name": ')" "json-pretty is tab-indented"
R list --format=yaml
assert_rc 254 "bad --format"

# --- status -----------------------------------------------------------------------------------
R status "${RUN:0:8}"
assert_rc 0 "status running"
assert_contains "$OUT" "$(printf 'state=running\ncreated=')" "status state and created"
assert_contains "$OUT" "$(printf 'networks=\npid=%s\nexited=false' "$HOLDER")" "status running fields"
assert_not_contains "$OUT" "app-" "no exit codes while running"
R status "$EXITED"
assert_contains "$OUT" "$(printf 'pid=4242\nexited=true\napp-busybox=3')" "status exited"
R status "$PREPARED"
assert_eq "$(printf '%s\n' "$OUT" | cut -d= -f1 | tr '\n' ' ')" "state created " "status prepared"
R status "$ABORTED"
assert_contains "$OUT" "created=0001-01-01 00:00:00 +0000 UTC" "no creation time: Go's zero time"
R status --format=json "$EXITED"
assert_json "$OUT" "status json"
assert_contains "$OUT" '"exit_code":3' "status json exit code"
R status --format=json-pretty "$EXITED"
assert_contains "$OUT" "$(printf '{\n\t"name": "%s"' "$EXITED")" "status json-pretty"
printf '  %s\n' "$EXITED" >"$T/uuid"
R status --uuid-file="$T/uuid"
assert_rc 0 "status --uuid-file"
assert_contains "$OUT" "state=exited" "status --uuid-file"
R status --uuid-file="$T/missing"
assert_rc 1 "unreadable --uuid-file"
assert_contains "$ERR" "status: unable to resolve UUID from file" "unreadable --uuid-file message"
R status --uuid-file="$T/uuid" "$EXITED"
assert_rc 254 "--uuid-file and an argument"
R status ffffffff
assert_rc 254 "unknown uuid"
assert_contains "$ERR" 'status: problem retrieving pod: no matches found for "ffffffff"' "no matches"
R status --wait=300ms "$RUN"
assert_rc 254 "wait timeout"
assert_contains "$ERR" "error waiting for pod to finish" "wait timeout message"
R status --wait=bogus "$RUN"
assert_rc 254 "bad --wait value"
R status --wait=false "$RUN"
assert_rc 0 "--wait=false does not wait"
( sleep 0.5; release_pod "$HOLDER" TERM ) &
R status --wait "$RUN"
wait
assert_rc 0 "status --wait"
assert_contains "$OUT" "state=exited" "status --wait returns once exited"

# --- cat-manifest -----------------------------------------------------------------------------
R cat-manifest "$EXITED"
assert_rc 0 "cat-manifest"
assert_contains "$OUT" "$(printf '{\n\t"acVersion": "1.30.0",\n\t"acKind": "PodManifest"')" \
  "cat-manifest pretty by default"
R cat-manifest --pretty-print=false "$EXITED"
assert_contains "$OUT" '{"acVersion":"1.30.0","acKind":"PodManifest"' "cat-manifest compact"
R cat-manifest --uuid-file="$T/uuid"
assert_rc 0 "cat-manifest --uuid-file"
R cat-manifest
assert_rc 254 "cat-manifest without a pod"

# --- export -----------------------------------------------------------------------------------
R export "$EXITED" "$T/out.tar"
assert_rc 254 "export needs .aci"
assert_contains "$ERR" "extension must be .aci (given $T/out.tar)" "export extension message"
R export "$PREPARED" "$T/out.aci"
assert_rc 254 "export of a pod that did not run"
assert_contains "$ERR" "pod is not exited. Only exited pods can be exported" "export state message"
R export --app=nope "$EXITED" "$T/out.aci"
assert_rc 254 "export unknown app"
assert_contains "$ERR" "unable to find app: app nope is not present in pod" "export unknown app"
R export "$EXITED" "$T/out.aci"
assert_rc 0 "export"
assert_file "$T/out.aci" "export output"
tar -tzf "$T/out.aci" >"$T/list" || fail "export output is not a gzip tar"
grep -qx 'manifest' "$T/list" || fail "exported ACI has a manifest"
grep -q '^rootfs/bin/busybox$' "$T/list" || fail "exported ACI has the rootfs"
[ "$(tar -xzOf "$T/out.aci" rootfs/etc/pod-was-here)" = changed ] || fail "export keeps the pod's changes"
tar -xzOf "$T/out.aci" manifest | python3 -c 'import json,sys; m=json.load(sys.stdin); assert m["name"]=="example.com/busybox"' ||
  fail "exported manifest"
R export "$EXITED" "$T/out.aci"
assert_rc 254 "export refuses to overwrite"
assert_contains "$ERR" "target file exists (try --overwrite)" "export overwrite message"
R export --overwrite "$EXITED" "$T/out.aci"
assert_rc 0 "export --overwrite"
# A symlink planted at the output path is replaced, never written through; without --overwrite
# it is refused, even when it dangles.
echo precious >"$T/victim"
ln -s "$T/victim" "$T/link.aci"
ln -s "$T/nowhere" "$T/dangling.aci"
R export "$EXITED" "$T/dangling.aci"
assert_rc 254 "export onto a dangling symlink"
assert_contains "$ERR" "target file exists (try --overwrite)" "export onto a dangling symlink"
assert_no_file "$T/nowhere" "nothing written through a dangling symlink"
R export --overwrite "$EXITED" "$T/link.aci"
assert_rc 0 "export --overwrite onto a symlink"
[ -L "$T/link.aci" ] && fail "export --overwrite left the symlink in place"
assert_eq "$(cat "$T/victim")" precious "export --overwrite did not write through the symlink"
tar -tzf "$T/link.aci" manifest >/dev/null || fail "the symlink was replaced by the exported ACI"
assert_eq "$(ls -A "$T" | grep -c '\.rkt-')" 0 "no temporary export file left"
mkdir -p "$T/mnt-src" "$D/pods/run/$EXITED/stage1/rootfs/opt/stage2/$POD_APP/rootfs/mnt"
mount --bind "$T/mnt-src" "$D/pods/run/$EXITED/stage1/rootfs/opt/stage2/$POD_APP/rootfs/mnt"
R export --overwrite "$EXITED" "$T/out2.aci"
assert_rc 254 "export with mounts left"
assert_contains "$ERR" "pod has remaining mountpoints" "export mounts message"
assert_no_file "$T/out2.aci" "no partial output"

# --- rm ---------------------------------------------------------------------------------------
RUN2=$(make_pod "$D" run)
H2=$(hold_pod "$D" "$RUN2")
R rm "$RUN2"
assert_rc 254 "rm running"
assert_contains "$ERR" "rm: pod \"$RUN2\" is currently running" "rm running message"
assert_contains "$ERR" "rm: failed to remove one or more pods" "rm failure summary"
R rm "$PREPARED" "$EXITED"
assert_rc 0 "rm prepared and exited"
assert_eq "$OUT" "$(printf '"%s"\n"%s"' "$PREPARED" "$EXITED")" "rm prints quoted UUIDs"
assert_contains "$ERR" "moving expired prepared pod \"$PREPARED\" to garbage" "rm prepared message"
pod_path "$D" "$PREPARED" >/dev/null && fail "rm removed the prepared pod"
pod_path "$D" "$EXITED" >/dev/null && fail "rm removed the exited pod"
assert_eq "$(mounts_below "$D")" "" "rm unmounted the pod's mounts"
R rm "$EXITED"
assert_rc 254 "rm of a removed pod"

# --- gc ---------------------------------------------------------------------------------------
release_pod "$H2"
R gc --mark-only
assert_rc 0 "gc --mark-only"
assert_contains "$ERR" "gc: moving pod \"$RUN2\" to garbage" "gc marks the exited pod"
assert_contains "$ERR" "gc: moving failed prepare \"$ABORTED\" to garbage" "gc marks the aborted prepare"
[ -d "$D/pods/exited-garbage/$RUN2" ] || fail "marked pod in exited-garbage"
[ -d "$D/pods/garbage/$ABORTED" ] || fail "aborted prepare in garbage"
R gc
assert_rc 0 "gc"
assert_contains "$ERR" "pod \"$RUN2\" not removed: still within grace period (30m0s)" "grace period"
assert_contains "$OUT" "Garbage collecting pod \"$ABORTED\"" "garbage is swept at once"
[ -d "$D/pods/exited-garbage/$RUN2" ] || fail "pod kept within the grace period"
R gc --grace-period=1h30m
assert_contains "$ERR" "still within grace period (1h30m0s)" "grace period printed as Go does"
R gc --grace-period=soon
assert_rc 254 "bad --grace-period"
assert_contains "$ERR" 'invalid argument "soon" for "--grace-period" flag' "bad duration message"
R gc --grace-period=0s
assert_rc 0 "gc --grace-period=0s"
assert_contains "$OUT" "Garbage collecting pod \"$RUN2\"" "gc collects after the grace period"
assert_eq "$(ls "$D/pods/exited-garbage" "$D/pods/garbage")" \
  "$(printf '%s:\n\n%s:' "$D/pods/exited-garbage" "$D/pods/garbage")" "nothing left to collect"

# Prepared pods expire; aborted prepares and --uuid-file with rm.
OLD=$(make_pod "$D" prepared)
R gc --expire-prepared=0s --grace-period=0s
assert_contains "$ERR" "gc: moving expired prepared pod \"$OLD\" to garbage" "expired prepared pod"
assert_contains "$OUT" "Garbage collecting pod \"$OLD\"" "expired prepared pod collected"
pod_path "$D" "$OLD" >/dev/null && fail "expired prepared pod removed"
AB2=$(make_pod "$D" prepare)
printf '%s\n' "$AB2" >"$T/ab2"
R rm --uuid-file="$T/ab2"
assert_rc 0 "rm --uuid-file of an aborted prepare"
assert_contains "$ERR" "moving failed prepare \"$AB2\" to garbage" "rm aborted prepare message"
pod_path "$D" "$AB2" >/dev/null && fail "aborted prepare removed"
R rm --uuid-file="$T/missing"
assert_rc 254 "rm: unreadable --uuid-file"

# --- root only --------------------------------------------------------------------------------
for cmd in "gc" "rm $RUN" "enter $RUN"; do
  # A --dir the unprivileged user can resolve: the check must come before any pod access.
  OUT=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$RKT" --dir=/nonexistent-rkt $cmd 2>&1) &&
    RC=0 || RC=$?
  assert_eq "$RC" 254 "$cmd as non-root"
  assert_contains "$OUT" "cannot run as unprivileged user" "$cmd as non-root"
done
