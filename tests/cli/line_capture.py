#!/usr/bin/env python3
"""Writes a raw-IP pcap of a phone line as the bridge sees it, for
test_read_line.sh:

  line_capture.py OUT.pcap [--no-register]

  192.168.1.2  the ATA (it registers with 203.0.113.10, unless --no-register)
  203.0.113.10 the provider's registrar; 203.0.113.77 another of its servers
  198.51.100.66 a SIP scanner

Each packet is one SIP message over UDP port 5060; times are one second apart."""
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


def main():
    out = sys.argv[1]
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
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))  # DLT_RAW
        t = 1764000000
        for i, (src, dst, payload) in enumerate(pkts):
            data = udp_packet(src, dst, payload)
            f.write(struct.pack("<IIII", t + i, 0, len(data), len(data)) + data)


main()
