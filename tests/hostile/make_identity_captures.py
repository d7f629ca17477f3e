#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes the crafted captures of issue 14's reproductions (raw-IP pcap files)
into a directory, one per case, for test_identity_read.sh.

usage: make_identity_captures.py OUTDIR
       make_identity_captures.py --lab OUTDIR PROVIDER_IP PHONE_IP
         (raw INVITEs for tests/lab/identity_phone.sh)

The blocked caller in every case is +15551234567; the allowed one
+15550001111. Packets go from the provider 198.51.100.7 (or 2001:db8::7) to
the adapter 192.0.2.10 (2001:db8::10), port 5060 both ways."""
import os
import struct
import sys

LINKTYPE_RAW = 101
BLOCKED = "+15551234567"
ALLOWED = "+15550001111"


def pcap(path, packets):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, LINKTYPE_RAW))
        for i, p in enumerate(packets):
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(p), len(p)))
            f.write(p)


def udp(payload, sport=5060, dport=5060):
    return struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload


def ipv4(l4, proto=17, src=(198, 51, 100, 7), dst=(192, 0, 2, 10)):
    hdr = struct.pack(">BBHHHBBH4B4B", 0x45, 0, 20 + len(l4), 1, 0, 64, proto, 0, *src, *dst)
    return hdr + l4


def ipv6(l4, ext_headers=0):
    """IPv6 with `ext_headers` Destination Options headers (8 bytes each,
    PadN) before the UDP header."""
    src = bytes.fromhex("20010db8000000000000000000000007")
    dst = bytes.fromhex("20010db8000000000000000000000010")
    chain = b""
    for i in range(ext_headers):
        nxt = 60 if i + 1 < ext_headers else 17
        chain += bytes([nxt, 0, 1, 4, 0, 0, 0, 0])
    first = 60 if ext_headers else 17
    payload = chain + l4
    return struct.pack(">IHBB", 0x60000000, len(payload), first, 64) + src + dst + payload


def invite(call_id, froms, cseq=1, to="<sip:100@192.0.2.10>", request_line=None,
           extra=(), branch="z9hG4bK1", call_ids=None, host="198.51.100.7",
           name="Caller", sdp=False):
    """An INVITE from `host`; `froms` is a list of whole From lines (name
    included) or of numbers (then a From with that number and a tag is
    made). With sdp, it carries an audio offer (a phone then rings)."""
    lines = [request_line or "INVITE sip:100@192.0.2.10 SIP/2.0",
             "Via: SIP/2.0/UDP %s:5060;branch=%s" % (host, branch)]
    for i, f in enumerate(froms):
        if f.startswith("+"):
            f = "From: \"%s\" <sip:%s@%s>;tag=t%d" % (name, f, host, i)
        lines.append(f)
    lines.append(to if to.lower().startswith(("to:", "t:")) else "To: " + to)
    for cid in call_ids or [call_id]:
        lines.append("Call-ID: " + cid)
    lines.append("CSeq: %d INVITE" % cseq)
    lines.append("Contact: <sip:caller@%s:5060>" % host)
    lines.append("Max-Forwards: 70")
    lines.extend(extra)
    body = ""
    if sdp:
        body = ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
                "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" % (host, host))
        lines.append("Content-Type: application/sdp")
    lines.append("Content-Length: %d" % len(body))
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def lab_messages(out, prov, phone):
    """The lab's INVITEs (tests/lab/identity_phone.sh), as raw message files:
    from the provider `prov` to the baresip phone `phone` (user bob). Each
    has its own Via branch: the phone would take a repeated one for a
    retransmission of the earlier transaction."""
    os.makedirs(out, exist_ok=True)
    ruri = "INVITE sip:bob@%s SIP/2.0" % phone
    to = "<sip:bob@%s>" % phone

    def w(name, data):
        with open(os.path.join(out, name + ".sip"), "wb") as f:
            f.write(data)
    common = dict(request_line=ruri, to=to, host=prov, sdp=True)
    # Finding 1: the phone refuses the first (420), the second reuses its Call-ID.
    w("reuse-first", invite("reuse@lab", [ALLOWED], name="Alice", branch="z9hG4bKr1",
                            extra=["Require: x-no-such-ext"], **common))
    w("reuse-second", invite("reuse@lab", [BLOCKED], cseq=2, branch="z9hG4bKr2", name="Eve",
                             **common))
    # Finding 2: two From headers; baresip shows the last.
    w("twofrom", invite("twofrom@lab", [
        "From: \"Alice\" <sip:%s@%s>;tag=a1" % (ALLOWED, prov),
        "From: \"Eve\" <sip:%s@%s>;tag=e1" % (BLOCKED, prov)], branch="z9hG4bKf1", **common))
    # Finding 4: a To tag for a dialog that never was.
    w("totag", invite("totag@lab", [BLOCKED], name="Eve", request_line=ruri, branch="z9hG4bKt1",
                      to=to + ";tag=ghost", host=prov, sdp=True))
    # The marker: an allowed call, sent last, that must ring.
    w("marker", invite("marker@lab", ["+15550009999"], name="Marker", branch="z9hG4bKm1",
                       **common))


def response(call_id, code, reason, from_number, cseq=1, to_tag="ata1"):
    return ("SIP/2.0 %d %s\r\n"
            "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK1\r\n"
            "From: <sip:%s@198.51.100.7>;tag=t0\r\n"
            "To: <sip:100@192.0.2.10>;tag=%s\r\n"
            "Call-ID: %s\r\nCSeq: %d INVITE\r\nContent-Length: 0\r\n\r\n"
            % (code, reason, from_number, to_tag, call_id, cseq)).encode()


def to_phone(payload):
    return ipv4(udp(payload))


def from_phone(payload):
    return ipv4(udp(payload), src=(192, 0, 2, 10), dst=(198, 51, 100, 7))


def main(out):
    os.makedirs(out, exist_ok=True)
    w = lambda name, pkts: pcap(os.path.join(out, name + ".pcap"), pkts)

    # Finding 1: the phone refuses the first INVITE (420), the second reuses
    # its Call-ID with the blocked caller.
    w("callid_reuse", [
        to_phone(invite("reuse-1", [ALLOWED], extra=["Require: x-no-such-ext"])),
        from_phone(response("reuse-1", 420, "Bad Extension", ALLOWED)),
        to_phone(invite("reuse-1", [BLOCKED], cseq=2, branch="z9hG4bK2")),
    ])
    # Finding 1: a "retransmission" (same Call-ID, CSeq, branch) whose caller changed.
    w("retrans_changed", [
        to_phone(invite("retr-1", [ALLOWED])),
        to_phone(invite("retr-1", [BLOCKED])),
    ])
    # Control: a true retransmission is one call, announced once.
    w("retrans_same", [
        to_phone(invite("same-1", [ALLOWED])),
        to_phone(invite("same-1", [ALLOWED])),
        to_phone(invite("same-2", [BLOCKED])),
        to_phone(invite("same-2", [BLOCKED])),
    ])
    # Control: a provider forking one call to two lines of the adapter (same
    # caller, another To and branch) is still one call.
    w("fork_two_lines", [
        to_phone(invite("fork-1", [ALLOWED], to="<sip:100@192.0.2.10>")),
        to_phone(invite("fork-1", [ALLOWED], to="<sip:200@192.0.2.10>", branch="z9hG4bK9")),
    ])
    # Finding 2: two From headers, in both orders, and the compact form.
    w("two_from", [
        to_phone(invite("twofrom-1", [ALLOWED, BLOCKED])),
        to_phone(invite("twofrom-2", [BLOCKED, ALLOWED])),
        to_phone(invite("twofrom-3", [ALLOWED, "f: <sip:%s@198.51.100.7>;tag=c" % BLOCKED])),
    ])
    # Finding 2: repeated To, Call-ID or CSeq make the message malformed too.
    w("repeated_singletons", [
        to_phone(invite("rep-callid", [ALLOWED], call_ids=["rep-callid", "rep-callid-2"])),
        to_phone(invite("rep-cseq", [ALLOWED], extra=["CSeq: 7 INVITE"])),
        to_phone(invite("rep-to", [ALLOWED], extra=["To: <sip:200@192.0.2.10>"])),
        to_phone(invite("rep-none", [ALLOWED])),
    ])
    # Finding 4: an INVITE with a To tag for a dialog never seen.
    w("totag_unknown", [
        to_phone(invite("totag-1", [BLOCKED], to="<sip:100@192.0.2.10>;tag=ghost")),
    ])
    # Control: a re-INVITE inside an answered call stays a re-INVITE.
    w("reinvite_known", [
        to_phone(invite("reinv-1", [ALLOWED])),
        from_phone(response("reinv-1", 200, "OK", ALLOWED)),
        to_phone(invite("reinv-1", [ALLOWED], cseq=2, branch="z9hG4bK3",
                        to="<sip:100@192.0.2.10>;tag=ata1")),
    ])
    # Finding 5: IPv6 with 10 extension headers (and 2, which always worked).
    w("ipv6_ext", [
        ipv6(udp(invite("v6ext-10", [BLOCKED])), ext_headers=10),
        ipv6(udp(invite("v6ext-2", [BLOCKED])), ext_headers=2),
    ])
    # Finding 6: white space as RFC 3261 allows it and phones accept it.
    w("whitespace", [
        to_phone(invite("ws-tab-rl", [BLOCKED], request_line="INVITE\tsip:100@192.0.2.10\tSIP/2.0")),
        to_phone(invite("ws-from-tab", ["From:\t<sip:%s@198.51.100.7>;tag=x" % BLOCKED])),
        to_phone(invite("ws-folded", ["From: \"Folded\"\r\n\t<sip:%s@198.51.100.7>\r\n ;tag=y" % BLOCKED])),
        to_phone(invite("ws-name-tab", ["From\t:\t<sip:%s@198.51.100.7>;tag=z" % BLOCKED])),
    ])
    # Finding 6: what cannot be inspected is counted: a message cut short
    # before its version, and an INVITE with neither From nor Call-ID; not a
    # keep-alive nor RTP, which are not SIP.
    readable = invite("cut-1", [BLOCKED])
    w("uninspected", [
        to_phone(b"INVITE sip:100@192.0.2.10"),
        to_phone(b"INVITE sip:100@192.0.2.10 SIP/2.0\r\nVia: SIP/2.0/UDP x\r\n\r\n"),
        to_phone(b"\r\n\r\n"),
        to_phone(bytes([0x80, 0]) + b"rtp"),
        ipv4(udp(b"GET / HTTP/1.0\r\n\r\n", 40000, 80)),
        to_phone(readable),
    ])
    # Finding 7: ERSPAN type III with the O flag, cut right after the
    # 12-byte header: the 8-byte subheader lies past the frame (36 bytes).
    gre = struct.pack(">HH", 0, 0x22EB)
    erspan3 = bytes([0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01])
    w("erspan3_oflag", [ipv4(gre + erspan3, proto=47)])


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--lab":
        lab_messages(*sys.argv[2:])
    else:
        main(sys.argv[1])
