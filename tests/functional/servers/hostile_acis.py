#!/usr/bin/env python3
"""Writes hostile ACIs for test_image_hostile.sh (and single cases for other tests).

Usage: hostile_acis.py OUTDIR OUTSIDE [CASE...]
OUTSIDE is a directory the archives try to reach (it holds `victim`, a file they try to
overwrite or hard-link). Writes OUTDIR/<case>.aci for each case (or only the CASEs named) and
prints one line per case: "<case> <expectation>" where the expectation is `reject` (the fetch
must fail) or `contain` (the fetch may succeed, but nothing may land outside the store or the
render target).
"""
import bz2
import gzip
import io
import json
import lzma
import os
import sys
import tarfile

OUTDIR, OUTSIDE = sys.argv[1], os.path.abspath(sys.argv[2])
UP = "../" * 40  # more than enough to climb from any store or render directory to /


def manifest(name="example.com/hostile", os_="linux", arch="amd64"):
    return json.dumps({
        "acKind": "ImageManifest", "acVersion": "0.8.11", "name": name,
        "labels": [{"name": "os", "value": os_}, {"name": "arch", "value": arch}],
        "app": {"exec": ["/bin/sh"], "user": "0", "group": "0"},
    }).encode()


class Aci:
    def __init__(self, fmt=tarfile.GNU_FORMAT):
        self.buf = io.BytesIO()
        self.tar = tarfile.open(fileobj=self.buf, mode="w", format=fmt)

    def add(self, name, data=None, kind=tarfile.REGTYPE, link="", mode=None, pax=None):
        ti = tarfile.TarInfo(name)
        ti.type, ti.linkname = kind, link
        ti.mode = mode if mode is not None else (0o755 if kind == tarfile.DIRTYPE else 0o644)
        if pax:
            ti.pax_headers = pax
        if data is not None:
            ti.size = len(data)
        self.tar.addfile(ti, io.BytesIO(data) if data is not None else None)
        return self

    def sparse(self, name, size, extents):
        """A PAX 1.0 sparse file (GNU tar --sparse): `extents` [(offset, bytes)] are stored, the
        rest of the `size` bytes is holes."""
        smap = "%d\n" % len(extents) + "".join("%d\n%d\n" % (o, len(d)) for o, d in extents)
        smap = smap.encode() + b"\0" * (-len(smap) % 512)
        pax = {"GNU.sparse.major": "1", "GNU.sparse.minor": "0", "GNU.sparse.name": name,
               "GNU.sparse.realsize": str(size)}
        stored = os.path.dirname(name) + "/GNUSparseFile.0/" + os.path.basename(name)
        return self.add(stored, smap + b"".join(d for _, d in extents), pax=pax)

    def base(self, man=None):
        self.add("manifest", man if man is not None else manifest())
        return self.add("rootfs", kind=tarfile.DIRTYPE)

    def bytes(self):
        self.tar.close()
        return self.buf.getvalue()


def case_dotdot():
    return Aci().base().add("rootfs/" + UP + OUTSIDE.lstrip("/") + "/dotdot", b"x\n").bytes()


def case_absolute():
    return Aci().base().add(OUTSIDE + "/absolute", b"x\n").bytes()


def case_symlink_abs_write():
    return (Aci().base().add("rootfs/l", kind=tarfile.SYMTYPE, link=OUTSIDE)
            .add("rootfs/l/through-abs-link", b"x\n").bytes())


def case_symlink_rel_write():
    return (Aci().base().add("rootfs/l", kind=tarfile.SYMTYPE, link=UP + OUTSIDE.lstrip("/"))
            .add("rootfs/l/through-rel-link", b"x\n").bytes())


def case_symlinked_parent_deep():
    return (Aci().base().add("rootfs/a", kind=tarfile.DIRTYPE)
            .add("rootfs/a/b", kind=tarfile.SYMTYPE, link=OUTSIDE)
            .add("rootfs/a/b/c/d/deep", b"x\n").bytes())


def case_hardlink_abs():
    return Aci().base().add("rootfs/h", kind=tarfile.LNKTYPE, link=OUTSIDE + "/victim").bytes()


def case_hardlink_dotdot():
    return (Aci().base()
            .add("rootfs/h", kind=tarfile.LNKTYPE, link="rootfs/" + UP + OUTSIDE.lstrip("/") + "/victim")
            .bytes())


def case_hardlink_to_escaping_symlink():
    return (Aci().base().add("rootfs/s", kind=tarfile.SYMTYPE, link=OUTSIDE + "/victim")
            .add("rootfs/h", kind=tarfile.LNKTYPE, link="rootfs/s")
            .add("rootfs/h", b"overwritten through a hard link\n").bytes())


def case_file_replaces_symlink():
    return (Aci().base().add("rootfs/x", kind=tarfile.SYMTYPE, link=OUTSIDE + "/victim")
            .add("rootfs/x", b"overwritten through a symlink\n").bytes())


