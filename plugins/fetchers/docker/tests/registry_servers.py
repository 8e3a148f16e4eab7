"""What the docker fetcher's tests run on 127.0.0.1: Debian's docker-registry (plain http,
TLS, htpasswd basic auth, token auth), a token server for it, and a recording proxy that can
cut, corrupt or redirect responses. Every process is started here and stopped by its PID."""

import base64
import hashlib
import http.client
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "..", "..", "tests", "fixtures"))
import test_pki  # noqa: E402  (tests/fixtures)
import test_process  # noqa: E402  (tests/fixtures)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_pki(d):
    """A test CA with a server certificate for 127.0.0.1, and a self-signed RSA certificate
    the token server signs its tokens with. Returns {name: path}."""
    p = test_pki.make_ca(d, "/CN=rkt docker test CA")
    test_pki.add_server_cert(p, d, "srv", "IP:127.0.0.1,DNS:localhost", "127.0.0.1")
    p["tok.key"], p["tok.crt"] = os.path.join(d, "tok.key"), os.path.join(d, "tok.crt")
    test_pki.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p["tok.key"],
                     "-out", p["tok.crt"], "-days", "2",
                     "-subj", "/CN=rkt docker test token signer",
                     "-addext", "basicConstraints=critical,CA:TRUE")
    return p


class Registry:
    """One docker-registry process on 127.0.0.1 with its own storage."""

    def __init__(self, work, name, tls=None, htpasswd=None, token=None, schema1=False):
        self.name = name
        self.port = free_port()
        self.scheme = "https" if tls else "http"
        root = os.path.join(work, name)
        os.makedirs(root)
        http_conf = {"addr": "127.0.0.1:%d" % self.port, "secret": "rkt-test"}
        if tls:
            http_conf["tls"] = {"certificate": tls[0], "key": tls[1]}
        conf = {"version": 0.1, "log": {"level": "error"},
                "storage": {"filesystem": {"rootdirectory": os.path.join(root, "data")}},
                "http": http_conf}
        if schema1:
            conf["compatibility"] = {"schema1": {"enabled": True}}  # accepts v2s1 pushes
        if htpasswd:
            conf["auth"] = {"htpasswd": {"realm": "rkt-test", "path": htpasswd}}
        if token:
            conf["auth"] = {"token": token}
        config = os.path.join(root, "config.yml")
        with open(config, "w", encoding="utf-8") as f:
            json.dump(conf, f)  # JSON is YAML
        self.log = open(os.path.join(root, "registry.log"), "w", encoding="utf-8")
        self.proc = subprocess.Popen(["docker-registry", "serve", config],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("docker-registry %s did not start" % name)
                time.sleep(0.05)

    @property
    def host(self):
        return "127.0.0.1:%d" % self.port

    def stop(self):
        test_process.stop_process(self.proc, self.log)


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class _Threaded(http.server.ThreadingHTTPServer):
    daemon_threads = True


class TokenServer:
    """The registry's token endpoint: GET /token?service=…&scope=… answers a JWT (RS256,
    the signing certificate in x5c) granting the scopes asked for, to `user:password` in
    Basic auth only. Records every request."""

    ISSUER = "rkt-test-issuer"
    SERVICE = "rkt-test-registry"

    def __init__(self, key, cert, user, password):
        self.requests = []
        with open(cert, encoding="utf-8") as f:
            pem = f.read()
        der = base64.b64decode("".join(l for l in pem.splitlines() if "CERTIFICATE" not in l))
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                query = urllib.parse.parse_qs(url.query)
                auth = self.headers.get("Authorization", "")
                server.requests.append({"path": url.path, "query": query, "auth": auth})
                expected = "Basic " + base64.b64encode(
                    ("%s:%s" % (user, password)).encode()).decode()
                if auth != expected:
                    self.send_response(401)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                access = []
                for scope in query.get("scope", []):
                    kind, name, actions = scope.split(":")
                    access.append({"type": kind, "name": name, "actions": actions.split(",")})
                now = int(time.time())
                head = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(der).decode()]}
                claims = {"iss": TokenServer.ISSUER, "sub": user, "aud": TokenServer.SERVICE,
                          "exp": now + 600, "nbf": now - 60, "iat": now - 60,
                          "jti": hashlib.sha256(os.urandom(16)).hexdigest(), "access": access}
                signing = (_b64url(json.dumps(head).encode()) + "." +
                           _b64url(json.dumps(claims).encode()))
                sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key],
                                     input=signing.encode(), capture_output=True,
                                     check=True).stdout
                body = json.dumps({"token": signing + "." + _b64url(sig)}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = _Threaded(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def realm(self):
        return "http://127.0.0.1:%d/token" % self.port

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Proxy:
    """A plain http front of a registry that records every request (method, path, Range,
    Authorization) and, per blob digest, can cut its first response after some bytes
    (`cut`), flip a byte of it (`corrupt`) or redirect it to another base URL (`redirect`)."""

    def __init__(self, backend_port, backend_tls_context=None):
        self.requests = []
        self.cut = {}       # digest -> bytes to send before closing, first GET only
        self.corrupt = set()
        self.redirect = None  # base URL blob GETs are sent to
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_any(self, method):
                proxy.requests.append({"method": method, "path": self.path,
                                       "range": self.headers.get("Range"),
                                       "auth": self.headers.get("Authorization")})
                digest = self.path.rsplit("/", 1)[-1] if "/blobs/" in self.path else None
                if digest and method == "GET" and proxy.redirect:
                    self.send_response(307)
                    self.send_header("Location", proxy.redirect + self.path)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if backend_tls_context:
                    conn = http.client.HTTPSConnection("127.0.0.1", backend_port,
                                                       context=backend_tls_context)
                else:
                    conn = http.client.HTTPConnection("127.0.0.1", backend_port)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                conn.request(method, self.path, headers=headers)
                resp = conn.getresponse()
                body = resp.read()
                conn.close()
                cut = proxy.cut.pop(digest, None) if digest and method == "GET" else None
                if digest and method == "GET" and digest in proxy.corrupt and body:
                    body = bytes([body[0] ^ 0xff]) + body[1:]
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection"):
                        self.send_header(k, v)
                self.send_header("Connection", "close")
                self.end_headers()
                if method != "HEAD":
                    self.wfile.write(body if cut is None else body[:cut])
                self.close_connection = True

            def do_GET(self):
                self.handle_any("GET")

            def do_HEAD(self):
                self.handle_any("HEAD")

        self.httpd = _Threaded(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def host(self):
        return "127.0.0.1:%d" % self.port

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
