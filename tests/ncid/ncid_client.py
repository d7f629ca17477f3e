#!/usr/bin/env python3
"""An NCID client written from the published protocol (NCID API 1.12):
connects, sends HELLO: lines right after the 210 line, reads the
connection startup up to "300 End of connection startup", then call lines.

Lines are "TYPE: *LABEL*DATA*LABEL*DATA*..." (the first pair may start after
"***"); field order is not fixed and unknown labels are kept, not trusted.
Usable as a module (the tests) or from the shell:

  ncid_client.py HOST PORT [--no-log] [--ident TEXT] [--lines N] [--timeout S]
      prints the startup and then N more lines (0: just the startup), one a line
"""
import argparse
import socket
import sys
import time


def parse(line):
    """(TYPE, {LABEL: DATA}) of a line; TYPE is the text before the first ':'."""
    kind, sep, rest = line.partition(":")
    if not sep:
        return line, {}
    rest = rest.strip()
    fields = {}
    if rest.startswith("*"):
        parts = rest.lstrip("*").split("*")
        for i in range(0, len(parts) - 1, 2):
            fields[parts[i]] = parts[i + 1]
    return kind, fields


class Client:
    def __init__(self, host, port, hello=(), timeout=10.0, rcvbuf=None):
        self.sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET,
                                  socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        self.sock.connect((host, port))
        self.buf = b""
        self.hello = list(hello)
        self.startup = []

    def readline(self, timeout=10.0):
        """One line without its end (CRLF or LF), or None when the server closed."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no complete line within %.1f s" % timeout)
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except ConnectionResetError:
                data = b""
            if not data:
                return None
            self.buf += data
        line, _, self.buf = self.buf.partition(b"\n")
        return line.rstrip(b"\r").decode("utf-8")

    def send(self, text):
        self.sock.sendall(text.encode("utf-8") + b"\n")

    def start(self, timeout=10.0):
        """Reads the connection startup (sending HELLO: after 210); returns its lines."""
        while True:
            line = self.readline(timeout)
            if line is None:
                raise ConnectionError("closed during the startup after %r" % self.startup)
            self.startup.append(line)
            if line.startswith("210 "):
                for h in self.hello:
                    self.send(h)
            if line.startswith("300 "):
                return self.startup

    def calls(self, count, timeout=10.0):
        """The next count lines, parsed; lines starting with '+' are skipped (API 1.4)."""
        out = []
        while len(out) < count:
            line = self.readline(timeout)
            if line is None:
                raise ConnectionError("closed after %r" % out)
            if not line.startswith("+"):
                out.append(line)
        return out

    def close(self):
        self.sock.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("--no-log", action="store_true")
    ap.add_argument("--ident", default="client ncid_client.py 1.0")
    ap.add_argument("--lines", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=20.0)
    a = ap.parse_args()
    hello = ["HELLO: IDENT: " + a.ident]
    if a.no_log:
        hello.append("HELLO: CMD: no_log")
    c = Client(a.host, a.port, hello, a.timeout)
    for line in c.start(a.timeout):
        print(line, flush=True)
    for line in c.calls(a.lines, a.timeout):
        print(line, flush=True)
    c.send("GOODBYE")
    c.close()


if __name__ == "__main__":
    sys.exit(main())
