# Shared helpers for functional tests. Source it first thing:  . "$(dirname "$0")/lib.sh"
#
# Environment (set by ctest): RKT (the binary under test), RKT_BUILD_DIR, RKT_SOURCE_DIR.
# Gives: $T (a scratch directory removed on exit), run_rkt, assertions, skip.
# Exit code 77 means "skipped" (ctest SKIP_RETURN_CODE); a skip always prints why.
set -u

: "${RKT:?RKT must point at the rkt binary (run through ctest)}"
: "${RKT_SOURCE_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${RKT_BUILD_DIR:=$(dirname "$(dirname "$RKT")")}"

T=$(mktemp -d "${TMPDIR:-/tmp}/rkt-ftest.XXXXXX")
_rkt_failures=0
_rkt_cleanups=()

# Registers a command to run at exit (LIFO), even when the test fails.
on_exit() { _rkt_cleanups+=("$*"); }

# Pods a test leaves exited keep what their stage1 set up outside $T (the nspawn flavor's
# cgroups) until gc: collect every data directory below $T before it goes, after the test's
# own cleanups stopped what it left running. With the binary itself: a cleanup may have
# removed a wrapper $RKT points at (pin_stage1), and gc needs no flavor.
_rkt_binary=$RKT
_rkt_gc_data_dirs() {
  local pods
  while IFS= read -r pods; do
    timeout 60 "$_rkt_binary" --dir="${pods%/pods}" gc --grace-period=0s >/dev/null 2>&1 || true
  done < <(find "$T" -mindepth 2 -maxdepth 4 -type d -name pods 2>/dev/null)
}

_rkt_finish() {
  local rc=$?
  local i
  for ((i = ${#_rkt_cleanups[@]} - 1; i >= 0; i--)); do eval "${_rkt_cleanups[$i]}" || true; done
  [ -n "${RKT_TEST_IN_PRIVATE_NS:-}" ] && _rkt_gc_data_dirs
  rm -rf "$T"
  if [ "$rc" -eq 0 ] && [ "$_rkt_failures" -ne 0 ]; then rc=1; fi
  if [ "$rc" -eq 0 ]; then echo "PASS: $(basename "$0")"; fi
  exit "$rc"
}
trap _rkt_finish EXIT

fail() { echo "FAIL: $*" >&2; _rkt_failures=$((_rkt_failures + 1)); }
die() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $(basename "$0"): $*" >&2; exit 77; }
need_root() { [ "$(id -u)" -eq 0 ] || skip "needs root"; }

# Re-executes the test inside a private mount namespace, so nothing it mounts can propagate to
# the host and everything it mounts disappears with it, and inside a network namespace of its
# own with only `lo` (up): the pods' default network (veths, routes, ip_forward, nftables rules)
# lives and dies there, never in the host's, and so do host-local's leases (/var/lib/cni is a
# tmpfs of the test's). A test that needs the host's network (the Debian mirror) sets
# RKT_TEST_HOST_NETWORK=1 first. Call right after sourcing lib.sh.
private_mounts() {
  if [ -z "${RKT_TEST_IN_PRIVATE_NS:-}" ]; then
    need_root
    command -v unshare >/dev/null || skip "unshare(1) is missing"
    trap - EXIT
    rm -rf "$T"
    if [ -n "${RKT_TEST_HOST_NETWORK:-}" ]; then
      RKT_TEST_IN_PRIVATE_NS=1 exec unshare -m --propagation private bash "$0" "$@"
    fi
    command -v ip >/dev/null || skip "ip(8) is missing (iproute2)"
    # A network namespace of the test's own has its own address space, so its own lease store
    # (host-local's default dataDir) and its own /var/run/netns: the pods of other tests are
    # not this test's to count or collect.
    RKT_TEST_IN_PRIVATE_NS=1 exec unshare -m -n --propagation private \
      bash -c 'ip link set lo up &&
        mkdir -p /var/lib/cni /var/run/netns &&
        mount -t tmpfs -o mode=0755 rkt-test-cni /var/lib/cni &&
        mount -t tmpfs -o mode=0755 rkt-test-netns /var/run/netns &&
        exec bash "$0" "$@"' "$0" "$@"
  fi
}

# run_rkt ARGS...: runs rkt, capturing stdout in $OUT, stderr in $ERR and the exit code in $RC.
run_rkt() {
  OUT=$("$RKT" "$@" 2>"$T/.stderr") && RC=0 || RC=$?
  ERR=$(cat "$T/.stderr")
}

# bounded CMD ARGS...: runs CMD (run_rkt, rk, …) with rkt under timeout(1): a command that would
# hang ends after 300 s with exit code 124 and fails the test instead of blocking it.
bounded() {
  local saved=$RKT
  printf '#!/bin/bash\nexec timeout 300 %q "$@"\n' "$saved" >"$T/.bounded-rkt"
  chmod +x "$T/.bounded-rkt"
  RKT=$T/.bounded-rkt
  "$@"
  RKT=$saved
}

assert_rc() { # expected-code description
  [ "$RC" -eq "$1" ] || fail "$2: expected exit code $1, got $RC (stdout: ${OUT:0:400}) (stderr: ${ERR:0:400})"
}
assert_contains() { # haystack needle description
  case "$1" in *"$2"*) ;; *) fail "$3: expected to find '$2' in: ${1:0:600}" ;; esac
}
assert_not_contains() { # haystack needle description
  case "$1" in *"$2"*) fail "$3: did not expect '$2' in: ${1:0:600}" ;; *) ;; esac
}
assert_eq() { # actual expected description
  [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}
assert_file() { [ -e "$1" ] || fail "$2: expected file $1"; }
assert_no_file() { [ ! -e "$1" ] || fail "$2: did not expect file $1"; }
# Checks that a string is valid JSON (python3 is part of the test dependencies).
assert_json() { # text description
  printf '%s' "$1" | python3 -c 'import json,sys; json.load(sys.stdin)' 2>/dev/null ||
    fail "$2: not valid JSON: ${1:0:400}"
}

# pin_stage1 FLAVOR: from here on, `rkt run` and `rkt prepare` without a --stage1-* flag use
# FLAVOR instead of the build's default (nspawn): for tests written against fly's behaviour
# (the process becomes the app, host namespaces). $RKT becomes a wrapper script adding
# --stage1-name=coreos.com/rkt/stage1-FLAVOR after the command word (global flags before it
# must be written --flag=value).
pin_stage1() {
  local real=$RKT dir
  # Outside $T (0700): tests also run rkt as other users.
  dir=$(mktemp -d "${TMPDIR:-/tmp}/rkt-stage1-pin.XXXXXX") && chmod 0755 "$dir" || die "mktemp"
  on_exit "rm -rf '$dir'"
  cat >"$dir/rkt" <<WRAPPER
#!/bin/bash
args=("\$@")
for ((i = 0; i < \${#args[@]}; i++)); do
  case "\${args[\$i]}" in
    --*) continue ;;
    run | prepare)
      for a in "\${args[@]}"; do case "\$a" in --stage1-*) exec $(printf %q "$real") "\$@" ;; esac; done
      exec $(printf %q "$real") "\${args[@]:0:\$i+1}" --stage1-name=coreos.com/rkt/stage1-$1 "\${args[@]:\$i+1}" ;;
    *) break ;;
  esac
done
exec $(printf %q "$real") "\$@"
WRAPPER
  chmod 0755 "$dir/rkt"
  RKT=$dir/rkt
}
