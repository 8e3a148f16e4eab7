#!/usr/bin/env python3
"""Builds OCI image layouts from Debian's busybox-static for the oci fetcher's tests.

make_oci_layout.py LAYOUT_DIR [--archive FILE] [--corrupt] [--hostile dotdot|symlink|hardlink|deep|header]

Writes one layout holding two images that share their base layer:
  app:1.0   base + layer "upper" (whiteout of /gone, opaque /opq, a hard link to a base file,
            a symlink, a file replacing a base directory, a user.* xattr)
  other:2.0 base + a small layer of its own
  multi:3   an image index of two platforms: this host's (`echo host`) and another one
Layers are gzip-compressed OCI layers; the layout lists both in index.json under
org.opencontainers.image.ref.name. --corrupt flips a byte of app's upper layer after its digest
was recorded (a wrong digest). --hostile adds an image `evil` whose top layer climbs out
with `..`, writes through a symlink of the base layer, hard-links a file outside the image,
nests 3000 directories deep, or carries a 64 MiB pax header.
--archive also writes a tar of the layout.
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile

BUSYBOX = "/bin/busybox"


def tar_layer(entries):
    """entries: list of (TarInfo, bytes or None). Returns the gzip-compressed tar bytes."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        for info, data in entries:
            if data is not None:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            else:
                t.addfile(info)
    # mtime 0: the same layer content gives the same digest on every build.
    return gzip.compress(raw.getvalue(), mtime=0)


def node(name, kind=tarfile.REGTYPE, mode=0o644, link="", uid=0, gid=0, xattrs=None):
    i = tarfile.TarInfo(name)
    i.type = kind
    i.mode = mode
    i.linkname = link
    i.uid, i.gid = uid, gid
    i.mtime = 1500000000
    if xattrs:
        i.pax_headers = {"SCHILY.xattr." + k: v for k, v in xattrs.items()}
    return i


def d(name, mode=0o755):
    return (node(name, tarfile.DIRTYPE, mode), None)


def f(name, data, mode=0o644, **kw):
    return (node(name, mode=mode, **kw), data)


def sym(name, target):
    return (node(name, tarfile.SYMTYPE, 0o777, target), None)


def hard(name, target):
    return (node(name, tarfile.LNKTYPE, 0o644, target), None)


def base_layer():
    busybox = open(BUSYBOX, "rb").read()
    entries = [d("bin"), f("bin/busybox", busybox, 0o755)]
    for tool in ("sh", "cat", "echo", "id", "ls", "stat", "readlink", "test", "getfattr", "true"):
        entries.append(sym("bin/" + tool, "busybox"))
    entries += [
        d("etc"),
        f("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/:/bin/sh\n"),
        f("etc/group", b"root:x:0:\n"),
        d("data"), f("data/base-file", b"from the base layer\n"),
        d("gone"), f("gone/file", b"whited out\n"),
        d("opq"), f("opq/lower", b"hidden by the opaque marker\n"),
        d("hl"), f("hl/orig", b"linked across layers\n"),
        d("replaced"), f("replaced/inner", b"under a directory the upper layer replaces\n"),
    ]
    return tar_layer(entries)


def upper_layer():
    return tar_layer([
        f(".wh.gone", b""),
        d("opq"), f("opq/.wh..wh..opq", b""), f("opq/upper", b"upper\n"),
        d("hl"), hard("hl/link", "hl/orig"),
        d("etc"), sym("etc/motd", "/data/base-file"),
        f("replaced", b"a file now\n"),
        f("attr", b"has an xattr\n", xattrs={"user.rkt": "oci"}),
    ])


def other_layer():
    return tar_layer([d("other"), f("other/own", b"only in the second image\n")])


