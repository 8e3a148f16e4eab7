#!/usr/bin/env bash
# External CNI binaries in real pods (nspawn flavor), through net-cni-exec.so: the reference
# `ptp` forced external with "rkt.external": true (pod ↔ host ping, gc leaves nothing), and a
# type no in-process plugin provides, a CNI plugin script in `$LOCAL/net.d` (rkt's first plugin
# directory) that speaks CNI 0.2.0 (an ip4 result, converted for rkt) and logs what it was
# given. Everything in a network namespace of
# the test's own, leases on a tmpfs.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$RKT_SOURCE_DIR/plugins/stage1/nspawn/tests/nspawn_lib.sh"
[ -f "$PLUGINS/net-cni-exec.so" ] || skip "net-cni-exec.so is not built"
[ -x /usr/lib/cni/ptp ] && [ -x /usr/lib/cni/host-local ] ||
  skip "the reference CNI plugins are not installed (Debian containernetworking-plugins)"
command -v iptables >/dev/null || skip "iptables is not installed (the reference ptp's ipMasq)"

LOCAL="$T/local"
mkdir -p "$LOCAL/net.d"
RN() { R --local-config="$LOCAL" "$@"; }
leases() { find /var/lib/cni/networks -type f -name '[0-9]*' 2>/dev/null | sort; }

# 1. The reference ptp, forced external, as rkt's default network would be.
cat >"$LOCAL/net.d/10-extptp.conf" <<'CONF'
{"cniVersion":"0.4.0","name":"extptp","type":"ptp","rkt.external":true,"ipMasq":true,
 "ipam":{"type":"host-local","subnet":"10.78.0.0/24","routes":[{"dst":"0.0.0.0/0"}]}}
CONF
rkt_bg run $NSPAWN --local-config="$LOCAL" --net=extptp --uuid-file-save="$T/u1" "$IMG" \
  --exec /bin/sleep -- 600 >"$T/out1" 2>"$T/err1" &
RUN=$!
wait_until "the pod's uuid file" test -s "$T/u1"
U1=$(cat "$T/u1")
# net-info.json is written before ADD (for gc) and again with the address after it.
has_address() { local d; d=$(pod_dir "$U1") && grep -q '"ip"' "$d/net-info.json" 2>/dev/null; }
wait_until "the pod's address in net-info.json" has_address
POD_IP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["ip"])' \
  "$(pod_dir "$U1")/net-info.json")
assert_eq "$POD_IP" "10.78.0.2" "the reference ptp's address through cni-exec"
wait_until "the pod answers ping" busybox ping -c 1 -W 1 "$POD_IP"
assert_eq "$(ls /var/lib/cni/networks/extptp | sort | tr '\n' ' ')" \
  "10.78.0.2 last_reserved_ip.0 lock " "the reference host-local's store (found through CNI_PATH)"
assert_contains "$(iptables -t nat -S POSTROUTING)" "-s 10.78.0.2/32" "the reference's iptables masquerade"
test -d "$DATA/net/net-cni-exec" || fail "cni-exec has its state directory"
kill -9 "$RUN"
wait "$RUN" 2>/dev/null || true
R gc --grace-period=0s
R gc --grace-period=0s
assert_eq "$(ip -o link | grep -c veth)" "0" "no veth left after gc (the reference's DEL ran)"
assert_eq "$(leases)" "" "no lease left after gc"
assert_eq "$(iptables -t nat -S | grep -c 10.78.0.2)" "0" "no masquerade rule left after gc"

# 2. A third-party type only available as a binary: a CNI 0.2.0 plugin script in $LOCAL/net.d.
#    It moves nothing (the pod keeps only lo), answers ADD with an ip4 result, and logs its
#    environment and stdin so the test sees exactly what rkt passed.
cat >"$LOCAL/net.d/tiny" <<'SCRIPT'
#!/bin/sh
log=/tmp/rkt-tiny-cni.$CNI_CONTAINERID
{ echo "command=$CNI_COMMAND ifname=$CNI_IFNAME args=$CNI_ARGS"; echo "path=$CNI_PATH";
  echo "netns-ok=$(test -e "$CNI_NETNS" && echo yes)"; cat; echo; } >>"$log"
case $CNI_COMMAND in
  ADD) echo '{"cniVersion":"0.2.0","ip4":{"ip":"10.79.0.7/24","gateway":"10.79.0.1","routes":[{"dst":"0.0.0.0/0"}]},"dns":{"nameservers":["10.79.0.53"]}}' ;;
  DEL) ;;
  *) echo '{"code":4,"msg":"unknown CNI_COMMAND: '"$CNI_COMMAND"'"}'; exit 1 ;;
esac
SCRIPT
chmod 0755 "$LOCAL/net.d/tiny"
cat >"$LOCAL/net.d/20-tiny.conf" <<'CONF'
{"cniVersion":"0.2.0","name":"tiny","type":"tiny"}
CONF
RN run $NSPAWN --net=tiny:K=V --uuid-file-save="$T/u2" "$IMG" --exec /bin/true
assert_rc 0 "a pod on a network of an external type"
U2=$(cat "$T/u2")
LOG=/tmp/rkt-tiny-cni.$U2
on_exit "rm -f $LOG"
assert_contains "$(cat "$LOG")" "command=ADD ifname=eth0 args=K=V" "CNI environment"
assert_contains "$(cat "$LOG")" "path=$LOCAL/net.d:/usr/lib/rkt/plugins/net:/usr/lib/cni:/opt/cni/bin" \
  "CNI_PATH is rkt's search path"
assert_contains "$(cat "$LOG")" "netns-ok=yes" "CNI_NETNS names the pod's netns"
assert_contains "$(cat "$LOG")" '{"cniVersion":"0.2.0","name":"tiny","type":"tiny"}' "the conf on stdin"
assert_contains "$(cat "$(pod_dir "$U2")/net-info.json")" '"ip":"10.79.0.7"' \
  "the 0.2.0 ip4 result converted and recorded"
R list --no-legend
assert_contains "$OUT" "tiny:ip4=10.79.0.7" "rkt list shows the external network's address"
# gc finds the binary with the same --local-config, as rkt's gc did.
RN gc --grace-period=0s
RN gc --grace-period=0s
assert_contains "$(cat "$LOG")" "command=DEL" "gc ran the plugin's DEL"

# 3. A type nobody provides: a clear error naming it and the directories searched.
cat >"$LOCAL/net.d/30-nope.conf" <<'CONF'
{"cniVersion":"1.0.0","name":"nope","type":"nope-plugin"}
CONF
RN run $NSPAWN --net=nope "$IMG" --exec /bin/true
assert_rc 254 "a network of a type nobody provides"
assert_contains "$ERR" "failed to find plugin \"nope-plugin\" in path [$LOCAL/net.d /usr/lib/rkt/plugins/net /usr/lib/cni /opt/cni/bin]" \
  "the missing type is named with the search path"
