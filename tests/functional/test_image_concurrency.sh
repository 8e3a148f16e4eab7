#!/bin/bash
# Many rkt processes on one store: 8 concurrent fetches of the same and of different images,
# alongside `image list`, `image rm` and `image gc`, all succeed and leave a consistent store;
# and an rkt fetch killed with SIGKILL in the middle of an import leaves no visible image and
# does not disturb the next fetch.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/image_lib.sh"
need_root
need_store
need_busybox

RKTI=("$RKT" --dir="$DATA" --system-config="$T/sys" --local-config="$T/local"
      --insecure-options=image)
declare -A KEYS
for n in 1 2 3 4; do
  KEYS[$n]=$(build_busybox "$T/img/c$n.aci" "example.com/conc$n" "1.0.$n")
done
VICTIM=$(build_busybox "$T/img/victim.aci" example.com/victim 9.9.9)
rk --insecure-options=image fetch "$T/img/victim.aci"
assert_rc 0 "fetch the image the concurrent rm removes"

# --- 8 fetches (each image twice) racing with list, rm and gc ------------------------------------
pids=()
for i in 0 1 2 3 4 5 6 7; do
  n=$((i % 4 + 1))
  "${RKTI[@]}" fetch --full "$T/img/c$n.aci" >"$T/fetch.$i.out" 2>"$T/fetch.$i.err" &
  pids+=($!)
done
"${RKTI[@]}" image rm example.com/victim >"$T/rm.out" 2>"$T/rm.err" &
rm_pid=$!
"${RKTI[@]}" image gc >"$T/gc.out" 2>"$T/gc.err" &
gc_pid=$!
list_ok=0
for i in 1 2 3 4 5; do
  "${RKTI[@]}" image list --format=json >"$T/list.$i.out" 2>"$T/list.$i.err" && list_ok=$((list_ok + 1))
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/list.$i.out" 2>/dev/null ||
    fail "concurrent image list $i printed invalid JSON: $(head -c 300 "$T/list.$i.out") $(cat "$T/list.$i.err")"
done
assert_eq "$list_ok" 5 "every concurrent image list succeeded"
for i in 0 1 2 3 4 5 6 7; do
  n=$((i % 4 + 1))
  wait "${pids[$i]}" || fail "concurrent fetch $i failed: $(cat "$T/fetch.$i.err")"
  assert_eq "$(cat "$T/fetch.$i.out")" "${KEYS[$n]}" "concurrent fetch $i printed its key"
done
wait $rm_pid || fail "concurrent image rm failed: $(cat "$T/rm.err")"
assert_eq "$(cat "$T/rm.out")" "successfully removed aci for image: \"$VICTIM\"" "concurrent rm"
wait $gc_pid || fail "concurrent image gc failed: $(cat "$T/gc.err")"

# Afterwards: exactly the four images, each complete (export hashes to its key), each verifiable.
want=$(printf '%s\n' "${KEYS[@]}" | sort)
assert_eq "$(listed_keys)" "$want" "the store holds exactly the fetched images"
for n in 1 2 3 4; do
  rk image export --overwrite "${KEYS[$n]}" "$T/export.aci"
  assert_rc 0 "export of image $n"
  assert_eq "sha512-$(sha512sum "$T/export.aci" | cut -c1-64)" "${KEYS[$n]}" "image $n is complete"
  rk image verify "${KEYS[$n]}"
  assert_rc 0 "verify of image $n"
  assert_not_contains "$OUT" "verification failed" "image $n's tree is sound"
done
assert_eq "$(ls -A "$DATA/cas/tmp" | wc -l)" 0 "no temporary files left"

# --- SIGKILL during an import ------------------------------------------------------------------------
# A large image (incompressible content, so the import takes a while) is fetched; as soon as the
# store's import temp file shows up, the fetch is killed.
BIG=$T/img/big.aci
python3 - "$BIG" <<'PY'
import gzip, io, json, os, sys, tarfile
man = {"acKind": "ImageManifest", "acVersion": "0.8.11", "name": "example.com/big",
       "labels": [{"name": "version", "value": "1.0.0"}, {"name": "os", "value": "linux"},
                  {"name": "arch", "value": "amd64"}]}
with open(sys.argv[1], "wb") as raw:
    with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w|") as tar:
            data = json.dumps(man).encode()
            ti = tarfile.TarInfo("manifest"); ti.size = len(data)
            tar.addfile(ti, io.BytesIO(data))
            ti = tarfile.TarInfo("rootfs"); ti.type = tarfile.DIRTYPE; ti.mode = 0o755
            tar.addfile(ti)
            for i in range(4):
                chunk = os.urandom(64 << 20)
                ti = tarfile.TarInfo("rootfs/blob%d" % i); ti.size = len(chunk)
                tar.addfile(ti, io.BytesIO(chunk))
PY
BIGKEY=$(key_of "$BIG")
before=$(listed_keys)
killed=0
for attempt in 1 2 3; do
  "${RKTI[@]}" fetch "$BIG" >/dev/null 2>&1 &
  pid=$!
  for i in $(seq 2000); do
    if ls -A "$DATA/cas/tmp" 2>/dev/null | grep -q .; then
      break
    fi
    kill -0 $pid 2>/dev/null || break
    sleep 0.005
  done
  if kill -0 $pid 2>/dev/null; then
    kill -9 $pid
    wait $pid 2>/dev/null
    killed=1
  else
    wait $pid
  fi
  after=$(listed_keys)
  if [ "$after" != "$before" ]; then
    # The import finished just before the kill: then it must be complete; try again.
    rk image export --overwrite "$BIGKEY" "$T/big-export.aci"
    assert_eq "sha512-$(sha512sum "$T/big-export.aci" | cut -c1-64)" "$BIGKEY" "a finished import is complete"
    rm -f "$T/big-export.aci"
    rk image rm "$BIGKEY"
    killed=0
    continue
  fi
  [ "$killed" -eq 1 ] && break
done
[ "$killed" -eq 1 ] || fail "could not kill a fetch in the middle of its import"
assert_eq "$(listed_keys)" "$before" "a killed import leaves no visible image"
rk --insecure-options=image fetch --full "$BIG"
assert_rc 0 "the next fetch succeeds"
assert_eq "$OUT" "$BIGKEY" "the next fetch imports the image"
rk image export --overwrite "$BIGKEY" "$T/big-export.aci"
assert_eq "sha512-$(sha512sum "$T/big-export.aci" | cut -c1-64)" "$BIGKEY" "imported completely"
assert_eq "$(ls -A "$DATA/cas/tmp" | wc -l)" 0 "the killed import's temp file was swept"
