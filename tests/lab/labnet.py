#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Traffic for the lab tests: byte-exact UDP/TCP senders and receivers, and
SIP message generation. Every loop is bounded in count and time.

  labnet.py sip METHOD --call-id ID [--from-name N] [--from-user U]
               [--src HOST] [--dst HOST] [--sdp-bytes B] [--header 'H: v' ...]
               [--rtp-port P] [--sdp FILE] [--body FILE --content-type TYPE]
  labnet.py send-udp [--src-port P] [--count N] [--gap-ms MS] [--vary-call-id] HOST PORT FILE...
               (each FILE in order, N times; --vary-call-id: round N's copies get
               Call-ID "N-<id>", new calls each round)
  labnet.py send-retrans [--src-port P] [--first-sent FILE] [--stop-file FILE] HOST PORT FILE
               (one request and its RFC 3261 retransmissions: sent at 0, 0.5, 1.5,
               3.5, 7.5, 11.5 and 15.5 s, until FILE exists; --first-sent: the
               monotonic clock at the first send)
  labnet.py send-rtp [--src-port P] [--count N] [--hostile] HOST PORT
               (G.711 u-law RTP at full speed; --hostile: random SSRC,
               sequence and timestamp in every packet)
  labnet.py recv-udp [--count N] [--timeout S] [--save-prefix P] [--first-at FILE]
               BIND PORT OUTDIR
               (OUTDIR/NNNNNN.bin per datagram; OUTDIR/count at the end;
               --first-at: the monotonic clock when the first one arrived)
  labnet.py recv-notify [--timeout S] PATH OUTFILE
               (a systemd notify socket at PATH: one "MONOTONIC MESSAGE" line
               per datagram, until S seconds pass)
  labnet.py send-tcp HOST PORT FILE
  labnet.py recv-tcp [--timeout S] BIND PORT OUTFILE
