#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Hostile control packets for the soak (97-soak.sh), sent to the server.

  soak_inject.py KIND PCAP SESSIONFILE SRC-ADDR SRC-PORT

KIND is one of:
  replay   a REATTACH_REQUEST captured earlier (from PCAP), resent as is
  forge    the same with one byte of its MAC changed
  valid    a fresh request MACed with the session's reattach key (read
           from the client's SESSIONFILE, as a thief of that key would),
           from an address that cannot answer the challenge
  garbage  random bytes of a random length
Prints one JSON line for faults.jsonl: what was sent and from where.
"""
import hashlib
import json
import os
import random
import socket
import struct
import sys
import time

SERVER = ("10.3.0.2", 51820)
REQUEST, REQUEST_LEN = 7, 64


def captured_requests(pcap):
    """Complete REATTACH_REQUEST payloads of an IPv4 pcap being written."""
    try:
        d = open(pcap, "rb").read()
    except OSError:
        return []
    off, out = 24, []
    while off + 16 <= len(d):
        incl = struct.unpack("<I", d[off + 8:off + 12])[0]
        pkt = d[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(pkt) < incl or len(pkt) < 14 + 20 + 8:
            break
        ihl = (pkt[14] & 15) * 4
        payload = pkt[14 + ihl + 8:]
        if len(payload) == REQUEST_LEN and payload[0] == REQUEST:
            out.append(payload)
    return out


def valid_request(session_file):
    kv = dict(l.strip().split("=", 1) for l in open(session_file) if "=" in l)
    key = bytes.fromhex(kv["reattach"])
    body = struct.pack(">BBHQIQQ", REQUEST, 0, 0, int(kv["id"], 16), int(kv["epoch"]) + 1,
                       int(kv["attempt"]) + random.randint(100, 10000), time.time_ns()) + bytes(16)
    return body + hashlib.blake2b(body, digest_size=16, key=key).digest()


def main():
    kind, pcap, session_file, addr, port = sys.argv[1:6]
    payload = None
    if kind in ("replay", "forge"):
        reqs = captured_requests(pcap)
        if reqs:
            payload = bytearray(random.choice(reqs))
            if kind == "forge":
                payload[-1 - random.randrange(16)] ^= 1 + random.randrange(255)
            payload = bytes(payload)
    elif kind == "valid":
        try:
            payload = valid_request(session_file)
        except (OSError, KeyError, ValueError):
            payload = None
    elif kind == "garbage":
        payload = os.urandom(random.randint(1, 200))
    if payload is None:
        # Nothing to replay yet: say so rather than pretend.
        print(json.dumps({"kind": "inject_skipped", "what": kind, "time_ns": time.time_ns()}))
        return 0
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    s.sendto(payload, SERVER)
    print(json.dumps({"kind": "inject", "what": kind, "time_ns": time.time_ns(),
                      "source": "%s:%s" % (addr, port), "bytes": len(payload),
                      "type": payload[0]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
