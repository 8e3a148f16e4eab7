#!/usr/bin/env bash
# Pods on contained networks (rkt-notes §5): the core creates the netns and attaches the
# networks through the in-process ptp and host-local plugins, nspawn runs the pod in it.
# Everything happens in a network namespace of the test's own (the "host" side of every veth),
# leases on a tmpfs of its own: pod <-> host ping and TCP over the default network, two networks as
# eth0/eth1 in conf-file order, `rkt list`/`rkt status` networks, and gc after kill -9 of the
# pod leaving no interface, address, route, masquerade rule, netns or lease.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/network_lib.sh"


# 1. --net=default (also without --net): eth0 172.16.28.x/24 routed through the host end.
RN run $NSPAWN "$IMG" --exec /bin/sh -- -c \
  'ip -o -4 addr show eth0 | awk "{print \$4}"; ip route | head -n1; ip -o link | wc -l'
assert_rc 0 "run on the default network"
assert_eq "$(printf '%s\n' "$OUT" | sed -n 1p)" "172.16.28.2/24" "eth0 holds the first address"
assert_eq "$(printf '%s\n' "$OUT" | sed -n 2p)" "default via 172.16.28.1 dev eth0 " \
  "default route through the host end"
assert_eq "$(printf '%s\n' "$OUT" | sed -n 3p)" "2" "lo and eth0"
RN run $NSPAWN "$IMG" --exec /bin/sh -- -c 'ping -c 1 -W 5 172.16.28.1 >/dev/null && echo ok'
assert_eq "$OUT" "ok" "the pod reaches the host end"

# 2. A running pod: the host reaches it (ping, TCP), list and status show its network; then
#    kill -9 of the pod and gc leave nothing behind.
rkt_bg run $NSPAWN --local-config="$LOCAL" --uuid-file-save="$T/u1" "$IMG" --exec /bin/sh -- -c \
  'while :; do echo hello-from-pod | nc -l -p 7777; done' >"$T/out1" 2>"$T/err1" &
RUN=$!
pod_started "$T/u1"
U1=$POD_UUID
POD_IP=$POD_IP0
wait_until "the pod answers ping" busybox ping -c 1 -W 1 "$POD_IP"
if command -v nft >/dev/null; then  # default has ipMasq: the pod's masquerade rules
  assert_contains "$(nft list ruleset)" "ip saddr $POD_IP counter packets" "ipMasq rules"
fi
assert_eq "$(wait_until "the pod's TCP server" sh -c "busybox nc $POD_IP 7777 </dev/null | grep hello")" \
  "hello-from-pod" "TCP from the host to the pod"
R list --no-legend
assert_contains "$OUT" "default:ip4=$POD_IP" "rkt list shows the network"
R status "$U1"
assert_contains "$OUT" "networks=default:ip4=$POD_IP" "rkt status shows the network"
NETNS1=$(cat "$(pod_dir "$U1")/netns")
assert_contains "$NETNS1" "/var/run/netns/cni-" "\$POD/netns names the pod's netns"
test -e "$NETNS1" || fail "the pod's netns $NETNS1 does not exist"
kill -9 "$RUN"
wait "$RUN" 2>/dev/null || true
R gc --grace-period=0s
R gc --grace-period=0s
no_network_left "after gc" '172\.16\.28\.'

# 3. Two networks: eth0, eth1 in conf-file order (10-second.conf sorts before 99-default.conf).
cat >"$LOCAL/net.d/10-second.conf" <<'CONF'
{"cniVersion":"1.0.0","name":"second","type":"ptp","ipam":{"type":"host-local","subnet":"10.77.0.0/24"}}
CONF
RN run $NSPAWN --net=default,second "$IMG" --exec /bin/sh -- -c \
  'for i in eth0 eth1; do ip -o -4 addr show $i | awk "{print \$2, \$4}"; done'
assert_rc 0 "run on two networks"
assert_eq "$OUT" "eth0 10.77.0.2/24
eth1 172.16.28.5/24" "second is eth0, default eth1 (round robin after .4)"
RN run $NSPAWN --net=second:IP=10.77.0.9 "$IMG" --exec /bin/sh -- -c \
  'ip -o -4 addr show eth0 | awk "{print \$4}"'
assert_eq "$OUT" "10.77.0.9/24" "--net=NAME:IP=… reaches host-local"
RN run $NSPAWN --net=default,default "$IMG" --exec /bin/true
assert_rc 254 "duplicate network"
assert_contains "$ERR" "found duplicate network name \"default\"" "duplicate network message"
R gc --grace-period=0s
R gc --grace-period=0s
no_network_left "after gc of exited pods" '172\.16\.28\.|10\.77\.0\.'
