#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A stand-in for sipcid-web that serves web/static/ and canned answers of
docs/web-api.md, for working on the pages without a bridge: every caller name,
phonebook name and file text in it is hostile. It keeps the server's rules
that the pages must follow (session cookie, CSRF token on every POST, no
foreign Origin, the Content-Security-Policy) and records every POST, so
page tests can see what the pages sent (GET /_fixture/posts).

    fixture_server.py STATIC_DIR PORT    (binds 127.0.0.1, PORT 0: any free one;
                                          prints "ready PORT")
"""
import json
import math
import os
import secrets
import struct
import sys
import threading
import time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
from urllib.parse import urlsplit, parse_qs

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "media-src 'self' blob:; connect-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
PASSWORD = "fixture-password"
MAX_FAILURES = 3
HOSTILE = [
    '<img src=x onerror="window.__pwned=1">',
    '<script>window.__pwned=2</script>',
    '"\'><svg onload=window.__pwned=3>',
    'Evil \u202egnp.exe\u202c Caller',
]
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".png": "image/png", ".svg": "image/svg+xml"}


def call(i, name, number, state="ended", **kw):
    c = {"event": "update", "call_id": f"fixture-{i}@example.invalid",
         "time": "2026-11-30T18:%02d:00.000Z" % (i % 60), "number": number,
         "number_raw": number, "name": name, "presentation": "allowed", "source": "pai",
         "malformed": False, "called": "+15557654321", "via": None, "direction": "incoming",
         "number_display": None, "country": None, "number_type": None, "region": None,
         "verstat": None, "attest": None, "alias": None, "action": "allow", "outcome": None,
         "rule": None, "record": False, "state": state, "ring_ms": 3000, "talk_ms": 61000,
         "box": "fixture", "line": "+15557654321", "id": i, "recording": None}
    c.update(kw)
    return c


def tone_wav(seconds=2.0, rate=8000, hz=1000):
    n = int(seconds * rate)
    frames = b"".join(struct.pack("<hh", int(8000 * math.sin(2 * math.pi * hz * k / rate)), 0)
                      for k in range(n))
    return (b"RIFF" + struct.pack("<I", 36 + len(frames)) + b"WAVEfmt " +
            struct.pack("<IHHIIHH", 16, 1, 2, rate, rate * 4, 4, 16) +
            b"data" + struct.pack("<I", len(frames)) + frames)


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.sessions = {}  # cookie -> csrf
        self.failures = 0
        self.posts = []
        self.calls = [call(100, HOSTILE[0], "+15550100001", "blocked", action="block",
                           outcome="decline", rule="/etc/sipcid/rules:3"),
                      call(99, HOSTILE[1], "+15550100002", verstat="failed"),
                      call(98, "Alice Example", "+15551234567", alias="Mom \u202eevil",
                           number_display="(555) 123-4567", verstat="passed", attest="A",
                           region="New York, NY", recording="20261130-180000-alice.wav"),
                      call(97, "", "", "missed", presentation="restricted")]
        self.calls += [call(96 - k, f"Caller {k}", "+1555020%04d" % k) for k in range(60)]
        self.book = [{"line": 1, "number": "+15551234567", "name": "Mom"},
                     {"line": 2, "number": "+15550100003", "name": HOSTILE[2]}]
        self.rules = ("# rules\nallow phonebook\nblock number anonymous\n"
                      f"# {HOSTILE[1]}\nblock name \"{HOSTILE[0]}\"\n")
        self.wav = tone_wav()


STATE = State()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    static_dir = "."

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body=b"", ctype="application/json", headers=()):
        self.send_response(status)
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        if body is not None:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def json(self, status, obj, headers=()):
        self.send(status, json.dumps(obj).encode(), headers=headers)

    def cookie(self):
        for part in (self.headers.get("Cookie") or "").split(";"):
            k, _, v = part.strip().partition("=")
            if k == "sipcid_session":
                return v
        return None

    def session_csrf(self):
        with STATE.lock:
            return STATE.sessions.get(self.cookie())

    def static(self, rel):
        path = os.path.realpath(os.path.join(self.static_dir, rel))
        root = os.path.realpath(self.static_dir)
        if not path.startswith(root + os.sep) or not os.path.isfile(path):
            return self.json(404, {"error": "not found"})
        with open(path, "rb") as f:
            data = f.read()
        self.send(200, data, TYPES.get(os.path.splitext(path)[1], "application/octet-stream"))

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def form(self, raw):
        ctype = self.headers.get("Content-Type") or ""
        if ctype.startswith("application/x-www-form-urlencoded"):
            return {k: v[0] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
        if ctype.startswith("multipart/form-data"):
            return {"multipart": str(len(raw))}
        return {}

    def do_GET(self):
        url = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        p = url.path
        if p == "/login":
            return self.static("login.html")
        if p.startswith("/public/"):  # the login page's files: no session needed
            return self.static(p[1:])
        if p == "/_fixture/posts":
            with STATE.lock:
                return self.json(200, {"posts": STATE.posts})
        csrf = self.session_csrf()
        if not csrf:
            if p.startswith("/api/"):
                return self.json(401, {"error": "log in first"})
            return self.send(303, b"", headers=[("Location", "/login")])
        if p == "/api/session":
            return self.json(200, {"csrf": csrf, "version": "0.1.0-fixture",
                                   "listen_live": True, "tls": False})
        if p == "/api/calls":
            return self.calls(q)
        if p == "/api/live":
            return self.live()
        if p == "/api/live/listen":
            return self.listen()
        if p == "/api/phonebook":
            return self.json(200, {"entries": STATE.book, "path": "/etc/sipcid/phonebook"})
        if p == "/api/rules":
            return self.json(200, {"text": STATE.rules, "path": "/etc/sipcid/rules"})
        if p == "/api/recordings":
            return self.json(200, {"recordings": [
                {"name": "20261130-180000-alice.wav", "bytes": len(STATE.wav),
                 "time": "2026-11-30T18:00:00Z", "seconds": 2, "call": STATE.calls[2]},
                {"name": "20261130-170000-hostile.wav", "bytes": len(STATE.wav),
                 "time": "2026-11-30T17:00:00Z", "seconds": 2, "call": STATE.calls[0]}],
                "used_bytes": 2 * len(STATE.wav), "budget_bytes": 500 * 1024 * 1024})
        if p.startswith("/api/recordings/"):
            return self.send(200, STATE.wav, "audio/wav")
        if p == "/api/status":
            return self.json(200, {"running": True, "version": "0.1.0-fixture", "queue": 0,
                                   "fail_open": True, "uptime_s": 7322,
                                   "lines": {"bridge": "br0 " + HOSTILE[1],
                                             "rules": "/etc/sipcid/rules: 3 rules"},
                                   "counters": {"packets": 1234, "calls": 64, "blocks": 3,
                                                "guard-openings": 0, "bypasses": 0,
                                                "uninspected": 0},
                                   "text": "sipcidd running\nqueue: 0\nbridge: br0\n" + HOSTILE[0]})
        if p in ("/", "/index.html"):
            return self.static("index.html")
        return self.static(p.lstrip("/"))

    def calls(self, q):
        rows = STATE.calls
        if q.get("q"):
            rows = [c for c in rows if q["q"] in c["number"] or q["q"] in c["name"]]
        if q.get("state"):
            rows = [c for c in rows if c["state"] == q["state"]]
        if q.get("before"):
            rows = [c for c in rows if c["id"] < int(q["before"])]
        limit = int(q.get("limit") or 50)
        page = rows[:limit]
        nxt = page[-1]["id"] if len(rows) > limit else None
        return self.json(200, {"calls": page, "next": nxt})

    def live(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", CSP)
        self.end_headers()
        ringing = call(200, HOSTILE[3], "+15550100009", "ringing", event="call", talk_ms=0,
                       verstat="passed")
        hostile = call(201, HOSTILE[0], "+15550100001", "answered", event="update",
                       number_display="<b>bold</b>", verstat="failed")
        try:
            self.wfile.write(b"event: snapshot\ndata: " +
                             json.dumps({"calls": [hostile]}).encode() + b"\n\n")
            self.wfile.flush()
            time.sleep(0.3)
            self.wfile.write(b"event: call\ndata: " + json.dumps(ringing).encode() + b"\n\n")
            self.wfile.write(b"event: line\ndata: " + json.dumps(
                {"event": "line", "state": "up", "since": "2026-11-30T17:00:00Z"}).encode() +
                b"\n\n")
            self.wfile.flush()
            for _ in range(60):
                time.sleep(1)
                self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except OSError:
            pass
        self.close_connection = True

    def listen(self):
        """A WAV of unknown length, as sipcid-web streams a call: a 1 kHz
        tone on the left (the caller), silence on the right, in real time."""
        self.send_response(200)
        self.send_header("Content-Type", "audio/wav")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        wav = STATE.wav
        header = wav[:4] + b"\xff\xff\xff\xff" + wav[8:40] + b"\xff\xff\xff\xff"
        pieces = [header] + [wav[44 + k:44 + k + 640] for k in range(0, len(wav) - 44, 640)]
        try:
            for _ in range(3):  # 6 s at most
                for piece in pieces:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    self.wfile.flush()
                    if piece is not header:
                        time.sleep(0.02)
                pieces = pieces[1:]
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass
        self.close_connection = True

    def do_POST(self):
        p = urlsplit(self.path).path
        raw = self.body()
        if p == "/login":
            with STATE.lock:
                if STATE.failures >= MAX_FAILURES:
                    return self.json(429, {"error": "too many attempts"})
                if self.form(raw).get("password") != PASSWORD:
                    STATE.failures += 1
                    return self.json(401, {"error": "wrong password"})
                STATE.failures = 0
                cookie = secrets.token_hex(16)
                STATE.sessions[cookie] = secrets.token_hex(16)
            return self.send(303, b"", headers=[
                ("Location", "/"),
                ("Set-Cookie", f"sipcid_session={cookie}; HttpOnly; SameSite=Strict; Path=/")])
        csrf = self.session_csrf()
        if not csrf:
            return self.json(401, {"error": "log in first"})
        origin = self.headers.get("Origin")
        host = self.headers.get("Host")
        if self.headers.get("X-CSRF-Token") != csrf or (origin and origin != f"http://{host}"):
            return self.json(403, {"error": "missing or wrong CSRF token"})
        fields = self.form(raw)
        with STATE.lock:
            STATE.posts.append({"path": p, "fields": fields})
        if p == "/logout":
            with STATE.lock:
                STATE.sessions.pop(self.cookie(), None)
            return self.json(200, {})
        if p in ("/api/rules/check", "/api/rules"):
            text = fields.get("text", "")
            errors = [{"line": i + 1, "column": 1, "message": "unknown action 'bogus'"}
                      for i, line in enumerate(text.split("\n")) if line.startswith("bogus")]
            if p == "/api/rules" and errors:
                return self.json(422, {"ok": False, "errors": errors})
            if p == "/api/rules":
                STATE.rules = text
            return self.json(200, {"ok": not errors, "errors": errors})
        if p == "/api/rules/test":
            return self.json(200, {"action": "block", "outcome": "decline",
                                   "rule": "/etc/sipcid/rules:3", "alias": HOSTILE[1],
                                   "record": False, "number": fields.get("number", ""),
                                   "number_display": None, "direction": "incoming",
                                   "emergency": False, "verstat": None, "attest": None})
        if p == "/api/phonebook/import":
            return self.json(200, {"added": 2, "already": 1,
                                   "conflicts": [{"number": "+15550100003", "name": HOSTILE[0],
                                                  "line": 4}],
                                   "skipped": [HOSTILE[1]]})
        if p == "/api/numbers/block":
            return self.json(200, {"rule": f"block number {fields.get('number')}"})
        return self.json(200, {})


def main():
    Handler.static_dir = sys.argv[1]
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Handler)
    server.daemon_threads = True
    print("ready", server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
