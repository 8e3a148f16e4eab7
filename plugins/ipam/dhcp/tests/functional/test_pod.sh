#!/usr/bin/env bash
# A pod on a macvlan network whose addresses come from dnsmasq through the dhcp IPAM (nspawn
# flavor). In a network namespace of the test's own (the "host"): a veth to a server namespace
# running dnsmasq (stopped by its PID), the host end the macvlan master. The pod gets a lease (the reference's
# client id), reaches the server, its lease is kept by a keeper process in its namespace; after
# kill -9 of rkt run, gc stops the keeper, which releases the lease (dnsmasq's lease file loses
# it), and leaves no veth, keeper, state or pod netns.
. "$(dirname "$0")/../../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$RKT_SOURCE_DIR/plugins/stage1/nspawn/tests/nspawn_lib.sh"
for p in net-macvlan ipam-dhcp; do
  [ -f "$PLUGINS/$p.so" ] || skip "$p.so is not built"
done
[ -x /usr/sbin/dnsmasq ] || skip "/usr/sbin/dnsmasq is missing (Debian dnsmasq-base)"

# The DHCP server's side: a namespace with dnsmasq, a veth to the host, whose end there is the
# macvlan master.
ip netns add dhcpsrv
on_exit ip netns del dhcpsrv
ip link add dsrv0 type veth peer name dsrvport
ip link set dsrvport up
ip link set dsrv0 netns dhcpsrv
ip -n dhcpsrv addr add 10.79.0.1/24 dev dsrv0
ip -n dhcpsrv link set dsrv0 up
ip -n dhcpsrv link set lo up
ip netns exec dhcpsrv /usr/sbin/dnsmasq --conf-file=/dev/null --port=0 --interface=dsrv0 \
  --bind-interfaces --dhcp-range=10.79.0.50,10.79.0.60,255.255.255.0,2m \
  --dhcp-option=option:router,10.79.0.1 --no-ping --dhcp-authoritative --log-dhcp \
  --user=root --group=root --dhcp-leasefile="$T/leases" --pid-file="$T/dnsmasq.pid" \
  --log-facility="$T/dnsmasq.log" || die "cannot start dnsmasq"
wait_until "dnsmasq's pid file" test -s "$T/dnsmasq.pid"
on_exit kill "$(cat "$T/dnsmasq.pid")"

LOCAL="$T/local"
mkdir -p "$LOCAL/net.d"
cat >"$LOCAL/net.d/10-dh.conf" <<'CONF'
{"cniVersion":"1.0.0","name":"dh","type":"macvlan","master":"dsrvport","ipam":{"type":"dhcp"}}
CONF

# 1. The pod's eth0 gets a lease; the pod reaches the DHCP server.
rkt_bg run $NSPAWN --local-config="$LOCAL" --net=dh --uuid-file-save="$T/u" "$IMG" \
  --exec /bin/sh -- -c 'ip -o -4 addr show eth0 | awk "{print \$4}";
    ping -c 1 -W 5 10.79.0.1 >/dev/null && echo server-ok; while :; do sleep 1; done' \
  >"$T/out" 2>"$T/err" &
RUN=$!
wait_until "the pod's uuid file" test -s "$T/u"
U=$(cat "$T/u")
wait_until "the pod's net-info.json" pod_has "$U" net-info.json
IP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["ip"])' \
  "$(pod_dir "$U")/net-info.json")
case "$IP" in 10.79.0.5[0-9] | 10.79.0.60) ;; *) fail "the pod's address $IP is not dnsmasq's" ;; esac
wait_until "the pod's output" grep -q server-ok "$T/out"
assert_eq "$(head -n1 "$T/out")" "$IP/24" "eth0 holds the leased address"
CLIENT_ID=$(printf '%s' "$U/dh/eth0" | od -An -tx1 | tr -s ' \n' ':' | sed 's/^:/00:/; s/:$//')
wait_until "dnsmasq's lease of the pod" grep -q " $IP .*$CLIENT_ID" "$T/leases"
STATE="$DATA/net/ipam-dhcp/dh/$U+eth0.json"
assert_file "$STATE" "the keeper's state"
KEEPER=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$STATE")
assert_eq "$(stat -L -c %i "/proc/$KEEPER/ns/net")" "$(stat -c %i "$(cat "$(pod_dir "$U")/netns")")" \
  "the keeper lives in the pod's network namespace"

# 2. kill -9 of rkt run (the pod goes with it; the keeper, in a session of its own, stays), gc.
kill -9 "$RUN"
wait "$RUN" 2>/dev/null || true
kill -0 "$KEEPER" 2>/dev/null || fail "the keeper did not outlive rkt run"
R gc --grace-period=0s
R gc --grace-period=0s
assert_no_file "$STATE" "the keeper's state after gc"
[ "$(awk '{print $3}' "/proc/$KEEPER/stat" 2>/dev/null)" = "" ] ||
  [ "$(awk '{print $3}' "/proc/$KEEPER/stat")" = "Z" ] || fail "the keeper outlived gc"
wait_until "dnsmasq's lease released" sh -c "! grep -q ' $IP ' '$T/leases'"
assert_contains "$(cat "$T/dnsmasq.log")" "DHCPRELEASE(dsrv0) $IP" "the release reached dnsmasq"
assert_eq "$(ls /var/run/netns)" "dhcpsrv" "no pod netns left after gc"
