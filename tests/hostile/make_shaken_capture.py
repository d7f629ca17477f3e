#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes shaken.pcap for test_shaken_read.sh: INVITEs carrying STIR/SHAKEN
in each form a carrier uses, from the provider 198.51.100.7 and from a
stranger 203.0.113.66, to the adapter 192.0.2.10 on the line +12125551234.

usage: make_shaken_capture.py OUTDIR
       make_shaken_capture.py --lab OUTDIR PROVIDER_IP PHONE_IP
         (raw INVITEs for tests/lab/shaken_phone.sh, to the baresip user bob)

Each call's Call-ID names what the test expects of it."""
import base64
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_identity_captures import invite, ipv4, pcap, udp  # noqa: E402

PROVIDER = (198, 51, 100, 7)
STRANGER = (203, 0, 113, 66)
LINE = "+12125551234"
TO = "<sip:%s@192.0.2.10>" % LINE
RURI = "INVITE sip:%s@192.0.2.10 SIP/2.0" % LINE


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def passport(attest):
    """A PASSporT shaped as RFC 8588 writes one; the signature is filler:
    sipcid does not verify it."""
    header = {"alg": "ES256", "ppt": "shaken", "typ": "passport",
              "x5u": "https://cert.example.org/passport.cer"}
    payload = {"attest": attest, "dest": {"tn": [LINE[1:]]}, "iat": 1700000000,
               "orig": {"tn": "12125550100"}, "origid": "6c5e3a6e-1c1f-4b5f-8e0e-0d3c7a1d2b9f"}
    parts = [b64url(json.dumps(x, separators=(",", ":")).encode()) for x in (header, payload)]
    return ".".join(parts + [b64url(bytes(range(64)))])


def message(call_id, frm, extra=(), host="198.51.100.7", to=TO, request_line=RURI, sdp=False):
    token = call_id.split("@")[0]  # tags and branches are tokens: no '@'
    return invite(call_id, ["From: %s;tag=%s" % (frm, token)], to=to, request_line=request_line,
                  extra=extra, host=host, branch="z9hG4bK" + token, sdp=sdp)


def call(call_id, frm, extra=(), src=PROVIDER):
    return ipv4(udp(message(call_id, frm, extra, host="%d.%d.%d.%d" % src)), src=src)


def lab_messages(out, prov, phone):
    """The lab's INVITEs, from the provider to baresip (user bob) on the
    line +12125551234 (the To user): one spoofed (failed verification), one
    from the line's own exchange unverified, one verified from that exchange."""
    os.makedirs(out, exist_ok=True)
    common = dict(host=prov, to="<sip:%s@%s>" % (LINE, phone),
                  request_line="INVITE sip:bob@%s SIP/2.0" % phone, sdp=True)
    calls = {
        "failed": "\"Totally Real Bank\" <sip:+13135550102@%s;verstat=TN-Validation-Failed>" % prov,
        "neighbour": "<sip:+12125550199@%s>" % prov,
        "verified": "\"Neighbour\" <sip:+12125550198;verstat=TN-Validation-Passed-A@%s>" % prov,
    }
    for name, frm in calls.items():
        with open(os.path.join(out, name + ".sip"), "wb") as f:
            f.write(message(name + "@lab", frm, **common))


def main(out):
    os.makedirs(out, exist_ok=True)
    identity = "Identity: %s;info=<https://cert.example.org/passport.cer>;alg=ES256;ppt=\"shaken\""
    packets = [
        # verstat in the From user part, from the provider: verified, rings
        call("passed-user", "\"Verified Caller\" <sip:+13135550100;verstat=TN-Validation-Passed"
                            "@carrier.example>"),
        # as a URI parameter of PAI, with the attestation suffix
        call("passed-pai-a", "<sip:+13135550101@carrier.example>",
             ["P-Asserted-Identity: <sip:+13135550101@carrier.example;user=phone;"
              "verstat=TN-Validation-Passed-A>"]),
        # failed verification: block verstat failed
        call("failed", "\"Totally Real Bank\" <sip:+13135550102@carrier.example;"
                       "verstat=TN-Validation-Failed>"),
        # no validation, P-Attestation-Indicator
        call("noval-ind-b", "<tel:+13135550103;verstat=No-TN-Validation>",
             ["P-Attestation-Indicator: B"]),
        # only an Identity header
        call("identity-c", "<sip:+13135550104@carrier.example>", [identity % passport("C")]),
        # the line's own exchange, unverified: block neighbour-spoof
        call("neighbour", "<sip:+12125550199@carrier.example>"),
        # the line's own exchange, verified: a real neighbour, rings
        call("neighbour-verified", "<sip:+12125550198;verstat=TN-Validation-Passed"
                                   "@carrier.example>"),
        # a stranger's claims count for nothing
        call("stranger", "<sip:+13135550105;verstat=TN-Validation-Passed@carrier.example>",
             ["P-Attestation-Indicator: A", identity % passport("A")], src=STRANGER),
        # hostile: two verstats that disagree, an Identity with duplicate claims
        call("conflict", "<sip:+13135550106;verstat=TN-Validation-Passed@carrier.example;"
                         "verstat=TN-Validation-Failed>",
             ["Identity: %s.%s.c2ln" % (b64url(b"{}"),
                                        b64url(b'{"attest":"A","attest":"C"}'))]),
    ]
    pcap(os.path.join(out, "shaken.pcap"), packets)


if __name__ == "__main__":
    if sys.argv[1] == "--lab":
        lab_messages(*sys.argv[2:5])
    else:
        main(sys.argv[1])
