#!/usr/bin/env bash
# rkt-cni speaks the CNI exec protocol as the reference plugins' skel does: the same exit
# status, error code and message for the environment and version edge cases (cni-notes §4.4),
# VERSION, the "about" text, and the same host-local result, side by side with
# /usr/lib/cni/host-local, both run through a link named host-local (argv[0] dispatch). In a
# private mount namespace with host-local's store on a tmpfs (host-local needs no netns).
. "$(dirname "$0")/lib.sh"
private_mounts "$@"
RKT_CNI="$(dirname "$RKT")/rkt-cni"
[ -x "$RKT_CNI" ] || skip "rkt-cni is not built"
[ -f "$RKT_BUILD_DIR/lib/rkt/plugins/ipam-host-local.so" ] || skip "ipam-host-local.so is not built"
[ -x /usr/lib/cni/host-local ] || skip "no reference host-local (Debian containernetworking-plugins)"
mkdir -p /var/lib/cni && mount -t tmpfs -o mode=0755 rkt-test-cni /var/lib/cni
OURS="$T/ours"
mkdir -p "$OURS" && ln -s "$RKT_CNI" "$OURS/host-local"

CONF='{"cniVersion":"1.0.0","name":"cnitest-hl","type":"host-local","ipam":{"type":"host-local","subnet":"10.99.5.0/29","routes":[{"dst":"0.0.0.0/0"}]}}'
# cni DIR STDIN VAR=VALUE...: runs DIR/host-local; sets RC, OUT, ERR.
cni() {
  local dir=$1 input=$2
  shift 2
  OUT=$(printf '%s' "$input" | env -i PATH="$PATH" "$@" "$dir/host-local" 2>"$T/stderr")
  RC=$?
  ERR=$(cat "$T/stderr")
}
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get(sys.argv[2], ""))' "$1" "$2"; }
ENV=(CNI_COMMAND=ADD CNI_CONTAINERID=c1 CNI_NETNS=/dev/null CNI_IFNAME=eth0 CNI_PATH=/nowhere)
# same WHAT STDIN VAR=VALUE...: both exit alike with the same error code and message.
same() {
  local what=$1 input=$2 rc out
  shift 2
  cni /usr/lib/cni "$input" "$@"
  rc=$RC out=$OUT
  cni "$OURS" "$input" "$@"
  assert_eq "$RC" "$rc" "$what: exit status"
  if [ "$rc" -ne 0 ]; then
    assert_eq "$(field "$OUT" code)" "$(field "$out" code)" "$what: error code"
    [ "${SAME_MSG:-1}" = 1 ] && assert_eq "$(field "$OUT" msg)" "$(field "$out" msg)" "$what: message"
    [ "${SAME_MSG:-1}" = 1 ] && [ "${SAME_DETAILS:-1}" = 1 ] &&
      assert_eq "$(field "$OUT" details)" "$(field "$out" details)" "$what: details"
  fi
  return 0
}

same "missing CNI_NETNS and CNI_IFNAME" "$CONF" CNI_COMMAND=ADD CNI_CONTAINERID=c1 CNI_PATH=/x
same "unknown command" "$CONF" CNI_COMMAND=FOO CNI_CONTAINERID=c1 CNI_NETNS=/dev/null CNI_IFNAME=eth0 CNI_PATH=/x
SAME_DETAILS=0 same "unsupported cniVersion" '{"cniVersion":"9.9.9","name":"x","ipam":{"type":"host-local"}}' "${ENV[@]}"
assert_eq "$(field "$OUT" details)" \
  'config is "9.9.9", plugin supports ["0.1.0" "0.2.0" "0.3.0" "0.3.1" "0.4.0" "1.0.0" "1.1.0"]' \
  "unsupported cniVersion: our versions (1.1.0 besides the reference's)"
