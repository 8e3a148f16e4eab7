#!/usr/bin/env bash
# A running nspawn pod: `rkt status --wait-ready`, `rkt enter` (namespaces, app root, default
# shell), `rkt stop` (the supervisor stops every app and records SIGTERM) and `stop --force`,
# and `rkt gc` after a SIGKILL of the pod's PID 1 and of `rkt run` itself (systemd-nspawn)
# leaving no mount, cgroup or process behind.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/nspawn_lib.sh"

PIDS=()
on_exit 'for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done'

# start_pod NAME ARGS...: runs a pod in the background; sets POD_UUID and POD_RUN_PID once
# `rkt status --wait-ready` says its apps run.
start_pod() {
  local name=$1
  shift
  rkt_bg run $NSPAWN --uuid-file-save="$T/$name.uuid" "$@" >"$T/$name.out" 2>"$T/$name.err" &
  POD_RUN_PID=$!
  PIDS+=("$POD_RUN_PID")
  wait_until "uuid of pod $name" test -s "$T/$name.uuid" || return 1
  POD_UUID=$(cat "$T/$name.uuid")
  R status --wait-ready=60s "$POD_UUID"
  assert_rc 0 "status --wait-ready of pod $name"
  assert_contains "$OUT" "state=running" "pod $name runs once ready"
}

# 1. Readiness, enter, stop.
mkdir -p "$T/sync"
start_pod one --volume=sync,kind=host,source="$T/sync" \
  "$IMG" --name=web --mount=volume=sync,target=/s --exec /bin/sh -- -c \
  'echo web >/tmp/who; touch /s/web-up; while :; do sleep 0.05; done' --- \
  "$IMG" --name=db --exec /bin/sh -- -c 'echo db >/tmp/who; while :; do sleep 0.05; done' ---
U1=$POD_UUID
P1=$POD_RUN_PID
assert_eq "$(readlink "$(pod_dir "$U1")/stage1/rootfs/rkt/supervisor-status")" "ready" \
  "supervisor-status -> ready"
wait_until "app web started" test -e "$T/sync/web-up"
R enter --app=web "$U1" /bin/sh -c 'echo "$(cat /tmp/who) $(hostname) $AC_APP_NAME $(tr "\0" " " </proc/1/cmdline)"'
assert_rc 0 "enter"
assert_eq "$OUT" "web rkt-$U1 web /rkt/supervisor " "enter joins the pod's namespaces and the app's root"
R enter --app=db "$U1" /bin/cat /tmp/who
assert_eq "$OUT" "db" "enter the other app"
R enter --app=db "$U1" /bin/sh -c 'exit 7'
assert_rc 7 "enter returns the command's status"
R enter --app=web "$U1"
assert_rc 0 "enter with the default command"
assert_contains "$ERR" "has no /bin/bash, running /bin/sh" "enter falls back to /bin/sh"
R enter "$U1" /bin/true
assert_rc 254 "enter without --app in a two-app pod"
R stop "$U1"
assert_rc 0 "stop"
wait "$P1" && RC=0 || RC=$?
assert_rc 0 "rkt run after stop: apps stopped by the pod are not failures"
# rkt run, nspawn's parent, removes the pod's cgroups once nspawn is gone (not gc).
assert_eq "$(pod_cgroups "$U1")" "" "no cgroup of the stopped pod once rkt run returned"
R status "$U1"
assert_contains "$OUT" "state=exited" "stopped pod exited"
assert_contains "$OUT" "app-web=15" "web stopped by SIGTERM"
assert_contains "$OUT" "app-db=15" "db stopped by SIGTERM"
no_leftovers_running() { [ -z "$(pod_processes "$1")" ]; }
wait_until "pod one's processes gone" no_leftovers_running "$U1"

