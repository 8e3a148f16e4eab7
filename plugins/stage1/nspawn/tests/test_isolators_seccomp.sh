#!/usr/bin/env bash
# Seccomp filters of nspawn apps (rkt-notes §6.7; rkt's tests/rkt_seccomp_test.go): the default
# allow-list kills an app making a call outside it with SIGSYS; --seccomp's errno= makes a
# filtered call fail with that errno instead; groups, @appc.io/all and
# --insecure-options=seccomp; an unknown group is an error naming it. A small static probe
# (isolator_probe.c) makes the calls.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/nspawn_lib.sh"
TOOLS="$RKT_BUILD_DIR/tests/nspawn-tools"
[ -x "$TOOLS/isolator-probe" ] || skip "tests/nspawn-tools/isolator-probe is not built"
TOOLVOL=(--volume=tools,kind=host,source="$TOOLS",readOnly=true)

# probe DESC CALL [app args...]: a one-app pod whose process becomes `isolator-probe CALL` (the
# program must exist in the image: the shell execs the probe from the volume).
probe() {
  local what=$1 call=$2
  shift 2
  bounded R run $NSPAWN --net=host "${TOOLVOL[@]}" "$IMG" --mount=volume=tools,target=/tools \
    "$@" --exec /bin/sh -- -c "exec /tools/isolator-probe $call"
}
# filters COUNT_DESC [app args...]: the app's Seccomp_filters (nspawn installs its own too).
filters() {
  bounded R run $NSPAWN --net=host "$IMG" "$@" --exec /bin/sh -- -c \
    'sed -n "s/^Seccomp_filters:\t/count=/p;s/^Seccomp:\t/mode=/p;s/^NoNewPrivs:\t/nnp=/p" /proc/self/status'
  assert_rc 0 "filters $*"
  COUNT=$(printf '%s\n' "$OUT" | sed -n 's/^count=//p')
}

# 1. The default allow-list: an allowed call works, one outside it (acct) kills the app with
#    SIGSYS: the app's status, and so rkt run's, is 31.
probe "default filter, allowed call" getpid
assert_rc 0 "default filter: getpid"
assert_eq "$OUT" ok "default filter: getpid works"
probe "default filter, filtered call" acct
assert_rc 31 "default filter: acct kills the app with SIGSYS"

# 2. errno=: a filtered call fails with it (ENOTSUP = 95), the app goes on.
probe "remove set with errno" uname --seccomp=mode=remove,errno=ENOTSUP,uname
assert_rc 0 "remove set with errno"
assert_eq "$OUT" errno=95 "remove set: uname fails with ENOTSUP"
probe "remove set, another call" getpid --seccomp=mode=remove,errno=ENOTSUP,uname
assert_eq "$OUT" ok "remove set: other calls work"
probe "retain set with errno" acct --seccomp=mode=retain,errno=ENOTSUP,@rkt/default-whitelist
assert_rc 0 "retain set with errno"
assert_eq "$OUT" errno=95 "retain set: acct outside the list fails with ENOTSUP"
probe "remove set without errno" uname --seccomp=mode=remove,uname
assert_rc 31 "remove set without errno: SIGSYS"

# 3. Groups: Docker's deny-list (keyctl is in it), systemd's groups.
probe "@docker/default-blacklist" keyctl --seccomp=mode=remove,errno=ENOTSUP,@docker/default-blacklist
assert_eq "$OUT" errno=95 "@docker/default-blacklist: keyctl fails with ENOTSUP"
probe "@systemd/default-whitelist" uname \
  --seccomp=mode=retain,errno=ENOTSUP,@systemd/default-whitelist,@rkt/default-whitelist
assert_eq "$OUT" ok "@systemd/default-whitelist with rkt's: uname allowed"

# 4. The image's isolator, replaced by --seccomp.
ACI_MANIFEST_PATCH='{"app":{"isolators":[{"name":"os/linux/seccomp-remove-set",
  "value":{"set":["uname"],"errno":"ENOTSUP"}}]}}' \
  "$RKT_SOURCE_DIR/tests/fixtures/make-busybox-aci.sh" "$T/sc.aci" example.com/seccomp 1.0.0 >/dev/null ||
  die "cannot build the seccomp image"
bounded R run $NSPAWN --net=host "${TOOLVOL[@]}" "$T/sc.aci" --mount=volume=tools,target=/tools \
  --exec /bin/sh -- -c 'exec /tools/isolator-probe uname'
assert_eq "$OUT" errno=95 "the image's seccomp isolator"
bounded R run $NSPAWN --net=host "${TOOLVOL[@]}" "$T/sc.aci" --mount=volume=tools,target=/tools \
  --seccomp=mode=remove,errno=ENOTSUP,getpid --exec /bin/sh -- -c 'exec /tools/isolator-probe uname'
assert_eq "$OUT" ok "--seccomp replaces the image's isolator"

# 5. No filter of ours: @appc.io/all and --insecure-options=seccomp leave only nspawn's.
filters
DEFAULT=$COUNT
assert_contains "$OUT" "mode=2" "default: the app is filtered"
assert_contains "$OUT" "nnp=0" "default: a root app has no no_new_privs"
filters --seccomp=mode=retain,@appc.io/all
assert_eq "$COUNT" "$((DEFAULT - 1))" "@appc.io/all: no filter of ours"
probe "@appc.io/all" acct --seccomp=mode=retain,@appc.io/all
assert_rc 0 "@appc.io/all: acct does not kill"
bounded run_rkt --dir="$DATA" --insecure-options=image,seccomp run $NSPAWN --net=host "$IMG" \
  --exec /bin/sh -- -c 'sed -n "s/^Seccomp_filters:\t//p" /proc/self/status'
assert_rc 0 "--insecure-options=seccomp"
assert_eq "$OUT" "$((DEFAULT - 1))" "--insecure-options=seccomp: no filter of ours"
filters --user=1000 --group=1000
assert_contains "$OUT" "nnp=1" "non-root app with a filter: no_new_privs"

# 6. Unknown groups and errnos are errors naming them (rkt dropped unknown groups silently).
bounded R run $NSPAWN --net=host "$IMG" --seccomp=mode=retain,@rkt/no-such-group --exec /bin/true
[ "$RC" -ne 0 ] || fail "an unknown group: expected a failure"
assert_contains "$ERR" "unknown seccomp group \`@rkt/no-such-group\`" "an unknown group is named"
bounded R run $NSPAWN --net=host "$IMG" --seccomp=mode=remove,errno=ENOSUCH,uname --exec /bin/true
[ "$RC" -ne 0 ] || fail "an unknown errno: expected a failure"
assert_contains "$ERR" "ENOSUCH" "an unknown errno is named"
