# Helpers for the signature and trust tests. Source after lib.sh:  . "$(dirname "$0")/trust_lib.sh"
#
# isolated_network: re-executes the test in private mount + network namespaces (loopback only),
#   so test servers can take ports 443/80 and names such as example.test can be mapped to
#   127.0.0.1 by bind-mounting a scratch hosts file over /etc/hosts — nothing on the machine
#   changes, and nothing leaves it.
# make_gpg_key NAME "User ID": a signing key in $T/gnupg; exports $T/NAME.asc and sets
#   FP_<NAME> (lowercase fingerprint).
# sign_file KEYNAME FILE [OUT]: armored detached signature (default FILE.asc, or OUT).
# make_test_ca HOST...: $T/pki/ca.crt and a server certificate for the hosts ($T/pki/srv.*).
# serve NAME ROOT PORT [tls]: aci_server.py in the background; logs in $T/NAME.log,
#   config (JSON, re-read per request) in $T/NAME.json.
set -u

TRUST_SERVER="$RKT_SOURCE_DIR/tests/functional/servers/aci_server.py"

isolated_network() {
  if [ -z "${RKT_TEST_IN_NET_NS:-}" ]; then
    need_root
    command -v unshare >/dev/null || skip "unshare(1) is missing"
    trap - EXIT
    rm -rf "$T"
    RKT_TEST_IN_NET_NS=1 RKT_TEST_IN_PRIVATE_NS=1 exec unshare -m -n --propagation private \
      bash "$0" "$@"
  fi
  ip link set lo up || die "cannot bring up the loopback interface"
}

# map_hosts NAME...: resolve each NAME to 127.0.0.1 inside this mount namespace only.
map_hosts() {
  {
    echo "127.0.0.1 localhost"
    local h
    for h in "$@"; do echo "127.0.0.1 $h"; done
  } >"$T/hosts"
  mount --bind "$T/hosts" /etc/hosts || die "cannot bind-mount a hosts file"
}

make_gpg_key() { # NAME "User ID"
  command -v gpg >/dev/null || skip "gpg is missing (make deps)"
  export GNUPGHOME="$T/gnupg"
  mkdir -p -m 0700 "$GNUPGHOME"
  gpg --batch --quiet --quick-gen-key --passphrase '' "$2" rsa2048 sign never 2>/dev/null ||
    die "gpg cannot generate a key"
  local fp
  fp=$(gpg --batch --with-colons --list-keys "$2" 2>/dev/null | awk -F: '/^fpr:/ {print tolower($10); exit}')
  [ -n "$fp" ] || die "no fingerprint for $2"
  gpg --batch --armor --export "$2" >"$T/$1.asc"
  eval "FP_$1=$fp"
  on_exit "gpgconf --kill gpg-agent >/dev/null 2>&1"
}

sign_file() { # KEYNAME FILE [OUT]
  local fp_var="FP_$1"
  gpg --batch --yes --armor --local-user "${!fp_var}" --detach-sign -o "${3:-$2.asc}" "$2" ||
    die "gpg cannot sign $2"
}

make_test_ca() { # HOST...
  command -v openssl >/dev/null || skip "openssl is missing (make deps)"
  local d="$T/pki" san="" h
  mkdir -p "$d"
  for h in "$@"; do
    case "$h" in
      [0-9]*) san="$san,IP:$h" ;;
      *) san="$san,DNS:$h" ;;
    esac
  done
  san=${san#,}
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$d/ca.key" -out "$d/ca.crt" -days 2 -subj "/CN=rkt trust test CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null || die "openssl: CA"
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\n' "$san" >"$d/srv.ext"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$d/srv.key" -out "$d/srv.csr" -subj "/CN=$1" 2>/dev/null || die "openssl: csr"
  openssl x509 -req -in "$d/srv.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -out "$d/srv.crt" -days 2 -extfile "$d/srv.ext" 2>/dev/null || die "openssl: cert"
}

serve() { # NAME ROOT PORT [tls]
  local name=$1 root=$2 port=$3 tls=${4:-}
  local args=(--root "$root" --port "$port" --name "$name" --log "$T/$name.log"
    --config "$T/$name.json" --port-file "$T/$name.port")
  [ "$tls" = tls ] && args+=(--cert "$T/pki/srv.crt" --key "$T/pki/srv.key")
  [ -e "$T/$name.json" ] || echo '{"paths": {}}' >"$T/$name.json"
  python3 "$TRUST_SERVER" "${args[@]}" >/dev/null 2>"$T/$name.stderr" &
  local pid=$!
  on_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null"
  local i
  for i in $(seq 100); do
    [ -e "$T/$name.port" ] && return 0
    kill -0 "$pid" 2>/dev/null || die "server $name did not start: $(cat "$T/$name.stderr")"
    sleep 0.1
  done
  die "server $name did not start"
}

# requests NAME PATH: how many requests for PATH (query included) the server logged.
requests() {
  [ -e "$T/$1.log" ] || { echo 0; return; }
  python3 - "$T/$1.log" "$2" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    if json.loads(line)["path"] == sys.argv[2]:
        n += 1
print(n)
PY
}
