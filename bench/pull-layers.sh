#!/usr/bin/env bash
# Side-by-side: pulling a multi-layer docker image from a registry on 127.0.0.1 into a fresh
# store, ready to run, against skopeo + umoci on the same filesystem (docs/images.md, "Storage"):
#
#   pull     rkt fetch docker://… (layers downloaded, verified, each extracted once into its
#            own tree; render-on-fetch makes the image's tree)
#       vs   skopeo copy docker://… oci:DIR + umoci unpack (one merged rootfs bundle)
#   second   the same for a second image sharing every layer but the top one, into the same
#            store / the same OCI layout (skopeo reuses the blobs it has; umoci unpacks all)
#
# The image (built here, deterministic): 6 layers, ~120 MB: Debian package files of this host
# (/usr/lib/python3, /usr/share/locale), incompressible random files, many small files, and a
# top layer with a whiteout and an opaque directory. Pushed with skopeo to Debian's
# docker-registry started here on 127.0.0.1 (plain http). Each pair alternates peer and ours;
# median and minimum wall time, median CPU (user+sys). Goal: ours at most 1.0x the peer.
# Environment: RKT (default build/bin/rkt), RUNS (5), WORK_DIR (default /var/tmp: a disk, as a
# store is; /dev/shm compares the tools' own cost).
set -euo pipefail

RKT=$(realpath "${RKT:-build/bin/rkt}")
RUNS=${RUNS:-5}
[ -x "$RKT" ] || { echo "pull-layers.sh: $RKT is not built" >&2; exit 1; }
for tool in docker-registry skopeo umoci python3; do
  command -v "$tool" >/dev/null || { echo "pull-layers.sh: $tool is not installed" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "pull-layers.sh: needs root (umoci unpack, rkt's store)" >&2; exit 1; }

WORK=$(mktemp -d "${WORK_DIR:-/var/tmp}/rkt-pull-bench.XXXXXX")
REG_PID=
cleanup() {
  if [ -n "$REG_PID" ]; then
    kill "$REG_PID" 2>/dev/null || true
    wait "$REG_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$WORK/registry.yml" <<EOF
version: 0.1
storage:
  filesystem:
    rootdirectory: $WORK/registry
http:
  addr: 127.0.0.1:$PORT
log:
  level: error
EOF
docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
REG_PID=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$PORT/v2/" >/dev/null 2>&1 && break
  sleep 0.1
done

echo "building the images in $WORK ..."
python3 - "$WORK/src" <<'PY'
import gzip, hashlib, io, json, os, random, sys, tarfile
root = sys.argv[1]
os.makedirs(os.path.join(root, "blobs", "sha256"))
def blob(data):
    d = hashlib.sha256(data).hexdigest()
    open(os.path.join(root, "blobs", "sha256", d), "wb").write(data)
    return "sha256:" + d, len(data)
def layer(fill):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        fill(t)
    raw = buf.getvalue()
    gz = gzip.compress(raw, 6, mtime=0)
    d, n = blob(gz)
    return {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": d, "size": n}, \
        "sha256:" + hashlib.sha256(raw).hexdigest()
def host_tree(src):
    def fill(t):
        t.add(src, arcname=src.lstrip("/"), filter=lambda i: (setattr(i, "mtime", 0), i)[1])
    return fill
def add_file(t, name, data, mode=0o644):
    i = tarfile.TarInfo(name); i.size = len(data); i.mode = mode; t.addfile(i, io.BytesIO(data))
def add_dir(t, name):
    i = tarfile.TarInfo(name); i.type = tarfile.DIRTYPE; i.mode = 0o755; t.addfile(i)
rnd = random.Random(16)
def random_files(count, size, prefix):
    def fill(t):
        add_dir(t, prefix)
        for n in range(count):
            add_file(t, "%s/f%05d" % (prefix, n), rnd.randbytes(size))
    return fill
def busybox(t):
    add_dir(t, "bin")
    t.add("/bin/busybox", arcname="bin/busybox")
    add_dir(t, "etc"); add_dir(t, "gone"); add_file(t, "gone/x", b"x\n")
    add_dir(t, "opq"); add_file(t, "opq/lower", b"lower\n")
def top(tag):
    def fill(t):
        add_file(t, ".wh.gone", b"")
        add_dir(t, "opq"); add_file(t, "opq/.wh..wh..opq", b""); add_file(t, "opq/upper", b"u\n")
        add_file(t, "etc/image", tag.encode() + b"\n")
    return fill
base = [layer(busybox), layer(host_tree("/usr/lib/python3")),
        layer(host_tree("/usr/share/locale")), layer(random_files(8, 4 << 20, "big")),
        layer(random_files(4000, 2048, "small"))]
index = []
for tag in ("one", "two"):
    layers = base + [layer(top(tag))]
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "config": {"Cmd": ["/bin/busybox", "true"]},
                         "rootfs": {"type": "layers", "diff_ids": [l[1] for l in layers]}}).encode()
    cd, cn = blob(config)
    manifest = json.dumps({"schemaVersion": 2,
                           "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                      "digest": cd, "size": cn},
                           "layers": [l[0] for l in layers]}).encode()
    md, mn = blob(manifest)
    index.append({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md,
                  "size": mn, "annotations": {"org.opencontainers.image.ref.name": tag}})
