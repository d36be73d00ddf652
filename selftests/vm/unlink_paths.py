#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
Judges captures of a session's paths for unlinkable migration
(selftests/vm/91-unlinkable*.sh; Documentation/protocol.rst, "Unlinkable
migration"): a path is the client's address and port (10.1.0.2 or
10.2.0.2, the roaming topology's uplinks), each one binding epoch.

  unlink_paths.py MODE PCAP...
    paths    at least 3 paths
    windows  no 4 bytes of a path's cleartext fields (data: receiver index,
             epoch, counter; control: all after the common header, padding
             aside) appear on another path
    lengths  every control message after the birth handshake is 64 bytes

Exit 0 when the check holds; what it saw goes to standard output.
"""
import struct, sys
mode, files = sys.argv[1], sys.argv[2:]
# Documentation/protocol.rst: each type's exact length; sealed: 64.
LEN = {1: 144, 2: 84, 3: 28, 5: 32, 6: 28, 7: 64, 8: 52, 9: 52, 10: 40,
       11: 36, 12: 64, 13: 64, 14: 32, 15: 28, 16: 52, 17: 52, 18: 64,
       19: 40, 20: 40, 21: 64}
BIRTH = {1, 2, 3, 5, 6}
SEALED_LEN = 64
CLIENT = {bytes([10, 1, 0, 2]), bytes([10, 2, 0, 2])}
paths = {}
for f in files:
    d = open(f, 'rb').read()
    off = 24
    while off + 16 <= len(d):
        ts, tu, incl = struct.unpack('<III', d[off:off + 12])
        pkt = d[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(pkt) < 42 or pkt[12:14] != b'\x08\x00' or pkt[23] != 17:
            continue
        ihl = (pkt[14] & 15) * 4
        src, dst = pkt[26:30], pkt[30:34]
        sport, dport = struct.unpack('>HH', pkt[14 + ihl:18 + ihl])
        pl = pkt[14 + ihl + 8:]
        if not pl:
            continue
        key = (src, sport) if src in CLIENT else (dst, dport)
        p = paths.setdefault(key, {'t': ts + tu / 1e6, 'win': {}, 'n': 0, 'ctl': [],
                                   'birth': False})
        p['n'] += 1
        t = pl[0]
        if t == 4:
            region = pl[4:20]		# receiver index, epoch, counter
        else:
            region = pl[4:LEN.get(t, len(pl))]	# all but the header and padding
            p['ctl'].append((t, len(pl)))
            p['birth'] |= t == 1
        for i in range(len(region) - 3):
            p['win'].setdefault(region[i:i + 4], (t, i + 4))
names = {}
for k, p in sorted(paths.items(), key=lambda kv: kv[1]['t']):
    names[k] = '%d.%d.%d.%d:%d' % (*k[0], k[1])
    print('# path %s: %d packets, %d control %s' % (names[k], p['n'], len(p['ctl']),
          sorted(set(p['ctl']))))
fail = 0
if mode == 'paths':
    fail = len(paths) < 3
elif mode == 'windows':
    ks = sorted(paths, key=lambda k: paths[k]['t'])
    for i, a in enumerate(ks):
        for b in ks[i + 1:]:
            common = set(paths[a]['win']) & set(paths[b]['win'])
            if common:
                print('%d windows of %s repeat on %s' % (len(common), names[a], names[b]))
            for w in sorted(common, key=lambda w: -len(set(w)))[:5]:
                print('repeats: %s on %s (type %d offset %d) and %s (type %d offset %d)' %
                      (w.hex(), names[a], *paths[a]['win'][w], names[b], *paths[b]['win'][w]))
            fail |= bool(common)
elif mode == 'lengths':
    for k, p in paths.items():
        for t, n in p['ctl']:
            if t not in BIRTH and n != SEALED_LEN:
                print('type %d is %d bytes on %s, not %d' % (t, n, names[k], SEALED_LEN))
                fail = 1
sys.exit(1 if fail else 0)
