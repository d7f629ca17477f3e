#!/usr/bin/env python3
"""802.1Q-tagged UDP frames for the lab, sent and captured with AF_PACKET, so
a test does not need the kernel's VLAN devices (8021q). Loops are bounded.

  vlan_frames.py send IFACE DST_MAC VID SRC_IP DST_IP SPORT DPORT FILE
  vlan_frames.py recv [--timeout S] [--count N] IFACE OUTDIR
      (OUTDIR/NNNNNN.bin per frame seen on IFACE, OUTDIR/ready once listening)"""
import argparse
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "flood"))
from flood_pcap import udp  # noqa: E402  (the IPv4 and UDP headers)

ETH_P_ALL = 0x0003


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def send(a):
    ip = udp(a.src_ip, a.sport, a.dst_ip, a.dport, open(a.file, "rb").read())
    own = open("/sys/class/net/%s/address" % a.iface).read().strip()
    frame = mac(a.dst_mac) + mac(own) + struct.pack("!HHH", 0x8100, a.vid & 0xFFF, 0x0800) + ip
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.iface, 0))
    s.send(frame)


def recv(a):
    os.makedirs(a.outdir, exist_ok=True)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((a.iface, 0))
    open(os.path.join(a.outdir, "ready"), "w").close()
    end = time.monotonic() + a.timeout
    n = 0
    while n < a.count and time.monotonic() < end:
        s.settimeout(max(0.01, end - time.monotonic()))
        try:
            data = s.recv(70000)
        except socket.timeout:
            break
        with open(os.path.join(a.outdir, "%06d.bin" % n), "wb") as f:
            f.write(data)
        n += 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("send")
    for name in ("iface", "dst_mac"):
        s.add_argument(name)
    s.add_argument("vid", type=int)
    s.add_argument("src_ip")
    s.add_argument("dst_ip")
    s.add_argument("sport", type=int)
    s.add_argument("dport", type=int)
    s.add_argument("file")
    s.set_defaults(fn=send)
    s = sub.add_parser("recv")
    s.add_argument("--timeout", type=float, default=30)
    s.add_argument("--count", type=int, default=1000)
    s.add_argument("iface")
    s.add_argument("outdir")
    s.set_defaults(fn=recv)
    a = p.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