Receivers create OUTDIR/ready (or OUTFILE.ready) once listening."""
import argparse
import os
import random
import socket
import sys
import time


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def sip(a):
    def fmt(host):
        return "[%s]" % host if ":" in host else host
    src, dst = fmt(a.src), fmt(a.dst)
    sdp = ""
    if a.method in ("INVITE", "200"):
        ip = "IP6" if ":" in a.src else "IP4"
        sdp = ("v=0\r\no=- 1 1 IN %s %s\r\ns=-\r\nc=IN %s %s\r\nt=0 0\r\n"
               "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" % (ip, a.src, ip, a.src, a.rtp_port))
        while len(sdp) < a.sdp_bytes:
            sdp += "a=x-pad:%s\r\n" % ("p" * 60)
    if a.sdp:
        sdp = open(a.sdp, "rb").read().decode("latin-1")
    if a.body:
        sdp = open(a.body, "rb").read().decode("latin-1")
    via = "Via: SIP/2.0/%s %s:5060;branch=z9hG4bK%s\r\n" % (a.transport, src, a.call_id[:20])
    frm = 'From: "%s" <sip:%s@%s>;tag=1\r\n' % (a.from_name, a.from_user, src)
    to = "To: <sip:bob@%s>%s\r\n" % (dst, ";tag=2" if a.method.isdigit() else "")
    if a.method.isdigit():
        reasons = {"100": "Trying", "180": "Ringing", "183": "Session Progress", "200": "OK",
                   "486": "Busy Here", "487": "Request Terminated"}
        start = "SIP/2.0 %s %s\r\n" % (a.method, reasons.get(a.method, "Whatever"))
        cseq_method = a.cseq_method
    else:
        start = "%s sip:bob@%s SIP/2.0\r\n" % (a.method, dst)
        cseq_method = a.method
    hdrs = via + frm + to + "Call-ID: %s\r\nCSeq: 1 %s\r\nMax-Forwards: 70\r\n" % (a.call_id, cseq_method)
    hdrs += "Contact: <sip:%s@%s:5060>\r\n" % (a.from_user, src)
    for h in a.header:
        hdrs += h + "\r\n"
    if sdp:
        hdrs += "Content-Type: %s\r\n" % (a.content_type if a.body else "application/sdp")
    hdrs += "Content-Length: %d\r\n\r\n" % len(sdp)
    sys.stdout.buffer.write((start + hdrs).encode() + sdp.encode("latin-1"))


def send_udp(a):
    datagrams = [open(f, "rb").read() for f in a.file]
    s = socket.socket(family(a.host), socket.SOCK_DGRAM)
    if a.src_port:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("", a.src_port))
    deadline = time.monotonic() + 120
    for i in range(a.count):
        for data in datagrams:
            if a.vary_call_id:
                data = data.replace(b"\r\nCall-ID: ", b"\r\nCall-ID: %d-" % i, 1)
            s.sendto(data, (a.host, a.port))
        if a.gap_ms:
            time.sleep(a.gap_ms / 1000)
        if time.monotonic() > deadline:
            sys.exit("send-udp: took longer than 120 s")


def write_clock(path, t):
    with open(path + ".tmp", "w") as f:
        f.write("%.6f\n" % t)
    os.replace(path + ".tmp", path)


# RFC 3261 17.1.1.2: Timer A starts at T1 (0.5 s) and doubles, capped at T2
# (4 s) for an INVITE over UDP; seven sends in all within Timer B (32 s).
RETRANSMIT_AT = [0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5]


def send_retrans(a):
    data = open(a.file, "rb").read()
    s = socket.socket(family(a.host), socket.SOCK_DGRAM)
    if a.src_port:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("", a.src_port))
    start = time.monotonic()
    for i, at in enumerate(RETRANSMIT_AT):
        while time.monotonic() < start + at:
            if a.stop_file and os.path.exists(a.stop_file):
                return
            time.sleep(min(0.01, max(0, start + at - time.monotonic())))
        if a.stop_file and os.path.exists(a.stop_file):
            return
        s.sendto(data, (a.host, a.port))
        if i == 0 and a.first_sent:
            write_clock(a.first_sent, start)


def recv_notify(a):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(a.path)
    os.chmod(a.path, 0o777)  # sipcidd may have become its own user
    open(a.path + ".ready", "w").close()
    end = time.monotonic() + a.timeout
    with open(a.outfile, "w") as f:
        while time.monotonic() < end:
            s.settimeout(max(0.01, end - time.monotonic()))
            try:
                data = s.recv(4096)
            except socket.timeout:
                break
            for line in data.decode(errors="replace").splitlines():
                f.write("%.6f %s\n" % (time.monotonic(), line))
            f.flush()


def send_rtp(a):
    s = socket.socket(family(a.host), socket.SOCK_DGRAM)
    if a.src_port:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("", a.src_port))
    rnd = random.Random(7651)
    ssrc, seq, ts = 0x5151CAFE, 1, 0
    payload = bytes(0xFF if i % 16 < 8 else 0x7F for i in range(160))
    deadline = time.monotonic() + 60
    for _ in range(a.count):
        if a.hostile:
            ssrc, seq, ts = rnd.getrandbits(32), rnd.getrandbits(16), rnd.getrandbits(32)
        hdr = bytes([0x80, 0]) + seq.to_bytes(2, "big") + ts.to_bytes(4, "big") + ssrc.to_bytes(4, "big")
        try:
            s.sendto(hdr + payload, (a.host, a.port))
        except ConnectionRefusedError:  # the ICMP answer of a closed port
            pass
        seq, ts = (seq + 1) & 0xFFFF, (ts + 160) & 0xFFFFFFFF
        if time.monotonic() > deadline:
            sys.exit("send-rtp: took longer than 60 s")


def recv_udp(a):
    os.makedirs(a.outdir, exist_ok=True)
    s = socket.socket(family(a.bind), socket.SOCK_DGRAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, 33, 32 << 20)  # SO_RCVBUFFORCE (root)
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind((a.bind, a.port))
    open(os.path.join(a.outdir, "ready"), "w").close()
    s.settimeout(a.timeout)
    n = 0
    end = time.monotonic() + 600
    while n < a.count and time.monotonic() < end:
        try:
            data = s.recv(70000)
        except socket.timeout:
            break
        if not a.save_prefix or data.startswith(a.save_prefix.encode()):
            if a.first_at and not os.path.exists(a.first_at):
                write_clock(a.first_at, time.monotonic())
            with open(os.path.join(a.outdir, "%06d.bin" % n), "wb") as f:
                f.write(data)
        n += 1
        if a.save_prefix and n % 100 == 0:
            with open(os.path.join(a.outdir, "count.tmp"), "w") as f:
                f.write("%d\n" % n)
            os.replace(os.path.join(a.outdir, "count.tmp"), os.path.join(a.outdir, "count"))
    with open(os.path.join(a.outdir, "count.tmp"), "w") as f:
        f.write("%d\n" % n)
    os.replace(os.path.join(a.outdir, "count.tmp"), os.path.join(a.outdir, "count"))
    print(n)


def send_tcp(a):
    data = open(a.file, "rb").read()
    s = socket.create_connection((a.host, a.port), timeout=10)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    s.recv(1)
    s.close()


def recv_tcp(a):
    ls = socket.socket(family(a.bind), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.bind, a.port))
    ls.listen(1)
    open(a.outfile + ".ready", "w").close()
    ls.settimeout(a.timeout)
    c, _ = ls.accept()
    c.settimeout(a.timeout)
    with open(a.outfile, "wb") as f:
        while True:
            chunk = c.recv(65536)
            if not chunk:
                break
            f.write(chunk)
    c.close()


def read_response(c, buf, call_id, deadline):
    """The next SIP response for call_id on the stream c; buf holds what was
    read past the last message. Keep-alive CRLFs between messages are skipped
    (RFC 3261 7.5)."""
    while time.monotonic() < deadline:
        buf = buf.lstrip(b"\r\n")
        end = buf.find(b"\r\n\r\n")
        if end >= 0:
            head = buf[:end + 4].decode("latin-1")
            clen = 0
            for line in head.split("\r\n"):
                name, _, value = line.partition(":")
                if name.strip().lower() in ("content-length", "l"):
                    clen = int(value.strip())
            if len(buf) >= end + 4 + clen:
                msg, buf = buf[:end + 4 + clen], buf[end + 4 + clen:]
                text = msg.decode("latin-1")
                if text.startswith("SIP/2.0 ") and ("Call-ID: %s\r\n" % call_id) in text:
                    return text, buf
                continue
        c.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            chunk = c.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            break
        buf += chunk
    return None, buf


def final_response(c, buf, call_id, deadline):
    """The final response for call_id (provisional ones skipped): (code,
    message, buf); code 0 and message None when none came in time."""
    while True:
        resp, buf = read_response(c, buf, call_id, deadline)
        if resp is None:
            return 0, None, buf
        code = int(resp.split(" ", 2)[1])
        if code >= 200:
            return code, resp, buf


def header(msg, name):
    for line in msg.split("\r\n"):
        n, _, v = line.partition(":")
        if n.strip().lower() == name.lower():
            return v.strip()
    return ""


def in_dialog(invite, method, to, cseq, branch=None):
    """A request in the INVITE's dialog (ACK or BYE), from its headers."""
    lines = invite.split("\r\n\r\n", 1)[0].split("\r\n")
    start = lines[0].replace("INVITE ", method + " ", 1)
    out = [start]
    for line in lines[1:]:
        name = line.partition(":")[0].strip().lower()
        if name == "via" and branch:
            line = line.split(";branch=")[0] + ";branch=z9hG4bK" + branch
        elif name == "to":
            line = "To: " + to
        elif name == "cseq":
            line = "CSeq: %s %s" % (cseq, method)
        elif name in ("content-type", "content-length"):
            continue
        out.append(line)
    return ("\r\n".join(out) + "\r\nContent-Length: 0\r\n\r\n").encode()


