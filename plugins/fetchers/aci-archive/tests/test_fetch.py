#!/usr/bin/env python3
"""Tests of fetcher-aci-archive.so, called through the core's plugin registry.

Every fetch runs rkt-fetcher-driver (tests/helpers/fetcher_driver.cpp), which loads the plugin
the way the rkt core does and passes it a JSON request. The HTTP(S) side is
tests/functional/servers/aci_server.py: several instances on 127.0.0.1 (two plain HTTP, two
HTTPS with a certificate for 127.0.0.1/localhost, one HTTPS with a certificate for another
name), all signed by a CA this test creates with openssl(1). The servers log every request
they get, which is how the tests see what the plugin sent (or did not send).

Environment (set by ctest, cmake/RktPluginTests.cmake): RKT_FETCHER_DRIVER, RKT_PLUGIN_DIR,
RKT_VERSION_STRING, RKT_SOURCE_DIR.
Exit code 77 means skipped.
"""

import base64
import fcntl
import hashlib
import json
import os
import pty
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "..", "..", "tests", "fixtures"))
import test_pki  # noqa: E402  (tests/fixtures)
import test_process  # noqa: E402  (tests/fixtures)

# The shared test servers stay with the functional tests.
SOURCE_DIR = os.environ.get("RKT_SOURCE_DIR", "")
SERVER = os.path.join(SOURCE_DIR, "tests", "functional", "servers", "aci_server.py")
DRIVER = os.environ.get("RKT_FETCHER_DRIVER", "")
PLUGIN_DIR = os.environ.get("RKT_PLUGIN_DIR", "")
VERSION = os.environ.get("RKT_VERSION_STRING", "")

# Variables that would change how the plugin connects; every fetch starts without them.
SCRUBBED_ENV = ("SSL_CERT_FILE", "SSL_CERT_DIR", "http_proxy", "HTTP_PROXY", "https_proxy",
                "HTTPS_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY")


def key_of(text):
    """rkt's key form of a string: the name of a URL's download file."""
    return "sha512-" + hashlib.sha512(text.encode()).hexdigest()[:64]


def default_etag(data):
    """The ETag aci_server.py gives a file by default."""
    return '"%s"' % hashlib.sha256(data).hexdigest()[:16]


def make_pki(d):
    """A test CA and two server certificates: one for 127.0.0.1/localhost, one for another
    host name. Returns {name: path}."""
    p = test_pki.make_ca(d, "/CN=rkt aci-archive test CA")
    test_pki.add_server_cert(p, d, "srv", "DNS:localhost,IP:127.0.0.1", "localhost")
    test_pki.add_server_cert(p, d, "oth", "DNS:other.invalid", "other.invalid")
    return p


class Server:
    """One aci_server.py process; stop() ends it by PID."""

    def __init__(self, work, name, root, config, log, cert=None, key=None):
        self.name = name
        self.scheme = "https" if cert else "http"
        port_file = os.path.join(work, name + ".port")
        cmd = [sys.executable, SERVER, "--root", root, "--config", config, "--log", log,
               "--port-file", port_file, "--name", name]
        if cert:
            cmd += ["--cert", cert, "--key", key]
        self.stderr = open(os.path.join(work, name + ".stderr"), "w", encoding="utf-8")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.stderr)
        deadline = time.monotonic() + 20
        while not os.path.exists(port_file):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("test server %s did not start" % name)
            time.sleep(0.05)
        with open(port_file, encoding="utf-8") as f:
            self.port = int(f.read())

    def url(self, path, host="127.0.0.1"):
        return "%s://%s:%d%s" % (self.scheme, host, self.port, path)

    @property
    def host(self):
        return "127.0.0.1:%d" % self.port

    def stop(self):
        test_process.stop_process(self.proc, self.stderr)


class FetchResult:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.json = json.loads(proc.stdout) if proc.returncode == 0 else None


class AciArchiveFetcherTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="rkt-aci-archive-test.")
        cls.addClassCleanup(shutil.rmtree, cls.work, True)
        cls.www = os.path.join(cls.work, "www")
        os.mkdir(cls.www)
        pki_dir = os.path.join(cls.work, "pki")
        os.mkdir(pki_dir)
        cls.pki = make_pki(pki_dir)
        cls.config_path = os.path.join(cls.work, "server-config.json")
        cls.config = {"paths": {}}
        cls.write_config()
        cls.log_path = os.path.join(cls.work, "requests.jsonl")
        open(cls.log_path, "w").close()

        def start(name, cert=None, key=None):
            s = Server(cls.work, name, cls.www, cls.config_path, cls.log_path, cert, key)
            cls.addClassCleanup(s.stop)  # stopped even when a later start or a test fails
            return s

        cls.http_a = start("http-a")
        cls.http_b = start("http-b")
        cls.https_a = start("https-a", cls.pki["srv.crt"], cls.pki["srv.key"])
        cls.https_b = start("https-b", cls.pki["srv.crt"], cls.pki["srv.key"])
        cls.https_other = start("https-other", cls.pki["oth.crt"], cls.pki["oth.key"])

    @classmethod
    def write_config(cls):
        tmp = cls.config_path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(cls.config, f)
        os.rename(tmp, cls.config_path)  # servers re-read it on every request

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="dl.", dir=self.work)
        # Each test uses its own file names; prefix them with the test's name.
        self.prefix = "/" + self._testMethodName

    # ---- helpers -------------------------------------------------------------------------

    def image(self, name, size=300000, seed=None):
        """Writes www/<prefix>-<name> with pseudo-random content; returns (path, bytes)."""
        path = "%s-%s" % (self.prefix, name)
        data = hashlib.sha512((seed or path).encode()).digest() * (size // 64 + 1)
        data = data[:size]
        with open(os.path.join(self.www, path.lstrip("/")), "wb") as f:
            f.write(data)
        return path, data

    def serve(self, path, **cfg):
        type(self).config["paths"][path] = cfg
        self.write_config()

    def requests(self, path=None, server=None):
        with open(self.log_path, encoding="utf-8") as f:
            entries = [json.loads(line) for line in f if line.strip()]
        return [e for e in entries if (path is None or e["path"] == path) and
                (server is None or e["server"] == server.name)]

    def fetch(self, request, ca=True, env=None, cwd=None, debug=False):
        req = dict(request)
        req.setdefault("tmp_dir", self.tmp)
        full_env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
        if ca:
            full_env["SSL_CERT_FILE"] = self.pki["ca.crt"]
        full_env.update(env or {})
        cmd = [DRIVER] + (["--debug"] if debug else []) + [PLUGIN_DIR, "aci-archive"]
        proc = subprocess.run(cmd, input=json.dumps(req), capture_output=True, text=True,
                              env=full_env, cwd=cwd, timeout=120)
        return FetchResult(proc)

    def assertFetched(self, result, data):
        self.assertEqual(result.rc, 0, result.stderr)
        self.assertNotIn("cached_key", result.json)
        with open(result.json["path"], "rb") as f:
            self.assertTrue(f.read() == data, "downloaded file differs from the served one")

    def assertFailed(self, result, *needles):
        self.assertEqual(result.rc, 1, "expected failure, got: %s %s" % (result.stdout,
                                                                        result.stderr))
        for n in needles:
            self.assertIn(n, result.stderr)
        self.assertEqual(len([l for l in result.stderr.splitlines()
                              if l.startswith("fetch failed:")]), 1)

    def tmp_files(self):
        return sorted(os.listdir(self.tmp))

    # ---- local files ---------------------------------------------------------------------

    def test_local_absolute_path_and_signature(self):
        path, _ = self.image("a.aci")
        abs_path = os.path.join(self.www, path.lstrip("/"))
        r = self.fetch({"image": abs_path})
        self.assertEqual(r.rc, 0, r.stderr)
        self.assertEqual(r.json["path"], abs_path)  # used in place, not copied
        self.assertNotIn("signature_path", r.json)
        self.assertEqual(r.json["latest"], False)
        self.assertEqual(self.tmp_files(), [])
        with open(abs_path + ".asc", "w") as f:
            f.write("sig")
        r = self.fetch({"image": abs_path})
        self.assertEqual(r.json["signature_path"], abs_path + ".asc")

    def test_local_relative_path_resolved_against_cwd(self):
        path, _ = self.image("rel.aci")
        name = path.lstrip("/")
        r = self.fetch({"image": "./sub/../" + name}, cwd=self.www)
        self.assertEqual(r.rc, 0, r.stderr)
        self.assertEqual(r.json["path"], os.path.join(self.www, name))

    def test_file_url_and_signature_name_without_aci_suffix(self):
        path, _ = self.image("noext")
        abs_path = os.path.join(self.www, path.lstrip("/"))
        with open(abs_path + ".aci.asc", "w") as f:  # rkt: <path without .aci>.aci.asc
            f.write("sig")
        r = self.fetch({"image": "file://" + abs_path})
        self.assertEqual(r.rc, 0, r.stderr)
        self.assertEqual(r.json["path"], abs_path)
        self.assertEqual(r.json["signature_path"], abs_path + ".aci.asc")

    def test_local_signature_option(self):
        path, _ = self.image("s.aci")
        abs_path = os.path.join(self.www, path.lstrip("/"))
        sig = os.path.join(self.tmp, "given.asc")
        with open(sig, "w") as f:
            f.write("sig")
        r = self.fetch({"image": abs_path, "signature": sig})
        self.assertEqual(r.json["signature_path"], sig)
        r = self.fetch({"image": abs_path, "signature": sig + ".missing"})
        self.assertFailed(r, "cannot open signature file `%s.missing`: no such file or directory"
                          % sig)

    def test_local_missing_file(self):
        missing = os.path.join(self.www, "missing.aci")
        r = self.fetch({"image": missing})
        self.assertFailed(r, "cannot open ACI file `%s`: no such file or directory" % missing,
                          "status=3 ")
        r = self.fetch({"image": "file://" + missing})
        self.assertFailed(r, "cannot open ACI file `%s`" % missing)

    def test_unsupported_scheme_and_bad_request(self):
        r = self.fetch({"image": "ftp://127.0.0.1/x.aci"})
        self.assertFailed(r, "rkt only supports http, https or file URLs")
        r = self.fetch({"image": 42})
        self.assertFailed(r, 'invalid fetch request: field "image": expected a string')

    # ---- plain HTTP, caching ------------------------------------------------------------

    def test_http_fetched_without_insecure_http(self):
        # rkt v1.30: an http:// URL needs no insecure.http; only its signature protects it.
        path, data = self.image("plain.aci")
        url = self.http_a.url(path)
        r = self.fetch({"image": url, "insecure": {"image": True}})
        self.assertFetched(r, data)

    def test_http_download_then_304_reuse(self):
        path, data = self.image("etag.aci")
        url = self.http_a.url(path)
        r = self.fetch({"image": url, "insecure": {"http": True, "image": True}})
        self.assertFetched(r, data)
        rem = r.json["remote"]
        self.assertEqual(rem["url"], url)
        self.assertEqual(rem["etag"], default_etag(data))
        self.assertEqual(rem["cache_max_age"], 0)
        self.assertLess(abs(rem["download_time"] - time.time_ns()), 60 * 10**9)
        self.assertTrue(os.path.dirname(r.json["path"]) == self.tmp)
        os.unlink(r.json["path"])  # what the core does after importing it
        self.assertEqual(self.tmp_files(), [])

        stored = {"url": url, "etag": rem["etag"], "key": "sha512-" + "ab" * 32,
                  "cache_max_age": 0, "download_time": rem["download_time"]}
        r = self.fetch({"image": url, "insecure": {"http": True, "image": True},
                        "remote": stored})
        self.assertEqual(r.rc, 0, r.stderr)
        self.assertEqual(r.json, {"cached_key": stored["key"], "latest": False})
        gets = [e for e in self.requests(path) if e["method"] == "GET"]
        self.assertEqual(len(gets), 2)
        self.assertNotIn("if-none-match", gets[0]["headers"])
        self.assertEqual(gets[1]["headers"]["if-none-match"], rem["etag"])
        self.assertEqual(self.tmp_files(), [])

    def test_changed_image_is_downloaded_despite_stored_etag(self):
        path, data = self.image("changed.aci")
        url = self.http_a.url(path)
        stored = {"url": url, "etag": '"old"', "key": "sha512-" + "cd" * 32,
                  "cache_max_age": 0, "download_time": time.time_ns()}
        r = self.fetch({"image": url, "insecure": {"http": True, "image": True},
                        "remote": stored})
        self.assertFetched(r, data)
        self.assertEqual(r.json["remote"]["etag"], default_etag(data))

    def test_max_age_reuse_without_any_request(self):
        path, data = self.image("maxage.aci")
        self.serve(path, cache_control="public, max-age=3600")
        url = self.http_a.url(path)
        ins = {"http": True, "image": True}
        r = self.fetch({"image": url, "insecure": ins})
        self.assertFetched(r, data)
        self.assertEqual(r.json["remote"]["cache_max_age"], 3600)
        before = len(self.requests(path))

        fresh = {"url": url, "etag": r.json["remote"]["etag"], "key": "sha512-" + "ef" * 32,
                 "cache_max_age": 3600, "download_time": time.time_ns()}
        r = self.fetch({"image": url, "insecure": ins, "remote": fresh})
        self.assertEqual(r.rc, 0, r.stderr)
        self.assertEqual(r.json, {"cached_key": fresh["key"], "latest": False})
        self.assertEqual(len(self.requests(path)), before, "a fresh copy needs no request")

        expired = dict(fresh, download_time=time.time_ns() - 7200 * 10**9)
        r = self.fetch({"image": url, "insecure": ins, "remote": expired})
        self.assertEqual(r.json, {"cached_key": fresh["key"], "latest": False})  # via 304
        self.assertEqual(len(self.requests(path)), before + 1)

    def test_cache_control_variants(self):
        ins = {"http": True, "image": True}
        for i, (header, expected) in enumerate((("max-age=120", 120), ("no-cache", 0),
                                                ("max-age=60, no-store", 0),
                                                ("no-cache, max-age=60", 0),
                                                ("max-age=abc", 0), ("max-age=007", 0),
                                                ("private, MAX-AGE=5", 5))):
            path, _ = self.image("cc%d.aci" % i, size=1000)
            self.serve(path, cache_control=header)
            r = self.fetch({"image": self.http_a.url(path), "insecure": ins})
            self.assertEqual(r.rc, 0, r.stderr)
            self.assertEqual(r.json["remote"]["cache_max_age"], expected, header)

    # ---- resuming --------------------------------------------------------------------

    def partial_path(self, url):
        return os.path.join(self.tmp, key_of(url))

    def test_resume_after_cut_transfer(self):
        path, data = self.image("resume.aci")
        self.serve(path, cut_after=100000)
        url = self.http_a.url(path)
        ins = {"http": True, "image": True}
        r = self.fetch({"image": url, "insecure": ins})
        self.assertFailed(r, "error downloading ACI `%s`" % url,
                          "unexpected end of data after 100000 of 300000 bytes")
        partial = self.partial_path(url)
        self.assertEqual(os.path.getsize(partial), 100000)
        with open(partial + ".etag") as f:
            self.assertEqual(f.read(), default_etag(data))

        r = self.fetch({"image": url, "insecure": ins})
        self.assertFetched(r, data)
        log = [(e["method"], e["headers"].get("range")) for e in self.requests(path)]
        self.assertEqual(log, [("GET", None), ("HEAD", None), ("GET", "bytes=100000-")])
        self.assertEqual(self.requests(path)[-1]["headers"].get("if-range"), default_etag(data))
        self.assertEqual(r.json["remote"]["etag"], default_etag(data))
        self.assertEqual(self.tmp_files(), [os.path.basename(r.json["path"])])

    def test_resume_by_last_modified(self):
        path, data = self.image("lm.aci")
        file = os.path.join(self.www, path.lstrip("/"))
        os.utime(file, (time.time() - 86400, time.time() - 86400))
        self.serve(path, cut_after=50000, etag=None)
        url = self.http_a.url(path)
        ins = {"http": True, "image": True}
        self.assertFailed(self.fetch({"image": url, "insecure": ins}), url)
        r = self.fetch({"image": url, "insecure": ins})
        self.assertFetched(r, data)
        self.assertEqual(self.requests(path)[-1]["headers"].get("range"), "bytes=50000-")

    def test_no_resume_when_resource_changed(self):
        path, _ = self.image("upd.aci")
        self.serve(path, cut_after=100000, last_modified=False)
        url = self.http_a.url(path)
        ins = {"http": True, "image": True}
        self.assertFailed(self.fetch({"image": url, "insecure": ins}), url)
        _, new = self.image("upd.aci", seed="new content")
        r = self.fetch({"image": url, "insecure": ins})
        self.assertFetched(r, new)
        self.assertIn("cannot use cached partial download, resource updated.", r.stderr)
        log = [(e["method"], e["headers"].get("range")) for e in self.requests(path)]
        self.assertEqual(log, [("GET", None), ("HEAD", None), ("GET", None)])

    def test_no_resume_without_accept_ranges(self):
        path, data = self.image("noranges.aci")
        self.serve(path, cut_after=100000, ranges=False)
        url = self.http_a.url(path)
        ins = {"http": True, "image": True}
        self.assertFailed(self.fetch({"image": url, "insecure": ins}), url)
        r = self.fetch({"image": url, "insecure": ins})
        self.assertFetched(r, data)
        self.assertIn("range request unsupported.", r.stderr)
        self.assertNotIn("range", self.requests(path)[-1]["headers"])

    def test_range_not_satisfiable_restarts(self):
        path, data = self.image("416.aci")
        url = self.http_a.url(path)
        partial = self.partial_path(url)
        with open(partial, "wb") as f:  # a stale partial file longer than the resource
            f.write(b"x" * 400000)
        with open(partial + ".etag", "w") as f:
            f.write(default_etag(data))
        r = self.fetch({"image": url, "insecure": {"http": True, "image": True}})
        self.assertFetched(r, data)
        log = [(e["method"], e["headers"].get("range")) for e in self.requests(path)]
        self.assertEqual(log, [("HEAD", None), ("GET", "bytes=400000-"), ("GET", None)])

    def test_second_process_waits_for_the_download_lock(self):
        path, data = self.image("lock.aci")
        url = self.http_a.url(path)
        lock_fd = os.open(self.partial_path(url), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX)
            req = {"image": url, "insecure": {"http": True, "image": True}, "tmp_dir": self.tmp}
            env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
            err_path = os.path.join(self.work, self._testMethodName + ".stderr")
            with open(err_path, "w") as err:
                proc = subprocess.Popen([DRIVER, PLUGIN_DIR, "aci-archive"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=err, text=True, env=env)
            try:
                proc.stdin.write(json.dumps(req))
                proc.stdin.close()
                deadline = time.monotonic() + 30
                waiting = "another rkt instance is downloading this file, waiting..."
                while waiting not in open(err_path).read():
                    self.assertLess(time.monotonic(), deadline, "no waiting message")
                    self.assertIsNone(proc.poll(), "driver ended while the file was locked")
                    time.sleep(0.05)
                time.sleep(0.3)
                self.assertIsNone(proc.poll())
                self.assertEqual(self.requests(path), [])
            finally:
                os.close(lock_fd)
                lock_fd = -1
                out = proc.stdout.read()
                proc.wait(timeout=60)
            self.assertEqual(proc.returncode, 0, open(err_path).read())
            with open(json.loads(out)["path"], "rb") as f:
                self.assertTrue(f.read() == data)
        finally:
            if lock_fd >= 0:
                os.close(lock_fd)

    # ---- redirects and credentials -------------------------------------------------

    def test_redirect_followed(self):
        path, data = self.image("target.aci")
        self.serve(self.prefix + "-r1.aci", redirect=self.http_a.url(self.prefix + "-r2.aci"),
                   redirect_code=301)
        self.serve(self.prefix + "-r2.aci", redirect=self.http_b.url(path), redirect_code=307)
        url = self.http_a.url(self.prefix + "-r1.aci")
        r = self.fetch({"image": url, "insecure": {"http": True, "image": True}})
        self.assertFetched(r, data)
        self.assertEqual(r.json["remote"]["url"], url)
        self.assertEqual(len(self.requests(path, self.http_b)), 1)

    def test_too_many_redirects(self):
        loop = self.prefix + "-loop.aci"
        self.serve(loop, redirect=self.http_a.url(loop))
        url = self.http_a.url(loop)
        r = self.fetch({"image": url, "insecure": {"http": True, "image": True}})
        self.assertFailed(r, url, "stopped after 10 redirects")
        self.assertEqual(len(self.requests(loop)), 11)

    def test_https_to_http_redirect_needs_insecure_http(self):
        path, data = self.image("down.aci")
        self.serve(self.prefix + "-d.aci", redirect=self.http_a.url(path))
        url = self.https_a.url(self.prefix + "-d.aci")
        r = self.fetch({"image": url, "insecure": {"image": True}})
        self.assertFailed(r, url, "--insecure-options=http")
        self.assertEqual(self.requests(path), [])
        r = self.fetch({"image": url, "insecure": {"image": True, "http": True}})
        self.assertFetched(r, data)

    def basic(self, domains, user="alice", password="s3cret"):
        return {"domains": domains, "type": "basic",
                "credentials": {"user": user, "password": password}}

    def test_authorization_dropped_on_redirect_to_another_host(self):
        path, data = self.image("auth-target.aci")
        other = self.prefix + "-other.aci"
        same = self.prefix + "-same.aci"
        self.serve(other, redirect=self.https_b.url(path))
        self.serve(same, redirect=self.https_a.url(path))
        auth = [self.basic([self.https_a.host, self.https_b.host])]
        expected = "Basic " + base64.b64encode(b"alice:s3cret").decode()

        r = self.fetch({"image": self.https_a.url(other), "insecure": {"image": True},
                        "auth": auth})
        self.assertFetched(r, data)
        self.assertEqual(self.requests(other)[0]["headers"].get("authorization"), expected)
        self.assertNotIn("authorization", self.requests(path, self.https_b)[0]["headers"])

        r = self.fetch({"image": self.https_a.url(same), "insecure": {"image": True},
                        "auth": auth})
        self.assertFetched(r, data)
        self.assertEqual(self.requests(path, self.https_a)[0]["headers"].get("authorization"),
                         expected, "same host: credentials stay")

    def test_auth_only_over_https_and_only_to_its_host(self):
        path, data = self.image("auth.aci")
        expected = "Basic " + base64.b64encode(b"alice:s3cret").decode()
        ins = {"image": True, "http": True}

        r = self.fetch({"image": self.https_a.url(path), "insecure": ins,
                        "auth": [self.basic([self.https_a.host])]})
        self.assertFetched(r, data)
        self.assertEqual(self.requests(path, self.https_a)[-1]["headers"].get("authorization"),
                         expected)

        r = self.fetch({"image": self.http_a.url(path), "insecure": ins,
                        "auth": [self.basic([self.http_a.host])]})
        self.assertFetched(r, data)
        self.assertNotIn("authorization", self.requests(path, self.http_a)[-1]["headers"])

        for domains in ([self.https_a.host], ["127.0.0.1"], ["localhost:%d" % self.https_b.port]):
            r = self.fetch({"image": self.https_b.url(path), "insecure": ins,
                            "auth": [self.basic(domains)]})
            self.assertFetched(r, data)
            self.assertNotIn("authorization", self.requests(path, self.https_b)[-1]["headers"],
                             domains)

    def test_auth_oauth_bearer_and_required_auth(self):
        path, data = self.image("oauth.aci")
        self.serve(path, require_auth="Bearer t0ken")
        url = self.https_a.url(path)
        r = self.fetch({"image": url, "insecure": {"image": True}})
        self.assertFailed(r, url, "bad HTTP status code: 401 (Unauthorized)")
        oauth = {"domains": [self.https_a.host], "type": "oauth",
                 "credentials": {"token": "t0ken"}}
        r = self.fetch({"image": url, "insecure": {"image": True}, "auth": [oauth]})
        self.assertFetched(r, data)

    def test_aws_auth_signs_requests(self):
        path, data = self.image("aws.aci")
        aws = {"domains": [self.https_a.host], "type": "aws",
               "credentials": {"accessKeyID": "AK", "secretAccessKey": "SK",
                               "awsRegion": "eu-west-1"}}
        r = self.fetch({"image": self.https_a.url(path), "insecure": {"image": True},
                        "auth": [aws]})
        self.assertFetched(r, data)
        headers = self.requests(path)[-1]["headers"]
        self.assertRegex(headers.get("authorization", ""),
                         r"^AWS4-HMAC-SHA256 Credential=AK/\d{8}/eu-west-1/s3/aws4_request, "
                         r"SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                         r"Signature=[0-9a-f]{64}$")
        self.assertRegex(headers.get("x-amz-date", ""), r"^\d{8}T\d{6}Z$")
        self.assertEqual(headers.get("x-amz-content-sha256"),
                         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

    # ---- signatures ------------------------------------------------------------------

    def write_sig(self, path, text="signature bytes"):
        with open(os.path.join(self.www, path.lstrip("/")) + ".asc", "w") as f:
            f.write(text)
        return text.encode()

    def test_signature_downloaded_before_image(self):
        path, data = self.image("signed.aci")
        sig = self.write_sig(path)
        url = self.https_a.url(path)
        r = self.fetch({"image": url})
        self.assertFetched(r, data)
        with open(r.json["signature_path"], "rb") as f:
            self.assertEqual(f.read(), sig)
        self.assertEqual(r.json["remote"]["sig_url"], url + ".asc")
        order = [e["path"] for e in self.requests() if e["path"].startswith(path)]
        self.assertEqual(order, [path + ".asc", path])

    def test_signature_missing_is_left_to_the_core(self):
        path, data = self.image("unsigned.aci")
        r = self.fetch({"image": self.https_a.url(path)})
        self.assertFetched(r, data)
        self.assertNotIn("signature_path", r.json)
        self.assertEqual(len(self.requests(path + ".asc")), 1)
        self.assertEqual(self.tmp_files(), [os.path.basename(r.json["path"])])

    def test_signature_202_defers_until_after_the_image(self):
        path, data = self.image("deferred.aci")
        sig = self.write_sig(path)
        self.serve(path + ".asc", statuses=[202])
        r = self.fetch({"image": self.https_a.url(path)})
        self.assertFetched(r, data)
        self.assertIn("server requested deferring the signature download", r.stderr)
        with open(r.json["signature_path"], "rb") as f:
            self.assertEqual(f.read(), sig)
        order = [e["path"] for e in self.requests() if e["path"].startswith(path)]
        self.assertEqual(order, [path + ".asc", path, path + ".asc"])

    def test_signature_202_twice_is_an_error(self):
        path, _ = self.image("deferred2.aci")
        self.write_sig(path)
        self.serve(path + ".asc", statuses=[202, 202])
        r = self.fetch({"image": self.https_a.url(path)})
        self.assertFailed(r, self.https_a.url(path) + ".asc",
                          "server asked to defer the download again")
        self.assertEqual(self.tmp_files(), [], "nothing left behind")

    def test_insecure_image_skips_the_signature(self):
        path, data = self.image("nosig.aci")
        self.write_sig(path)
        r = self.fetch({"image": self.https_a.url(path), "insecure": {"image": True}})
        self.assertFetched(r, data)
        self.assertNotIn("signature_path", r.json)
        self.assertEqual(self.requests(path + ".asc"), [])

    def test_signature_option_with_remote_image(self):
        path, data = self.image("given.aci")
        self.write_sig(path)
        sig = os.path.join(self.tmp, "local.asc")
        with open(sig, "w") as f:
            f.write("local")
        r = self.fetch({"image": self.https_a.url(path), "signature": sig})
        self.assertFetched(r, data)
        self.assertEqual(r.json["signature_path"], sig)
        self.assertEqual(self.requests(path + ".asc"), [])

    # ---- TLS ---------------------------------------------------------------------------

    def test_tls_is_verified(self):
        path, data = self.image("tls.aci")
        url = self.https_a.url(path)
        ins = {"image": True}
        r = self.fetch({"image": url, "insecure": ins}, ca=False)
        self.assertFailed(r, url, "certificate verify failed")
        self.assertEqual(self.requests(path), [], "no request over an unverified connection")

        r = self.fetch({"image": url, "insecure": ins}, ca=True)
        self.assertFetched(r, data)
        self.assertNotIn("TLS verification has been disabled", r.stderr)

        r = self.fetch({"image": self.https_a.url(path, host="localhost"), "insecure": ins})
        self.assertFetched(r, data)

        r = self.fetch({"image": url, "insecure": {"image": True, "tls": True}}, ca=False)
        self.assertFetched(r, data)
        self.assertIn("warning: TLS verification has been disabled", r.stderr)

    def test_tls_host_name_is_checked(self):
        path, data = self.image("name.aci")
        url = self.https_other.url(path)  # CA-signed, but for other.invalid
        r = self.fetch({"image": url, "insecure": {"image": True}})
        self.assertFailed(r, url, "TLS certificate does not match host name `127.0.0.1`")
        r = self.fetch({"image": url, "insecure": {"image": True, "tls": True}})
        self.assertFetched(r, data)

    # ---- protocol details ------------------------------------------------------------

    def test_user_agent(self):
        path, _ = self.image("ua.aci", size=10)
        self.write_sig(path)
        r = self.fetch({"image": self.https_a.url(path)})
        self.assertEqual(r.rc, 0, r.stderr)
        agents = {e["headers"].get("user-agent") for e in self.requests()
                  if e["path"].startswith(path)}
        self.assertEqual(agents, {"rkt/" + VERSION})

    def test_http_errors_name_url_and_status(self):
        path, _ = self.image("broken.aci")
        self.serve(path, statuses=[500])
        url = self.http_a.url(path)
        ins = {"http": True, "image": True}
        r = self.fetch({"image": url, "insecure": ins})
        self.assertFailed(r, "error downloading ACI `%s`: bad HTTP status code: 500 "
                          "(Internal Server Error)" % url, "status=10 ")
        missing = self.http_a.url(self.prefix + "-missing.aci")
        r = self.fetch({"image": missing, "insecure": ins})
        self.assertFailed(r, "error downloading ACI `%s`: bad HTTP status code: 404 (Not Found)"
                          % missing, "status=3 ")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            closed = s.getsockname()[1]
        dead = "http://127.0.0.1:%d/x.aci" % closed
        r = self.fetch({"image": dead, "insecure": ins})
        self.assertFailed(r, "error downloading ACI `%s`: connection refused" % dead)
        self.assertEqual(self.tmp_files(), [])

    def test_progress_bar_only_on_a_terminal(self):
        path, data = self.image("progress.aci")
        self.write_sig(path, "s" * 1500)
        url = self.https_a.url(path)
        r = self.fetch({"image": url})
        self.assertFetched(r, data)
        self.assertNotIn("Downloading", r.stderr)

        primary, secondary = pty.openpty()
        try:
            env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
            env["SSL_CERT_FILE"] = self.pki["ca.crt"]
            proc = subprocess.run([DRIVER, PLUGIN_DIR, "aci-archive"],
                                  input=json.dumps({"image": url, "tmp_dir": self.tmp}),
                                  capture_output=False, stdout=subprocess.PIPE,
                                  stderr=secondary, text=True, env=env, timeout=120)
            os.close(secondary)
            secondary = -1
            out = b""
            while True:
                try:
                    chunk = os.read(primary, 4096)
                except OSError:  # EIO: the other side is closed and drained
                    break
                if not chunk:
                    break
                out += chunk
        finally:
            if secondary >= 0:
                os.close(secondary)
            os.close(primary)
        self.assertEqual(proc.returncode, 0, out)
        text = out.decode()
        self.assertRegex(text, r"Downloading signature: \[=+\] 1\.5 KB/1\.5 KB")
        self.assertRegex(text, r"Downloading ACI: \[=+\] 300 KB/300 KB")
        bar = re.search(r"Downloading ACI: (\[[= ]*\])", text).group(1)
        self.assertEqual(len(bar), 80 - len("Downloading ACI") - 18)

    def test_missing_tmp_dir(self):
        path, _ = self.image("notmp.aci")
        r = self.fetch({"image": self.https_a.url(path), "tmp_dir": "/nonexistent/rkt-tmp"})
        self.assertFailed(r, "cannot use download directory `/nonexistent/rkt-tmp`")

    def test_loopback_is_never_proxied(self):
        path, data = self.image("proxy.aci")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            closed = s.getsockname()[1]
        proxy = "http://127.0.0.1:%d" % closed
        r = self.fetch({"image": self.http_a.url(path), "insecure": {"http": True,
                                                                       "image": True}},
                       env={"http_proxy": proxy, "HTTPS_PROXY": proxy})
        self.assertFetched(r, data)


def main():
    if not DRIVER or not PLUGIN_DIR or not SOURCE_DIR:
        print("SKIP: RKT_FETCHER_DRIVER, RKT_PLUGIN_DIR and RKT_SOURCE_DIR must be set (run "
              "through ctest)",
              file=sys.stderr)
        return 77
    if shutil.which("openssl") is None:
        print("SKIP: openssl(1) is missing (make deps)", file=sys.stderr)
        return 77
    # A SIGTERM (e.g. a ctest timeout) unwinds normally, so the class cleanups stop the
    # servers and remove the scratch directory. (The servers also exit on their own when this
    # process dies.)
    def interrupt(*_):
        raise KeyboardInterrupt  # unittest lets this one through; SystemExit it would swallow

    signal.signal(signal.SIGTERM, interrupt)
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(AciArchiveFetcherTest)
    try:
        result = unittest.TextTestRunner(verbosity=2).run(suite)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 143
    finally:
        AciArchiveFetcherTest.doClassCleanups()
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
