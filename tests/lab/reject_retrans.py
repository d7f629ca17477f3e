#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# reject_retrans.py HOST PORT CALL_ID NUMBER CODE: the provider's side of a
# blocked call over UDP, by hand: sends one INVITE, then the very same bytes
# again (a retransmission), and expects a response to each, identical, with
# status CODE, the INVITE's Via, From, Call-ID and CSeq, and a To tag; then
# sends the ACK. Bounded: 3 s for each response. Exit 0 on success.
import socket
import sys

host, port, call_id, number, code = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind(("", 5062))
s.settimeout(3)
me = s.getsockname()[0]
local = "[%s]" % me if fam == socket.AF_INET6 else me
dest = "[%s]" % host if fam == socket.AF_INET6 else host
via = "SIP/2.0/UDP prov.example:5062;branch=z9hG4bK-%s;rport" % call_id
headers = [
    "Via: " + via,
    "v: SIP/2.0/UDP edge.example;branch=z9hG4bK-edge, SIP/2.0/UDP core.example;branch=z9hG4bK-core",
    'From: "Mallory" <sip:%s@prov.example>;tag=m1' % number,
    "To: <sip:bob@%s>" % dest,
    "Call-ID: " + call_id,
    "CSeq: 42 INVITE",
    "Contact: <sip:mallory@prov.example>",
    "Max-Forwards: 70",
    "Content-Length: 0",
]
invite = ("INVITE sip:bob@%s:%d SIP/2.0\r\n" % (dest, port) + "\r\n".join(headers) + "\r\n\r\n").encode()


def fail(why):
    print("FAIL: " + why, file=sys.stderr)
    sys.exit(1)


got = []
for attempt in range(2):
    s.sendto(invite, (host, port))
    try:
        data, _ = s.recvfrom(65535)
    except socket.timeout:
        fail("no response to INVITE number %d" % (attempt + 1))
    got.append(data)
if got[0] != got[1]:
    fail("the retransmission got another response:\n%r\n%r" % got)
text = got[0].decode("latin-1")
print(text)
lines = text.split("\r\n")
if not lines[0].startswith("SIP/2.0 %s " % code):
    fail("status line %r, expected %s" % (lines[0], code))
want = [
    "Via: " + via,
    "Via: SIP/2.0/UDP edge.example;branch=z9hG4bK-edge, SIP/2.0/UDP core.example;branch=z9hG4bK-core",
    'From: "Mallory" <sip:%s@prov.example>;tag=m1' % number,
    "Call-ID: " + call_id,
    "CSeq: 42 INVITE",
    "Content-Length: 0",
]
for w in want:
    if w not in lines:
        fail("missing %r" % w)
to = [l for l in lines if l.startswith("To: ")]
if len(to) != 1 or not to[0].startswith("To: <sip:bob@%s>;tag=" % dest) or len(to[0].split(";tag=")[1]) < 8:
    fail("To %r has no tag" % to)
if any(l.startswith(("Contact", "Max-Forwards")) for l in lines):
    fail("copied a header it must not")
if not text.endswith("\r\n\r\n"):
    fail("no empty line at the end")
ack = ("ACK sip:bob@%s:%d SIP/2.0\r\n" % (dest, port) + "\r\n".join(
    ["Via: " + via, headers[2], to[0], "Call-ID: " + call_id, "CSeq: 42 ACK", "Max-Forwards: 70",
     "Content-Length: 0"]) + "\r\n\r\n").encode()
s.sendto(ack, (host, port))
# a third response would be a retransmission sipcidd never sends
s.settimeout(0.5)
try:
    extra, _ = s.recvfrom(65535)
    fail("an unexpected third message: %r" % extra)
except socket.timeout:
    pass
print("ok: two identical %s responses, ACK sent" % code)
