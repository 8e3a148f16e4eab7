#!/usr/bin/env bash
# The run entrypoint's argument vector for each interface version (rkt-notes §3.1–3.2), as a
# stub stage1 (tests/fixtures/make-stub-stage1-aci.sh) receives it: options a version lacks are
# left out, with rkt's warnings. And rkt's errors for a stage1 image without entrypoints.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/aci_lib.sh"

APP=$(app_image "$T/app.aci" example.com/app /bin/true)
STUB_OK="success, stub stage1 would at this point switch to stage2"
opts=(--hostname=pod-host --dns=192.0.2.53 --ipc=private --net=host)
run_stub() { # VERSION (empty: no annotation)
  "$FIX/make-stub-stage1-aci.sh" "$T/stub$1.aci" "example.com/stub$1" 1.0.0 $1 >/dev/null ||
    die "cannot build stub $1"
  R --insecure-options=image,capabilities,paths,seccomp run --stage1-path="$T/stub$1.aci" \
    "${opts[@]}" "$APP"
  assert_rc 0 "stub v${1:-none} runs"
  assert_contains "$OUT" "$STUB_OK" "stub v${1:-none} printed its line"
  pod=$(last_pod)
  uuid=$(basename "$pod")
  args=$(tr '\n' ' ' <"$pod/stub-args")
}

base="--net=host --local-config=$T/local"
run_stub ""
assert_eq "$args" "$base $uuid " "v1 (no annotation) argv"
assert_contains "$ERR" "warning: --hostname option is not supported by stage1" "v1 hostname warning"
assert_contains "$ERR" "warning: --dns-conf-mode option not supported by stage1" "v1 dns warning"
assert_contains "$ERR" "warning: --ipc option is not supported by stage1" "v1 ipc warning"
run_stub 1
assert_eq "$args" "$base $uuid " "v1 argv"
run_stub 2
assert_eq "$args" "$base --hostname=pod-host $uuid " "v2 argv"
assert_not_contains "$ERR" "--hostname option" "v2 takes --hostname"
insecure="--disable-capabilities-restriction --disable-paths --disable-seccomp"
run_stub 3
assert_eq "$args" "$base --hostname=pod-host $insecure $uuid " "v3 argv"
dns="--dns-conf-mode=resolv=stage0,hosts=default"
run_stub 4
assert_eq "$args" "$base --hostname=pod-host $dns $insecure $uuid " "v4 argv"
run_stub 5
assert_eq "$args" "$base --hostname=pod-host $dns $insecure $uuid " "v5 argv"
assert_contains "$ERR" "warning: --ipc option is not supported by stage1" "v5 ipc warning"
run_stub 6
assert_eq "$args" "$base --hostname=pod-host $dns $insecure --ipc=private $uuid " "v6 argv"
assert_eq "$ERR" "$(printf 'image: using image from file %s\nimage: warning: image signature verification has been disabled' "$T/stub6.aci")" "v6: no warnings"
assert_eq "$(cat "$pod/stub-lock")" "$pod" "RKT_LOCK_FD is the pod directory"
assert_eq "$(cat "$pod/stage1/rootfs/etc/rkt-resolv.conf" 2>/dev/null | grep -c 192.0.2.53)" "0" \
  "the stage1 overlay is gone with the pod's mount namespace"

# --debug comes first; without --net the network is "default".
R --debug run --stage1-path="$T/stub6.aci" "$APP"
assert_rc 0 "stub with --debug"
assert_eq "$(tr '\n' ' ' <"$(last_pod)/stub-args")" \
  "--debug --net=default --local-config=$T/local $(basename "$(last_pod)") " "--debug argv"

# Entrypoints the image lacks: rkt's errors (enter and stop: test_script_stage1.sh).
R gc --grace-period=0s
assert_rc 0 "gc of a pod whose stage1 has no gc entrypoint"
assert_contains "$ERR" "entrypoint \"coreos.com/rkt/stage1/gc\" not found" "gc entrypoint missing"
"$FIX/make-busybox-aci.sh" "$T/norun.aci" example.com/norun 1.0.0 >/dev/null
R run --stage1-path="$T/norun.aci" "$APP"
assert_rc 254 "run without a run entrypoint"
assert_contains "$ERR" "error determining 'run' entrypoint: entrypoint \"coreos.com/rkt/stage1/run\" not found" \
  "run entrypoint missing"
