#!/usr/bin/env bash
# The apps' output of an nspawn pod: unprefixed on `rkt run`'s stdout and stderr, and kept
# (size-capped) for `rkt logs [--app] [--tail] [--follow]` while the pod runs and after it
# exited, until gc.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/nspawn_lib.sh"

# 1. Output reaches rkt run unchanged; rkt logs prints both streams after the pod exited.
R run $NSPAWN --net=host --uuid-file-save="$T/u1" "$IMG" --exec /bin/sh -- -c \
  'echo out 1; echo out 2; echo err 1 >&2'
assert_rc 0 "run"
assert_eq "$OUT" "out 1
out 2" "stdout of the app, unprefixed"
assert_eq "$ERR" "err 1" "stderr of the app, unprefixed"
U1=$(cat "$T/u1")
R logs "$U1"
assert_rc 0 "logs after exit"
assert_eq "$OUT" "out 1
out 2
err 1" "logs: both streams"
R logs --tail=2 "$U1"
assert_eq "$OUT" "out 2
err 1" "logs --tail=2"
R logs --tail=x "$U1"
assert_rc 254 "bad --tail"
assert_contains "$ERR" 'invalid argument "x" for "--tail" flag' "bad --tail message"

# 1b. An app can open its own stdout and stderr by path (/proc/self/fd/N; its streams are pipes,
#     not sockets: images that link a log file to /dev/stdout work when the image has that
#     link, as rkt's prepare-app creates none); each stream keeps its order.
R run $NSPAWN --net=host --uuid-file-save="$T/u1b" "$IMG" --exec /bin/sh -- -c \
  'i=0; while [ $i -lt 100 ]; do echo "out $i" >/proc/self/fd/1; echo "err $i" >/proc/self/fd/2; i=$((i+1)); done'
assert_rc 0 "an app writing through /proc/self/fd/1 and /proc/self/fd/2"
expected_out=$(i=0; while [ $i -lt 100 ]; do echo "out $i"; i=$((i+1)); done)
expected_err=$(i=0; while [ $i -lt 100 ]; do echo "err $i"; i=$((i+1)); done)
assert_eq "$OUT" "$expected_out" "rkt run's stdout: the lines written to /proc/self/fd/1"
assert_eq "$ERR" "$expected_err" "rkt run's stderr: the lines written to /proc/self/fd/2"
R logs "$(cat "$T/u1b")"
assert_rc 0 "logs of the app"
assert_eq "$(printf '%s\n' "$OUT" | grep '^out')" "$expected_out" "logs: stdout's lines in order"
assert_eq "$(printf '%s\n' "$OUT" | grep '^err')" "$expected_err" "logs: stderr's lines in order"

# 2. Several apps: --app chooses; without it, a clear error.
R run $NSPAWN --net=host --uuid-file-save="$T/u2" "$IMG" --name=a --exec /bin/echo -- from a --- \
  "$IMG" --name=b --exec /bin/echo -- from b ---
U2=$(cat "$T/u2")
R logs --app=b "$U2"
assert_eq "$OUT" "from b" "logs --app"
R logs "$U2"
assert_rc 254 "logs of a two-app pod without --app"
assert_contains "$ERR" "has 2 apps: choose one with --app (a, b)" "logs without --app message"
R logs --app=c "$U2"
assert_contains "$ERR" "app \`c\` is not in pod" "logs of an unknown app"

# 3. During the pod's life, and --follow until it exits.
mkdir -p "$T/sync"
rkt_bg run $NSPAWN --net=host --uuid-file-save="$T/u3" --volume=s,kind=host,source="$T/sync" "$IMG" \
  --mount=volume=s,target=/s --exec /bin/sh -- -c \
  'echo before; while [ ! -e /s/go ]; do sleep 0.05; done; echo after' >/dev/null 2>&1 &
RUN=$!
wait_until "uuid of the pod" test -s "$T/u3"
U3=$(cat "$T/u3")
R status --wait-ready=60s "$U3"
log_has_before() { [ "$("$RKT" --dir="$DATA" logs "$U3" 2>/dev/null)" = "before" ]; }
wait_until "logs while the pod runs" log_has_before
"$RKT" --dir="$DATA" logs --follow "$U3" >"$T/follow" 2>&1 &
FOLLOW=$!
touch "$T/sync/go"
wait "$RUN"
wait "$FOLLOW" && RC=0 || RC=$?
assert_rc 0 "logs --follow ends with the pod"
assert_eq "$(cat "$T/follow")" "before
after" "logs --follow"

# 4. The copy is capped (1 MiB per file, the current and the previous one); the end is kept.
#    The app writes about 2.6 MB.
R run $NSPAWN --net=host --uuid-file-save="$T/u4" "$IMG" --exec /bin/sh -- -c \
  'i=0; while [ $i -lt 3000 ]; do echo "line $i ................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................"; i=$((i+1)); done; echo last'
assert_rc 0 "a pod with more than 2 MiB of output"
assert_eq "$(printf '%s\n' "$OUT" | wc -l)" "3001" "rkt run gets all of the output"
R logs "$(cat "$T/u4")"
size=$(printf '%s\n' "$OUT" | wc -c)
[ "$size" -le $((2 * 1048576)) ] || fail "the log is capped: $size bytes"
[ "$size" -ge 1048576 ] || fail "the log keeps at least a full file: $size bytes"
assert_eq "$(printf '%s\n' "$OUT" | tail -n1)" "last" "the log ends with the last line"

# 5. After gc the pod and its log are gone.
R gc --grace-period=0s
R logs "$U1"
assert_rc 254 "logs after gc"
assert_contains "$ERR" "no matches found" "logs after gc message"
