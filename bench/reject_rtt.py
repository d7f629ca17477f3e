#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# reject_rtt.py client HOST NUMBER CODE CALLS BUDGET_S: the provider's side
#   of reject_bench.sh: CALLS INVITEs one after the other (each a new
#   Call-ID), each timed from its send to the final response's arrival,
#   which must carry CODE; then the ACK. Prints "p50_us p99_us max_us
#   answered". Bounded: 1 s per response, BUDGET_S in all.
# reject_rtt.py responder HOST SECONDS READYFILE: the phone answering every
#   INVITE itself with 603 (the baseline: the same exchange without
#   sipcidd's answer), for at most SECONDS.
import os
import socket
import sys
import time


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def client(host, number, code, calls, budget):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.bind(("", 5062))
    s.settimeout(1.0)
    dest = "[%s]" % host if ":" in host else host
    tag = "%d-%d" % (os.getpid(), time.monotonic_ns())
    rtts = []
    end = time.monotonic() + budget
    for i in range(calls):
        if time.monotonic() > end:
            break
        cid = "bench-%s-%d" % (tag, i)
        via = "Via: SIP/2.0/UDP prov.example:5062;branch=z9hG4bK-%s" % cid
        frm = 'From: "Bench" <sip:%s@prov.example>;tag=b%d' % (number, i)
        invite = ("INVITE sip:bob@%s SIP/2.0\r\n%s\r\n%s\r\nTo: <sip:bob@%s>\r\nCall-ID: %s\r\n"
                  "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
                  % (dest, via, frm, dest, cid)).encode()
        t0 = time.perf_counter_ns()
        s.sendto(invite, (host, 5060))
        try:
            while True:
                data, _ = s.recvfrom(4096)
                if cid.encode() in data:
                    break
        except socket.timeout:
            continue
        rtts.append((time.perf_counter_ns() - t0) / 1000.0)
        if not data.startswith(("SIP/2.0 %s " % code).encode()):
            print("wrong response: %r" % data[:40], file=sys.stderr)
            sys.exit(1)
        to = [l for l in data.decode("latin-1").split("\r\n") if l.startswith("To:")]
        ack = ("ACK sip:bob@%s SIP/2.0\r\n%s\r\n%s\r\n%s\r\nCall-ID: %s\r\nCSeq: 1 ACK\r\n"
               "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
               % (dest, via, frm, to[0] if to else "To: <sip:bob@x>", cid)).encode()
        s.sendto(ack, (host, 5060))
    rtts.sort()
    if not rtts:
        print("0 0 0 0")
        return
    pick = lambda q: rtts[min(len(rtts) - 1, int(q * len(rtts)))]
    print("%.0f %.0f %.0f %d" % (pick(0.50), pick(0.99), rtts[-1], len(rtts)))


def responder(host, seconds, ready):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.bind((host, 5060))
    s.settimeout(0.2)
    open(ready, "w").close()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            data, peer = s.recvfrom(4096)
        except socket.timeout:
            continue
        if not data.startswith(b"INVITE "):
            continue
        head = data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]
        keep = [h for h in head if h.split(b":", 1)[0].lower() in (b"via", b"from", b"call-id", b"cseq")]
        to = [h for h in head if h.lower().startswith(b"to:")]
        resp = b"SIP/2.0 603 Decline\r\n" + b"\r\n".join(keep + [to[0] + b";tag=phone"] if to else keep) + \
            b"\r\nContent-Length: 0\r\n\r\n"
        s.sendto(resp, peer)


if sys.argv[1] == "client":
    client(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), float(sys.argv[6]))
else:
    responder(sys.argv[2], float(sys.argv[3]), sys.argv[4])
