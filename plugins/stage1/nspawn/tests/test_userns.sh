#!/usr/bin/env bash
# --private-users with the nspawn flavor (docs/user-namespaces.md; rkt's rkt_userns_test.go):
# inside the pod uid 0 is the pod's shift (private-users-prepared), what the app creates in its
# rootfs (overlay upper or --no-overlay copy) and in an empty volume is owned on the host by
# shift+uid, with idmapped mounts and without, two pods get different ranges, fly still refuses.
# Host volumes, export and gc: test_userns_volumes.sh; isolators: test_userns_isolators.sh.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/nspawn_lib.sh"

[ -e /proc/self/uid_map ] || skip "the kernel has no user namespaces"

# The app: its uid map, then a file in its rootfs and one in the volume, as root and as uid 5.
APP='cat /proc/self/uid_map; touch /created-root /vol/v-root /chowned; chown 5:5 /chowned; echo uid=$(id -u)'
VOL=(--volume=vol,kind=empty,mode=0777 --mount volume=vol,target=/vol)

# userns_pod DESC [rkt run args before the image...]: runs a pod, sets UUID, SHIFT, P (its dir).
userns_pod() {
  local what=$1
  shift
  bounded R run $NSPAWN --net=host --private-users "$@" --uuid-file-save="$T/uuid" "${VOL[@]}" \
    "$IMG" --exec /bin/sh -- -c "$APP"
  assert_rc 0 "$what: the pod runs"
  UUID=$(cat "$T/uuid")
  P=$(pod_dir "$UUID") || { fail "$what: no pod directory"; return 1; }
  SHIFT=$(cut -d: -f1 "$P/private-users-prepared")
  assert_eq "$(cut -d: -f2 "$P/private-users-prepared")" 65536 "$what: range size"
  assert_eq "$(printf '%s\n' "$OUT" | head -n1 | tr -s ' ' | sed 's/^ //')" "0 $SHIFT 65536" \
    "$what: uid 0 inside is the shift"
}

owner() { stat -c %u:%g "$1" 2>/dev/null || echo missing; }

