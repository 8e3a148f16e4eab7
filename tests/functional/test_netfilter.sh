#!/usr/bin/env bash
# rkt_support_netfilter on real traffic (issue 15, "Ports and masquerade"), through its driver
# rkt-netfilter-tool, in three network namespaces this test creates; the host's own rules are
# never touched (every rule lives in the scratch "host" namespace):
#
#   client 10.77.0.2 ── vout 10.77.0.1 [host] vpod 172.16.28.1 ── pod 172.16.28.2
#
# Port forwarding as rkt's --port: from outside, from the host to its own address, from
# localhost (route_localnet + masquerade), hairpin from the pod; a host-IP-bound port; ipMasq:
# the pod reaching the client shows up with the host's address. After removal, by name or with
# "remove everything of this container" run by a fresh process (no state, as gc after a crash):
# no table, chain or rule left and the connections fail.
. "$(dirname "$0")/lib.sh"
private_mounts "$@"

TOOL=$RKT_BUILD_DIR/bin/rkt-netfilter-tool
[ -x "$TOOL" ] || skip "rkt-netfilter-tool is not built"
for c in ip nft python3; do command -v $c >/dev/null || skip "$c is missing"; done

H=rktnf$$-host P=rktnf$$-pod C=rktnf$$-client
CID=8d7f4a10-5c3b-4e2a-9f1d-0123456789ab
for ns in $H $P $C; do
  ip netns add $ns || die "cannot create network namespace $ns"
  on_exit ip netns del $ns
  ip -n $ns link set lo up
done
inh() { ip netns exec $H "$@"; }
ip -n $H link add vpod type veth peer name eth0 netns $P
ip -n $H link add vout type veth peer name eth0 netns $C
ip -n $H addr add 172.16.28.1/24 dev vpod
ip -n $H addr add 10.77.0.1/24 dev vout
ip -n $P addr add 172.16.28.2/24 dev eth0
ip -n $C addr add 10.77.0.2/24 dev eth0
for l in "$H vpod" "$H vout" "$P eth0" "$C eth0"; do ip -n ${l% *} link set ${l#* } up; done
ip -n $P route add default via 172.16.28.1
# The client routes the pod subnet back through the host, so an unmasqueraded connection still
# works and shows the pod's own address: the masquerade is seen, not inferred from a timeout.
ip -n $C route add 172.16.28.0/24 via 10.77.0.1
inh sysctl -qw net.ipv4.ip_forward=1

# server NS PORT LABEL: answers every connection with "LABEL from <peer address>".
cat >"$T/server.py" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(16)
open(sys.argv[3], "w").close()
while True:
    c, peer = s.accept()
    c.sendall(("%s from %s\n" % (sys.argv[2], peer[0])).encode())
    c.close()
PY
cat >"$T/client.py" <<'PY'
import socket, sys
try:
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=30)
    print(s.makefile().readline().strip())
except ConnectionRefusedError:
    print("refused")
except OSError as e:
    print("error: %s" % e)
PY
server() {
  ip netns exec "$1" python3 "$T/server.py" "$2" "$3" "$T/ready.$3" &
  on_exit kill $!
  while [ ! -e "$T/ready.$3" ]; do kill -0 $! 2>/dev/null || die "the $3 server did not start"; sleep 0.1; done
}
server $P 80 pod
server $C 9000 outside
connect() { # NS ADDRESS PORT EXPECTED WHAT
  local got
  got=$(ip netns exec "$1" python3 "$T/client.py" "$2" "$3")
  assert_eq "$got" "$4" "$5"
}
tool() { # runs the tool in the host namespace: OUT, ERR, RC
  OUT=$(inh "$TOOL" "$@" 2>"$T/.stderr") && RC=0 || RC=$?
  ERR=$(cat "$T/.stderr")
}
ruleset() { inh nft list ruleset; }

connect $C 10.77.0.1 8080 refused "before the rules, the host port is closed"
connect $P 10.77.0.2 9000 "outside from 172.16.28.2" "before the rules, the pod is not masqueraded"

tool route-localnet 172.16.28.1
assert_rc 0 "route_localnet on the interface holding the host IP"
assert_eq "$OUT" 1 "one interface holds 172.16.28.1"
assert_eq "$(inh cat /proc/sys/net/ipv4/conf/vpod/route_localnet)" 1 "route_localnet of vpod"
assert_eq "$(inh cat /proc/sys/net/ipv4/conf/vout/route_localnet)" 0 "route_localnet of vout"