def tcp_calls(a):
    """Calls one after the other on ONE TCP connection. Each --call is
    FILE:CUTS:WAIT, CUTS byte offsets (comma-separated, may be empty) where
    the INVITE is split into segments sent WAIT ms apart. A final response
    is waited for; a 2xx is ACKed and the call hung up with a BYE, any other
    is ACKed. Prints "CALL-ID CODE" per call (CODE 0: no final response)."""
    c = socket.create_connection((a.host, a.port), timeout=10)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf = b""
    for spec in a.call:
        path, cuts, wait = spec.rsplit(":", 2)
        data = open(path, "rb").read()
        invite = data.decode("latin-1")
        call_id = header(invite, "Call-ID")
        edges = [0] + [int(x) for x in cuts.split(",") if x] + [len(data)]
        for i in range(len(edges) - 1):
            c.sendall(data[edges[i]:edges[i + 1]])
            if i < len(edges) - 2:
                time.sleep(int(wait) / 1000.0)
        code, resp, buf = final_response(c, buf, call_id, time.monotonic() + a.timeout)
        print("%s %d %s" % (call_id, code, resp.split("\r\n", 1)[0] if resp else ""), flush=True)
        if code >= 300:
            c.sendall(in_dialog(invite, "ACK", header(resp, "To"), 1))
        elif code >= 200:
            to = header(resp, "To")
            c.sendall(in_dialog(invite, "ACK", to, 1, "ack" + call_id[:10]))
            time.sleep(a.talk_ms / 1000.0)
            c.sendall(in_dialog(invite, "BYE", to, 2, "bye" + call_id[:10]))
            read_response(c, buf, call_id, time.monotonic() + a.timeout)
    c.close()