# 1–3 in both ways of shifting the overlay: an idmapped lower (nothing copied up), and the
# fallback for kernels or filesystems without idmapped mounts, forced here by the test hook
# RKT_POSIX_NO_IDMAP (the merged tree chowned into the range: everything copied up, a notice).
ownership_checks() {
  local mode=$1
  # 1. Overlay: the file lands in the upper dir, owned by the shift.
  userns_pod "$mode overlay"
  UPPER=$(ls -d "$P"/overlay/*/upper/*)
  assert_eq "$(owner "$UPPER/created-root")" "$SHIFT:$SHIFT" "$mode overlay: rootfs file owned by the shift"
  assert_eq "$(owner "$P/sharedVolumes/vol/v-root")" "$SHIFT:$SHIFT" "$mode overlay: volume file owned by the shift"
  assert_eq "$(owner "$UPPER/chowned")" "$((SHIFT + 5)):$((SHIFT + 5))" "$mode overlay: chown 5:5 inside is shift+5"
  assert_eq "$(owner "$UPPER/etc/mtab")" "$SHIFT:$SHIFT" "$mode overlay: the stage1's /etc/mtab is the pod root's"
  if [ "$mode" = idmap ]; then
    [ -e "$UPPER/bin/busybox" ] && fail "idmap overlay: the image was copied up"
    assert_not_contains "$ERR" "no idmapped mounts" "idmap overlay: no fallback notice"
  else
    assert_eq "$(owner "$UPPER/bin/busybox")" "$SHIFT:$SHIFT" "chown overlay: the image copied up, shifted"
    assert_contains "$ERR" "no idmapped mounts for the tree of app" "chown overlay: the notice"
  fi
  grep -q "$P" /proc/self/mountinfo && fail "$mode overlay: mounts of the pod remain after it exited"
  FIRST=$SHIFT

  # 2. --no-overlay: the copy is shifted, the new file too.
  userns_pod "$mode no overlay" --no-overlay
  ROOTFS="$P/stage1/rootfs/opt/stage2/$(ls "$P/appsinfo")/rootfs"
  assert_eq "$(owner "$ROOTFS/created-root")" "$SHIFT:$SHIFT" "$mode no overlay: rootfs file owned by the shift"
  assert_eq "$(owner "$ROOTFS/bin")" "$SHIFT:$SHIFT" "$mode no overlay: the copy is shifted"
  assert_eq "$(owner "$ROOTFS/chowned")" "$((SHIFT + 5)):$((SHIFT + 5))" "$mode no overlay: chown 5:5 inside is shift+5"
  [ "$SHIFT" != "$FIRST" ] || fail "two pods share the range $SHIFT"

  # 3. A non-root app: shift+5.
  bounded R run $NSPAWN --net=host --private-users --uuid-file-save="$T/uuid5" "${VOL[@]}" "$IMG" \
    --user=5 --group=5 --exec /bin/sh -- -c 'touch /vol/v5; echo uid=$(id -u)'
  assert_rc 0 "$mode non-root app"
  P=$(pod_dir "$(cat "$T/uuid5")")
  SHIFT=$(cut -d: -f1 "$P/private-users-prepared")
  assert_eq "$(owner "$P/sharedVolumes/vol/v5")" "$((SHIFT + 5)):$((SHIFT + 5))" "$mode non-root app: volume file owned by shift+5"
}
ownership_checks idmap
export RKT_POSIX_NO_IDMAP=1
ownership_checks chown
unset RKT_POSIX_NO_IDMAP

# 4. enter joins the pod's user namespace: root there is the shift, its files too.
PIDS=()
on_exit 'for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done'
rkt_bg run $NSPAWN --net=host --private-users --uuid-file-save="$T/uuid-e" "${VOL[@]}" "$IMG" \
  --exec /bin/sh -- -c 'while :; do sleep 0.05; done' >"$T/e.out" 2>"$T/e.err" &
PIDS+=("$!")
wait_until "uuid of the enter pod" test -s "$T/uuid-e"
UE=$(cat "$T/uuid-e")
R status --wait-ready=60s "$UE"
assert_rc 0 "enter pod: ready"
P=$(pod_dir "$UE")
SHIFT=$(cut -d: -f1 "$P/private-users-prepared")
R enter "$UE" /bin/sh -c 'cat /proc/self/uid_map; id -u; touch /vol/entered'
assert_rc 0 "enter"
assert_eq "$(printf '%s\n' "$OUT" | head -n1 | tr -s ' ' | sed 's/^ //')" "0 $SHIFT 65536" \
  "enter: in the pod's user namespace"
assert_eq "$(printf '%s\n' "$OUT" | sed -n 2p)" 0 "enter: root of the pod"
assert_eq "$(owner "$P/sharedVolumes/vol/entered")" "$SHIFT:$SHIFT" "enter: its files owned by the shift"
R stop "$UE"
assert_rc 0 "stop the enter pod"

# 5. prepare records the range; run-prepared uses it.
bounded R prepare $NSPAWN --private-users "$IMG" --exec /bin/sh -- -c 'cat /proc/self/uid_map'
assert_rc 0 "prepare --private-users"
UP=$(printf '%s' "$OUT" | tail -n1)
SHIFT=$(cut -d: -f1 "$(pod_dir "$UP")/private-users-prepared")
bounded R run-prepared --net=host "$UP"
assert_rc 0 "run-prepared"
assert_eq "$(printf '%s\n' "$OUT" | head -n1 | tr -s ' ' | sed 's/^ //')" "0 $SHIFT 65536" \
  "run-prepared: the range prepare recorded"

# 6. fly has no user namespaces: refused by name, no pod.
bounded R run --stage1-name=coreos.com/rkt/stage1-fly "$IMG" --private-users --exec /bin/true
[ "$RC" -ne 0 ] || fail "fly with --private-users: expected a failure"
assert_contains "$ERR" "--private-users is not supported by stage1 \`fly\`" "fly refuses by name"

