#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A client of sipcidd's control socket for the lab's live tests.

  control_peer.py watch SOCK OUT [--seconds S]
      sends `watch`, writes each line it gets to OUT as
      "MONOTONIC_SECONDS<TAB>LINE" (flushed at once), until S seconds or EOF.
  control_peer.py sse URL COOKIE OUT [--seconds S]
      reads a server-sent event stream (chunked HTTP) and writes each line
      to OUT as "MONOTONIC_SECONDS<TAB>LINE", the first being the status.
  control_peer.py request SOCK COMMAND [--timeout S]
      one command; prints how long the whole answer took (fails without one
      within S seconds).
  control_peer.py stall SOCK READY
      sends `watch` on a socket with a small receive buffer and never reads;
      touches READY once the command is sent, then sleeps until killed.
  control_peer.py listen SOCK CALL_ID WHO OUT [--seconds S]
      sends `listen CALL_ID WHO`, saves the PCM after the first line to OUT
      and prints one JSON object: the answer line, the seconds from the
      request to the first audio, the bytes, and for each channel its level
      and the share of its power at 1000 Hz (Goertzel, 50 ms frames).
All waits are bounded."""
import argparse
import json
import math
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from audio_match import goertzel  # noqa: E402  (beside this file)


def connect(path, command, rcvbuf=None):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(5)
    s.connect(path)
    s.sendall(command.encode() + b"\n")
    return s


def watch(a):
    s = connect(a.sock, "watch")
    end = time.monotonic() + a.seconds
    buf = b""
    with open(a.out, "w") as out:
        while time.monotonic() < end:
            s.settimeout(max(0.05, end - time.monotonic()))
            try:
                data = s.recv(65536)
            except socket.timeout:
                continue
            now = time.monotonic()
            if not data:
                break
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                out.write("%.6f\t%s\n" % (now, line.decode("utf-8", "replace")))
                out.flush()


def sse(a):
    """GET URL with COOKIE; each line of the event stream, stamped."""
    import http.client
    import urllib.parse
    u = urllib.parse.urlsplit(a.url)
    # Longer than the 15 s between keep-alive comments: a quiet stream is
    # not a dead one. (After a timeout the response cannot be read again.)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=20)
    c.request("GET", u.path, headers={"Cookie": a.cookie})
    r = c.getresponse()
    end = time.monotonic() + a.seconds
    with open(a.out, "w") as out:
        out.write("%.6f\tstatus %d %s\n" % (time.monotonic(), r.status, r.getheader("Content-Type")))
        out.flush()
        while time.monotonic() < end:
            try:
                line = r.fp.readline(1 << 20)
            except socket.timeout:
                out.write("%.6f\ttimed out\n" % time.monotonic())
                break
            if not line:
                break
            out.write("%.6f\t%s\n" % (time.monotonic(), line.decode("utf-8", "replace").rstrip("\r\n")))
            out.flush()


def request(a):
    """One command; prints the seconds the whole answer took, or fails."""
    t0 = time.monotonic()
    s = connect(a.sock, a.command)
    s.settimeout(a.timeout)
    answer = b""
    while True:
        data = s.recv(65536)
        if not data:
            break
        answer += data
    took = time.monotonic() - t0
    if not answer:
        sys.exit("no answer")
    print("%.3f" % took)


def stall(a):
    s = connect(a.sock, "watch", rcvbuf=4096)
    open(a.ready, "w").close()
    time.sleep(120)
    s.close()


def channel_report(samples, rate=8000):
    """Level (RMS) and the share of the loud frames' power that is at 1 kHz."""
    size = rate // 20
    if not samples:
        return {"rms": 0, "tone_share": 0, "frames": 0}
    rms = math.sqrt(sum(x * x for x in samples) / len(samples))
    shares = []
    for at in range(0, len(samples) - size + 1, size):
        frame = samples[at:at + size]
        energy = sum(x * x for x in frame)
        if energy / size < 300 * 300:
            continue
        # Goertzel power of a pure tone is about (N/2)^2 * A^2 / ... ; the
        # ratio to the frame's energy * N / 2 is near 1 for a pure tone.
        shares.append(goertzel(frame, rate, 1000.0) / (energy * size / 2))
    return {"rms": round(rms, 1), "tone_share": round(sum(shares) / len(shares), 3) if shares else 0,
            "frames": len(shares)}


def listen(a):
    t0 = time.monotonic()
    s = connect(a.sock, "listen %s %s" % (a.call_id, a.who))
    buf = b""
    while b"\n" not in buf and len(buf) < 4096:
        data = s.recv(4096)
        if not data:
            break
        buf += data
    line, _, pcm = buf.partition(b"\n")
    result = {"reply": line.decode("utf-8", "replace")}
    first = time.monotonic() if pcm else None
    if line.startswith(b"ok:"):
        end = time.monotonic() + a.seconds
        while time.monotonic() < end:
            s.settimeout(max(0.05, end - time.monotonic()))
            try:
                data = s.recv(65536)
            except socket.timeout:
                continue
            if not data:
                break
            if first is None:
                first = time.monotonic()
            pcm += data
    s.close()
    with open(a.out, "wb") as f:
        f.write(pcm)
    result["first_audio_s"] = round(first - t0, 3) if first is not None else None
    result["bytes"] = len(pcm)
    frames = len(pcm) // 4
    samples = struct.unpack("<%dh" % (2 * frames), pcm[:4 * frames])
    result["left"] = channel_report(list(samples[0::2]))
    result["right"] = channel_report(list(samples[1::2]))
    print(json.dumps(result))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("watch")
    w.add_argument("sock")
    w.add_argument("out")
    w.add_argument("--seconds", type=float, default=20)
    ss = sub.add_parser("sse")
    ss.add_argument("url")
    ss.add_argument("cookie")
    ss.add_argument("out")
    ss.add_argument("--seconds", type=float, default=20)
    rq = sub.add_parser("request")
    rq.add_argument("sock")
    rq.add_argument("command")
    rq.add_argument("--timeout", type=float, default=2)
    st = sub.add_parser("stall")
    st.add_argument("sock")
    st.add_argument("ready")
    li = sub.add_parser("listen")
    li.add_argument("sock")
    li.add_argument("call_id")
    li.add_argument("who")
    li.add_argument("out")
    li.add_argument("--seconds", type=float, default=2)
    a = p.parse_args()
    {"watch": watch, "sse": sse, "request": request, "stall": stall, "listen": listen}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