class Layout:
    def __init__(self, root):
        self.root = root
        os.makedirs(os.path.join(root, "blobs", "sha256"), exist_ok=True)
        self.manifests = []

    def blob(self, data, media_type):
        digest = hashlib.sha256(data).hexdigest()
        with open(os.path.join(self.root, "blobs", "sha256", digest), "wb") as out:
            out.write(data)
        return {"mediaType": media_type, "digest": "sha256:" + digest, "size": len(data)}

    def image(self, ref, layers, config, listed=True):
        layer_descs = [self.blob(l, "application/vnd.oci.image.layer.v1.tar+gzip") for l in layers]
        config["rootfs"] = {"type": "layers", "diff_ids": [
            "sha256:" + hashlib.sha256(gzip.decompress(l)).hexdigest() for l in layers]}
        cfg = self.blob(json.dumps(config).encode(), "application/vnd.oci.image.config.v1+json")
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": cfg, "layers": layer_descs}
        desc = self.blob(json.dumps(manifest).encode(), manifest["mediaType"])
        if not listed:
            desc["platform"] = {"os": config["os"], "architecture": config["architecture"]}
            return desc
        desc["annotations"] = {"org.opencontainers.image.ref.name": ref}
        self.manifests.append(desc)
        return layer_descs

    def index(self, ref, manifests):
        index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                 "manifests": manifests}
        desc = self.blob(json.dumps(index).encode(), index["mediaType"])
        desc["annotations"] = {"org.opencontainers.image.ref.name": ref}
        self.manifests.append(desc)

    def finish(self):
        with open(os.path.join(self.root, "oci-layout"), "w") as out:
            json.dump({"imageLayoutVersion": "1.0.0"}, out)
        with open(os.path.join(self.root, "index.json"), "w") as out:
            json.dump({"schemaVersion": 2, "manifests": self.manifests}, out)


def main():
    args = sys.argv[1:]
    root = args[0]
    archive = args[args.index("--archive") + 1] if "--archive" in args else None
    arch = {"x86_64": "amd64", "aarch64": "arm64", "i686": "386"}.get(os.uname().machine,
                                                                      os.uname().machine)
    layout = Layout(root)
    base = base_layer()
    app_layers = layout.image("app:1.0", [base, upper_layer()], {
        "architecture": arch, "os": "linux", "author": "rkt tests",
        "created": "2017-07-14T02:40:00Z",
        "config": {"Entrypoint": ["/bin/sh", "-c"], "Cmd": ["echo hello from oci"],
                   "Env": ["PATH=/bin", "FROM_IMAGE=yes", "NOEQUALS"], "WorkingDir": "/data",
                   "User": "app", "Volumes": {"/data": {}},
                   "ExposedPorts": {"80/tcp": {}, "53/udp": {}},
                   "Labels": {"org.example.role": "test"}}})
    layout.image("other:2.0", [base, other_layer()], {
        "architecture": arch, "os": "linux",
        "config": {"Cmd": ["/bin/cat", "/other/own"]}})
    # multi:3: an index of two platforms, this host's and another.
    foreign = "s390x" if arch != "s390x" else "amd64"
    layout.index("multi:3", [
        layout.image("", [base, other_layer()], {
            "architecture": foreign, "os": "linux", "config": {"Cmd": ["/bin/echo", foreign]}},
            listed=False),
        layout.image("", [base, other_layer()], {
            "architecture": arch, "os": "linux", "config": {"Cmd": ["/bin/echo", "host"]}},
            listed=False)])
    # many:1: 60 layers, more than one page of lowerdir= options (fsconfig's lowerdir+).
    layout.image("many:1", [base] + [tar_layer([d("many"), f("many/%02d" % n, b"%d\n" % n)])
                                     for n in range(60)],
                 {"architecture": arch, "os": "linux", "config": {"Cmd": ["/bin/ls", "/many"]}})
    if "--hostile" in args:
        kind = args[args.index("--hostile") + 1]
        top = {"dotdot": [f("../../escaped", b"out\n")],
               "symlink": [d("data"), f("data/esc/planted", b"through the link\n")],
               "hardlink": [hard("stolen", "../../../etc/shadow")],
               "deep": [f("a/" * 3000 + "x", b"deep\n")],
               "header": [(node("big", xattrs=None), b"")]}[kind]
        if kind == "header":
            top[0][0].pax_headers = {"comment": "x" * (64 << 20)}
        base_extra = tar_layer([d("data"), sym("data/esc", "/")])
        layout.image("evil", [base, base_extra, tar_layer(top)],
                     {"architecture": arch, "os": "linux", "config": {"Cmd": ["/bin/true"]}})
    layout.finish()
    if "--corrupt" in args:
        path = os.path.join(root, "blobs", "sha256", app_layers[1]["digest"][7:])
        data = bytearray(open(path, "rb").read())
        data[len(data) // 2] ^= 0xFF
        open(path, "wb").write(bytes(data))
    if archive:
        with tarfile.open(archive, "w") as t:
            for name in ("oci-layout", "index.json", "blobs"):
                t.add(os.path.join(root, name), arcname=name)


if __name__ == "__main__":
    main()
