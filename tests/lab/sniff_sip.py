#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# sniff_sip.py IFACE OUTFILE READYFILE SECONDS: every UDP datagram on IFACE
# (in the namespace it runs in) whose payload looks like SIP, as one line
# "METHOD-or-STATUS CALL-ID CSEQ" in OUTFILE, for at most SECONDS (or until
# OUTFILE.stop exists). IPv4 and IPv6, from or to port 5060. What reached the phone's wire.
import os
import re
import socket
import struct
import sys
import time

iface, outfile, ready, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
port = 5060
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
s.bind((iface, 0))
s.settimeout(0.1)
open(ready, "w").close()
end = time.monotonic() + seconds
with open(outfile, "w", buffering=1) as out:
    while time.monotonic() < end and not os.path.exists(outfile + ".stop"):
        try:
            frame, addr = s.recvfrom(65535)
        except socket.timeout:
            continue
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        etype = struct.unpack("!H", frame[12:14])[0]
        if etype == 0x0800 and frame[23] == 17:
            l4 = frame[14 + (frame[14] & 15) * 4:]
        elif etype == 0x86DD and frame[20] == 17:
            l4 = frame[54:]
        else:
            continue
        sport, dport = struct.unpack("!HH", l4[0:4])
        if port not in (sport, dport):
            continue  # announcements and the rest: not SIP to the phone
        payload = l4[8:]
        text = payload.decode("latin-1")
        first = text.split("\r\n", 1)[0].split(" ")
        if len(first) < 2:
            continue
        word = first[1] if first[0].startswith("SIP/") else first[0]
        cid = re.search(r"^(?:Call-ID|i)\s*:\s*(\S+)", text, re.M | re.I)
        cseq = re.search(r"^CSeq\s*:\s*(\d+)", text, re.M | re.I)
        out.write("%s %s %s\n" % (word, cid.group(1) if cid else "-", cseq.group(1) if cseq else "-"))
