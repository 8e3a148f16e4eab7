"""Test images for the docker fetcher's tests: OCI image layouts built from Debian's
busybox-static (several layers, an index with several platforms), written with the standard
library only, so that skopeo can push them to the test's registry."""

import gzip
import hashlib
import io
import json
import os
import tarfile

BUSYBOX = "/bin/busybox"

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def _tar(entries):
    """entries: list of (path, kind, data_or_target, mode). Deterministic uncompressed tar."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for path, kind, data, mode in entries:
            info = tarfile.TarInfo(path)
            info.mtime = 0
            info.mode = mode
            if kind == "dir":
                info.type = tarfile.DIRTYPE
                t.addfile(info)
            elif kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = data
                t.addfile(info)
            else:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


class Layout:
    """An OCI image layout directory being written."""

    def __init__(self, path):
        self.path = path
        os.makedirs(os.path.join(path, "blobs", "sha256"), exist_ok=True)
        with open(os.path.join(path, "oci-layout"), "w", encoding="utf-8") as f:
            json.dump({"imageLayoutVersion": "1.0.0"}, f)
        self.refs = []

    def blob(self, data, media_type):
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        with open(os.path.join(self.path, "blobs", "sha256", digest[7:]), "wb") as f:
            f.write(data)
        return {"mediaType": media_type, "digest": digest, "size": len(data)}

    def image(self, layers, arch="amd64", variant=None, cmd=None):
        """layers: list of entry lists (see _tar). Returns the manifest descriptor."""
        descs, diff_ids = [], []
        for entries in layers:
            raw = _tar(entries)
            diff_ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
            descs.append(self.blob(gzip.compress(raw, mtime=0), OCI_LAYER))
        config = {"architecture": arch, "os": "linux",
                  "config": {"Cmd": cmd or ["/bin/sh"], "Env": ["PATH=/bin"]},
                  "rootfs": {"type": "layers", "diff_ids": diff_ids},
                  # One entry per layer: what a schema 1 manifest is made of.
                  "history": [{"created": "1970-01-01T00:00:00Z",
                               "created_by": "layer %d" % i} for i in range(len(descs))]}
        if variant:
            config["variant"] = variant
        cdesc = self.blob(json.dumps(config).encode(), OCI_CONFIG)
        manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": cdesc,
                    "layers": descs}
        desc = self.blob(json.dumps(manifest).encode(), OCI_MANIFEST)
        desc["platform"] = {"architecture": arch, "os": "linux"}
        if variant:
            desc["platform"]["variant"] = variant
        return desc

    def index(self, manifests):
        """A nested image index over `manifests`; returns its descriptor."""
        return self.blob(json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX,
                                     "manifests": manifests}).encode(), OCI_INDEX)

    def tag(self, desc, name):
        d = dict(desc)
        d.pop("platform", None)
        d["annotations"] = {"org.opencontainers.image.ref.name": name}
        self.refs.append(d)
        with open(os.path.join(self.path, "index.json"), "w", encoding="utf-8") as f:
            json.dump({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": self.refs}, f)


def busybox_layers(extra=b"hello from layer 3\n", size=0):
    """Three layers: busybox with a few applet links, /etc files, a data file (plus `size`
    pseudo-random bytes, to make a layer big enough to cut a transfer in the middle)."""
    with open(BUSYBOX, "rb") as f:
        busybox = f.read()
    base = [("bin", "dir", None, 0o755), ("bin/busybox", "file", busybox, 0o755)]
    base += [("bin/" + a, "symlink", "busybox", 0o777) for a in ("sh", "echo", "cat", "ls")]
    etc = [("etc", "dir", None, 0o755),
           ("etc/passwd", "file", b"root:x:0:0:root:/root:/bin/sh\n", 0o644),
           ("etc/group", "file", b"root:x:0:\n", 0o644)]
    blob = extra
    seed = hashlib.sha512(extra).digest()
    while len(blob) < size:
        seed = hashlib.sha512(seed).digest()
        blob += seed
    data = [("data", "dir", None, 0o755), ("data/hello.txt", "file", blob, 0o644)]
    return [base, etc, data]
