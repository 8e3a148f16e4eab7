#!/usr/bin/env bash
# --private-users beyond the app's own tree (docs/user-namespaces.md): host volumes are bound as
# they are, as rkt did (the pod's root is not the host's: it writes where the directory lets
# others write, its files are shift+uid on the host, host root's files are `nobody` inside);
# `rkt export` gives the image's ids back (unshifted) with or without idmapped mounts, or says
# why it cannot; gc leaves no mount and no shifted tree.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/nspawn_lib.sh"

[ -e /proc/self/uid_map ] || skip "the kernel has no user namespaces"
command -v tar >/dev/null || skip "tar is missing"

owner() { stat -c %u:%g "$1" 2>/dev/null || echo missing; }
shift_of() { cut -d: -f1 "$(pod_dir "$1")/private-users-prepared"; }

# 1. Host volumes are not shifted: a world-writable one takes the app's files as shift+uid, a
#    host-root-owned 0755 one refuses the pod's root, and host root's files show as nobody.
mkdir -p "$T/open" "$T/closed"
chmod 0777 "$T/open"
chmod 0755 "$T/closed"
touch "$T/closed/hosts-file"
bounded R run $NSPAWN --net=host --private-users --uuid-file-save="$T/u1" \
  --volume=open,kind=host,source="$T/open" --volume=closed,kind=host,source="$T/closed" "$IMG" \
  --mount=volume=open,target=/open --mount=volume=closed,target=/closed --exec /bin/sh -- -c \
  'touch /open/made; touch /closed/made 2>/dev/null && echo closed=written || echo closed=refused
   echo owner=$(stat -c %u /closed/hosts-file)'
assert_rc 0 "host volumes: the pod runs"
S=$(shift_of "$(cat "$T/u1")")
assert_eq "$(owner "$T/open/made")" "$S:$S" "host volume: the app's file is shift+0 on the host"
assert_contains "$OUT" "closed=refused" "host volume owned by host root: the pod's root cannot write"
assert_no_file "$T/closed/made" "host volume owned by host root"
assert_contains "$OUT" "owner=65534" "host volume: host root's file is nobody inside"

# 2. The range known at prepare, the host directory given to it: the pod's root owns it.
bounded R prepare $NSPAWN --private-users --volume=given,kind=host,source="$T/given" "$IMG" \
  --mount=volume=given,target=/given --exec /bin/sh -- -c 'touch /given/made'
assert_rc 0 "prepare with a host volume"
UP=$(printf '%s' "$OUT" | tail -n1)
S=$(shift_of "$UP")
mkdir -p "$T/given"
chown "$S:$S" "$T/given"
chmod 0700 "$T/given"
bounded R run-prepared --net=host "$UP"
assert_rc 0 "a host volume chowned to the range"
assert_eq "$(owner "$T/given/made")" "$S:$S" "host volume chowned to the range: written by the pod's root"

# 3. export: the image's files and the app's come back with the image's ids (0, and 5 for a file
#    chowned 5:5 inside), for an idmapped overlay, the chown fallback and --no-overlay.
APP='touch /made; chown 5:5 /made'
# exported DESC ACI: the numeric owners of rootfs/bin/busybox and rootfs/made in ACI.
exported() {
  local what=$1 aci=$2
  [ -s "$aci" ] || { fail "$what: no ACI"; return; }
  local listing
  listing=$(tar -tvzf "$aci" --numeric-owner)
  assert_eq "$(printf '%s\n' "$listing" | awk '$NF == "rootfs/bin/busybox" {print $2}')" 0/0 \
    "$what: the image's files unshifted"
  assert_eq "$(printf '%s\n' "$listing" | awk '$NF == "rootfs/made" {print $2}')" 5/5 \
    "$what: the app's file unshifted"
}
export_case() {
  local what=$1
  shift
  bounded R run $NSPAWN --net=host --private-users "$@" --uuid-file-save="$T/ue" "$IMG" \
    --exec /bin/sh -- -c "$APP"
  assert_rc 0 "$what: the pod runs"
  UE=$(cat "$T/ue")
  R export "$UE" "$T/$what.aci"
  assert_rc 0 "$what: export"
  exported "$what" "$T/$what.aci"
}
export_case idmap
IDMAPPED=$UE
export_case no-overlay --no-overlay
RKT_POSIX_NO_IDMAP=1 export_case chown
# The same pod exported where idmapped mounts work: its upper holds every entry already.
R export "$UE" "$T/chown-then-idmap.aci"
assert_rc 0 "chown pod exported with idmapped mounts"
exported "chown pod exported with idmapped mounts" "$T/chown-then-idmap.aci"
# A pod whose run saw its image through an idmapped lower, exported where idmapped mounts are
# refused: its image's files are outside its range, said as such, and no ACI is left.
RKT_POSIX_NO_IDMAP=1 R export "$IDMAPPED" "$T/refused.aci"
[ "$RC" -ne 0 ] || fail "export without idmapped mounts of an idmapped pod: expected a failure"
assert_contains "$ERR" "no idmapped mounts here" "export without idmapped mounts: the reason"
assert_no_file "$T/refused.aci" "export without idmapped mounts"
grep -q "$DATA" /proc/self/mountinfo && fail "export: mounts remain under the data directory"

# 4. gc: every pod goes, shifted trees and all, and nothing stays mounted.
R gc --grace-period=0s
assert_rc 0 "gc"
for d in "$DATA"/pods/*; do
  [ -z "$(ls -A "$d")" ] || fail "gc: pods remain in $d: $(ls "$d")"
done
grep -q "$DATA" /proc/self/mountinfo && fail "gc: mounts remain under the data directory"
[ -z "$(ls -A "$DATA/tmp" 2>/dev/null)" ] || fail "gc: export's temporary directories remain"