def tcp_rtt(a):
    """On ONE TCP connection, --count rounds of: each FILE's INVITE (its
    Call-ID made unique per round), timed from the send to its final
    response, which is ACKed. The files alternate so that every kind sees
    the same conditions. Prints per file: FILE N P50_US P99_US MAX_US CODES."""
    c = socket.create_connection((a.host, a.port), timeout=10)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf = b""
    invites = [open(f, "rb").read().decode("latin-1") for f in a.file]
    times = [[] for _ in a.file]
    codes = [{} for _ in a.file]
    for r in range(a.count):
        for k, inv in enumerate(invites):
            call_id = header(inv, "Call-ID")
            mine = "%s-%d" % (call_id, r)
            msg = inv.replace("Call-ID: %s\r\n" % call_id, "Call-ID: %s\r\n" % mine)
            t0 = time.monotonic()
            c.sendall(msg.encode("latin-1"))
            code, resp, buf = final_response(c, buf, mine, t0 + a.timeout)
            t1 = time.monotonic()
            codes[k][code] = codes[k].get(code, 0) + 1
            if code >= 200:
                times[k].append((t1 - t0) * 1e6)
                c.sendall(in_dialog(msg, "ACK", header(resp, "To"), 1))
    c.close()
    for k, f in enumerate(a.file):
        t = sorted(times[k])
        pick = lambda q: int(t[min(len(t) - 1, int(q * len(t)))]) if t else -1
        print("%s %d %d %d %d %s" % (os.path.basename(f), len(t), pick(0.5), pick(0.99),
                                     int(t[-1]) if t else -1,
                                     ",".join("%d:%d" % kv for kv in sorted(codes[k].items()))))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sip")
    s.add_argument("method")
    s.add_argument("--call-id", required=True)
    s.add_argument("--from-name", default="Alice Example")
    s.add_argument("--from-user", default="+15551234567")
    s.add_argument("--src", default="10.77.0.1")
    s.add_argument("--dst", default="10.77.0.2")
    s.add_argument("--transport", default="UDP")
    s.add_argument("--cseq-method", default="INVITE")
    s.add_argument("--sdp-bytes", type=int, default=0)
    s.add_argument("--header", action="append", default=[])
    s.add_argument("--rtp-port", type=int, default=4000)
    s.add_argument("--sdp", help="a file whose bytes are the body instead")
    s.add_argument("--body", help="a file whose bytes are the body, of --content-type")
    s.add_argument("--content-type", default="application/octet-stream")
    s.set_defaults(fn=sip)
    s = sub.add_parser("send-rtp")
    s.add_argument("--src-port", type=int, default=0)
    s.add_argument("--count", type=int, default=1)
    s.add_argument("--hostile", action="store_true")
    s.add_argument("host")
    s.add_argument("port", type=int)
    s.set_defaults(fn=send_rtp)
    s = sub.add_parser("send-udp")
    s.add_argument("--src-port", type=int, default=0)
    s.add_argument("--count", type=int, default=1)
    s.add_argument("--gap-ms", type=float, default=0)
    s.add_argument("--vary-call-id", action="store_true")
    s.add_argument("host")
    s.add_argument("port", type=int)
    s.add_argument("file", nargs="+")
    s.set_defaults(fn=send_udp)
    s = sub.add_parser("send-retrans")
    s.add_argument("--src-port", type=int, default=0)
    s.add_argument("--first-sent")
    s.add_argument("--stop-file")
    s.add_argument("host")
    s.add_argument("port", type=int)
    s.add_argument("file")
    s.set_defaults(fn=send_retrans)
    s = sub.add_parser("recv-notify")
    s.add_argument("--timeout", type=float, default=120)
    s.add_argument("path")
    s.add_argument("outfile")
    s.set_defaults(fn=recv_notify)
    s = sub.add_parser("recv-udp")
    s.add_argument("--count", type=int, default=1)
    s.add_argument("--timeout", type=float, default=10)
    s.add_argument("--save-prefix", default="",
                   help="store only datagrams starting with this; count all")
    s.add_argument("--first-at")
    s.add_argument("bind")
    s.add_argument("port", type=int)
    s.add_argument("outdir")
    s.set_defaults(fn=recv_udp)
    s = sub.add_parser("send-tcp")
    s.add_argument("host")
    s.add_argument("port", type=int)
    s.add_argument("file")
    s.set_defaults(fn=send_tcp)
    s = sub.add_parser("tcp-calls")
    s.add_argument("--timeout", type=float, default=10)
    s.add_argument("--talk-ms", type=int, default=300)
    s.add_argument("--call", action="append", default=[], help="FILE:CUTS:WAIT_MS")
    s.add_argument("host")
    s.add_argument("port", type=int)
    s.set_defaults(fn=tcp_calls)

    s = sub.add_parser("tcp-rtt")
    s.add_argument("--timeout", type=float, default=5)
    s.add_argument("--count", type=int, default=100)
    s.add_argument("host")
    s.add_argument("port", type=int)
    s.add_argument("file", nargs="+")
    s.set_defaults(fn=tcp_rtt)

    s = sub.add_parser("recv-tcp")
    s.add_argument("--timeout", type=float, default=10)
    s.add_argument("bind")
    s.add_argument("port", type=int)
    s.add_argument("outfile")
    s.set_defaults(fn=recv_tcp)
    a = p.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
