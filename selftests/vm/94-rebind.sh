#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Server-initiated rebind (RebindProbe = yes; protocol.rst, "Server-initiated
# rebind"): the roaming topology of roam.sh, the router forgets its NAT
# mappings while traffic flows. The server sees authentic data from the new
# mapping, challenges it at once, and moves the binding when the client
# answers from there: the session never goes degraded. A replayed or forged
# data packet from another source challenges nobody and moves nothing.
. "$(dirname "$0")/roam.sh"
roam_setup rb
server_conf "RebindProbe = yes" "MaxSwitches = 100" "SwitchInterval = 1m"
client_conf
start_server
start_client

wait_until 20 is_state "$C" attached && wait_until 5 is_state "$S" attached && pings 3
r=$?; evidence; ok $r "birth: the session attaches and traffic flows"

# --- a data packet from elsewhere that is not fresh and authentic ---
capture_start "$R" srv-r "$T_OUT/data.pcap" 'udp dst port 51820 and udp[8] = 4' || exit 1
pcap_has_packet() { [ "$(stat -c %s "$T_OUT/data.pcap" 2>/dev/null || echo 0)" -gt 64 ]; }
pings 3
wait_until 10 pcap_has_packet || pings 3
capture_stop
python3 - "$T_OUT/data.pcap" > "$T_OUT/data.hex" <<-'EOF'
	import struct, sys
	d = open(sys.argv[1], 'rb').read()
	off, first = 24, None
	while off + 16 <= len(d):
	    incl = struct.unpack('<I', d[off + 8:off + 12])[0]
	    pkt = d[off + 16:off + 16 + incl]
	    off += 16 + incl
	    ihl = (pkt[14] & 15) * 4
	    first = first or pkt[14 + ihl + 8:]
	print(first.hex() if first else '')
EOF
DATA=$(cat "$T_OUT/data.hex")
[ ${#DATA} -ge 72 ]
r=$?; ok $r "a data packet of the session was captured on the wire"
[ $r -eq 0 ] || DATA=04$(printf '%070d' 0)	# still a packet for the next check

bound=$(sfield "$S" binding.remote)
no_challenge() { ! audited "$SA" '.event=="accept" and (.detail|test("rebind_challenge"))'; }
send_ctl "$R" 10.3.0.1 "$DATA"
last=$(( ${#DATA} - 2 ))
send_ctl "$R" 10.3.0.1 "${DATA:0:$last}$(printf '%02x' $(( (0x${DATA:$last:2} + 1) % 256 )))"
sleep 2
why "a rebind_challenge was sent" no_challenge &&
	why "the server's binding moved" [ "$(sfield "$S" binding.remote)" = "$bound" ] &&
	why "no ping through" pings 2
r=$?; evidence; ok $r "a replayed and a forged data packet from another source start no rebind; binding kept"

# --- NAT rebinding under traffic ---
ip netns exec "$C" ping -i 0.1 -W 1 10.9.0.1 > "$T_OUT/ping.log" 2>&1 &
PING_PID=$!
sleep 1
ip netns exec "$R" nft -f - <<-EOF
	flush chain ip nat post
	add rule ip nat post oifname "srv-r" meta l4proto udp masquerade to :40000-40999 random
EOF
ip netns exec "$R" conntrack -D -p udp >/dev/null 2>&1
new_mapping() {
	local now
	now=$(sfield "$S" binding.remote)
	[ -n "$now" ] && [ "$now" != "$bound" ] && is_state "$S" attached && is_state "$C" attached
}
wait_until 10 new_mapping && pings 3
r=$?; evidence; ok $r "NAT rebinding: the binding moves to the new mapping ($bound -> $(sfield "$S" binding.remote))"
kill "$PING_PID"; wait "$PING_PID" 2>/dev/null
audited "$SA" '.event=="accept" and (.detail|test("rebind_challenge sent"))' &&
audited "$SA" '.event=="accept" and (.detail|test("rebind validated"))' &&
audited "$CA" '.event=="accept" and (.detail|test("rebind committed"))'
r=$?; evidence; ok $r "it moved by the server's challenge: rebind_challenge, validated, committed (audit)"
! audited "$CA" '.event=="transition" and .to=="degraded"' &&
! audited "$SA" '.event=="transition" and .to=="degraded"'
ok $? "neither side went degraded"
audited "$SA" '.event=="transition" and .to=="attached" and .reason=="reattach_complete"' &&
audited "$CA" '.event=="transition" and .to=="recovering" and .reason=="reattach_requested"'
ok $? "both sides committed it with the usual transitions (reattach_requested, reattach_complete)"

roam_done
