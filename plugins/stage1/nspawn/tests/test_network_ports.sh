#!/usr/bin/env bash
# Forwarded ports and masquerade of pods on the default network (rkt-notes §5.4, §5.5), in the
# test's own network namespace (the "host"), with a second namespace of the test's ("outside")
# behind a veth pair: `--port=NAME:[HOSTIP:]HOSTPORT` reaches a busybox httpd in the pod from
# the host's address, from 127.0.0.1 and from outside; a host-IP-bound port only there; the
# pod's connection to outside arrives from the host's address (ipMasq); rkt's errors; `rkt
# list`/`rkt status`; gc after kill -9 leaves no rule.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/network_lib.sh"
need_nftables
command -v nsenter >/dev/null || skip "nsenter(1) is missing"
# The app's ports: http (tcp 80) and alt (tcp 81).
web_image '[{"name":"http","protocol":"tcp","port":80},{"name":"alt","protocol":"tcp","port":81}]'

# The outside namespace (held by a sleep of ours) behind rkthost0 10.213.0.1 <-> rktout0 10.213.0.2.
unshare -n sleep 600 &
OUTSIDE=$!
on_exit "kill -KILL $OUTSIDE 2>/dev/null; wait $OUTSIDE 2>/dev/null"
outside() { nsenter -t "$OUTSIDE" -n "$@"; }
other_netns() { [ "$(readlink "/proc/$OUTSIDE/ns/net")" != "$(readlink /proc/self/ns/net)" ]; }
wait_until "the outside namespace" other_netns
ip link add rkthost0 type veth peer name rktout0 || die "cannot create the outside veth pair"
ip link set rktout0 netns "$OUTSIDE"
ip addr add 10.213.0.1/24 dev rkthost0 && ip link set rkthost0 up
outside ip link set lo up
outside ip addr add 10.213.0.2/24 dev rktout0 && outside ip link set rktout0 up
# A server outside that answers each connection with the address it came from.
# It dies with the test (PR_SET_PDEATHSIG), whatever ends the test.
cat >"$T/peer.py" <<'PY'
import ctypes, signal, socket
ctypes.CDLL(None).prctl(1, signal.SIGKILL)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.213.0.2", 9999))
s.listen(8)
while True:
    c, addr = s.accept()
    c.sendall((addr[0] + "\n").encode())
    c.close()
PY
# nsenter execs python: $! is the server itself.
nsenter -t "$OUTSIDE" -n python3 "$T/peer.py" &
PEER=$!
on_exit "kill -KILL $PEER 2>/dev/null; wait $PEER 2>/dev/null"
peer_listens() { python3 -c 'import socket; socket.create_connection(("10.213.0.2", 9999), 2)' 2>/dev/null; }
wait_until "the server outside" peer_listens

# get URL: the page, or nothing (busybox's wget crashes on this host: python's client).
cat >"$T/get.py" <<'PY'
import sys, urllib.request
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode().strip())
except Exception:
    pass
PY
get() { python3 "$T/get.py" "$1"; }
served() { [ -n "$(get "$1")" ]; }

# 1. rkt's refusals, before anything runs.
R run $NSPAWN --port=nope:8080 "$WEB" --exec /bin/true
assert_rc 254 "--port naming no app port"
assert_contains "$ERR" 'port name "nope" could not be found in any apps' "unknown port name"
R run $NSPAWN --port=http:8080 --port=alt:8080 "$WEB" --exec /bin/true
assert_rc 254 "two ports on one host port"
assert_contains "$ERR" "port tcp-0.0.0.0:8080 already mapped to pod port 80" "conflicting host ports"
R prepare $NSPAWN --port=http:10.213.0.1:8080 --port=alt:10.213.0.1:8080 "$WEB"
assert_rc 254 "prepare: two ports on one host address and port"
assert_contains "$ERR" "port tcp-10.213.0.1:8080 already mapped to pod port 80" "prepare's conflict"
for n in host none; do
  R run $NSPAWN --net=$n --port=http:8080 "$WEB" --exec /bin/true
  assert_rc 254 "--port with --net=$n"
  assert_contains "$ERR" "--port flag does not work with --net=$n" "--port with --net=$n message"
