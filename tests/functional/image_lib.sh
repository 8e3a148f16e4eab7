# Helpers for the image tests (test_image_*.sh). Source after lib.sh.
#
# Gives: $DATA (a fresh data dir), rk (run_rkt with --dir=$DATA and empty configuration dirs),
# need_store (skip unless the cas store plugin is built), build_busybox / build_chain (fixture
# ACIs under $T/img), start_server (the test HTTP server), key_of (sha512 of an ACI's tar as an
# image key), count_gets (requests the server logged).

FIX="$RKT_SOURCE_DIR/tests/fixtures"
DATA=$T/data
mkdir -p "$T/sys" "$T/local" "$T/img"

rk() { run_rkt --dir="$DATA" --system-config="$T/sys" --local-config="$T/local" "$@"; }

# The store plugin is a separate deliverable: without it no image command can run.
need_store() {
  local d
  for d in ${RKT_PLUGIN_PATH:+${RKT_PLUGIN_PATH//:/ }} "$RKT_BUILD_DIR/lib/rkt/plugins"; do
    [ -e "$d/store-cas.so" ] && return 0
  done
  skip "the cas store plugin (store-cas.so) is not built"
}

need_busybox() { [ -x /bin/busybox ] || skip "busybox-static is not installed"; }

# Tests that run real pods need the fly stage1 plugin.
need_fly() { [ -f "$RKT_BUILD_DIR/lib/rkt/plugins/stage1-fly.so" ] || skip "stage1-fly.so is not built"; }

# build_busybox FILE [NAME] [VERSION]: prints the image key (sha512- + 64 hex).
build_busybox() {
  local id
  id=$("$FIX/make-busybox-aci.sh" "$@") || die "make-busybox-aci.sh $* failed"
  echo "${id:0:71}"
}

# build_chain DIR: the dependency-chain fixture; prints the top image's key.
build_chain() {
  local id
  id=$("$FIX/make-dependency-chain.sh" "$1") || die "make-dependency-chain.sh failed"
  echo "${id:0:71}"
}

# key_of FILE: the image key of an ACI (any compression), computed independently of rkt.
key_of() {
  python3 - "$1" <<'PY'
import bz2, gzip, hashlib, lzma, sys
data = open(sys.argv[1], "rb").read()
for magic, fn in ((b"\x1f\x8b", gzip.decompress), (b"BZh", bz2.decompress),
                  (b"\xfd7zXZ\x00", lzma.decompress)):
    if data.startswith(magic):
        data = fn(data)
        break
print("sha512-" + hashlib.sha512(data).hexdigest()[:64])
PY
}

# start_server ROOT: starts tests/functional/servers/aci_server.py on 127.0.0.1; sets $PORT,
# $SRV_LOG (JSON lines, one per request) and $SRV_CFG (per-path behaviour, re-read per request).
start_server() {
  SRV_LOG=$T/server.log
  SRV_CFG=$T/server.json
  echo '{"paths": {}}' >"$SRV_CFG"
  : >"$SRV_LOG"
  python3 "$RKT_SOURCE_DIR/tests/functional/servers/aci_server.py" --root "$1" \
    --log "$SRV_LOG" --config "$SRV_CFG" --port-file "$T/port" >/dev/null 2>&1 &
  local pid=$!
  on_exit "kill $pid 2>/dev/null"
  local i
  for i in $(seq 100); do
    [ -s "$T/port" ] && break
    sleep 0.1
  done
  [ -s "$T/port" ] || die "the test HTTP server did not start"
  PORT=$(cat "$T/port")
}

# count_gets METHOD PATH: how many such requests the server logged.
count_requests() {
  python3 - "$SRV_LOG" "$1" "$2" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]):
    d = json.loads(line)
    n += d["method"] == sys.argv[2] and d["path"] == sys.argv[3]
print(n)
PY
}

# last_header METHOD PATH HEADER: the header of the last such request ("" when absent).
last_header() {
  python3 - "$SRV_LOG" "$1" "$2" "$3" <<'PY'
import json, sys
v = ""
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d["method"] == sys.argv[2] and d["path"] == sys.argv[3]:
        v = d["headers"].get(sys.argv[4], "")
print(v)
PY
}

