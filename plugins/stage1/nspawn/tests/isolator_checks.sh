# Checks of the process-level isolators of nspawn apps, read from /proc/self/status inside real
# pods, shared by the tests on cgroup v1 here (test_isolators_caps.sh, test_isolators_seccomp.sh)
# and on cgroup v2 in the VM (tests/vm/test_isolators_process.sh): the kernel's cgroup mode must
# change none of them.
#
# Source after tests/functional/lib.sh, with $DATA (a scratch data directory), $IMG (the busybox
# test image, its ID or .aci), $ISO_IMAGES (filled by isolator_images.sh) and $TOOLS (a
# directory holding the static isolator-probe); then call check_caps and check_seccomp.

# pod [--insecure=OPTS] ARGS...: `rkt run` of an nspawn pod on the host's network ($OUT, $ERR,
# $RC as run_rkt sets them); OPTS are insecure options besides `image`.
pod() {
  local insecure=image
  case ${1:-} in --insecure=*) insecure+=",${1#--insecure=}" && shift ;; esac
  bounded run_rkt --dir="$DATA" --insecure-options="$insecure" run \
    --stage1-name=coreos.com/rkt/stage1-nspawn --net=host "$@"
}

# field OUT FIELD: the value of FIELD (CapBnd, NoNewPrivs, …) in the app's printed status.
field() { printf '%s\n' "$1" | sed -n "s/^$2:[[:space:]]*//p" | head -n1; }

# status_run DESC [pod args] IMAGE [app args...]: a one-app pod printing its status.
STATUS='cat /proc/self/status; echo "OomScoreAdj: $(cat /proc/self/oom_score_adj)"'
status_run() {
  local what=$1
  shift
  pod "$@" --exec /bin/sh -- -c "$STATUS"
  assert_rc 0 "$what"
}