done
assert_eq "$(nft list ruleset)" "" "no rule after refused runs"

# 2. Masquerade: the pod reaches outside, which sees the host's address.
R run $NSPAWN "$WEB" --exec /bin/sh -- -c 'nc 10.213.0.2 9999 </dev/null'
assert_rc 0 "the pod connects outside"
assert_eq "$OUT" "10.213.0.1" "outside sees the host's address (ipMasq)"

# 3. A pod serving http on 80 and 81: http on every address's 8080, alt on 10.213.0.1:8081 only.
rkt_bg run $NSPAWN --uuid-file-save="$T/u1" --port=http:8080 --port=alt:10.213.0.1:8081 "$WEB" \
  --exec /bin/sh -- -c 'mkdir -p /www && echo hello-from-pod >/www/index.html &&
    busybox httpd -p 81 -h /www && exec busybox httpd -f -p 80 -h /www' >"$T/out1" 2>"$T/err1" &
RUN=$!
disown "$RUN"  # killed below, reaped by bash without a "Killed" line
pod_started "$T/u1"
U1=$POD_UUID
POD_IP=$POD_IP0
wait_until "the pod's httpd" served "http://$POD_IP/"
assert_eq "$(get http://10.213.0.1:8080/)" "hello-from-pod" "the host's address, port 8080"
assert_eq "$(get http://127.0.0.1:8080/)" "hello-from-pod" "localhost, port 8080"
assert_eq "$(outside python3 "$T/get.py" http://10.213.0.1:8080/)" \
  "hello-from-pod" "from outside, port 8080"
assert_eq "$(get http://10.213.0.1:8081/)" "hello-from-pod" "alt on its host address"
assert_eq "$(get http://127.0.0.1:8081/)" "" "alt not on 127.0.0.1"
RULES=$(nft list table ip "rkt-pfwd-$U1")
assert_contains "$RULES" "chain RKT-PFWD-DNAT-${U1:0:8}" "rkt's DNAT chain"
assert_contains "$RULES" "chain RKT-PFWD-SNAT-${U1:0:8}" "rkt's SNAT chain"
HOST_VETH=$(ip -o addr show to 172.16.28.1 | awk '{print $2; exit}')
assert_eq "$(cat "/proc/sys/net/ipv4/conf/$HOST_VETH/route_localnet")" "1" \
  "route_localnet on the pod's host end"
R list --no-legend
assert_contains "$OUT" "default:ip4=$POD_IP" "rkt list shows the network"
R status "$U1"
assert_contains "$OUT" "networks=default:ip4=$POD_IP" "rkt status shows the network"

# 4. `rkt prepare --port` then run-prepared: the prepared pod's manifest carries the port.
R prepare $NSPAWN --port=http:8090 "$WEB" --exec /bin/sh -- -c \
  'mkdir -p /www && echo hello-prepared >/www/index.html && exec busybox httpd -f -p 80 -h /www'
assert_rc 0 "prepare with --port"
U2=$(printf '%s' "$OUT" | tail -n1)
rkt_bg run-prepared "$U2" >"$T/out2" 2>"$T/err2" &
RUN2=$!
disown "$RUN2"
wait_until "the prepared pod's forwarded port" served http://127.0.0.1:8090/
assert_eq "$(get http://127.0.0.1:8090/)" "hello-prepared" "run-prepared forwards the pod's port"

# 5. kill -9 of rkt (the pod goes with it), gc: no rule, no link, no lease left.
kill -9 "$RUN" "$RUN2"
wait_until "rkt run's end" sh -c "! kill -0 $RUN 2>/dev/null && ! kill -0 $RUN2 2>/dev/null"
R gc --grace-period=0s
R gc --grace-period=0s
assert_eq "$(get http://127.0.0.1:8080/)" "" "port 8080 closed after gc"
no_network_left "after gc" '172\.16\.28\.'
