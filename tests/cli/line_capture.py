#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes a raw-IP pcap of a phone line as the bridge sees it, for
test_read_line.sh:

  line_capture.py OUT.pcap [--no-register | --unanswered]

  192.168.1.2  the ATA (it registers with 203.0.113.10, unless --no-register)
  203.0.113.10 the provider's registrar; 203.0.113.77 another of its servers
  198.51.100.66 a SIP scanner

Each packet is one SIP message over UDP port 5060; times are one second apart.

--unanswered writes a different line: the ATA registers (200, Expires 3600),
then its refresh goes unanswered (sent with RFC 3261's retransmissions for
Timer F, 32 s), and two minutes later the ATA's keep-alive OPTIONS is the
next packet the bridge sees. Capture time drives sipcidd --read, so the line
goes down "no answer from the registrar" without a test waiting for it."""
import struct
import sys

ATA, REGISTRAR, PROVIDER2, SCANNER = "192.168.1.2", "203.0.113.10", "203.0.113.77", "198.51.100.66"


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def udp_packet(src, dst, payload):
    udp = struct.pack("!HHHH", 5060, 5060, 8 + len(payload), 0) + payload
    pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 17, len(udp))
    csum = checksum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", csum) + udp[8:]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, ip4(src), ip4(dst))
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return hdr + udp


def sip(start, call_id, frm, to, cseq, src, extra=()):
    lines = [start, "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK%s" % (src, call_id.replace("@", "")),
             "From: %s;tag=f" % frm, "To: %s" % to, "Call-ID: %s" % call_id, "CSeq: %s" % cseq,
             "Max-Forwards: 70"]
    lines += list(extra)
    lines += ["Content-Length: 0", "", ""]
    return "\r\n".join(lines).encode()


def invite(call_id, frm, called, src, extra=()):
    return sip("INVITE sip:%s@203.0.113.10 SIP/2.0" % called, call_id, frm,
               "<sip:%s@203.0.113.10>" % called, "1 INVITE", src, extra)


def unanswered(out):
    contact = ["Contact: <sip:2001@192.168.1.2:5060>", "Expires: 3600"]
    aor = "<sip:2001@203.0.113.10>"
    pkts = [(0.0, ATA, REGISTRAR, sip("REGISTER sip:203.0.113.10 SIP/2.0", "reg@ata", aor, aor,
                                      "1 REGISTER", ATA, contact)),
            (0.1, REGISTRAR, ATA, sip("SIP/2.0 200 OK", "reg@ata", aor, aor + ";tag=r",
                                      "1 REGISTER", ATA, ["Contact: <sip:2001@192.168.1.2:5060>;expires=3600"]))]
    refresh = sip("REGISTER sip:203.0.113.10 SIP/2.0", "reg@ata", aor, aor, "2 REGISTER", ATA, contact)
    # The refresh and its retransmissions (T1 = 0.5 s, doubling, capped at T2 = 4 s).
    t, gap = 20.0, 0.5
    while t < 20.0 + 32:
        pkts.append((t, ATA, REGISTRAR, refresh))
        t, gap = t + gap, min(gap * 2, 4.0)
    pkts.append((140.0, ATA, REGISTRAR, sip("OPTIONS sip:203.0.113.10 SIP/2.0", "ka@ata", aor, aor,
                                            "1 OPTIONS", ATA)))
    write(out, pkts)


def write(out, pkts):
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))  # DLT_RAW
        t0 = 1764000000
        for at, src, dst, payload in pkts:
            data = udp_packet(src, dst, payload)
            sec, usec = t0 + int(at), int(round((at - int(at)) * 1e6))
            f.write(struct.pack("<IIII", sec, usec, len(data), len(data)) + data)


def main():
    out = sys.argv[1]
    if "--unanswered" in sys.argv:
        unanswered(out)
        return
    register = "--no-register" not in sys.argv
    pkts = []
    if register:
        reg = sip("REGISTER sip:203.0.113.10 SIP/2.0", "reg@ata", "<sip:2001@203.0.113.10>",
                  "<sip:2001@203.0.113.10>", "1 REGISTER", ATA,
                  ["Contact: <sip:2001@192.168.1.2:5060>", "Expires: 3600"])
        pkts.append((ATA, REGISTRAR, reg))
        ok = sip("SIP/2.0 200 OK", "reg@ata", "<sip:2001@203.0.113.10>",
                 "<sip:2001@203.0.113.10>;tag=r", "1 REGISTER", ATA,
                 ["Contact: <sip:2001@192.168.1.2:5060>;expires=3600"])
        pkts.append((REGISTRAR, ATA, ok))
    anon = '"Anonymous" <sip:anonymous@anonymous.invalid>'
    # The household calls out: emergency numbers with caller ID withheld, and Mom.
    for n in ("911", "112", "999", "000"):
        pkts.append((ATA, REGISTRAR, invite("out-%s@ata" % n, anon, n, ATA, ["Privacy: id"])))
    pkts.append((ATA, REGISTRAR, invite("out-mom@ata", "<sip:2001@203.0.113.10>", "5559876543", ATA)))
    # The provider calls in, from its registrar and from another of its servers,
    # asserting the caller's identity.
    pai = "P-Asserted-Identity: <sip:+15557654321@203.0.113.10>"
    pkts.append((REGISTRAR, ATA, invite("in-1@prov", '"Alice" <sip:+15551234567@203.0.113.10>',
                                        "2001", REGISTRAR, [pai])))
    pkts.append((PROVIDER2, ATA, invite("in-2@prov", '"Bob" <sip:+15552223333@203.0.113.77>',
                                        "2001", PROVIDER2)))
    # A scanner calls the ATA directly, with a PAI of its own.
    pkts.append((SCANNER, ATA, invite("ghost@scan", '"100" <sip:100@198.51.100.66>', "2001",
                                      SCANNER, [pai])))
    write(out, [(float(i), src, dst, payload) for i, (src, dst, payload) in enumerate(pkts)])


main()
