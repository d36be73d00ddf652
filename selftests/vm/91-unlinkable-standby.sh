#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unlinkable migration with a standby path (91-unlinkable.sh does it with
# reattaches): with Unlinkable = yes and StandbyPath = yes the client keeps
# cell validated as the standby of its wifi binding (STANDBY_REQUEST and
# keepalives under the next epoch's tag), promotes it when wifi goes (the
# kernel switches to the standby's own indices and masks in that one
# transition), goes back to wifi by a planned switch when it returns and
# validates a new standby on cell. Both uplinks are captured; every path
# (client address and port) is one epoch, and none repeats 4 bytes of
# another's cleartext fields; every control message after the birth
# handshake is 64 bytes.
. "$(dirname "$0")/roam.sh"
command -v tcpdump >/dev/null || skip_all "tcpdump is not installed"
roam_setup us
server_conf
client_conf "Unlinkable = ${JUMP_UNLINKABLE:-yes}" "StandbyPath = yes" "StandbyKeepalive = 1s"
standby_from() { sfield "$C" standby.local | grep -q "^$1:"; }

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
	bound_from 10.1.0.2 && wait_until 15 standby_from 10.2.0.2 && pings 3
r=$?; evidence; ok $r "birth over wifi (epoch 1), cell validated as the standby"
sleep 2	# a few STANDBY_KEEPALIVEs on cell

ip -n "$C" link set wifi down
wait_until 20 bound_from 10.2.0.2 && pings 3
r=$?; evidence; ok $r "wifi down: the standby on cell is promoted, traffic resumes (epoch 2)"
audited "$CA" '.event=="transition" and .reason=="standby_promoted"' &&
	[ "$(sfield "$C" binding.local_index)" -gt 1048576 ] 2>/dev/null &&
	[ "$(sfield "$S" binding.remote_index)" = "$(sfield "$C" binding.local_index)" ]
r=$?; evidence; ok $r "the promotion installs the standby's own receiver indices, the same at both ends"

ip -n "$C" link set wifi up
ip -n "$C" route replace default via 10.1.0.1 dev wifi metric 100
wait_until 20 bound_from 10.1.0.2 && wait_until 20 standby_from 10.2.0.2 && pings 3
r=$?; evidence; ok $r "wifi back: bound over wifi again (epoch 3), a new standby on cell"
sleep 2
kill "$CAP1" "$CAP2"; wait "$CAP1" "$CAP2" 2>/dev/null

analyze() {	# MODE: unlink_paths.py's judgement (details in $T_OUT/last)
	python3 "$(dirname "$0")/unlink_paths.py" "$1" "$T_OUT/wifi-r.pcap" "$T_OUT/cell-r.pcap" \
		> "$T_OUT/last" 2>&1
}
if [ -n "${JUMP_VM_OUT:-}" ]; then
	mkdir -p "$JUMP_VM_OUT/$(basename "$0" .sh)"
	cp "$T_OUT"/*.pcap "$T_OUT"/c-state/*.session "$JUMP_VM_OUT/$(basename "$0" .sh)/" 2>/dev/null
fi
analyze paths
ok $? "the captures hold the paths of the session (wifi, the standbys on cell, wifi again)"
analyze windows
ok $? "no 4 bytes of one path's cleartext fields repeat on another, standby keepalives and promotion included"
analyze lengths
ok $? "every control message after the birth handshake is 64 bytes, the standby's too"
roam_done
