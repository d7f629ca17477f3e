#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A webhook receiver for the tests: records every request it gets as one
JSON line (method, path, headers, body) and answers as told.

  webhook_server.py --record FILE --ready FILE [--answer ok|500|hang]
                    [--tls CERT KEY] [--lifetime SECONDS]

It listens on 127.0.0.1 on a free port and writes the port to the ready file
once it accepts connections. "hang" records the request and never answers
(until --lifetime ends the process). The process exits by itself after
--lifetime seconds, so a test that dies leaves nothing running for long."""
import argparse
import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--record", required=True)
    ap.add_argument("--ready", required=True)
    ap.add_argument("--answer", choices=["ok", "500", "hang"], default="ok")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--lifetime", type=float, default=120)
    args = ap.parse_args()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out without waiting for an ACK

        def log_message(self, *a):
            pass

        def handle_any(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(min(n, 1 << 20)) if n else b""
            rec = {
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("utf-8", "replace"),
                "time": time.time(),
            }
            with lock, open(args.record, "a") as f:
                f.write(json.dumps(rec) + "\n")
            if args.answer == "hang":
                time.sleep(args.lifetime)
                return
            code = 200 if args.answer == "ok" else 500
            reply = b"ok\n" if code == 200 else b"broken\n"
            self.send_response(code)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        do_GET = do_POST = do_PUT = handle_any

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    open(args.record, "a").close()
    threading.Timer(args.lifetime, lambda: threading.Thread(target=srv.shutdown).start()).start()
    with open(args.ready + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(args.ready + ".tmp", args.ready)
    srv.serve_forever()


if __name__ == "__main__":
    main()
