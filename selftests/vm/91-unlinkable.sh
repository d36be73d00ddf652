#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unlinkable migration (Documentation/protocol.rst, "Unlinkable migration";
# threat-model.rst): with Unlinkable = yes on the client, an observer of
# the client's uplinks who sees a session move wifi -> cell -> wifi cannot
# link its paths by any field on the wire. Both uplinks are captured (on
# the router's side: they stay up when the client's end goes down); each
# path (client address and port) is one binding epoch. The check: no 4
# bytes of any path's cleartext fields (data: receiver index, epoch,
# counter; control: everything after the common header, padding aside)
# appear on another path, and every sealed control message has the one
# padded length. JUMP_UNLINKABLE=no runs the same scenario without the
# feature: then these checks fail (the session id and the receiver index
# repeat on every path), which shows they can.
. "$(dirname "$0")/roam.sh"
command -v tcpdump >/dev/null || skip_all "tcpdump is not installed"
roam_setup ul
server_conf
client_conf "Unlinkable = ${JUMP_UNLINKABLE:-yes}" "RekeyInterval = 10s"

# Both of the client's uplinks, from birth on.
cap() {	# IFACE
	ip netns exec "$R" tcpdump -U -n -i "$1" -w "$T_OUT/$1.pcap" 'udp port 51820' \
		2> "$T_OUT/$1.pcap.log" &
}
cap wifi-r; CAP1=$!
cap cell-r; CAP2=$!
wait_until 20 grep -q "listening on" "$T_OUT/wifi-r.pcap.log" &&
	wait_until 20 grep -q "listening on" "$T_OUT/cell-r.pcap.log" || exit 1
start_server
start_client

wait_until 20 is_state "$C" attached && wait_until 5 is_state "$S" attached &&
	bound_from 10.1.0.2 && pings 5
r=$?; evidence; ok $r "birth over wifi, traffic crosses the tunnel (epoch 1)"

ip -n "$C" link set wifi down
wait_until 20 bound_from 10.2.0.2 && pings 5
r=$?; evidence; ok $r "wifi down: the session moves to cell, traffic resumes (epoch 2)"
[ "$(sfield "$C" binding.local_index)" -gt 1048576 ] 2>/dev/null &&
	[ "$(sfield "$S" binding.remote_index)" = "$(sfield "$C" binding.local_index)" ]
r=$?; evidence
if [ "${JUMP_UNLINKABLE:-yes}" = yes ]; then
	ok $r "the kernel bindings carry the epoch's own receiver indices, the same at both ends"
else
	ok $((!r)) "without Unlinkable the bindings keep the sessions' own indices"
fi

ip -n "$C" link set wifi up
ip -n "$C" route add default via 10.1.0.1 dev wifi metric 100 2>/dev/null
wait_until 20 bound_from 10.1.0.2 && pings 5
r=$?; evidence; ok $r "wifi back: the session returns to wifi on a new socket, traffic flows (epoch 3)"
# A rekey on the last path: sealed in-epoch messages, a new key id.
wait_until 30 audited "$CA" '.detail != null and (.detail|test("^rekey"))' && pings 3
r=$?; evidence; ok $r "the client rekeys on the last path (sealed in-epoch messages), traffic flows"
sleep 0.5
kill "$CAP1" "$CAP2"; wait "$CAP1" "$CAP2" 2>/dev/null

# analyze MODE: the captures, judged (details in $T_OUT/last).
analyze() {
	python3 - "$1" "$T_OUT/wifi-r.pcap" "$T_OUT/cell-r.pcap" > "$T_OUT/last" 2>&1 <<-'EOF'
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
	EOF
}

# Under tools/vm/run --out: the captures and the client's session (its
# unlink key) stay for a look.
if [ -n "${JUMP_VM_OUT:-}" ]; then
	mkdir -p "$JUMP_VM_OUT/91-unlinkable"
	cp "$T_OUT"/*.pcap "$T_OUT"/c-state/*.session "$JUMP_VM_OUT/91-unlinkable/" 2>/dev/null
fi
analyze paths
ok $? "the captures hold three paths of the session (wifi, cell, wifi again)"
analyze windows
ok $? "no 4 bytes of one path's cleartext fields (indices, tags, epochs, counters, attempts) repeat on another"
analyze lengths
ok $? "every control message after the birth handshake is 64 bytes (JUMP_UNLINKABLE_CTL_LEN)"
roam_done
