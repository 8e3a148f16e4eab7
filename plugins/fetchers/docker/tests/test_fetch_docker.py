#!/usr/bin/env python3
"""Tests of fetcher-docker.so against Debian's docker-registry on 127.0.0.1.

Images are built here from Debian's busybox-static into OCI image layouts (oci_build.py) and
pushed with skopeo; registries (plain http, TLS with a test CA, htpasswd basic auth, token auth
with the token server of registry_servers.py) and a recording proxy are started by the test and
stopped by PID. Every fetch runs rkt-fetcher-driver (tests/helpers), which loads the plugin as
the rkt core does; what it hands over is the ACI support/oci converts the downloaded layout
to. The last tests run the real `rkt`: rkt's refusal of unsigned docker images, and the pull
policies over the store's record (requests counted by a proxy).

Environment (set by ctest): RKT_FETCHER_DRIVER, RKT_PLUGIN_DIR, RKT, RKT_SOURCE_DIR.
Exit code 77 means skipped.
"""

import json
import os
import platform
import pty
import shutil
import ssl
import subprocess
import sys
import tarfile
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oci_build  # noqa: E402
import registry_servers as rs  # noqa: E402

DRIVER = os.environ.get("RKT_FETCHER_DRIVER", "")
PLUGIN_DIR = os.environ.get("RKT_PLUGIN_DIR", "")
RKT = os.environ.get("RKT", "")
SCRUBBED_ENV = ("SSL_CERT_FILE", "SSL_CERT_DIR", "http_proxy", "HTTP_PROXY", "https_proxy",
                "HTTPS_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY")
HOST_ARCH = {"x86_64": "amd64", "aarch64": "arm64", "i686": "386"}.get(platform.machine(),
                                                                       platform.machine())
OTHER_ARCH = "s390x" if HOST_ARCH != "s390x" else "amd64"
USER, PASSWORD = "rkt-user", "s3cret"


def skip(reason):
    print("SKIP: " + reason, file=sys.stderr)
    sys.exit(77)


class Fetch:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.stderr = proc.stderr
        self.json = json.loads(proc.stdout) if proc.returncode == 0 else None


class DockerFetcherTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="rkt-docker-test.")
        cls.addClassCleanup(shutil.rmtree, cls.work, True)
        os.mkdir(os.path.join(cls.work, "pki"))
        cls.pki = rs.make_pki(os.path.join(cls.work, "pki"))
        htpasswd = os.path.join(cls.work, "htpasswd")
        with open(htpasswd, "w", encoding="utf-8") as f:
            f.write(subprocess.run(["htpasswd", "-Bbn", USER, PASSWORD], check=True,
                                   capture_output=True, text=True).stdout)

        def started(obj):
            cls.addClassCleanup(obj.stop)  # stopped even when a later start or a test fails
            return obj

        tls = (cls.pki["srv.crt"], cls.pki["srv.key"])
        cls.plain = started(rs.Registry(cls.work, "plain", schema1=True))
        cls.tls = started(rs.Registry(cls.work, "tls", tls=tls))
        cls.basic = started(rs.Registry(cls.work, "basic", tls=tls, htpasswd=htpasswd))
        cls.tokens = started(rs.TokenServer(cls.pki["tok.key"], cls.pki["tok.crt"], USER,
                                            PASSWORD))
        cls.token = started(rs.Registry(cls.work, "token", token={
            "realm": cls.tokens.realm(), "service": rs.TokenServer.SERVICE,
            "issuer": rs.TokenServer.ISSUER, "rootcertbundle": cls.pki["tok.crt"]}))

        # Images: busybox in three layers (one of ~1.5 MB, to cut), and an index over the
        # host's platform and another one.
        src = os.path.join(cls.work, "src")
        layout = oci_build.Layout(src)
        cls.single = layout.image(oci_build.busybox_layers(size=1500000))
        layout.tag(cls.single, "single")
        other = layout.image(oci_build.busybox_layers(b"other platform\n"), arch=OTHER_ARCH)
        host = layout.image(oci_build.busybox_layers(b"host platform\n"), arch=HOST_ARCH)
        layout.tag(layout.index([other, host]), "multi")
        cls.src = src
        for reg, creds in ((cls.plain, None), (cls.tls, None), (cls.basic, True),
                           (cls.token, True)):
            cls.push("oci:%s:single" % src, reg, "test/busybox:1", creds)
            cls.push("oci:%s:multi" % src, reg, "test/multi:latest", creds, ["--all"])
        cls.push("oci:%s:single" % src, cls.plain, "test/v2s2:1", None, ["--format", "v2s2"])
        cls.push("oci:%s:single" % src, cls.plain, "test/v2s1:1", None, ["--format", "v2s1"])

    @classmethod
    def push(cls, source, reg, name, creds, extra=()):
        cmd = ["skopeo", "copy", "--quiet", *extra, "--dest-tls-verify=false"]
        if creds:
            cmd += ["--dest-creds", "%s:%s" % (USER, PASSWORD)]
        subprocess.run(cmd + [source, "docker://%s/%s" % (reg.host, name)], check=True,
                       capture_output=True)

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="dl.", dir=self.work)

    # ---- helpers -------------------------------------------------------------------------

    def fetch(self, image, http=False, tls=False, auth=None, remote=None, ca=True):
        # Each fetch has a download directory of its own, as each of rkt's does in effect (the
        # core empties it after the import).
        self.fetch_dir = tempfile.mkdtemp(prefix="fetch.", dir=self.tmp)
        req = {"image": image, "tmp_dir": self.fetch_dir,
               "insecure": {"image": True, "http": http, "tls": tls}}
        if auth:
            req["docker_auth"] = [{"registries": [auth[0]],
                                   "credentials": {"user": auth[1], "password": auth[2]}}]
        if remote:
            req["remote"] = remote
        env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
        if ca:
            env["SSL_CERT_FILE"] = self.pki["ca.crt"]
        proc = subprocess.run([DRIVER, PLUGIN_DIR, "docker"], input=json.dumps(req),
                              capture_output=True, text=True, env=env, timeout=300)
        return Fetch(proc)

    def inspect(self, layout):
        return json.loads(subprocess.run(["skopeo", "inspect", "oci:" + layout], check=True,
                                         capture_output=True, text=True).stdout)

    def assertImage(self, result, content=None, version="1"):
        """The result is the image kept as layers (ABI 1.7): the appc manifest support/oci
        converted the config to (docker2aci's labels and annotations) and the layer blobs,
        bottom first, verified, in the one layout directory the fetch left in tmp_dir (the
        partial downloads are gone); busybox and data/hello.txt are in the layers."""
        self.assertEqual(result.rc, 0, result.stderr)
        self.assertNotIn("path", result.json)
        manifest = result.json["manifest"]
        layers = result.json["layers"]
        self.assertEqual(len(layers), 3)
        (layout,) = self.leftovers()
        found = {}
        for layer in layers:  # bottom first: an upper layer's entry wins
            self.assertEqual(os.path.dirname(layer["path"]),
                             os.path.join(self.fetch_dir, layout, "blobs", "sha256"))
            self.assertEqual(layer["digest"], "sha256:" + os.path.basename(layer["path"]))
            self.assertEqual(layer["size"], os.path.getsize(layer["path"]))
            with tarfile.open(layer["path"]) as t:
                for m in t.getmembers():
                    found[m.name] = (layer["path"], m)
        sh = found["bin/sh"][1]
        self.assertTrue(sh.issym() and sh.linkname == "busybox")
        self.assertTrue(found["bin/busybox"][1].isfile())
        if content is not None:
            with tarfile.open(found["data/hello.txt"][0]) as t:
                self.assertTrue(t.extractfile("data/hello.txt").read().startswith(content))
        labels = {l["name"]: l["value"] for l in manifest["labels"]}
        self.assertEqual(labels["version"], version)
        self.assertEqual(labels["os"], "linux")
        annotations = {a["name"]: a["value"] for a in manifest["annotations"]}
        self.assertIn("appc.io/docker/repository", annotations)
        self.assertIn("appc.io/docker/manifesthash", annotations)
        return manifest

    def manifest_digest(self, reg, name, creds=None):
        cmd = ["skopeo", "inspect", "--raw", "--tls-verify=false"]
        if creds:
            cmd += ["--creds", "%s:%s" % (USER, PASSWORD)]
        raw = subprocess.run(cmd + ["docker://%s/%s" % (reg.host, name)], check=True,
                             capture_output=True).stdout
        return "sha256:" + __import__("hashlib").sha256(raw).hexdigest()

    def leftovers(self):
        """What the last fetch left in its download directory."""
        return sorted(os.listdir(self.fetch_dir))

    def proxy(self, reg):
        ctx = None
        if reg.scheme == "https":
            ctx = ssl.create_default_context(cafile=self.pki["ca.crt"])
        p = rs.Proxy(reg.port, ctx)
        self.addCleanup(p.stop)
        return p

    # ---- registries and authentication ---------------------------------------------------

    def test_plain_http_needs_insecure_http(self):
        image = "docker://%s/test/busybox:1" % self.plain.host
        r = self.fetch(image)
        self.assertEqual(r.rc, 1)
        self.assertEqual(self.leftovers(), [])
        r = self.fetch(image, http=True)
        self.assertImage(r, content=b"hello from layer 3")
        self.assertFalse(r.json["latest"])
        self.assertEqual(r.json["remote"]["etag"],
                         self.manifest_digest(self.plain, "test/busybox:1"))

    def test_docker_spelling_and_v2s2_manifest(self):
        image = "docker:%s/test/v2s2:1" % self.plain.host
        manifest = self.assertImage(self.fetch(image, http=True), content=b"hello from layer 3")
        self.assertEqual(manifest["app"]["exec"], ["/bin/sh"])
        annotations = {a["name"]: a["value"] for a in manifest["annotations"]}
        self.assertEqual(annotations["appc.io/docker/originalname"], image)
        self.assertEqual(annotations["appc.io/docker/repository"], "test/v2s2")
        self.assertEqual(annotations["appc.io/docker/registryurl"], self.plain.host)

    def test_schema1_manifest(self):
        image = "docker://%s/test/v2s1:1" % self.plain.host
        manifest = self.assertImage(self.fetch(image, http=True), content=b"hello from layer 3")
        self.assertEqual(manifest["app"]["exec"], ["/bin/sh"])

    def test_schema1_by_digest(self):
        """A signed schema 1 manifest fetched by digest: the digest is checked against the
        canonical payload (the body without its JWS signature), as docker does."""
        import urllib.request
        req = urllib.request.Request(
            "http://%s/v2/test/v2s1/manifests/1" % self.plain.host,
            headers={"Accept": "application/vnd.docker.distribution.manifest.v1+prettyjws"})
        with urllib.request.urlopen(req) as resp:
            body = resp.read()
            digest = resp.headers["Docker-Content-Digest"]
        self.assertIn(b'"signatures"', body)  # signed: its digest is not the body's hash
        self.assertNotEqual(digest, "sha256:" + __import__("hashlib").sha256(body).hexdigest())
        r = self.fetch("docker://%s/test/v2s1@%s" % (self.plain.host, digest), http=True)
        self.assertImage(r, content=b"hello from layer 3", version=digest)

    def test_tls_with_test_ca(self):
        image = "docker://%s/test/busybox:1" % self.tls.host
        self.assertImage(self.fetch(image))
        r = self.fetch(image, ca=False)
        self.assertEqual(r.rc, 1)
        self.assertIn("certificate", r.stderr.lower())
        self.assertImage(self.fetch(image, ca=False, tls=True))

    def test_htpasswd_basic_auth(self):
        image = "docker://%s/test/busybox:1" % self.basic.host
        r = self.fetch(image)
        self.assertEqual(r.rc, 1)
        self.assertIn("registry `%s` requires credentials" % self.basic.host, r.stderr)
        r = self.fetch(image, auth=(self.basic.host, USER, "wrong"))
        self.assertEqual(r.rc, 1)
        self.assertIn("401", r.stderr)
        self.assertImage(self.fetch(image, auth=(self.basic.host, USER, PASSWORD)))

    def test_bearer_token_auth(self):
        image = "docker://%s/test/busybox:1" % self.token.host
        self.tokens.requests.clear()
        r = self.fetch(image, http=True)
        self.assertEqual(r.rc, 1)
        self.assertIn("refused a token", r.stderr)
        self.assertEqual(self.leftovers(), [])
        self.tokens.requests.clear()
        self.assertImage(self.fetch(image, http=True, auth=(self.token.host, USER, PASSWORD)))
        self.assertEqual(len(self.tokens.requests), 1)  # one token for every request
        self.assertEqual(self.tokens.requests[0]["query"]["scope"], ["repository:test/busybox:pull"])
        self.assertEqual(self.tokens.requests[0]["query"]["service"], [rs.TokenServer.SERVICE])

    def test_blob_redirect_drops_authorization(self):
        front = self.proxy(self.token)
        storage = self.proxy(self.plain)  # the same blobs, without authentication
        front.redirect = "http://%s" % storage.host
        r = self.fetch("docker://%s/test/busybox:1" % front.host, http=True,
                       auth=(front.host, USER, PASSWORD))
        self.assertImage(r)
        blob_gets = [q for q in storage.requests if q["method"] == "GET"]
        self.assertEqual(len(blob_gets), 4)  # config and three layers
        self.assertTrue(all(q["auth"] is None for q in storage.requests), storage.requests)
        self.assertTrue(any((q["auth"] or "").startswith("Bearer ") for q in front.requests))

    # ---- manifests -----------------------------------------------------------------------

    def test_multi_arch_index_selects_host_platform(self):
        r = self.fetch("docker://%s/test/multi" % self.plain.host, http=True)
        self.assertImage(r, content=b"host platform", version="latest")
        self.assertTrue(r.json["latest"])
        self.assertEqual(r.json["remote"]["etag"],
                         self.manifest_digest(self.plain, "test/multi:latest"))

    def test_digest_reference(self):
        digest = self.manifest_digest(self.plain, "test/busybox:1")
        r = self.fetch("docker://%s/test/busybox@%s" % (self.plain.host, digest), http=True)
        self.assertImage(r, version=digest)  # no tag: the digest is the version
        self.assertFalse(r.json["latest"])
        r = self.fetch("docker://%s/test/busybox@sha256:%s" % (self.plain.host, "0" * 64),
                       http=True)
        self.assertEqual(r.rc, 1)
        self.assertIn("not found", r.stderr)

    def test_missing_platform(self):
        layout = oci_build.Layout(os.path.join(self.tmp, "src"))
        layout.tag(layout.index([layout.image(oci_build.busybox_layers(), arch=OTHER_ARCH)]),
                   "foreign")
        self.push("oci:%s:foreign" % layout.path, self.plain, "test/foreign:1", None, ["--all"])
        shutil.rmtree(layout.path)
        r = self.fetch("docker://%s/test/foreign:1" % self.plain.host, http=True)
        self.assertEqual(r.rc, 1)
        self.assertIn("no image for linux/%s in `%s/test/foreign:1` (it has: linux/%s)" % (
            HOST_ARCH, self.plain.host, OTHER_ARCH), r.stderr)

    # ---- transfers -----------------------------------------------------------------------

    def test_broken_transfer_resumes(self):
        proxy = self.proxy(self.plain)
        big = max(self.single_layers(), key=lambda l: l["size"])
        proxy.cut[big["digest"]] = big["size"] // 2
        r = self.fetch("docker://%s/test/busybox:1" % proxy.host, http=True)
        self.assertImage(r, content=b"hello from layer 3")
        gets = [q for q in proxy.requests
                if q["method"] == "GET" and q["path"].endswith(big["digest"])]
        self.assertEqual(len(gets), 2, proxy.requests)
        self.assertIsNone(gets[0]["range"])
        self.assertEqual(gets[1]["range"], "bytes=%d-" % (big["size"] // 2))

    def test_wrong_digest_refused_nothing_kept(self):
        proxy = self.proxy(self.plain)
        layer = self.single_layers()[1]
        proxy.corrupt.add(layer["digest"])
        r = self.fetch("docker://%s/test/busybox:1" % proxy.host, http=True)
        self.assertEqual(r.rc, 1, r.stderr)
        self.assertIn("blob %s of `%s/test/busybox:1` does not match its digest" % (
            layer["digest"], proxy.host), r.stderr)
        self.assertEqual(self.leftovers(), [])

    def single_layers(self):
        with open(os.path.join(self.src, "blobs", "sha256", self.single["digest"][7:]),
                  encoding="utf-8") as f:
            return json.load(f)["layers"]

    def test_progress_bars_on_a_terminal_lines_otherwise(self):
        image = "docker://%s/test/busybox:1" % self.plain.host
        r = self.fetch(image, http=True)
        self.assertEqual(r.rc, 0, r.stderr)
        self.assertEqual(sorted(l for l in r.stderr.splitlines() if "downloading" in l),
                         sorted("docker: downloading %s (%s)" % (l["digest"][:19], size) for
                                l, size in zip(self.single_layers() + [self.single_config()],
                                               self.sizes())))
        self.assertNotIn("\x1b[", r.stderr)
        # stderr a terminal: one bar per blob, drawn in place, each complete at the end.
        master, slave = pty.openpty()
        req = {"image": image, "tmp_dir": tempfile.mkdtemp(dir=self.tmp),
               "insecure": {"image": True, "http": True}}
        proc = subprocess.Popen([DRIVER, PLUGIN_DIR, "docker"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        proc.stdin.write(json.dumps(req).encode())
        proc.stdin.close()
        out = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        os.close(master)
        proc.stdout.read()
        proc.stdout.close()
        self.assertEqual(proc.wait(), 0)
        text = out.decode()
        self.assertIn("\x1b[4A", text)  # back up over the four bars
        final = text.rsplit("\x1b[4A", 1)[-1]
        for l in self.single_layers():
            self.assertRegex(final, r"Downloading %s: \[=+\] ([0-9.]+ [KM]?B)/\1" %
                             l["digest"][:19])

    def sizes(self):
        def fmt(n):
            for unit in ("B", "KB", "MB", "GB"):
                if n < 1000:
                    return ("%.3g %s" % (n, unit))
                n /= 1000.0
            return "%.3g TB" % n
        return [fmt(l["size"]) for l in self.single_layers() + [self.single_config()]]

    def single_config(self):
        with open(os.path.join(self.src, "blobs", "sha256", self.single["digest"][7:]),
                  encoding="utf-8") as f:
            return json.load(f)["config"]

    # ---- the store's record (pull policy update) ------------------------------------------

    def test_cached_manifest_one_request(self):
        proxy = self.proxy(self.plain)
        digest = self.manifest_digest(self.plain, "test/busybox:1")
        key = "sha512-" + "a" * 64
        remote = {"url": "docker://x", "etag": digest, "key": key}
        r = self.fetch("docker://%s/test/busybox:1" % proxy.host, http=True, remote=remote)
        self.assertEqual(r.rc, 0, r.stderr)
        self.assertEqual(r.json.get("cached_key"), key)
        self.assertNotIn("path", r.json)
        self.assertEqual([(q["method"], q["path"]) for q in proxy.requests],
                         [("GET", "/v2/test/busybox/manifests/1")])
        # A changed manifest is downloaded again.
        remote["etag"] = "sha256:" + "0" * 64
        r = self.fetch("docker://%s/test/busybox:1" % proxy.host, http=True, remote=remote)
        self.assertImage(r)
        # A digest reference to the stored manifest needs no request at all.
        proxy.requests.clear()
        remote["etag"] = digest
        r = self.fetch("docker://%s/test/busybox@%s" % (proxy.host, digest), http=True,
                       remote=remote)
        self.assertEqual(r.json.get("cached_key"), key)
        self.assertEqual(proxy.requests, [])

    # ---- through rkt ---------------------------------------------------------------------

    def rkt(self, data, *args):
        proc = subprocess.run([RKT, "--dir=" + data] + list(args), capture_output=True,
                              text=True, timeout=300)
        return proc

    def test_rkt_requires_insecure_image(self):
        if not RKT:
            self.skipTest("RKT not set")
        proc = self.rkt(os.path.join(self.tmp, "data"), "--insecure-options=http", "fetch",
                        "docker://%s/test/busybox:1" % self.plain.host)
        self.assertEqual(proc.returncode, 254, proc.stderr)
        self.assertIn("signature verification for docker images is not supported (try "
                      "--insecure-options=image)", proc.stderr)

    def test_rkt_pull_policies(self):
        """rkt fetch stores the converted image and records the reference; fetching it again
        (update) asks for the manifest once and reuses the image, --pull-policy=new asks
        nothing, and a new manifest behind the tag is downloaded again."""
        if not RKT:
            self.skipTest("RKT not set")
        proxy = self.proxy(self.plain)
        data = os.path.join(self.tmp, "data")
        image = "docker://%s/test/policy:1" % proxy.host
        self.push("oci:%s:single" % self.src, self.plain, "test/policy:1", None)
        flags = ["--insecure-options=image,http", "fetch", "--full"]
        first = self.rkt(data, *flags, image)
        self.assertEqual(first.returncode, 0, first.stderr)
        key = first.stdout.strip()
        self.assertRegex(key, r"^sha512-[0-9a-f]{64}$")
        listed = self.rkt(data, "image", "list", "--no-legend", "--fields=name")
        # docker2aci's name, registry/repository, as an AC identifier (no ':').
        self.assertIn("127.0.0.1-%d/test/policy:1" % proxy.port, listed.stdout)

        proxy.requests.clear()
        again = self.rkt(data, *flags, image)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(again.stdout.strip(), key)
        self.assertEqual([(q["method"], q["path"]) for q in proxy.requests],
                         [("GET", "/v2/test/policy/manifests/1")])

        proxy.requests.clear()
        new = self.rkt(data, *(flags + ["--pull-policy=new"]), image)
        self.assertEqual(new.returncode, 0, new.stderr)
        self.assertEqual(new.stdout.strip(), key)
        self.assertEqual(proxy.requests, [])

        self.push("oci:%s:multi" % self.src, self.plain, "test/policy:1", None, ["--all"])
        proxy.requests.clear()
        changed = self.rkt(data, *flags, image)
        self.assertEqual(changed.returncode, 0, changed.stderr)
        self.assertNotEqual(changed.stdout.strip(), key)
        self.assertTrue(any("/blobs/" in q["path"] for q in proxy.requests))
        self.assertEqual(os.listdir(os.path.join(data, "cas", "tmp")), [])


    def test_rkt_shared_base_layers(self):
        """Two images sharing their base layers: the second stores only its own layer and
        downloads only that one (the core tells the fetcher the layers the store holds); rm of
        one keeps the shared layers, rm of the other frees them (rkt's data directory)."""
        if not RKT:
            self.skipTest("RKT not set")
        data = os.path.join(self.tmp, "data")
        layers_dir = os.path.join(data, "cas", "layers", "sha256")
        src = os.path.join(self.tmp, "shared")
        layout = oci_build.Layout(src)
        layout.tag(layout.image(oci_build.busybox_layers(b"first\n")), "first")
        layout.tag(layout.image(oci_build.busybox_layers(b"second\n")), "second")
        proxy = self.proxy(self.plain)
        flags = ["--insecure-options=image,http", "fetch", "--full"]
        keys = []
        for name in ("first", "second"):
            self.push("oci:%s:%s" % (src, name), self.plain, "test/shared:" + name, None)
            proxy.requests.clear()
            proc = self.rkt(data, *flags, "docker://%s/test/shared:%s" % (proxy.host, name))
            self.assertEqual(proc.returncode, 0, proc.stderr)
            keys.append(proc.stdout.strip())
            # busybox and /etc shared, the data layer each image's own
            self.assertEqual(len(os.listdir(layers_dir)), 3 if name == "first" else 4)
            blobs = [q["path"] for q in proxy.requests if "/blobs/" in q["path"]]
            self.assertEqual(len(blobs), 4 if name == "first" else 2)  # config + layers
        run = subprocess.run(["unshare", "-m", "--propagation", "private", RKT, "--dir=" + data,
                              "--insecure-options=image", "run",
                              "--stage1-name=coreos.com/rkt/stage1-fly", keys[1], "--exec",
                              "/bin/cat", "--", "/data/hello.txt"],
                             capture_output=True, text=True, timeout=300)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(run.stdout.strip().splitlines()[-1], "second")
        self.rkt(data, "gc", "--grace-period=0s")
        self.assertEqual(os.listdir(os.path.join(data, "cas", "tmp")), [])
        rm = self.rkt(data, "image", "rm", keys[0])
        self.assertEqual(rm.returncode, 0, rm.stderr)
        self.rkt(data, "image", "gc")  # trees no pod uses; the default grace keeps `second`
        self.assertEqual(len(os.listdir(layers_dir)), 3)
        rm = self.rkt(data, "image", "rm", keys[1])
        self.assertEqual(rm.returncode, 0, rm.stderr)
        self.rkt(data, "image", "gc")
        self.assertEqual(os.listdir(layers_dir), [])

    def test_rkt_run_fly(self):
        """A docker:// image runs: fetched, converted, rendered and run by the fly stage1 (as
        root, in a private mount namespace); run again, the stored image is used without a
        single request to the registry (run's pull policy is `new`)."""
        if not RKT:
            self.skipTest("RKT not set")
        if os.geteuid() != 0:
            self.skipTest("running pods needs root")
        proxy = self.proxy(self.plain)
        data = os.path.join(self.tmp, "data")
        cmd = ["unshare", "-m", "--propagation", "private", RKT, "--dir=" + data,
               "--insecure-options=image,http", "run", "--stage1-name=coreos.com/rkt/stage1-fly",
               "docker://%s/test/busybox:1" % proxy.host, "--exec", "/bin/busybox", "--",
               "head", "-c", "18", "/data/hello.txt"]
        for run in range(2):
            proxy.requests.clear()
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual(proc.stdout.strip().splitlines()[-1], "hello from layer 3")
        self.assertEqual(proxy.requests, [])


def main():
    for tool in ("docker-registry", "skopeo", "openssl", "htpasswd"):
        if not shutil.which(tool):
            skip("%s is not installed (Debian packages docker-registry, skopeo, "
                 "apache2-utils)" % tool)
    if not os.path.exists(oci_build.BUSYBOX):
        skip("busybox-static is not installed")
    if not DRIVER or not PLUGIN_DIR:
        skip("RKT_FETCHER_DRIVER / RKT_PLUGIN_DIR not set (run through ctest)")
    unittest.main(verbosity=2)


if __name__ == "__main__":
    main()