json.dump({"schemaVersion": 2, "manifests": index}, open(os.path.join(root, "index.json"), "w"))
json.dump({"imageLayoutVersion": "1.0.0"}, open(os.path.join(root, "oci-layout"), "w"))
print("layers: %d, compressed %d bytes" % (len(base) + 1, sum(l[0]["size"] for l in base)))
PY
du -sh --apparent-size "$WORK/src/blobs" | sed 's/^/blobs: /'
for tag in one two; do
  skopeo copy --quiet --dest-tls-verify=false "oci:$WORK/src:$tag" \
    "docker://127.0.0.1:$PORT/bench:$tag"
done

RKTC="'$RKT' --dir='$WORK/data' --insecure-options=image,http"
ours_pull="$RKTC fetch docker://127.0.0.1:$PORT/bench:one"
ours_second="$RKTC fetch docker://127.0.0.1:$PORT/bench:two"
peer_pull="skopeo copy --quiet --src-tls-verify=false docker://127.0.0.1:$PORT/bench:one \
  oci:$WORK/peer:one && umoci unpack --image $WORK/peer:one $WORK/bundle-one"
peer_second="skopeo copy --quiet --src-tls-verify=false docker://127.0.0.1:$PORT/bench:two \
  oci:$WORK/peer:two && umoci unpack --image $WORK/peer:two $WORK/bundle-two"
fresh="rm -rf '$WORK/data' '$WORK/peer' '$WORK/bundle-one' '$WORK/bundle-two'; sync"

run_one() { # PREP CMD -> "wall_ms cpu_ms"
  eval "$1" >/dev/null 2>&1
  if ! /usr/bin/time -f '%e %U %S' -o "$WORK/.time" bash -c "$2" >/dev/null 2>"$WORK/err"; then
    echo "pull-layers.sh: failed: $2: $(tail -3 "$WORK/err")" >&2
    exit 1
  fi
  awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' "$WORK/.time"
}

stats() { # values... -> "median min"
  printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {printf "%d %d", v[int((NR+1)/2)], v[1]}'
}

compare() { # NAME PREP_PEER PEER PREP_OURS OURS
  local pw=() pc=() ow=() oc=() r
  for _ in $(seq "$RUNS"); do
    r=($(run_one "$2" "$3")); pw+=("${r[0]}"); pc+=("${r[1]}")
    r=($(run_one "$4" "$5")); ow+=("${r[0]}"); oc+=("${r[1]}")
  done
  local p=($(stats "${pw[@]}")) o=($(stats "${ow[@]}")) pcm=($(stats "${pc[@]}")) ocm=($(stats "${oc[@]}"))
  printf '%-8s peer %6d ms (min %6d, cpu %6d)   rkt %6d ms (min %6d, cpu %6d)   %.2fx (goal <= 1.0x)\n' \
    "$1" "${p[0]}" "${p[1]}" "${pcm[0]}" "${o[0]}" "${o[1]}" "${ocm[0]}" \
    "$(awk -v a="${o[0]}" -v b="${p[0]}" 'BEGIN {print a / b}')"
}

compare pull "$fresh" "$peer_pull" "$fresh" "$ours_pull"
# The second image over a store / layout holding the first.
compare second "$fresh; $peer_pull >/dev/null" "$peer_second" \
  "$fresh; $ours_pull >/dev/null" "$ours_second"
eval "$fresh; $ours_pull; $ours_second" >/dev/null 2>&1
echo "store after both: $(ls "$WORK/data/cas/layers/sha256" | wc -l) layer trees," \
  "$(du -sh "$WORK/data/cas/layers" | cut -f1); umoci bundles: one rootfs each"