# Capabilities, no_new_privs and oom_score_adj (rkt-notes §6.4, §6.5; rkt's
# tests/rkt_caps_test.go): appc's default 14 as the bounding set, the image's retain/remove
# sets, --caps-retain/--caps-remove replacing them, root apps with those effective, non-root
# apps with none, --insecure-options=capabilities.
check_caps() {
  # The default 14 (CAP_AUDIT_WRITE … CAP_SYS_CHROOT) as the kernel prints them.
  local DEFAULT=00000000a80425fb

  # 1. Root app, defaults: bounding = effective = permitted = the 14; nothing ambient; no
  #    no_new_privs (seccomp is on, but root may install a filter without it).
  status_run "root app with the default caps" "$IMG"
  assert_eq "$(field "$OUT" CapBnd)" $DEFAULT "root app: bounding set"
  assert_eq "$(field "$OUT" CapEff)" $DEFAULT "root app: effective set"
  assert_eq "$(field "$OUT" CapPrm)" $DEFAULT "root app: permitted set"
  assert_eq "$(field "$OUT" CapAmb)" 0000000000000000 "root app: ambient set"
  assert_eq "$(field "$OUT" CapInh)" 0000000000000000 "root app: inheritable set"
  assert_eq "$(field "$OUT" NoNewPrivs)" 0 "root app: no_new_privs"
  assert_eq "$(field "$OUT" OomScoreAdj)" 0 "root app: oom_score_adj untouched"

  # 2. Non-root app: the same bound, no capability it could use (rkt's TestCapsNonRoot), and
  #    no_new_privs forced by the seccomp filter.
  status_run "non-root app" "$IMG" --user=1000 --group=1000
  assert_eq "$(field "$OUT" Uid | cut -f1)" 1000 "non-root app: uid"
  assert_eq "$(field "$OUT" CapBnd)" $DEFAULT "non-root app: bounding set"
  assert_eq "$(field "$OUT" CapEff)" 0000000000000000 "non-root app: effective set"
  assert_eq "$(field "$OUT" CapPrm)" 0000000000000000 "non-root app: permitted set"
  assert_eq "$(field "$OUT" CapAmb)" 0000000000000000 "non-root app: ambient set"
  assert_eq "$(field "$OUT" NoNewPrivs)" 1 "non-root app: no_new_privs forced by seccomp"

  # 3. --caps-retain: exactly that set, even capabilities nspawn does not give by default
  #    (CAP_NET_ADMIN with the host's network: the pod's bound gets it).
  status_run "--caps-retain" "$IMG" --caps-retain=CAP_NET_ADMIN,CAP_SYS_ADMIN
  assert_eq "$(field "$OUT" CapBnd)" 0000000000201000 "--caps-retain: bounding set"
  assert_eq "$(field "$OUT" CapEff)" 0000000000201000 "--caps-retain: effective set"

  # 4. --caps-remove: the default minus that.
  status_run "--caps-remove" "$IMG" --caps-remove=CAP_CHOWN
  assert_eq "$(field "$OUT" CapBnd)" 00000000a80425fa "--caps-remove: bounding set"

  # 5. The image's isolators, and the flags replacing them (rkt's TestCapsOverride).
  status_run "image retain set" "$ISO_IMAGES/retain.aci"
  assert_eq "$(field "$OUT" CapBnd)" 0000000008000000 "image retain set CAP_MKNOD"
  assert_eq "$(field "$OUT" OomScoreAdj)" 500 "image oom-score-adj"
  assert_eq "$(field "$OUT" NoNewPrivs)" 1 "image no-new-privileges for a root app"
  status_run "--oom-score-adj over the image's" "$ISO_IMAGES/retain.aci" --oom-score-adj=300
  assert_eq "$(field "$OUT" OomScoreAdj)" 300 "--oom-score-adj replaces the image's"
  status_run "image remove set" "$ISO_IMAGES/remove.aci"
  assert_eq "$(field "$OUT" CapBnd)" 00000000a80425da "image remove set CAP_CHOWN,CAP_KILL"
  status_run "--caps-retain over the image's retain set" "$ISO_IMAGES/retain.aci" \
    --caps-retain=CAP_SYS_ADMIN
  assert_eq "$(field "$OUT" CapBnd)" 0000000000200000 "retain-override-retain"
  status_run "--caps-remove over the image's retain set" "$ISO_IMAGES/retain.aci" \
    --caps-remove=CAP_KILL
  assert_eq "$(field "$OUT" CapBnd)" 00000000a80425db "remove-override-retain"

  # 6. Several apps of one pod, each with its own set.
  pod "$IMG" --name=one --caps-retain=CAP_CHOWN \
    --exec /bin/sh -- -c 'echo one=$(sed -n "s/^CapBnd:\t//p" /proc/self/status)' --- \
    "$IMG" --name=two --exec /bin/sh -- -c 'echo two=$(sed -n "s/^CapBnd:\t//p" /proc/self/status)'
  assert_rc 0 "a pod of two apps"
  assert_contains "$OUT" "one=0000000000000001" "first app: its own set"
  assert_contains "$OUT" "two=$DEFAULT" "second app: the default set"

  # 7. --insecure-options=capabilities: nspawn's whole set (all of them), for root and non-root
  #    bounds alike.
  local host_bnd
  host_bnd=$(sed -n 's/^CapBnd:\t//p' /proc/self/status)
  status_run "--insecure-options=capabilities" --insecure=capabilities "$IMG"
  assert_eq "$(field "$OUT" CapBnd)" "$host_bnd" "--insecure-options=capabilities: every capability"
  assert_eq "$(field "$OUT" CapEff)" "$host_bnd" "--insecure-options=capabilities: all effective"

  # 8. An unknown capability is rkt run's error, naming it; no pod runs.
  pod "$IMG" --caps-retain=CAP_NO_SUCH --exec /bin/true
  [ "$RC" -ne 0 ] || fail "an unknown capability: expected a failure"
  assert_contains "$ERR" "CAP_NO_SUCH" "an unknown capability is named"
}

# probe DESC CALL [pod args] IMAGE [app args...]: a one-app pod whose process becomes
# `isolator-probe CALL` (the shell execs the probe from a volume).
probe() {
  local call=$2
  shift 2
  local image=$1
  shift
  pod --volume=tools,kind=host,source="$TOOLS",readOnly=true "$image" \
    --mount=volume=tools,target=/tools "$@" --exec /bin/sh -- -c "exec /tools/isolator-probe $call"
}

# filters [pod args] [app args...]: the app's Seccomp_filters in $COUNT, its seccomp mode and
# no_new_privs in $OUT.
filters() {
  local insecure=()
  case ${1:-} in --insecure=*) insecure=("$1") && shift ;; esac
  pod "${insecure[@]}" "$IMG" "$@" --exec /bin/sh -- -c \
    'sed -n "s/^Seccomp_filters:\t/count=/p;s/^Seccomp:\t/mode=/p;s/^NoNewPrivs:\t/nnp=/p" /proc/self/status'
  assert_rc 0 "filters $*"
  COUNT=$(printf '%s\n' "$OUT" | sed -n 's/^count=//p')
}

