#!/usr/bin/env python3
"""Hostile NCID clients against the server on loopback: a slowloris that
trickles bytes and never ends its line, a 1 MB line, connections beyond
max-clients, and a client that never reads while calls keep coming. A
well-behaved client keeps getting every line throughout, and the server
keeps accepting clients. TAP output.

usage: test_ncid_hostile.py NCID_SERVE"""
import os
import shutil
import socket
import sys
import tempfile
import time

from ncid_harness import Server, Tap
from ncid_client import parse

SERVE = sys.argv[1]
t = Tap()
tmp = tempfile.mkdtemp(prefix="sipcid-ncid-hostile.")
srv = None
socks = []


def raw(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    socks.append(s)
    return s


def closed_by_server(s, within):
    """True when the server closes s (EOF or reset) within `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        s.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            if not s.recv(65536):
                return True
        except socket.timeout:
            return False
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


def good_client_gets_call(good, n):
    srv.cmd("call g%d +1555000%04d GOOD CALLER" % (n, n))
    lines = good.calls(2, timeout=15)
    return parse(lines[1])[1].get("NMBR") == "+1555000%04d" % n


try:
    srv = Server(SERVE, "[log]\nenabled = false\n[ncid]\nlisten = 127.0.0.1:0\n"
                 "max-clients = 6\n", tmp)
    good = srv.client()
    good.start()
    t.check("a well-behaved client starts", srv.cmd("wait-clients 1") == "clients 1")

    # A 1 MB line: dropped once it passes 1 KiB, before it is all sent.
    big = raw(srv.port)
    sent = 0
    try:
        chunk = b"A" * 65536
        while sent < 1 << 20:
            big.sendall(chunk)
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass
    t.check("a 1 MB line drops its client", closed_by_server(big, 10), "sent %d bytes" % sent)
    t.check("the good client still gets calls", good_client_gets_call(good, 1))

    # Slowloris: one byte a second, never a line end.
    slow = raw(srv.port)
    began = time.monotonic()
    dropped = False
    for i in range(30):
        try:
            slow.send(b"HELLO: IDENT: slow"[i % 18:i % 18 + 1])
        except (BrokenPipeError, ConnectionResetError):
            dropped = True
            break
        if closed_by_server(slow, 1.0):
            dropped = True
            break
        if i == 3:
            t.check("the good client gets calls while the slowloris trickles",
                    good_client_gets_call(good, 2))
    took = time.monotonic() - began
    t.check("a slowloris is dropped within 10-13 s of its first byte", dropped and 9 <= took <= 14,
            "dropped %s after %.1f s" % (dropped, took))

    # A client that never reads, while 3000 calls (about 1.5 MB of lines) come.
    lazy = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lazy.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    lazy.connect(("127.0.0.1", srv.port))
    socks.append(lazy)
    t.check("the lazy client is started", srv.cmd("wait-clients 2") == "clients 2")
    good_lines = []
    for burst in range(6):
        t0 = time.monotonic()
        reply = srv.cmd("flood 500")
        t.check("flood %d: 500 calls queued in under 5 s" % burst,
                reply == "ok" and time.monotonic() - t0 < 5, reply)
        good_lines += good.calls(500 * 4, timeout=30)
    t.check("the good client got all 12000 lines, in order",
            len(good_lines) == 12000 and all(parse(good_lines[i])[0] == "CIDINFO"
                                             for i in range(0, 12000, 4)))
    t.check("the lazy client was dropped", closed_by_server(lazy, 5))
    t.check("and the log says why", "does not read its lines" in srv.log_text(),
            srv.log_text()[-1500:])

    # Connections beyond max-clients (6): good + 5 more are accepted, the rest closed at once.
    crowd = []
    for i in range(5):
        c = srv.client()
        c.start()
        crowd.append(c)
    t.check("max-clients started", srv.cmd("wait-clients 6") == "clients 6")
    extra = [raw(srv.port) for _ in range(40)]
    t.check("40 connections beyond max-clients are each closed without a line",
            all(closed_by_server(s, 5) for s in extra))
    t.check("refusals are logged, not one line each",
            0 < srv.log_text().count("max-clients reached") < 40)
    t.check("the good client still gets calls", good_client_gets_call(good, 3))
    for c in crowd:
        c.send("GOODBYE")
        c.close()
    time.sleep(0.5)
    late = srv.client()
    t.check("after the crowd leaves, a new client starts", late.start()[-1].startswith("300 "))
    t.check("the server never stopped", srv.alive())
    status = srv.stop()
    t.check("ncid_serve quits cleanly", status == 0, "status %r" % status)
finally:
    for s in socks:
        s.close()
    if srv and srv.alive():
        srv.proc.kill()
        srv.proc.wait()
    shutil.rmtree(tmp, ignore_errors=True)
sys.exit(t.done())