SAME_MSG=0 same "stdin that is not JSON" '{not json' "${ENV[@]}"
same "CHECK on a 0.3.1 conf" "${CONF/1.0.0/0.3.1}" CNI_COMMAND=CHECK CNI_CONTAINERID=c1 \
  CNI_NETNS=/dev/null CNI_IFNAME=eth0 CNI_PATH=/x
same "invalid container id" "$CONF" CNI_COMMAND=ADD CNI_CONTAINERID=bad/id CNI_NETNS=/dev/null \
  CNI_IFNAME=eth0 CNI_PATH=/x
same "interface name too long" "$CONF" CNI_COMMAND=ADD CNI_CONTAINERID=c1 CNI_NETNS=/dev/null \
  CNI_IFNAME=abcdefghijklmnop CNI_PATH=/x
same "missing network name" '{"cniVersion":"1.0.0","ipam":{"type":"host-local"}}' "${ENV[@]}"

cni "$OURS" "" CNI_COMMAND=VERSION
assert_rc 0 "VERSION"
assert_contains "$OUT" '"supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]' \
  "VERSION lists every version"
cni "$OURS" ""
assert_rc 0 "no CNI_COMMAND"
assert_eq "$OUT" "" "no CNI_COMMAND: nothing on stdout"
assert_contains "$ERR" "CNI protocol versions supported: 0.1.0, " "no CNI_COMMAND: the about text"

# The same allocation and result, and DEL twice.
cni /usr/lib/cni "$CONF" "${ENV[@]}"
REF_OUT=$OUT
cni /usr/lib/cni "$CONF" CNI_COMMAND=DEL CNI_CONTAINERID=c1 CNI_IFNAME=eth0 CNI_PATH=/x
rm -rf /var/lib/cni/networks
cni "$OURS" "$CONF" "${ENV[@]}"
assert_rc 0 "ADD"
assert_eq "$(python3 -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1]), sort_keys=True))' "$OUT")" \
  "$(python3 -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1]), sort_keys=True))' "$REF_OUT")" \
  "the same IPAM result as the reference"
assert_eq "$(cat /var/lib/cni/networks/cnitest-hl/10.99.5.2 | od -c | head -1)" \
  "$(printf 'c1\r\neth0' | od -c | head -1)" "the reference's lease file"
cni "$OURS" "$CONF" CNI_COMMAND=DEL CNI_CONTAINERID=c1 CNI_IFNAME=eth0 CNI_PATH=/x
assert_rc 0 "DEL"
assert_eq "$OUT" "" "DEL prints nothing"
cni "$OURS" "$CONF" CNI_COMMAND=DEL CNI_CONTAINERID=c1 CNI_IFNAME=eth0 CNI_PATH=/x
assert_rc 0 "DEL again"
test -e /var/lib/cni/networks/cnitest-hl/10.99.5.2 && fail "the lease is released"

# As rkt-cni (dispatch by the conf's type), a 0.2.0 conf gets the ip4 layout.
mv "$OURS/host-local" "$OURS/h" && ln -s "$RKT_CNI" "$OURS/rkt-cni"
OUT=$(printf '%s' "${CONF/1.0.0/0.2.0}" | env -i PATH="$PATH" "${ENV[@]}" "$OURS/rkt-cni")
assert_eq "$OUT" '{"cniVersion":"0.2.0","ip4":{"ip":"10.99.5.3/29","gateway":"10.99.5.1","routes":[{"dst":"0.0.0.0/0"}]},"dns":{}}' \
  "rkt-cni by the conf's type, 0.2.0 layout (round robin after .2)"
OUT=$(printf '%s' '{"cniVersion":"1.0.0","name":"x","type":"no-such-type"}' |
  env -i PATH="$PATH" "${ENV[@]}" "$OURS/rkt-cni")
assert_eq "$?" "1" "unknown type: exit 1"
assert_contains "$OUT" '"msg":"rkt-cni has no in-process plugin of type \"no-such-type\""' \
  "unknown type: the error names it"