tool masq-add default $CID 172.16.28.2/24
assert_rc 0 "masquerade added"
tool pfwd-add $CID default 172.16.28.2 tcp:8080:80 tcp:10.77.0.1:8081:80
assert_rc 0 "port forwarding added"
rules=$(ruleset)
assert_contains "$rules" "table ip rkt-pfwd-$CID" "the pod's port-forwarding table"
assert_contains "$rules" "chain RKT-PFWD-DNAT-${CID:0:8}" "rkt's DNAT chain"
assert_contains "$rules" "chain RKT-PFWD-SNAT-${CID:0:8}" "rkt's SNAT chain"
assert_contains "$rules" "ip daddr != 224.0.0.0/4 counter packets" "the ipMasq multicast exclusion"

connect $C 10.77.0.1 8080 "pod from 10.77.0.2" "DNAT from outside keeps the client's address"
connect $H 10.77.0.1 8080 "pod from 10.77.0.1" "DNAT from the host to its own address (OUTPUT)"
connect $H 127.0.0.1 8080 "pod from 172.16.28.1" "localhost reaches the pod, masqueraded"
connect $P 172.16.28.1 8080 "pod from 172.16.28.1" "hairpin: the pod reaches its own port"
connect $C 10.77.0.1 8081 "pod from 10.77.0.2" "a port bound to a host IP, on that IP"
connect $C 172.16.28.1 8081 refused "a port bound to a host IP, on another host address"
connect $H 127.0.0.1 8081 refused "a port bound to a host IP, on localhost"
connect $P 10.77.0.2 9000 "outside from 10.77.0.1" "the pod is masqueraded to the outside"
connect $P 172.16.28.1 8081 refused "traffic to the pod's own subnet is not masqueraded"

# Adding again replaces: the same rules, once.
tool masq-add default $CID 172.16.28.2/24
assert_rc 0 "masquerade added twice"
tool pfwd-add $CID default 172.16.28.2 tcp:8080:80 tcp:10.77.0.1:8081:80
assert_rc 0 "port forwarding added twice"
assert_eq "$(ruleset)" "$rules" "adding twice leaves one set of rules"

tool pfwd-add "bad id" default 172.16.28.2 tcp:1:2
assert_rc 1 "a bad container id is refused"
assert_eq "$ERR" "invalid container id \`bad id\`: must match [a-zA-Z0-9][a-zA-Z0-9_.-]*" "its message"
assert_eq "$(ruleset)" "$rules" "a refused call changes nothing"

# Without CAP_NET_ADMIN: nft's cause, in one lowercase line.
if command -v setpriv >/dev/null; then
  OUT=$(inh setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
    "$TOOL" masq-add default $CID 172.16.28.2/24 2>&1) && RC=0 || RC=$?
  assert_rc 1 "masquerade without CAP_NET_ADMIN"
  assert_contains "$OUT" "cannot add the masquerade of container \`$CID\` on network \`default\`: cache initialization failed: operation not permitted" "its message"
fi

# Removal by (network, container id), twice.
tool masq-del default $CID
assert_rc 0 "masquerade removed"
tool masq-del default $CID
assert_rc 0 "masquerade removed again"
assert_not_contains "$(ruleset)" "rkt-masq-" "no masquerade table left"
connect $P 10.77.0.2 9000 "outside from 172.16.28.2" "the pod is no longer masqueraded"
connect $H 127.0.0.1 8080 "pod from 172.16.28.1" "port forwarding stays"

tool pfwd-del $CID
assert_rc 0 "port forwarding removed"
assert_eq "$(ruleset)" "" "nothing left after removal by name"
connect $C 10.77.0.1 8080 refused "no DNAT from outside after removal"

# gc after a crash: two networks' masquerade and the ports, then one state-less call.
tool masq-add default $CID 172.16.28.2/24
tool masq-add other $CID 172.16.28.2/24
tool pfwd-add $CID default 172.16.28.2 tcp:8080:80
tool masq-add default other-container 172.16.28.9/24
connect $H 127.0.0.1 8080 "pod from 172.16.28.1" "port forwarding back"
tool remove-all $CID
assert_rc 0 "remove everything of the container"
rules=$(ruleset)
assert_not_contains "$rules" "$CID" "nothing of the container left"
assert_contains "$rules" "rkt-masq-" "another container's table stays"
tool remove-all other-container
tool remove-all other-container
assert_rc 0 "remove everything again"
assert_eq "$(ruleset)" "" "no table, chain or rule left"
connect $C 10.77.0.1 8080 refused "no DNAT from outside after gc"
connect $H 10.77.0.1 8080 refused "no DNAT from the host after gc"
connect $H 127.0.0.1 8080 refused "no DNAT from localhost after gc"
connect $P 10.77.0.2 9000 "outside from 172.16.28.2" "no masquerade after gc"
