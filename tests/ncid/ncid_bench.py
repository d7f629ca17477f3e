#!/usr/bin/env python3
"""The NCID server's CPU cost per event: ncid_serve sends N events to 0, 1
and 10 connected clients (each a thread here that reads as fast as it can)
and reports the CPU time its process used, per event. The clients' own CPU
is theirs, not sipcidd's, and is not counted.

usage: ncid_bench.py NCID_SERVE [EVENTS]"""
import os
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ncid_harness import Server  # noqa: E402

SERVE = sys.argv[1]
EVENTS = int(sys.argv[2]) if len(sys.argv) > 2 else 20000


def drain(client, stop):
    client.sock.settimeout(0.2)
    while not stop.is_set():
        try:
            if not client.sock.recv(1 << 16):
                return
        except OSError:
            continue


with tempfile.TemporaryDirectory() as tmp:
    for clients in (0, 1, 10):
        srv = Server(SERVE, "[log]\nenabled = false\n[ncid]\nlisten = 127.0.0.1:0\n"
                     "max-clients = 16\n", tmp, "bench%d" % clients)
        conns = [srv.client() for _ in range(clients)]
        for c in conns:
            c.start()
        if clients:
            srv.cmd("wait-clients %d" % clients)
        stop = threading.Event()
        threads = [threading.Thread(target=drain, args=(c, stop)) for c in conns]
        for th in threads:
            th.start()
        print(srv.cmd("bench %d" % EVENTS), flush=True)
        stop.set()
        for th in threads:
            th.join()
        for c in conns:
            c.close()
        srv.stop()
