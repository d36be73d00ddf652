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

# analyze MODE: the captures, judged by unlink_paths.py (details in $T_OUT/last).
analyze() {
	python3 "$(dirname "$0")/unlink_paths.py" "$1" "$T_OUT/wifi-r.pcap" "$T_OUT/cell-r.pcap" \
		> "$T_OUT/last" 2>&1
}

# Under tools/vm/run --out: the captures and the client's session (its
# unlink key) stay for a look.
if [ -n "${JUMP_VM_OUT:-}" ]; then
	mkdir -p "$JUMP_VM_OUT/$(basename "$0" .sh)"
	cp "$T_OUT"/*.pcap "$T_OUT"/c-state/*.session "$JUMP_VM_OUT/$(basename "$0" .sh)/" 2>/dev/null
fi
analyze paths
ok $? "the captures hold three paths of the session (wifi, cell, wifi again)"
analyze windows
ok $? "no 4 bytes of one path's cleartext fields (indices, tags, epochs, counters, attempts) repeat on another"
analyze lengths
ok $? "every control message after the birth handshake is 64 bytes (JUMP_UNLINKABLE_CTL_LEN)"
roam_done
