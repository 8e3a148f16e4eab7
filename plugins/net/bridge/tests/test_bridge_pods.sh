#!/usr/bin/env bash
# Pods on a bridge network from a net.d conf (nspawn flavor): the core attaches them through the
# in-process bridge and host-local plugins. In a network namespace of the test's own (the "host"
# side), leases on a tmpfs of its own: a running pod is reached by a second pod on the same
# bridge (ping and TCP) and by the host; the second pod reaches the gateway on the bridge; gc
# after kill -9 leaves no veth, lease, masquerade rule or netns (the bridge stays, as the
# reference plugin leaves it).
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$RKT_SOURCE_DIR/plugins/stage1/nspawn/tests/nspawn_lib.sh"
for p in net-bridge ipam-host-local; do
  [ -f "$PLUGINS/$p.so" ] || skip "$p.so is not built"
done

LOCAL="$T/local"
mkdir -p "$LOCAL/net.d"
cat >"$LOCAL/net.d/10-br.conf" <<'CONF'
{"cniVersion":"1.0.0","name":"br","type":"bridge","bridge":"rkttestbr0","isGateway":true,
 "ipMasq":true,"ipam":{"type":"host-local","subnet":"10.88.0.0/24","routes":[{"dst":"0.0.0.0/0"}]}}
CONF
RN() { R --local-config="$LOCAL" "$@"; }
leases() { find /var/lib/cni/networks -type f -name '[0-9]*' 2>/dev/null | sort; }

# 1. Pod A serves TCP on the bridge network.
rkt_bg run $NSPAWN --local-config="$LOCAL" --net=br --uuid-file-save="$T/ua" "$IMG" \
  --exec /bin/sh -- -c 'while :; do echo hello-from-a | nc -l -p 7777; done' \
  >"$T/outa" 2>"$T/erra" &
RUN=$!
wait_until "pod A's uuid file" test -s "$T/ua"
UA=$(cat "$T/ua")
wait_until "pod A's net-info.json" pod_has "$UA" net-info.json
A_IP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["ip"])' \
  "$(pod_dir "$UA")/net-info.json")
assert_eq "$A_IP" "10.88.0.2" "pod A's address"
assert_contains "$(ip -o -4 addr show rkttestbr0)" "10.88.0.1/24" "the gateway on the bridge"
assert_contains "$(ip -o link show master rkttestbr0)" "veth" "pod A's host end on the bridge"

# 2. The host reaches pod A; pod B on the same bridge reaches pod A and the gateway.
wait_until "pod A answers the host's ping" busybox ping -c 1 -W 1 "$A_IP"
assert_eq "$(wait_until "pod A's TCP server" sh -c "busybox nc $A_IP 7777 </dev/null | grep hello")" \
  "hello-from-a" "TCP from the host to pod A"
RN run $NSPAWN --net=br "$IMG" --exec /bin/sh -- -c \
  "ip -o -4 addr show eth0 | awk '{print \$4}'; ping -c 1 -W 5 $A_IP >/dev/null && echo pod-ok;
   ping -c 1 -W 5 10.88.0.1 >/dev/null && echo gw-ok; nc $A_IP 7777 </dev/null"
assert_rc 0 "pod B runs on the bridge network"
assert_eq "$OUT" "10.88.0.3/24
pod-ok
gw-ok
hello-from-a" "pod B reaches pod A (ping, TCP) and the gateway"
if command -v nft >/dev/null; then
  assert_contains "$(nft list ruleset)" "ip saddr $A_IP counter packets" "ipMasq rules of pod A"
fi

# 3. kill -9 of pod A, gc: nothing of either pod is left; the bridge stays.
kill -9 "$RUN"
wait "$RUN" 2>/dev/null || true
R gc --grace-period=0s
R gc --grace-period=0s
assert_eq "$(ip -o link | grep -c veth)" "0" "no veth left after gc"
assert_eq "$(leases)" "" "no lease left after gc"
assert_eq "$(ls /var/run/netns)" "" "no netns left after gc"
if command -v nft >/dev/null; then
  assert_eq "$(nft list ruleset)" "" "no masquerade rule left after gc"
fi
assert_contains "$(ip -o -4 addr show rkttestbr0)" "10.88.0.1/24" "the bridge stays, as the reference's"