# Seccomp filters (rkt-notes §6.7; rkt's tests/rkt_seccomp_test.go): the default allow-list kills
# an app making a call outside it with SIGSYS; --seccomp's errno= makes a filtered call fail
# with that errno instead; groups, @appc.io/all and --insecure-options=seccomp; an unknown group
# is an error naming it.
check_seccomp() {
  # 1. The default allow-list: an allowed call works, one outside it (acct) kills the app with
  #    SIGSYS: the app's status, and so rkt run's, is 31.
  probe "default filter, allowed call" getpid "$IMG"
  assert_rc 0 "default filter: getpid"
  assert_eq "$OUT" ok "default filter: getpid works"
  probe "default filter, filtered call" acct "$IMG"
  assert_rc 31 "default filter: acct kills the app with SIGSYS"

  # 2. errno=: a filtered call fails with it (ENOTSUP = 95), the app goes on.
  probe "remove set with errno" uname "$IMG" --seccomp=mode=remove,errno=ENOTSUP,uname
  assert_rc 0 "remove set with errno"
  assert_eq "$OUT" errno=95 "remove set: uname fails with ENOTSUP"
  probe "remove set, another call" getpid "$IMG" --seccomp=mode=remove,errno=ENOTSUP,uname
  assert_eq "$OUT" ok "remove set: other calls work"
  probe "retain set with errno" acct "$IMG" --seccomp=mode=retain,errno=ENOTSUP,@rkt/default-whitelist
  assert_rc 0 "retain set with errno"
  assert_eq "$OUT" errno=95 "retain set: acct outside the list fails with ENOTSUP"
  probe "remove set without errno" uname "$IMG" --seccomp=mode=remove,uname
  assert_rc 31 "remove set without errno: SIGSYS"

  # 3. Groups: Docker's deny-list (keyctl is in it), systemd's groups.
  probe "@docker/default-blacklist" keyctl "$IMG" \
    --seccomp=mode=remove,errno=ENOTSUP,@docker/default-blacklist
  assert_eq "$OUT" errno=95 "@docker/default-blacklist: keyctl fails with ENOTSUP"
  probe "@systemd/default-whitelist" uname "$IMG" \
    --seccomp=mode=retain,errno=ENOTSUP,@systemd/default-whitelist,@rkt/default-whitelist
  assert_eq "$OUT" ok "@systemd/default-whitelist with rkt's: uname allowed"

  # 4. The image's isolator, replaced by --seccomp.
  probe "the image's seccomp isolator" uname "$ISO_IMAGES/seccomp.aci"
  assert_eq "$OUT" errno=95 "the image's seccomp isolator"
  probe "--seccomp over the image's" uname "$ISO_IMAGES/seccomp.aci" \
    --seccomp=mode=remove,errno=ENOTSUP,getpid
  assert_eq "$OUT" ok "--seccomp replaces the image's isolator"

  # 5. One filter, ours (systemd-nspawn's own is off: SYSTEMD_SECCOMP=0); @appc.io/all and
  #    --insecure-options=seccomp leave none.
  filters
  local default=$COUNT
  assert_eq "$COUNT" 1 "default: one filter, the supervisor's"
  assert_contains "$OUT" "mode=2" "default: the app is filtered"
  assert_contains "$OUT" "nnp=0" "default: a root app has no no_new_privs"
  filters --seccomp=mode=retain,@appc.io/all
  assert_eq "$COUNT" "$((default - 1))" "@appc.io/all: no filter of ours"
  probe "@appc.io/all" acct "$IMG" --seccomp=mode=retain,@appc.io/all
  assert_rc 0 "@appc.io/all: acct does not kill"
  filters --insecure=seccomp
  assert_eq "$COUNT" "$((default - 1))" "--insecure-options=seccomp: no filter of ours"
  assert_contains "$OUT" "mode=0" "--insecure-options=seccomp: no filter at all"
  filters --user=1000 --group=1000
  assert_contains "$OUT" "nnp=1" "non-root app with a filter: no_new_privs"

  # 6. Unknown groups and errnos are errors naming them (rkt dropped unknown groups silently).
  pod "$IMG" --seccomp=mode=retain,@rkt/no-such-group --exec /bin/true
  [ "$RC" -ne 0 ] || fail "an unknown group: expected a failure"
  assert_contains "$ERR" "unknown seccomp group \`@rkt/no-such-group\`" "an unknown group is named"
  pod "$IMG" --seccomp=mode=remove,errno=ENOSUCH,uname --exec /bin/true
  [ "$RC" -ne 0 ] || fail "an unknown errno: expected a failure"
  assert_contains "$ERR" "ENOSUCH" "an unknown errno is named"
}

# The app's view of the pod's PID 1 cgroup trees (through /proc/1/root: CAP_SYS_PTRACE): on v1,
# per hierarchy, whether its knobs can be written (notify_on_release, rewritten as it is); on
# both, a 1 GiB memory limit written to the root of the pod's memory tree, and what that root
# lists.
TREES='C=/proc/1/root/sys/fs/cgroup
if [ -e $C/cgroup.controllers ]; then
  echo 1073741824 >$C/memory.max && echo own=memory
