#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Capture and resend jump data packets, for the wire tests.

  pkt.py capture IFACE DPORT COUNT TIMEOUT   print COUNT UDP payloads (hex)
                                              to DPORT seen on IFACE that
                                              carry data (not keepalives)
  pkt.py send SPORT DST DPORT HEX [flip N]   send HEX from local port SPORT,
                                              with byte N inverted if asked
"""
import socket
import struct
import sys
import time

DATA_HEADER, TAG = 20, 16


def udp_payload(frame):
    """The UDP payload and destination port of an IPv4/IPv6 frame, or None."""
    ethertype = struct.unpack("!H", frame[12:14])[0]
    if ethertype == 0x0800:
        ihl = (frame[14] & 0x0F) * 4
        if frame[23] != 17:
            return None
        udp = frame[14 + ihl:]
    elif ethertype == 0x86DD:
        if frame[20] != 17:
            return None
        udp = frame[54:]
    else:
        return None
    dport, length = struct.unpack("!HH", udp[2:6])
    return dport, udp[8:length]


def capture(iface, dport, count, timeout):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.bind((iface, 0))
    s.settimeout(0.2)
    print("ready", file=sys.stderr, flush=True)
    found, deadline = 0, time.time() + timeout
    while found < count and time.time() < deadline:
        try:
            frame, addr = s.recvfrom(65535)
        except socket.timeout:
            continue
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        got = udp_payload(frame)
        if got and got[0] == dport and got[1][0] == 4 and \
                len(got[1]) > DATA_HEADER + TAG:
            print(got[1].hex(), flush=True)
            found += 1
    return 0 if found == count else 1


def send(sport, dst, dport, hexdata, flip=None):
    data = bytearray.fromhex(hexdata)
    if flip is not None:
        data[flip] ^= 0xFF
    family = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind(("", sport))
    s.sendto(bytes(data), (dst, dport))
    return 0


def main(argv):
    if len(argv) >= 5 and argv[1] == "capture":
        return capture(argv[2], int(argv[3]), int(argv[4]),
                       float(argv[5]) if len(argv) > 5 else 5)
    if len(argv) in (6, 8) and argv[1] == "send":
        flip = int(argv[7]) if len(argv) == 8 and argv[6] == "flip" else None
        return send(int(argv[2]), argv[3], int(argv[4]), argv[5], flip)
    print(__doc__, file=sys.stderr)
    return 2


sys.exit(main(sys.argv))
