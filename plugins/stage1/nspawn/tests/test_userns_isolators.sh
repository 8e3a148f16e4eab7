#!/usr/bin/env bash
# The isolators of test_isolators_*.sh inside a user namespace (--private-users): capability
# sets are the user namespace's and read the same, seccomp filters and oom_score_adj hold, and the
# apps' v1 cgroups are the pod root's so the supervisor can write their limits. With the host's
# network nspawn drops CAP_NET_BIND_SERVICE (it needs the capability in the namespace owning the
# network, the host's), so the sets are read with --net=none.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/nspawn_lib.sh"

[ -e /proc/self/uid_map ] || skip "the kernel has no user namespaces"
TOOLS="$RKT_BUILD_DIR/tests/nspawn-tools"
[ -x "$TOOLS/isolator-probe" ] || skip "tests/nspawn-tools/isolator-probe is not built"

STATUS='sed -n "s/^\([A-Za-z]*\):[[:space:]]*\(.*\)/\1=\2/p" /proc/self/status
echo map=$(cat /proc/self/uid_map); echo oom=$(cat /proc/self/oom_score_adj)'
val() { printf '%s\n' "$OUT" | sed -n "s/^$1=//p" | head -n1; }
DEFAULT=00000000a80425fb
# userns_run DESC NET IMAGE [app args...]: a one-app pod with --private-users printing its status.
userns_run() {
  local what=$1 net=$2 image=$3
  shift 3
  bounded R run $NSPAWN --private-users --net="$net" "$image" "$@" --exec /bin/sh -- -c "$STATUS"
  assert_rc 0 "$what"
  [ "$(val map | awk '{print $1, $3}')" = "0 65536" ] || fail "$what: not in a user namespace: $(val map)"
}

# 1. Capabilities: root app, non-root app, --caps-retain, --caps-remove.
userns_run "root app" none "$IMG"
assert_eq "$(val CapBnd)" $DEFAULT "root app: bounding set"
assert_eq "$(val CapEff)" $DEFAULT "root app: effective set"
assert_eq "$(val CapPrm)" $DEFAULT "root app: permitted set"
assert_eq "$(val CapAmb)" 0000000000000000 "root app: ambient set"
assert_eq "$(val NoNewPrivs)" 0 "root app: no_new_privs"
userns_run "root app, host network" host "$IMG"
assert_eq "$(val CapBnd)" 00000000a80421fb "host network: the default set without CAP_NET_BIND_SERVICE"
userns_run "non-root app" none "$IMG" --user=1000 --group=1000
assert_eq "$(val CapBnd)" $DEFAULT "non-root app: bounding set"
assert_eq "$(val CapEff)" 0000000000000000 "non-root app: effective set"
assert_eq "$(val CapPrm)" 0000000000000000 "non-root app: permitted set"
assert_eq "$(val NoNewPrivs)" 1 "non-root app: no_new_privs forced by seccomp"
userns_run "--caps-retain" none "$IMG" --caps-retain=CAP_NET_ADMIN,CAP_SYS_ADMIN
assert_eq "$(val CapBnd)" 0000000000201000 "--caps-retain: bounding set"
assert_eq "$(val CapEff)" 0000000000201000 "--caps-retain: effective set"
userns_run "--caps-remove" none "$IMG" --caps-remove=CAP_CHOWN
assert_eq "$(val CapBnd)" 00000000a80425fa "--caps-remove: bounding set"

# 2. oom_score_adj and no_new_privs from the image; the resource limits in the app's cgroups.
ACI_MANIFEST_PATCH='{"app":{"isolators":[
  {"name":"os/linux/oom-score-adj","value":500},
  {"name":"os/linux/no-new-privileges","value":true},
  {"name":"resource/memory","value":{"limit":"25Mi"}},
  {"name":"resource/cpu","value":{"limit":"800m"}}]}}' \
  "$RKT_SOURCE_DIR/tests/fixtures/make-busybox-aci.sh" "$T/iso.aci" example.com/iso 1.0.0 >/dev/null ||
  die "cannot build the image with isolators"
userns_run "image isolators" none "$T/iso.aci"
assert_eq "$(val oom)" 500 "image oom-score-adj"
assert_eq "$(val NoNewPrivs)" 1 "image no-new-privileges"
if [ -d /sys/fs/cgroup/memory ] && [ -d /sys/fs/cgroup/cpu ]; then
  # /sys/fs is inaccessible to the app: read through PID 1's root, as test_isolators_resources.sh.
  bounded R run $NSPAWN --private-users --net=none "$T/iso.aci" --memory=42Mi \
    --caps-retain=CAP_SYS_PTRACE --exec /bin/sh -- -c 'cg=/proc/1/root/sys/fs/cgroup
     m=$(sed -n "s/^[0-9]*:memory://p" /proc/self/cgroup); c=$(sed -n "s/^[0-9]*:cpu://p" /proc/self/cgroup)
     echo mem=$(cat $cg/memory$m/memory.limit_in_bytes)
     echo quota=$(cat $cg/cpu$c/cpu.cfs_quota_us)'
  assert_rc 0 "resource limits in a user namespace (cgroup v1)"
  assert_eq "$(val mem)" 44040192 "--memory 42Mi: memory.limit_in_bytes"
  assert_eq "$(val quota)" 80000 "image 800m: cpu.cfs_quota_us"
else
  echo "note: no cgroup v1 memory and cpu hierarchies: the limits are tested in tests/vm" >&2
fi

# 3. Seccomp: the default filter kills with SIGSYS, errno= makes the call fail.
TOOLVOL=(--volume=tools,kind=host,source="$TOOLS",readOnly=true)
probe() {
  local call=$1
  shift
  bounded R run $NSPAWN --private-users --net=none "${TOOLVOL[@]}" "$IMG" \
    --mount=volume=tools,target=/tools "$@" --exec /bin/sh -- -c "exec /tools/isolator-probe $call"
}
probe getpid
assert_eq "$OUT" ok "default filter: getpid works"
probe acct
assert_rc 31 "default filter: acct kills the app with SIGSYS"
probe uname --seccomp=mode=remove,errno=ENOTSUP,uname
assert_rc 0 "remove set with errno"
assert_eq "$OUT" errno=95 "remove set: uname fails with ENOTSUP"

# 4. Paths: rkt's read-only and inaccessible paths hold; the device policy (devices cgroup or
#    device program) needs host root and is not applied, said once: the user namespace itself
#    refuses mknod.
bounded R run $NSPAWN --private-users --net=none "$IMG" --exec /bin/sh -- -c \
  'echo kallsyms=$(wc -c </proc/kallsyms); ls -A /sys/fs | wc -l
   mknod /tmp/sda b 8 0 2>/dev/null && echo mknod=made || echo mknod=refused'
assert_rc 0 "paths in a user namespace"
assert_contains "$OUT" "kallsyms=0" "an inaccessible path is empty"
assert_contains "$OUT" "mknod=refused" "mknod is refused"
assert_contains "$ERR" "device policy is not applied" "the device policy's warning"
