#!/usr/bin/env python3
"""Writes hostile flood captures (raw-IP pcap) for sipcidd --read.

  flood_pcap.py invites [--count N] [--seconds S] [--from NUMBER]
                [--tcp-every K] [--frag-every K] OUT.pcap
      N INVITEs with distinct Call-IDs spread evenly over S seconds, UDP to
      the ATA (192.0.2.10:5060). With --tcp-every K, every Kth call opens a
      TCP stream that sends half an INVITE and never the rest (reassembly
      state); with --frag-every K, every Kth call sends only the first IP
      fragment of a large INVITE (defragmentation state).
      Prints "calls=C" where C is the INVITEs that arrive whole (the calls
      sipcidd can see).
  flood_pcap.py tcp-fill [--flows F] [--bytes B] OUT.pcap
      F TCP streams to the ATA's SIP port, each sending B bytes of SIP header
      lines in 1400-byte segments and never ending the message: each fills
      its reassembly buffer.
  flood_pcap.py rtp-call [--pps P] [--seconds S] [--size B] [--pt T] OUT.pcap
      One call (INVITE and 200 OK with G.711 SDP) followed by S seconds of
      RTP toward the ATA's audio port at P packets a second, B bytes of
      payload, payload type T (99: in no SDP, "unknown"), then the BYE.
Deterministic; every loop is bounded by N or P*S."""
import argparse
import socket
import struct

ATA, PROV = "192.0.2.10", "198.51.100.7"
T0 = 1767225600  # 2026-01-01T00:00:00Z


class Pcap:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))  # LINKTYPE_RAW

    def add(self, t_us, pkt):
        self.f.write(struct.pack("<IIII", T0 + t_us // 1000000, t_us % 1000000, len(pkt), len(pkt)))
        self.f.write(pkt)

    def close(self):
        self.f.close()


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload, ident=0, frag=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident & 0xFFFF, frag, 64, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def udp(src, sport, dst, dport, data):
    return ipv4(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data)


def tcp(src, sport, dst, dport, seq, flags, data=b""):
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, flags, 65535, 0, 0) + data
    return ipv4(src, dst, 6, seg)


def invite(call_id, number, sdp=b"", pad=0):
    body = sdp
    head = ("INVITE sip:+15550001111@%s SIP/2.0\r\n"
            "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK-%s\r\n"
            "From: \"Flood %s\" <sip:%s@%s>;tag=f-%s\r\n"
            "To: <sip:+15550001111@%s>\r\n"
            "Call-ID: %s\r\nCSeq: 1 INVITE\r\n"
            "Contact: <sip:%s@%s:5060>\r\n" % (ATA, PROV, call_id, call_id, number, PROV, call_id,
                                               ATA, call_id, number, PROV))
    head += "".join("X-Pad-%02d: %s\r\n" % (i, "p" * 60) for i in range(pad))
    if body:
        head += "Content-Type: application/sdp\r\n"
    head += "Content-Length: %d\r\n\r\n" % len(body)
    return head.encode() + body


def invites(a):
    out = Pcap(a.out)
    step = a.seconds * 1000000 // max(1, a.count)
    whole = 0
    for i in range(a.count):
        t = i * step
        cid = "flood-%06d@%s" % (i, PROV)
        number = a.from_number or "+1555%07d" % i
        if a.frag_every and i % a.frag_every == a.frag_every - 1:
            msg = invite(cid, number, pad=40)
            first = struct.pack("!HHHH", 5060, 5060, 8 + len(msg), 0) + msg[:1200]
            out.add(t, ipv4(PROV, ATA, 17, first, ident=i, frag=0x2000))  # MF, offset 0; never the rest
        elif a.tcp_every and i % a.tcp_every == a.tcp_every - 1:
            msg = invite(cid, number)
            sport = 20000 + i % 40000
            out.add(t, tcp(PROV, sport, ATA, 5060, 1000, 0x02))
            out.add(t + 1, tcp(PROV, sport, ATA, 5060, 1001, 0x18, msg[: len(msg) // 2]))
        else:
            out.add(t, udp(PROV, 5060, ATA, 5060, invite(cid, number)))
            whole += 1
    out.close()
    print("calls=%d" % whole)


def tcp_fill(a):
    out = Pcap(a.out)
    t = 0
    for f in range(a.flows):
        sport = 10000 + f
        out.add(t, tcp(PROV, sport, ATA, 5060, 1000, 0x02))
        data = invite("fill-%d@%s" % (f, PROV), "+15550000000").split(b"\r\n\r\n")[0] + b"\r\n"
        while len(data) < a.bytes:
            data += b"X-Fill: " + b"f" * 90 + b"\r\n"
        seq = 1001
        for off in range(0, a.bytes, 1400):
            t += 50
            chunk = data[off:min(off + 1400, a.bytes)]
            out.add(t, tcp(PROV, sport, ATA, 5060, seq, 0x18, chunk))
            seq += len(chunk)
    out.close()


def rtp_call(a):
    out = Pcap(a.out)
    cid = "rtp-flood@%s" % PROV
    sdp = lambda host, port: ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
                              "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" % (host, host, port)).encode()
    out.add(0, udp(PROV, 5060, ATA, 5060, invite(cid, "+15551230000", sdp(PROV, 40000))))
    ok_body = sdp(ATA, 50000)
    ok = ("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bK-%s\r\n"
          "From: \"Flood\" <sip:+15551230000@%s>;tag=f-%s\r\nTo: <sip:+15550001111@%s>;tag=ata\r\n"
          "Call-ID: %s\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\n"
          "Content-Length: %d\r\n\r\n" % (PROV, cid, PROV, cid, ATA, cid, len(ok_body))).encode() + ok_body
    out.add(100000, udp(ATA, 5060, PROV, 5060, ok))
    n = a.pps * a.seconds
    payload = bytes((i * 7) & 0xFF for i in range(a.size))
    start = 200000
    for i in range(n):
        rtp = struct.pack("!BBHII", 0x80, a.pt & 0x7F, i & 0xFFFF, (i * 160) & 0xFFFFFFFF, 0x1234) + payload
        out.add(start + i * 1000000 // a.pps, udp(PROV, 40000, ATA, 50000, rtp))
    bye = ("BYE sip:+15550001111@%s SIP/2.0\r\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bK-bye\r\n"
           "From: <sip:+15551230000@%s>;tag=f-%s\r\nTo: <sip:+15550001111@%s>;tag=ata\r\n"
           "Call-ID: %s\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n" % (ATA, PROV, PROV, cid, ATA, cid))
    out.add(start + a.seconds * 1000000 + 1000, udp(PROV, 5060, ATA, 5060, bye.encode()))
    out.close()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("invites")
    s.add_argument("--count", type=int, default=2000)
    s.add_argument("--seconds", type=int, default=1)
    s.add_argument("--from", dest="from_number", default="")
    s.add_argument("--tcp-every", type=int, default=0)
    s.add_argument("--frag-every", type=int, default=0)
    s.add_argument("out")
    s.set_defaults(fn=invites)
    s = sub.add_parser("tcp-fill")
    s.add_argument("--flows", type=int, default=400)
    s.add_argument("--bytes", type=int, default=60000)
    s.add_argument("out")
    s.set_defaults(fn=tcp_fill)
    s = sub.add_parser("rtp-call")
    s.add_argument("--pps", type=int, default=5000)
    s.add_argument("--seconds", type=int, default=10)
    s.add_argument("--size", type=int, default=1000)
    s.add_argument("--pt", type=int, default=99)
    s.add_argument("out")
    s.set_defaults(fn=rtp_call)
    a = p.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
