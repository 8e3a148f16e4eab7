#!/usr/bin/env python3
"""A small HTTP(S) server for fetcher tests (Python 3 standard library only).

Serves the files of --root on 127.0.0.1 and --port (default: an ephemeral port), which it writes to --port-file
(atomically) and prints on stdout. Every request is appended to --log as one JSON line
({"server", "method", "path", "headers"}; header names lowercased) *before* it is answered, so
tests can assert what a client sent and how often it asked.

Behaviour per path comes from --config, a JSON file re-read on every request (tests change it
between fetches):

  {"paths": {"/img.aci": {
      "cache_control": "max-age=60",  # Cache-Control header (none by default)
      "etag": "\"v1\"",               # ETag (default: a hash of the content); null: no ETag
      "last_modified": true,          # send Last-Modified (file mtime); default true
      "ranges": true,                 # Accept-Ranges: bytes and Range support; default true
      "statuses": [202],              # the first GETs of this path get these bare statuses
      "redirect": "http://…",         # answer with a redirect to this URL …
      "redirect_code": 302,           # … and this status (default 302)
      "cut_after": 1000,              # send a full Content-Length, then only this many body
      "cut_times": 1,                 #   bytes and close; for this many GETs (default 1)
      "require_auth": "Basic …"       # 401 unless Authorization equals this
      "stall_after": 1000,            # send the headers and this many body bytes, then
                                      #   nothing more until the client hangs up
      "stall_at_start": true          # send nothing at all until the client hangs up
  }}}

Paths without an entry are plain files with the defaults; a directory serves its index.html, and
a request target that does not start with "/" gets 400, as from real servers. GET and HEAD are supported, with
If-None-Match (304), Range: bytes=N- / N-M (206, 416), If-Range.

The server exits when its parent process does. With --cert and --key it speaks TLS only (the handshake runs in the request thread, so a
client that rejects the certificate does not stall the server).
"""

import argparse
import email.utils
import hashlib
import http.server
import json
import os
import re
import socket
import ssl
import sys
import threading
import time


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.get_counts = {}

    def config_for(self, path):
        if not self.args.config or not os.path.exists(self.args.config):
            return {}
        with open(self.args.config, encoding="utf-8") as f:
            return json.load(f).get("paths", {}).get(path, {})

    def count_get(self, path):
        """Returns how many GETs of `path` came before this one."""
        with self.lock:
            n = self.get_counts.get(path, 0)
            self.get_counts[path] = n + 1
            return n

    def log(self, method, path, headers):
        if not self.args.log:
            return
        entry = {
            "server": self.args.name,
            "method": method,
            "path": path,
            "headers": {k.lower(): v for k, v in headers.items()},
        }
        with self.lock:
            with open(self.args.log, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "aci-test-server"

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(30)
            self.request.do_handshake()
        super().setup()

    def log_message(self, fmt, *args):  # keep test output quiet; the JSON log is the record
        pass

    @property
    def state(self):
        return self.server.state

    def do_HEAD(self):
        self.serve(head=True)

    def do_GET(self):
        self.serve(head=False)

    def stall(self):
        """A server that stops sending: waits (at most 10 minutes) for the client to give up."""
        self.close_connection = True
        self.connection.settimeout(600)
        try:
            while self.connection.recv(4096):
                pass
        except OSError:
            pass

    def bare(self, code, headers=None):
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def serve(self, head):
        path = self.path.split("?", 1)[0]
        self.state.log(self.command, self.path, self.headers)
        if not self.path.startswith("/"):
            # A request target without its path (`GET ?q`): real servers answer 400.
            self.bare(400)
            return
        cfg = self.state.config_for(path)
        nth = None if head else self.state.count_get(path)

        if cfg.get("stall_at_start"):
            self.stall()
            return
        if "require_auth" in cfg and self.headers.get("Authorization") != cfg["require_auth"]:
            self.bare(401, {"WWW-Authenticate": 'Basic realm="test"'})
            return
        if "redirect" in cfg:
            self.bare(cfg.get("redirect_code", 302), {"Location": cfg["redirect"]})
            return
        statuses = cfg.get("statuses", [])
        if nth is not None and nth < len(statuses):
            self.bare(statuses[nth])
            return

        file = os.path.join(self.server.root, path.lstrip("/"))
        if os.path.isdir(file):
            file = os.path.join(file, "index.html")
        if not os.path.isfile(file):
            self.bare(404)
            return
        with open(file, "rb") as f:
            data = f.read()
        etag = cfg.get("etag", '"%s"' % hashlib.sha256(data).hexdigest()[:16])
        headers = {}
        if etag is not None:
            headers["ETag"] = etag
        if cfg.get("last_modified", True):
            headers["Last-Modified"] = email.utils.formatdate(os.path.getmtime(file), usegmt=True)
        if "cache_control" in cfg:
            headers["Cache-Control"] = cfg["cache_control"]
        ranges = cfg.get("ranges", True)
        if ranges:
            headers["Accept-Ranges"] = "bytes"

        inm = self.headers.get("If-None-Match")
        if etag is not None and inm is not None and etag in [t.strip() for t in inm.split(",")]:
            self.bare(304, headers)
            return

        status, body = 200, data
        rng = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if ranges and rng and (if_range is None or if_range == etag):
            m = re.fullmatch(r"bytes=(\d+)-(\d*)", rng.strip())
            if m:
                start = int(m.group(1))
                end = int(m.group(2)) if m.group(2) else len(data) - 1
                if start >= len(data):
                    self.bare(416, {"Content-Range": "bytes */%d" % len(data)})
                    return
                end = min(end, len(data) - 1)
                status, body = 206, data[start:end + 1]
                headers["Content-Range"] = "bytes %d-%d/%d" % (start, end, len(data))

        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if head:
            return
        if "stall_after" in cfg:
            self.wfile.write(body[:cfg["stall_after"]])
            self.wfile.flush()
            self.stall()
            return
        cut = cfg.get("cut_after")
        if cut is not None and nth is not None and nth < cfg.get("cut_times", 1):
            self.wfile.write(body[:cut])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(body)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, args):
        super().__init__(("127.0.0.1", args.port), Handler)
        self.root = os.path.abspath(args.root)
        self.state = State(args)
        self.tls = None
        if args.cert:
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(args.cert, args.key)

    def get_request(self):
        sock, addr = super().get_request()
        if self.tls is not None:
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        # Clients that reject our certificate or hang up mid-transfer are expected in tests.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ssl.SSLError, ConnectionError, BrokenPipeError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--root", required=True)
    p.add_argument("--config")
    p.add_argument("--log")
    p.add_argument("--port-file")
    p.add_argument("--port", type=int, default=0,
                   help="port to listen on (default: an ephemeral one)")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--name", default="server")
    args = p.parse_args()

    # Exit with the process that started us, even if it was killed before it could stop us.
    parent = os.getppid()

    def watch_parent():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()

    server = Server(args)
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("%d\n" % port)
        os.rename(tmp, args.port_file)
    print(port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
