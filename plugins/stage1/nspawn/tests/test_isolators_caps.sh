#!/usr/bin/env bash
# Capabilities, no_new_privs and oom_score_adj of nspawn apps, read from /proc/self/status
# inside real pods (rkt-notes §6.4, §6.5; rkt's tests/rkt_caps_test.go): appc's default 14 as the
# bounding set, the image's retain/remove sets, --caps-retain/--caps-remove replacing them,
# root apps with those effective, non-root apps with none, --insecure-options=capabilities.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/nspawn_lib.sh"

# status_of OUT FIELD: the value of FIELD (CapBnd, NoNewPrivs, …) in the app's printed status.
field() { printf '%s\n' "$1" | sed -n "s/^$2:[[:space:]]*//p" | head -n1; }
STATUS='cat /proc/self/status; echo oom=$(cat /proc/self/oom_score_adj)'
# The default 14 (CAP_AUDIT_WRITE … CAP_SYS_CHROOT) as the kernel prints them.
DEFAULT=00000000a80425fb

# caps_run DESC IMAGE [rkt run args after the image...]: a one-app pod printing its status.
caps_run() {
  local what=$1 image=$2
  shift 2
  bounded R run $NSPAWN --net=host "$image" "$@" --exec /bin/sh -- -c "$STATUS"
  assert_rc 0 "$what"
}

# 1. Root app, defaults: bounding = effective = permitted = the 14; nothing ambient; no
#    no_new_privs (seccomp is on, but root may install a filter without it).
caps_run "root app with the default caps" "$IMG"
assert_eq "$(field "$OUT" CapBnd)" $DEFAULT "root app: bounding set"
assert_eq "$(field "$OUT" CapEff)" $DEFAULT "root app: effective set"
assert_eq "$(field "$OUT" CapPrm)" $DEFAULT "root app: permitted set"
assert_eq "$(field "$OUT" CapAmb)" 0000000000000000 "root app: ambient set"
assert_eq "$(field "$OUT" CapInh)" 0000000000000000 "root app: inheritable set"
assert_eq "$(field "$OUT" NoNewPrivs)" 0 "root app: no_new_privs"
assert_eq "$(printf '%s\n' "$OUT" | sed -n 's/^oom=//p')" 0 "root app: oom_score_adj untouched"

# 2. Non-root app: the same bound, no capability it could use (rkt's TestCapsNonRoot), and
#    no_new_privs forced by the seccomp filter.
caps_run "non-root app" "$IMG" --user=1000 --group=1000
assert_eq "$(field "$OUT" Uid | cut -f1)" 1000 "non-root app: uid"
assert_eq "$(field "$OUT" CapBnd)" $DEFAULT "non-root app: bounding set"
assert_eq "$(field "$OUT" CapEff)" 0000000000000000 "non-root app: effective set"
assert_eq "$(field "$OUT" CapPrm)" 0000000000000000 "non-root app: permitted set"
assert_eq "$(field "$OUT" CapAmb)" 0000000000000000 "non-root app: ambient set"
assert_eq "$(field "$OUT" NoNewPrivs)" 1 "non-root app: no_new_privs forced by seccomp"

# 3. --caps-retain: exactly that set, even capabilities nspawn does not give by default
#    (CAP_NET_ADMIN with the host's network: the pod's bound gets it).
caps_run "--caps-retain" "$IMG" --caps-retain=CAP_NET_ADMIN,CAP_SYS_ADMIN
assert_eq "$(field "$OUT" CapBnd)" 0000000000201000 "--caps-retain: bounding set"
assert_eq "$(field "$OUT" CapEff)" 0000000000201000 "--caps-retain: effective set"

# 4. --caps-remove: the default minus that.
caps_run "--caps-remove" "$IMG" --caps-remove=CAP_CHOWN
assert_eq "$(field "$OUT" CapBnd)" 00000000a80425fa "--caps-remove: bounding set"

# 5. The image's isolators, and the flags replacing them (rkt's TestCapsOverride).
ACI_MANIFEST_PATCH='{"app":{"isolators":[
  {"name":"os/linux/capabilities-retain-set","value":{"set":["CAP_MKNOD"]}},
  {"name":"os/linux/oom-score-adj","value":500},
  {"name":"os/linux/no-new-privileges","value":true}]}}' \
  "$RKT_SOURCE_DIR/tests/fixtures/make-busybox-aci.sh" "$T/retain.aci" example.com/retain 1.0.0 >/dev/null ||
  die "cannot build the retain image"
ACI_MANIFEST_PATCH='{"app":{"isolators":[
  {"name":"os/linux/capabilities-remove-set","value":{"set":["CAP_CHOWN","CAP_KILL"]}}]}}' \
  "$RKT_SOURCE_DIR/tests/fixtures/make-busybox-aci.sh" "$T/remove.aci" example.com/remove 1.0.0 >/dev/null ||
  die "cannot build the remove image"
caps_run "image retain set" "$T/retain.aci"
assert_eq "$(field "$OUT" CapBnd)" 0000000008000000 "image retain set CAP_MKNOD"
assert_eq "$(printf '%s\n' "$OUT" | sed -n 's/^oom=//p')" 500 "image oom-score-adj"
assert_eq "$(field "$OUT" NoNewPrivs)" 1 "image no-new-privileges for a root app"
caps_run "image remove set" "$T/remove.aci"
assert_eq "$(field "$OUT" CapBnd)" 00000000a80425da "image remove set CAP_CHOWN,CAP_KILL"
caps_run "--caps-retain over the image's retain set" "$T/retain.aci" --caps-retain=CAP_SYS_ADMIN
assert_eq "$(field "$OUT" CapBnd)" 0000000000200000 "retain-override-retain"
caps_run "--caps-remove over the image's retain set" "$T/retain.aci" --caps-remove=CAP_KILL
assert_eq "$(field "$OUT" CapBnd)" 00000000a80425db "remove-override-retain"

# 6. Several apps of one pod, each with its own set.
bounded R run $NSPAWN --net=host "$IMG" --name=one --caps-retain=CAP_CHOWN \
  --exec /bin/sh -- -c 'echo one=$(sed -n "s/^CapBnd:\t//p" /proc/self/status)' --- \
  "$IMG" --name=two --exec /bin/sh -- -c 'echo two=$(sed -n "s/^CapBnd:\t//p" /proc/self/status)'
assert_rc 0 "a pod of two apps"
assert_contains "$OUT" "one=0000000000000001" "first app: its own set"
assert_contains "$OUT" "two=$DEFAULT" "second app: the default set"

# 7. --insecure-options=capabilities: nspawn's whole set (all of them), for root and non-root
#    bounds alike.
HOST_BND=$(sed -n 's/^CapBnd:\t//p' /proc/self/status)
bounded run_rkt --dir="$DATA" --insecure-options=image,capabilities run $NSPAWN --net=host \
  "$IMG" --exec /bin/sh -- -c "$STATUS"
assert_rc 0 "--insecure-options=capabilities"
assert_eq "$(field "$OUT" CapBnd)" "$HOST_BND" "--insecure-options=capabilities: every capability"
assert_eq "$(field "$OUT" CapEff)" "$HOST_BND" "--insecure-options=capabilities: all effective"

# 8. An unknown capability is rkt run's error, naming it; no pod runs.
bounded R run $NSPAWN --net=host "$IMG" --caps-retain=CAP_NO_SUCH --exec /bin/true
[ "$RC" -ne 0 ] || fail "an unknown capability: expected a failure"
assert_contains "$ERR" "CAP_NO_SUCH" "an unknown capability is named"