# listed_keys: the full keys `rkt image list` shows, one per line, sorted.
listed_keys() {
  rk image list --full --no-legend --fields=id
  [ "$RC" -eq 0 ] || die "image list failed: $ERR"
  printf '%s\n' "$OUT" | sed '/^$/d' | sort
}

# hide_plugins NAME...: from here on, $RKT is a copy of rkt whose plugin directory holds every
# built plugin except NAME.so … (e.g. fetcher-appc), for tests of behaviour without them. The
# copy finds plugins next to itself (<exe>/../$RKT_PKGLIBDIR/plugins), as an installed rkt does.
hide_plugins() {
  local root=$T/rkt-hidden lib=${RKT_PKGLIBDIR:-lib/rkt} f name skip h
  local src=$RKT_BUILD_DIR/$lib/plugins
  mkdir -p "$root/bin" "$root/$lib/plugins"
  chmod -R 0755 "$root"
  cp "$RKT" "$root/bin/rkt"
  for f in "$src"/*.so; do
    name=$(basename "$f" .so)
    skip=0
    for h in "$@"; do [ "$name" = "$h" ] && skip=1; done
    [ "$skip" -eq 1 ] || ln -s "$f" "$root/$lib/plugins/$name.so"
  done
  # The internal modules ($lib/rkt-*.so) and plugin helpers (plugins/<plugin>/), as installed.
  for f in "$RKT_BUILD_DIR/$lib"/*.so; do
    ln -s "$f" "$root/$lib/$(basename "$f")"
  done
  for f in "$src"/*/; do
    [ -d "$f" ] && ln -s "${f%/}" "$root/$lib/plugins/$(basename "$f")"
  done
  RKT=$root/bin/rkt
}

# rk_rss ARGS...: like rk, and sets $RSS_KB to the peak resident set size of rkt (or of the
# largest process it started), read with getrusage(RUSAGE_CHILDREN) in a python parent.
rk_rss() {
  OUT=$(python3 -c '
import resource, subprocess, sys
rc = subprocess.run(sys.argv[2:]).returncode
open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(rc)' "$T/.rss" "$RKT" --dir="$DATA" --system-config="$T/sys" --local-config="$T/local" \
    "$@" 2>"$T/.stderr") && RC=0 || RC=$?
  ERR=$(cat "$T/.stderr")
  RSS_KB=$(cat "$T/.rss")
}

# plant_blob KEY TAR: replaces the stored blob of image KEY with the (uncompressed) TAR and drops
# its rendered tree: an image stored before the store checked what TAR breaks, as an older rkt
# left it. `image gc` with a long grace period keeps the image and drops unused trees.
plant_blob() {
  cat "$2" >"$DATA/cas/blob/sha512/${1:7:2}/$1" || die "cannot plant a blob for $1"
  rk image gc --grace-period=876000h
  [ "$RC" -eq 0 ] || die "image gc failed: $ERR"
}

# assert_refused WHAT PREFIX: the last rk call failed (254) with a single error line holding
# PREFIX (e.g. "cannot render image `…`: entry `rootfs/x`: "); sets $REASON to what follows it.
assert_refused() {
  assert_rc 254 "$1: refused"
  local errors
  errors=$(one_error_line)
  assert_eq "$(printf '%s\n' "$errors" | wc -l)" 1 "$1: one error line (got: ${errors:0:300})"
  assert_contains "$errors" "$2" "$1: names the image and the entry"
  [ "${#errors}" -lt 600 ] || fail "$1: a ${#errors}-byte error line"
  REASON=${errors#*"$2"}
}

# outside_state DIR: what a hostile image must never change below DIR: every path, type, size,
# link count, mode and content hash.
outside_state() {
  (cd "$1" && find . -printf '%p %y %s %n %m\n' | sort && find . -type f -exec sha256sum {} + | sort)
}

# one_error_line: the lines of $ERR but fetch's progress lines (which image file it uses, that
# signatures are not checked).
one_error_line() {
  printf '%s\n' "$ERR" | grep -v -e '^image: using image from ' \
    -e '^image: warning: image signature verification has been disabled' | sed '/^$/d'
}
