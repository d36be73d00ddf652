#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Load for the control-plane section of make bench (tools/bench/ctlplane.sh).

  reattach_load.py valid SESSIONFILE SECONDS   fresh, valid REATTACH_REQUESTs
                                               (MACed with the session's
                                               reattach key) from many ports;
                                               prints challenges/s received
  reattach_load.py flood SECONDS               forged requests and garbage as
                                               fast as it can; prints pkts/s

A request the server has validated (MAC, freshness, policy) is answered by a
REATTACH_CHALLENGE to its source, so challenges received per second is the
rate at which jumpd validates reattach requests. Nobody confirms them: the
commit that follows a real one is not in this loop.
"""
import hashlib
import json
import os
import selectors
import socket
import struct
import sys
import time

SERVER = ("10.3.0.2", 51820)
REQUEST, CHALLENGE = 7, 8
PORTS = 256
WINDOW = 64


def sockets(n):
    out = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("10.3.0.1", 0))
        s.setblocking(False)
        out.append(s)
    return out


def valid(session_file, seconds):
    kv = dict(l.strip().split("=", 1) for l in open(session_file) if "=" in l)
    key = bytes.fromhex(kv["reattach"])
    sid, epoch, attempt = int(kv["id"], 16), int(kv["epoch"]), int(kv["attempt"]) + 100000
    socks = sockets(PORTS)
    sel = selectors.DefaultSelector()
    for s in socks:
        sel.register(s, selectors.EVENT_READ)
    sent = got = other = 0
    outstanding = 0
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        while outstanding < WINDOW:
            attempt += 1
            body = struct.pack(">BBHQIQQ", REQUEST, 0, 0, sid, epoch + 1, attempt,
                               time.time_ns()) + bytes(16)
            socks[i % PORTS].sendto(body + hashlib.blake2b(body, digest_size=16, key=key).digest(),
                                    SERVER)
            i += 1
            sent += 1
            outstanding += 1
        events = sel.select(timeout=0.05)
        if not events:
            outstanding = max(0, outstanding - WINDOW // 4)   # lost: refill
        for k, _ in events:
            try:
                while True:
                    d = k.fileobj.recv(256)
                    outstanding = max(0, outstanding - 1)
                    if d and d[0] == CHALLENGE:
                        got += 1
                    else:
                        other += 1
            except BlockingIOError:
                pass
    print(json.dumps({"sent": sent, "challenges": got, "other_replies": other,
                      "seconds": seconds, "per_s": round(got / seconds)}))


def flood(seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.3.0.66", 0))
    junk = [os.urandom(64) for _ in range(64)]
    n, end = 0, time.monotonic() + seconds
    forged = bytearray(os.urandom(64))
    forged[0] = REQUEST
    while time.monotonic() < end:
        for j in junk:
            s.sendto(j if n % 2 else bytes(forged), SERVER)
            n += 1
    print(json.dumps({"sent": n, "seconds": seconds, "per_s": round(n / seconds)}))


def main():
    if sys.argv[1] == "valid":
        valid(sys.argv[2], float(sys.argv[3]))
    elif sys.argv[1] == "flood":
        flood(float(sys.argv[2]))
    else:
        sys.exit("usage: reattach_load.py valid SESSIONFILE SECONDS | flood SECONDS")


if __name__ == "__main__":
    main()
