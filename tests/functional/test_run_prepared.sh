#!/usr/bin/env bash
# `rkt prepare` + `rkt run-prepared` with the fly stage1: the prepared state, UUID prefixes,
# two racing run-prepared (exactly one runs the pod), the run lock held for the pod's life.
. "$(dirname "$0")/lib.sh"
private_mounts "$@"
pin_stage1 fly  # written against fly: the process becomes the app, host namespaces

[ -x /bin/busybox ] || skip "busybox-static is not installed"
PLUGINS="$RKT_BUILD_DIR/lib/rkt/plugins"
[ -f "$PLUGINS/stage1-fly.so" ] || skip "stage1-fly.so is not built"
[ -f "$PLUGINS/store-cas.so" ] || skip "store-cas.so is not built"

DATA="$T/data"
R() { run_rkt --dir="$DATA" --insecure-options=image "$@"; }
"$RKT_SOURCE_DIR/tests/fixtures/make-busybox-aci.sh" "$T/bb.aci" example.com/busybox 1.0.0 >/dev/null ||
  die "cannot build the busybox image"

# 1. prepare prints the UUID and leaves the pod in prepared/.
R prepare "$T/bb.aci" --exec /bin/sh -- -c 'echo prepared pod; exit 7'
assert_rc 0 "prepare"
uuid=$OUT
[[ "$uuid" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]] ||
  fail "prepare prints a v4 UUID, got '$uuid'"
assert_file "$DATA/pods/prepared/$uuid/pod" "prepared pod manifest"
assert_file "$DATA/pods/prepared/$uuid/appsinfo/busybox/manifest" "prepared app manifest"

# 2. run-prepared by prefix; exit code is the app's; the pod ends in run/.
R run-prepared "${uuid:0:8}"
assert_rc 7 "run-prepared exit code"
assert_eq "$OUT" "prepared pod" "run-prepared output"
assert_file "$DATA/pods/run/$uuid/pod" "pod moved to run/"
assert_no_file "$DATA/pods/prepared/$uuid" "pod left prepared/"

# 3. Running it again is refused; unknown and ambiguous prefixes.
R run-prepared "$uuid"
assert_rc 254 "run-prepared of an exited pod"
assert_contains "$ERR" "is not prepared" "not prepared message"
R run-prepared 00000000-nope
assert_rc 254 "unknown uuid"
assert_contains "$ERR" 'no matches found for "00000000-nope"' "no match message"
R prepare "$T/bb.aci" --exec /bin/true
u2=$OUT
R prepare "$T/bb.aci" --exec /bin/true
u3=$OUT
R run-prepared ""
assert_rc 254 "empty uuid"
common=""
if [ "${u2:0:1}" = "${u3:0:1}" ]; then common=${u2:0:1}; fi
R run-prepared "$common"
if [ -z "$common" ]; then
  assert_contains "$ERR" "UUID cannot be empty" "empty uuid message"
else
  assert_contains "$ERR" "ambiguous uuid" "ambiguous prefix message"
fi
R run-prepared
assert_rc 254 "run-prepared without argument"

# 4. Two racing run-prepared: exactly one runs the pod.
R prepare "$T/bb.aci" --exec /bin/sh -- -c 'echo ran >>/race; sleep 1'
race=$OUT
"$RKT" --dir="$DATA" run-prepared "$race" >"$T/r1.out" 2>"$T/r1.err" &
p1=$!
"$RKT" --dir="$DATA" run-prepared "$race" >"$T/r2.out" 2>"$T/r2.err" &
p2=$!
wait $p1 && rc1=0 || rc1=$?
wait $p2 && rc2=0 || rc2=$?
wins=0
[ "$rc1" -eq 0 ] && wins=$((wins + 1))
[ "$rc2" -eq 0 ] && wins=$((wins + 1))
assert_eq "$wins" "1" "exactly one racing run-prepared wins (rcs $rc1 $rc2: $(cat "$T/r1.err" "$T/r2.err"))"
# The loser fails cleanly (254 with a message), whichever way it lost.
assert_eq "$((rc1 + rc2))" "254" "the losing run-prepared exits 254 (rcs $rc1 $rc2)"
tree=$(cat "$DATA/pods/run/$race/appsinfo/busybox/treeStoreID" 2>/dev/null)
assert_eq "$(cat "$DATA/pods/run/$race/overlay/$tree/upper/busybox/race" 2>/dev/null)" "ran" "the pod ran once"

# 5. The pod lock is held while the app runs (RKT_LOCK_FD), released when it exits.
R prepare "$T/bb.aci" --exec /bin/sh -- -c 'sleep 2'
lp=$OUT
"$RKT" --dir="$DATA" run-prepared "$lp" >/dev/null 2>&1 &
pr=$!
for _ in $(seq 50); do [ -d "$DATA/pods/run/$lp" ] && break; sleep 0.1; done
sleep 0.3
if flock -n -s "$DATA/pods/run/$lp" true; then fail "running pod must hold its lock"; fi
wait $pr
flock -n -s "$DATA/pods/run/$lp" true || fail "exited pod's lock must be free"

# 6. prepare --quiet, --no-overlay, and prepare-only flags.
R prepare --quiet --no-overlay "$T/bb.aci" --exec /bin/cat -- /etc/hostname-nope
assert_rc 0 "prepare --quiet --no-overlay"
q=$OUT
assert_file "$DATA/pods/prepared/$q/stage1/rootfs/opt/stage2/busybox/rootfs/bin/busybox" "copied rootfs"
R run-prepared --dns=192.0.2.9 "$q"
assert_rc 1 "run-prepared of a --no-overlay pod runs it"
R prepare --uuid-file-save=/x "$T/bb.aci"
assert_rc 254 "prepare has no --uuid-file-save"
if grep -q " $DATA" /proc/self/mountinfo; then fail "mounts left under $DATA"; fi

# rkt gc removes every pod these runs left (exited ones and, with --expire-prepared=0s, prepared
# ones), leaving no mount and no pod directory.
R gc --grace-period=0s --expire-prepared=0s
assert_rc 0 "gc"
left=$(find "$DATA/pods" -mindepth 2 -maxdepth 2 | head -5)
assert_eq "$left" "" "no pod directory after gc"
if grep -q " $DATA" /proc/self/mountinfo; then fail "mounts left under $DATA after gc"; fi