else
  for h in $C/*; do
    [ -L "$h" ] && continue
    if (cat $h/notify_on_release >$h/notify_on_release) 2>/dev/null; then echo "writable=${h##*/}"; else echo "readonly=${h##*/}"; fi
  done
  echo 1073741824 >$C/memory/memory.limit_in_bytes && echo own=memory
  mkdir $C/rkt-probe 2>/dev/null && echo "writable=/sys/fs/cgroup"
  C=$C/memory
fi
echo "entries:" $(ls $C)'

# The cgroup trees the pod sees (rkt-notes §6.4, the seed "rkt Deep Dive"): read-only but for
# the pod's own cgroup, on cgroup v1 (nspawn's read-only hierarchies, the pod's `memory`, `cpu`
# and `devices` ones, rooted at its cgroup, bound read-write by the supervisor; `name=systemd` is
# nspawn's, writable) and v2 (a cgroup namespace rooted at the pod's cgroup: nothing else is in
# reach). Checked from the pod's PID 1 view, where the supervisor works; the apps' view is the
# path protections'. The pod's own limit must land in its cgroup on the host.
check_cgroup_trees() {
  # The pod waits for the checks here: its cgroups go when it exits.
  local sync=$T/trees pid i
  mkdir -p "$sync"
  timeout 300 "$RKT" --dir="$DATA" --insecure-options=image run \
    --stage1-name=coreos.com/rkt/stage1-nspawn --net=host --uuid-file-save="$sync/uuid" \
    --volume=sync,kind=host,source="$sync" "$IMG" --name=trees --mount=volume=sync,target=/s \
    --caps-retain=CAP_SYS_PTRACE --exec /bin/sh -- -c \
    "{ $TREES; } >/s/out 2>&1; : >/s/written; while [ ! -e /s/checked ]; do sleep 0.05; done" \
    >"$T/trees.stdout" 2>"$T/trees.stderr" &
  pid=$!
  for ((i = 0; i < 1200; i++)); do
    [ -e "$sync/written" ] || ! kill -0 "$pid" 2>/dev/null && break
    sleep 0.05
  done
  OUT=$(cat "$sync/out" 2>/dev/null)
  check_pod_cgroups "$(cat "$sync/uuid" 2>/dev/null)"
  : >"$sync/checked"
  wait "$pid" && RC=0 || RC=$?
  ERR=$(cat "$T/trees.stderr")
  assert_rc 0 "a pod reading its cgroup trees"
}

# check_pod_cgroups UUID: check_cgroup_trees's checks of $OUT while the pod runs.
check_pod_cgroups() {
  assert_contains "$OUT" "own=memory" "the pod's own memory limit is writable"
  local scope host
  scope="machine-rkt\\x2d${1//-/\\x2d}.scope"
  if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
    # v2: the namespace's root is nspawn's `payload` below the pod's scope (its --keep-unit
    # layout: nspawn itself is in the scope's `supervisor`).
    host=/sys/fs/cgroup/$scope
    assert_eq "$(cat "$host/payload/memory.max")" 1073741824 "v2: the pod's root is its cgroup"
    assert_eq "$(cat "$host/memory.max")" max "v2: the scope above the pod's root is out of reach"
    assert_not_contains "$OUT" "supervisor" "v2: nspawn's cgroup is out of reach"
    assert_not_contains "$OUT" "machine-rkt" "v2: the host's cgroups are out of reach"
    return
  fi
  # v1: where the host has the pod's cgroup, the pod's tree is rooted there and writable.
  own() { find "/sys/fs/cgroup/$1/" -name "${scope//\\/\\\\}" -type d 2>/dev/null | head -n1; }
  assert_eq "$(cat "$(own memory)/memory.limit_in_bytes")" 1073741824 \
    "v1: the memory root is the pod's cgroup"
  local line others=0
  for line in $(printf '%s\n' "$OUT" | grep -E '^(writable|readonly)='); do
    case $line in
      writable=*) [ -n "$(own "${line#*=}")" ] || fail "v1: the pod may write outside its cgroup: ${line#*=}" ;;
      readonly=*) [ -z "$(own "${line#*=}")" ] || fail "v1: the pod's own ${line#*=} is read-only" ;;
    esac
    [ "$line" = "readonly=${line#*=}" ] && others=$((others + 1))
  done
  [ "$others" -gt 0 ] || fail "v1: no hierarchy outside the pod's cgroup to check: $OUT"
  # The device policy's cgroups are the pod's own too, not shared by the pods at the root of
  # the caller's devices tree.
  if [ -d /sys/fs/cgroup/devices ]; then
    [ -d "$(own devices)/system.slice/trees.service" ] ||
      fail "v1: the app's devices cgroup is not below the pod's: $(own devices)"
  fi
}
