#!/usr/bin/env bash
# systemd notify propagation: with NOTIFY_SOCKET set (a Type=notify unit), the pod says
# READY=1 once every app whose image has appc.io/executor/supports-systemd-notify=true said
# READY=1 on its own NOTIFY_SOCKET, or once all apps started when none has it. A small
# listener stands in for systemd.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/nspawn_lib.sh"
TOOLS="$RKT_BUILD_DIR/tests/nspawn-tools"
[ -x "$TOOLS/notify-send" ] || skip "tests/nspawn-tools/notify-send is not built"

ACI_MANIFEST_PATCH='{"annotations":[{"name":"appc.io/executor/supports-systemd-notify","value":"true"}]}' \
  "$RKT_SOURCE_DIR/tests/fixtures/make-busybox-aci.sh" "$T/notify.aci" example.com/notifier 1.0.0 >/dev/null ||
  die "cannot build the notify image"

# listen NAME: a datagram socket $T/NAME.sock whose messages go to $T/NAME.log.
LISTENERS=()
on_exit 'for p in "${LISTENERS[@]}"; do kill "$p" 2>/dev/null; done'
listen() {
  python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[2] + ".bound", "w").close()
while True:
    with open(sys.argv[2], "ab") as log:
        log.write(s.recv(4096) + b"\n")' "$T/$1.sock" "$T/$1.log" &
  LISTENERS+=($!)
  wait_until "listener $1" test -e "$T/$1.log.bound"
}
said_ready() { grep -qx "READY=1" "$T/$1.log" 2>/dev/null; }

# 1. One notify app among two: the pod is ready only after it said so.
listen one
mkdir -p "$T/s1"
NOTIFY_SOCKET="$T/one.sock" rkt_bg run $NSPAWN --net=host --uuid-file-save="$T/one.uuid" \
  --volume=tools,kind=host,source="$TOOLS",readOnly=true --volume=s,kind=host,source="$T/s1" \
  "$T/notify.aci" --name=notifier --mount=volume=tools,target=/tools --mount=volume=s,target=/s \
  --exec /bin/sh -- -c 'touch /s/started; while [ ! -e /s/go ]; do sleep 0.05; done
    /tools/notify-send READY=1; while [ ! -e /s/end ]; do sleep 0.05; done' --- \
  "$IMG" --name=plain --mount=volume=s,target=/s --exec /bin/sh -- -c \
  'while [ ! -e /s/end ]; do sleep 0.05; done' --- >"$T/one.out" 2>&1 &
RUN=$!
wait_until "the notify app started" test -e "$T/s1/started"
said_ready one && fail "the pod said READY=1 before its notify app did"
touch "$T/s1/go"
wait_until "the pod says READY=1 after its notify app" said_ready one
touch "$T/s1/end"
wait "$RUN" && RC=0 || RC=$?
assert_rc 0 "the notify pod exits 0"

# 2. No notify app: ready once the apps started.
listen two
mkdir -p "$T/s2"
NOTIFY_SOCKET="$T/two.sock" rkt_bg run $NSPAWN --net=host --uuid-file-save="$T/two.uuid" \
  --volume=s,kind=host,source="$T/s2" \
  "$IMG" --mount=volume=s,target=/s --exec /bin/sh -- -c \
  'while [ ! -e /s/end ]; do sleep 0.05; done' >"$T/two.out" 2>&1 &
RUN=$!
wait_until "a pod without notify apps says READY=1" said_ready two
touch "$T/s2/end"
wait "$RUN" && RC=0 || RC=$?
assert_rc 0 "the pod without notify apps exits 0"

R gc --grace-period=0s
assert_rc 0 "gc"
for u in "$(cat "$T/one.uuid")" "$(cat "$T/two.uuid")"; do no_leftovers "$u" "after gc"; done
