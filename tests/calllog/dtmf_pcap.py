#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes a capture (raw-IP pcap) of one answered call with touch-tones, for
sipcidd --read.

  dtmf_pcap.py [--info] OUT.pcap
      An incoming call (the provider's INVITE and the phone's 200 OK, both
      offering PCMU and telephone-event 101), then 10 s of G.711 RTP both ways
      at 20 ms, then the BYE. The far end presses *1 at 1 s; the phone
      presses *1 at 3 s and *0 at 6 s (each key as RFC 4733 sends it: three
      start/update packets, three end packets, all with one timestamp).
      With --info the phone's keys go as SIP INFO application/dtmf-relay
      instead, and the far end's as INFO application/dtmf.
      Expected: a recording from 3 s to 6 s, about 3 s long.
Deterministic; every loop is bounded."""
import argparse
import socket
import struct

ATA, PROV = "192.0.2.10", "198.51.100.7"
ATA_RTP, PROV_RTP = 40000, 30000
T0 = 1767225600  # 2026-01-01T00:00:00Z
CALL_ID = "dtmf-call@198.51.100.7"


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def udp(src, sport, dst, dport, data):
    payload = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0, 64, 17, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def sdp(addr, port):
    return ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n" % (addr, addr, port))


def sip(start, src, dst, cseq, body="", ctype="application/sdp", to_tag=True):
    hdrs = (start + "\r\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bK%d\r\n"
            'From: "Dee Tmf" <sip:+15557654321@%s>;tag=a\r\n'
            "To: <sip:+15550001111@%s>%s\r\nCall-ID: %s\r\nCSeq: %s\r\n"
            % (src, cseq[0], PROV, ATA, ";tag=b" if to_tag else "", CALL_ID, "%d %s" % cseq))
    if body:
        hdrs += "Content-Type: %s\r\n" % ctype
    hdrs += "Content-Length: %d\r\n\r\n" % len(body)
    return (hdrs + body).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--info", action="store_true")
    ap.add_argument("out")
    a = ap.parse_args()
    pkts = []  # (t_us, packet)
    pkts.append((0, udp(PROV, 5060, ATA, 5060, sip("INVITE sip:+15550001111@%s SIP/2.0" % ATA, PROV, ATA,
                                                   (1, "INVITE"), sdp(PROV, PROV_RTP), to_tag=False))))
    pkts.append((200000, udp(ATA, 5060, PROV, 5060, sip("SIP/2.0 200 OK", ATA, PROV, (1, "INVITE"),
                                                        sdp(ATA, ATA_RTP)))))
    start_us = 300000
    payload = bytes(0xFF if i % 16 < 8 else 0x7F for i in range(160))
    # keys: (second, who, key); who "phone" or "far"
    keys = [(1.0, "far", "*"), (1.3, "far", "1"), (3.0, "phone", "*"), (3.3, "phone", "1"),
            (6.0, "phone", "*"), (6.3, "phone", "0")]
    events = {"0": 0, "1": 1, "*": 10}
    streams = {"phone": [ATA, ATA_RTP, PROV, PROV_RTP, 0x1111, 0], "far": [PROV, PROV_RTP, ATA, ATA_RTP, 0x2222, 0]}
    cseq = 2
    for i in range(500):  # 10 s at 20 ms
        t = start_us + i * 20000
        for who, (src, sport, dst, dport, ssrc, seq) in streams.items():
            ts = i * 160
            pkts.append((t, udp(src, sport, dst, dport,
                                struct.pack("!BBHII", 0x80, 0, seq & 0xFFFF, ts, ssrc) + payload)))
            streams[who][5] += 1
        for sec, who, key in keys:
            if i != int(sec * 50):
                continue
            src, sport, dst, dport, ssrc, seq = streams[who]
            if a.info:
                body, ctype = (("Signal=%s\r\nDuration=160\r\n" % key, "application/dtmf-relay")
                               if who == "phone" else (key, "application/dtmf"))
                pkts.append((t + 1000, udp(src, 5060, dst, 5060,
                                           sip("INFO sip:x@%s SIP/2.0" % dst, src, dst, (cseq, "INFO"), body, ctype))))
                cseq += 1
                continue
            ts = i * 160
            for k in range(6):  # three starts/updates (marker on the first), three ends
                end = 0x80 if k >= 3 else 0
                ev = struct.pack("!BBH", events[key], end | 10, 160 * (k + 1))
                hdr = struct.pack("!BBHII", 0x80, (0x80 if k == 0 else 0) | 101, (seq + k) & 0xFFFF, ts, ssrc)
                pkts.append((t + 1000 + k * 100, udp(src, sport, dst, dport, hdr + ev)))
            streams[who][5] += 6
    pkts.append((start_us + 500 * 20000, udp(PROV, 5060, ATA, 5060,
                                            sip("BYE sip:+15550001111@%s SIP/2.0" % ATA, PROV, ATA, (cseq, "BYE")))))
    pkts.sort(key=lambda p: p[0])
    with open(a.out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))  # LINKTYPE_RAW
        for t_us, p in pkts:
            f.write(struct.pack("<IIII", T0 + t_us // 1000000, t_us % 1000000, len(p), len(p)) + p)


if __name__ == "__main__":
    main()