# 1b. Mount propagation, rkt's (its stage1 makes the pod's mounts slaves of the host's, and
#     shared): a mount the host makes under a volume's source after the pod started shows in the
#     app (the source must be a shared mount on the host, as under systemd); so does one made in
#     the pod's own mount namespace (`rkt run`'s, where rkt's `app add` mounted); a mount the app
#     makes in the volume stays in the pod, as the one in the pod's namespace does.
mkdir -p "$T/prop"
mount --bind "$T/prop" "$T/prop" && mount --make-shared "$T/prop" || die "cannot share $T/prop"
on_exit "umount -l '$T/prop' 2>/dev/null"
mkdir -p "$T/prop/later" "$T/prop/podns" "$T/prop/frompod"
# The app mounts: every capability, no seccomp filter of ours.
rkt_bg() { exec "$RKT" --dir="$DATA" --insecure-options=image,capabilities,seccomp "$@"; }
start_pod prop --volume=p,kind=host,source="$T/prop" "$IMG" --mount=volume=p,target=/p \
  --exec /bin/sh -- -c 'i=0; while { [ ! -e /p/later/mounted ] || [ ! -e /p/podns/mounted ]; } &&
    [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done
    [ -e /p/later/mounted ] && echo host-seen >>/p/report
    [ -e /p/podns/mounted ] && echo podns-seen >>/p/report
    mount -t tmpfs tmpfs /p/frompod && touch /p/frompod/x && echo app-mounted >>/p/report
    touch /p/done; while [ ! -e /p/finish ]; do sleep 0.05; done'
rkt_bg() { exec "$RKT" --dir="$DATA" --insecure-options=image "$@"; }
UP=$POD_UUID
PP=$POD_RUN_PID
mount -t tmpfs tmpfs "$T/prop/later" || die "cannot mount on $T/prop/later"
on_exit "umount -l '$T/prop/later' 2>/dev/null"
touch "$T/prop/later/mounted"
nspawn=$(cat "$(pod_dir "$UP")/ppid")
nsenter --mount --target "$nspawn" sh -c \
  "mount -t tmpfs tmpfs '$T/prop/podns' && touch '$T/prop/podns/mounted'" ||
  fail "cannot mount in the pod's mount namespace"
wait_until "the app's report" test -e "$T/prop/done"
assert_eq "$(cat "$T/prop/report")" "host-seen
podns-seen
app-mounted" "the app sees the host's and the pod namespace's new mounts, and mounts itself"
mountpoint -q "$T/prop/frompod" && fail "the app's mount in a volume reached the host"
[ -e "$T/prop/frompod/x" ] && fail "the app's file in its own mount is on the host"
mountpoint -q "$T/prop/podns" && fail "the mount in the pod's namespace reached the host"
touch "$T/prop/finish"
wait "$PP" && RC=0 || RC=$?
assert_rc 0 "the propagation pod"
umount "$T/prop/later"

# 1c. SIGTERM to `rkt run` itself (a unit being stopped): it passes it on to systemd-nspawn, the
#     pod stops as with `rkt stop`, and rkt run removes the pod's cgroups before it exits.
start_pod term "$IMG" --exec /bin/sh -- -c 'while :; do sleep 0.05; done'
UT=$POD_UUID
kill -TERM "$POD_RUN_PID"
wait "$POD_RUN_PID" && RC=0 || RC=$?
assert_rc 0 "rkt run after a SIGTERM of its own"
R status "$UT"
assert_contains "$OUT" "app-busybox=15" "SIGTERM to rkt run stops the app"
assert_eq "$(pod_cgroups "$UT")" "" "no cgroup of the pod stopped through rkt run"

# 2. stop --force: an app that ignores SIGTERM.
start_pod two "$IMG" --exec /bin/sh -- -c 'trap "" TERM; while :; do sleep 0.05; done'
U2=$POD_UUID
P2=$POD_RUN_PID
R stop --force "$U2"
assert_rc 0 "stop --force"
wait "$P2" && RC=0 || RC=$?
[ "$RC" -ne 0 ] || fail "stop --force: rkt run exited 0"
assert_eq "$(pod_cgroups "$U2")" "" "no cgroup of the killed pod once rkt run returned"
R status --wait=60s "$U2"
assert_contains "$OUT" "state=exited" "stop --force kills the pod"

# 3. SIGKILL of the pod's PID 1 (the supervisor), then of `rkt run` (systemd-nspawn).
start_pod three "$IMG" --exec /bin/sh -- -c 'while :; do sleep 0.05; done'
U3=$POD_UUID
P3=$POD_RUN_PID
nspawn=$(cat "$(pod_dir "$U3")/ppid")
pid1=$(cat /proc/"$nspawn"/task/"$nspawn"/children)
[ -n "$pid1" ] || fail "systemd-nspawn has no child"
kill -KILL $pid1
wait "$P3" 2>/dev/null
assert_eq "$(pod_cgroups "$U3")" "" "no cgroup of the pod whose PID 1 was killed"
start_pod four "$IMG" --exec /bin/sh -- -c 'while :; do sleep 0.05; done'
U4=$POD_UUID
P4=$POD_RUN_PID
kill -KILL "$P4"
wait "$P4" 2>/dev/null
for u in "$U3" "$U4"; do
  wait_until "pod $u exited" sh -c "'$RKT' --dir='$DATA' status '$u' | grep -q state=exited"
done
wait_until "pod four's processes gone" no_leftovers_running "$U4"

R gc --grace-period=0s
assert_rc 0 "gc"
for u in "$U1" "$UP" "$UT" "$U2" "$U3" "$U4"; do
  pod_dir "$u" >/dev/null && fail "gc left pod $u"
  no_leftovers "$u" "after gc"
done