def case_dir_replaces_symlink():
    return (Aci().base().add("rootfs/d", kind=tarfile.SYMTYPE, link=OUTSIDE)
            .add("rootfs/d", kind=tarfile.DIRTYPE).add("rootfs/d/dir-over-link", b"x\n").bytes())


def case_duplicate_entries():
    return (Aci().base().add("rootfs/dup", b"first\n").add("rootfs/dup", b"second\n")
            .add("rootfs/dup", kind=tarfile.SYMTYPE, link=OUTSIDE + "/victim")
            .add("rootfs/dup", b"third\n").bytes())


def case_manifest_via_dotdot():
    # A second manifest smuggled in through rootfs/.. must not replace the real one.
    return (Aci().base().add("rootfs/../manifest", manifest(name="example.com/smuggled"))
            .bytes())


def gz(data):
    return gzip.compress(data)


def case_truncated_gzip():
    data = gz(Aci().base().add("rootfs/big", os.urandom(200000)).bytes())
    return data[: len(data) // 2]


def case_corrupt_gzip():
    data = bytearray(gz(Aci().base().add("rootfs/big", b"A" * 200000).bytes()))
    for i in range(40, 80):
        data[i] ^= 0x5A
    return bytes(data)


def case_gzip_bad_crc():
    data = bytearray(gz(Aci().base().add("rootfs/f", b"hello\n").bytes()))
    data[-8] ^= 0xFF  # the CRC32 in the trailer
    return bytes(data)


def case_truncated_xz():
    data = lzma.compress(Aci().base().add("rootfs/big", os.urandom(100000)).bytes(),
                         format=lzma.FORMAT_XZ)
    return data[: len(data) - 1000]


def case_corrupt_bzip2():
    data = bytearray(bz2.compress(Aci().base().add("rootfs/f", b"B" * 50000).bytes()))
    for i in range(20, 60):
        data[i] ^= 0x33
    return bytes(data)


def case_truncated_tar():
    data = Aci().base().add("rootfs/big", os.urandom(100000)).bytes()
    return data[:60000]


def case_damaged_header():
    data = bytearray(Aci().base().add("rootfs/f", b"hello\n").bytes())
    # Third header block (rootfs/f): scribble over its checksum field.
    off = 512 * 3 + 148
    data[off:off + 8] = b"garbage!"
    return bytes(data)


def case_missing_manifest():
    return Aci().add("rootfs", kind=tarfile.DIRTYPE).add("rootfs/f", b"x\n").bytes()


def case_invalid_manifest_json():
    return Aci().base(man=b"{ this is not json").bytes()


def case_invalid_manifest_name():
    return Aci().base(man=manifest(name="Not A Valid/AC Name")).bytes()


def case_invalid_arch():
    return Aci().base(man=manifest(arch="arm64")).bytes()  # Go's spelling; appc says aarch64


def case_invalid_os():
    return Aci().base(man=manifest(os_="plan9", arch="amd64")).bytes()


def case_foreign_arch():
    # Valid, just not this machine's: stored like rkt does (run refuses it later).
    return Aci().base(man=manifest(arch="s390x")).bytes()


def case_not_an_archive():
    return b"this is not an archive at all\n" * 100


# Issue 9: one name 40,000 levels deep (an 80 KB name) in a 500-byte image. Storing every
# prefix of it took 1.6 GB; the limit refuses it at its entry.
def case_deep_path():
    return gz(Aci().base().add("rootfs/" + "d/" * 39999 + "f", b"deep\n").bytes())


def case_long_path():
    # 21 names of 200 bytes: 4221 bytes, over PATH_MAX, though only 21 levels deep.
    return Aci().base().add("rootfs/" + "/".join(["n" * 200] * 21), b"x\n").bytes()


def case_long_name():
    return Aci().base().add("rootfs/" + "n" * 256, b"x\n").bytes()


def case_big_manifest():
    # 64 MiB and one byte of JSON whitespace: refused at its header, never read.
    return gz(Aci().base(man=manifest() + b" " * ((64 << 20) + 1 - len(manifest()))).bytes())


def case_below_file():
    return Aci().base().add("rootfs/f", b"x\n").add("rootfs/f/below", b"x\n").bytes()


def case_hardlink_to_later():
    return (Aci().base().add("rootfs/h", kind=tarfile.LNKTYPE, link="rootfs/later")
            .add("rootfs/later", b"x\n").bytes())


# An 8 GiB file of two 4 KiB blocks in a 500-byte image: its holes must stay holes in the
# store's tree and in render and extract output, and cost no hashing.
def sparse_image(size):
    return gz(Aci(tarfile.PAX_FORMAT).base()
              .sparse("rootfs/big", size, [(0, b"a" * 4096), (size - 4096, b"b" * 4096)])
              .bytes())


def case_sparse_8g():
    return sparse_image(8 << 30)


def case_sparse_1t():
    return sparse_image(1 << 40)


# At the limits exactly (test_image_limits.sh): a file 1,024 levels deep, one whose path is
# 4,095 bytes (PATH_MAX less its NUL) 315 levels deep, and a hard link to it.
AT_LIMITS_DEEP = "d/" * 1023 + "f"
AT_LIMITS_LONG = "nnnnnnnnnnnn/" * 314 + "last-12-byte"


def case_at_limits():
    return gz(Aci(tarfile.PAX_FORMAT).base(man=manifest("example.com/at-limits"))
              .add("rootfs/" + AT_LIMITS_DEEP, b"deep\n").add("rootfs/" + AT_LIMITS_LONG, b"long\n")
              .add("rootfs/link-to-long", kind=tarfile.LNKTYPE, link="rootfs/" + AT_LIMITS_LONG)
              .bytes())


def case_long_path_short_names():
    # 316 names of 12 bytes: 4,108 bytes, over the path length limit with no name over NAME_MAX.
    # Uncompressed: test_image_limits.sh plants it as a stored blob.
    return (Aci(tarfile.PAX_FORMAT).base(man=manifest("example.com/good"))
            .add("rootfs/" + "/".join(["nnnnnnnnnnnn"] * 316), b"x\n").bytes())


def case_wide():
    aci = Aci(tarfile.PAX_FORMAT).base(man=manifest("example.com/wide"))
    for d in range(600):
        aci.add("rootfs/d%d" % d, kind=tarfile.DIRTYPE).add("rootfs/d%d/f" % d, b"x")
    return gz(aci.bytes())


CASES = [
    ("dotdot", case_dotdot, "reject"),
    # Names outside `rootfs/`, below a symlink of the image, or listed twice break the image
    # rules that import, render and extract share: refused at fetch.
    ("absolute", case_absolute, "reject"),
    ("symlink-abs-write", case_symlink_abs_write, "reject"),
    ("symlink-rel-write", case_symlink_rel_write, "reject"),
    ("symlinked-parent-deep", case_symlinked_parent_deep, "reject"),
    ("hardlink-abs", case_hardlink_abs, "reject"),
    ("hardlink-dotdot", case_hardlink_dotdot, "reject"),
    ("hardlink-to-escaping-symlink", case_hardlink_to_escaping_symlink, "reject"),
    ("file-replaces-symlink", case_file_replaces_symlink, "reject"),
    ("dir-replaces-symlink", case_dir_replaces_symlink, "reject"),
    ("duplicate-entries", case_duplicate_entries, "reject"),
    ("manifest-via-dotdot", case_manifest_via_dotdot, "reject"),
    ("truncated-gzip", case_truncated_gzip, "reject"),
    ("corrupt-gzip", case_corrupt_gzip, "reject"),
    ("gzip-bad-crc", case_gzip_bad_crc, "reject"),
    ("truncated-xz", case_truncated_xz, "reject"),
    ("corrupt-bzip2", case_corrupt_bzip2, "reject"),
    ("truncated-tar", case_truncated_tar, "reject"),
    ("damaged-tar-header", case_damaged_header, "reject"),
    ("missing-manifest", case_missing_manifest, "reject"),
    ("invalid-manifest-json", case_invalid_manifest_json, "reject"),
    ("invalid-manifest-name", case_invalid_manifest_name, "reject"),
    ("invalid-arch", case_invalid_arch, "reject"),
    ("invalid-os", case_invalid_os, "reject"),
    ("foreign-arch", case_foreign_arch, "contain"),
    ("not-an-archive", case_not_an_archive, "reject"),
    ("deep-path", case_deep_path, "reject"),
    ("long-path", case_long_path, "reject"),
    ("long-name", case_long_name, "reject"),
    ("big-manifest", case_big_manifest, "reject"),
    ("below-file", case_below_file, "reject"),
    ("hardlink-to-later", case_hardlink_to_later, "reject"),
    ("sparse-8g", case_sparse_8g, "contain"),
]
# Only when named: a build that copied or hashed holes would spend an hour on sparse-1t; the
# others are valid images at the limits (or one over them, to plant as a stored blob).
EXTRA = [
    ("sparse-1t", case_sparse_1t, "contain"),
    ("at-limits", case_at_limits, "contain"),
    ("long-path-short-names", case_long_path_short_names, "reject"),
    ("wide", case_wide, "contain"),
]

WANTED = set(sys.argv[3:])
for name, make, expectation in CASES + [c for c in EXTRA if c[0] in WANTED]:
    if WANTED and name not in WANTED:
        continue
    with open(os.path.join(OUTDIR, name + ".aci"), "wb") as f:
        f.write(make())
    print(name, expectation)
