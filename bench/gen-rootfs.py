#!/usr/bin/env python3
"""gen-rootfs.py DIR [FILES] [SEED]: a deterministic, image-like tree for benchmarks.

~20,000 files (default) totalling ~200 MB in ~600 directories: mostly text-like files with a
log-normal size distribution, a few dozen large binary-like files, some incompressible data,
and a symlink every 40 files. Prints "files=N bytes=B".
"""
import os
import random
import sys

root = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1730)

words = ["".join(rng.choice("etaoinshrdlucmfwypvbgk") for _ in range(rng.randint(1, 10)))
         for _ in range(4000)]
text = " ".join(rng.choice(words) for _ in range(1000000)).encode()


def payload(size, kind):
    if kind == "text":  # compresses about 3x
        start = rng.randrange(0, max(1, len(text) - size))
        return text[start:start + size]
    if kind == "random":  # does not compress
        return rng.randbytes(size)
    parts, n = [], 0  # binary-like: zero runs, text and noise
    while n < size:
        k = rng.randint(128, 6000)
        p = rng.random()
        parts.append(bytes(k) if p < 0.3 else rng.randbytes(k) if p < 0.55 else text[:k])
        n += k
    return b"".join(parts)[:size]


dirs = []
for i in range(600):
    sub = ["lib%d" % rng.randint(0, 25) for _ in range(rng.randint(0, 3))]
    dirs.append(os.path.join(root, *sub, "dir%d" % i))
    os.makedirs(dirs[-1], exist_ok=True)

total = 0
for i in range(count):
    if i < 45:
        size, kind = rng.randint(600000, 2600000), "binary"
    else:
        size = min(int(rng.lognormvariate(7.7, 1.5)), 900000)
        kind = rng.choices(["text", "binary", "random"], [60, 35, 5])[0]
    path = os.path.join(rng.choice(dirs), "file%d" % i)
    with open(path, "wb") as f:
        f.write(payload(size, kind))
    os.chmod(path, 0o755 if kind == "binary" else 0o644)
    total += size
    if i % 40 == 0:
        os.symlink("file%d" % i, path + ".lnk")
print("files=%d bytes=%d" % (count, total))
