#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The single binding in motion: a binding swap and a key swap under
# traffic, liveness walking the states on silence and back, IPv6 outer,
# and module unload with traffic flowing.
. "$(dirname "$0")/lib.sh"
setup_pair mob 6

in_a ping -c 3 -i 0.2 -W 2 10.9.0.2 > "$T_OUT/last" 2>&1
ok $? "ping over jump0: IPv4 inner, IPv6 outer"
in_b ping -c 3 -i 0.2 -W 2 fd09::1 > "$T_OUT/last" 2>&1
ok $? "ping over jump0: IPv6 inner, IPv6 outer"

# flood COUNT: pings A -> B every 20 ms in the background; $FLOOD_PID.
flood() {
	in_a ping -c "$1" -i 0.02 -W 1 10.9.0.2 > "$T_OUT/flood" 2>&1 &
	FLOOD_PID=$!
}
# received: after "wait $FLOOD_PID", how many pings came back.
received() {
	sed -n 's/.* \([0-9]*\) received.*/\1/p' "$T_OUT/flood"
}

# reattach NS VERSION LOCAL REMOTE REASON: recovering, then attached anew.
reattach() {
	local ns=$1 v=$2
	j$ns session set dev jump0 id "$SID" version "$v" state recovering \
		reason "$5" >/dev/null &&
	j$ns session set dev jump0 id "$SID" version $((v + 1)) state attached \
		reason reattach_complete local "$3" remote "$4" >/dev/null
}

flood 150
sleep 1
va=$(version a)
vb=$(version b)
reattach a "$va" "[fd00::1]:51820" "[fd00::2]:51822" reattach_requested &&
reattach b "$vb" "[fd00::2]:51822" "[fd00::1]:51820" planned_switch
ok $? "both ends commit a new binding (client moves to port 51822)"
wait "$FLOOD_PID"
got=$(received)
diag "binding swap under a 20 ms ping stream: $got of 150 delivered"
[ "${got:-0}" -ge 120 ]
ok $? "a binding swap in the middle of a transfer loses at most the packets in flight"
[ "$(ja -j session show dev jump0 id "$SID" | jq -r '.[0].binding.epoch')" = 2 ] &&
[ "$(jb -j session show dev jump0 id "$SID" | jq -r '.[0].binding.epoch')" = 2 ]
ok $? "both ends are at binding epoch 2"
flood 100
sleep 0.7
rekey 2
ok $? "a new key is installed in both secondary slots and swapped in"
wait "$FLOOD_PID"
got=$(received)
diag "key swap under a 20 ms ping stream: $got of 100 delivered"
[ "$got" = 100 ]
ok $? "a key swap in the middle of a transfer loses no packet"
[ "$(ja -j -d session show dev jump0 id "$SID" | jq -c '[.[0].keys[] | [.slot, .id]]')" = '[["primary",2],["secondary",1]]' ]
ok $? "the new key is primary, the old one secondary"
ja -j -d -s session show dev jump0 id "$SID" > "$T_OUT/show"
! grep -qF -e "$K3" -e "$K4" -e "$K1" "$T_OUT/show"
ok $? "key material cannot be read back"

# Silence: short thresholds on B, then cut the wire for B's input.
jb session set dev jump0 id "$SID" keepalive 200 volatile 600 degraded 1200 >/dev/null
ja session set dev jump0 id "$SID" keepalive 200 volatile 600 degraded 1200 >/dev/null
jb -t monitor > "$T_OUT/mon" 2>&1 &
MON_PID=$!
sleep 0.5
in_b nft -f - <<NFT
table inet cut { chain in { type filter hook input priority 0; udp dport 51822 drop; }; }
NFT
sleep 2
state_cut=$(jb -j session show dev jump0 id "$SID" | field state)
in_b nft delete table inet cut
sleep 1
kill "$MON_PID"
MON_PID=
grep -q "attached -> volatile reason rx_silence" "$T_OUT/mon"
ok $? "receive silence moves attached -> volatile (rx_silence)"
grep -q "volatile -> degraded reason rx_silence" "$T_OUT/mon"
ok $? "more silence moves volatile -> degraded (rx_silence)"
[ "$state_cut" = degraded ]
ok $? "the session rests in degraded while the wire is cut"
grep -q "degraded -> attached reason rx_resumed" "$T_OUT/mon"
ok $? "authenticated traffic on the bound transport brings it back (rx_resumed)"
[ "$(jb -j session show dev jump0 id "$SID" | field state)" = attached ]
ok $? "the session is attached again"
[ "$(jb -j session show dev jump0 id "$SID" | jq -r '.[0].binding.epoch')" = 2 ]
ok $? "silence never moved the binding"

# Unload under traffic: the module must take its sessions and sockets down
# cleanly and say nothing alarming.
dmesg -c > /dev/null
flood 200
sleep 0.5
modprobe -r jump > "$T_OUT/last" 2>&1
ok $? "the module unloads with traffic flowing"
wait "$FLOOD_PID"
dmesg > "$T_OUT/dmesg"
! grep -Eq "WARNING|BUG|Oops|refcount|leak|unregister_netdevice: waiting" "$T_OUT/dmesg"
ok $? "no warning in dmesg after unload under traffic"
cp "$T_OUT/dmesg" "$T_OUT/last"
modprobe jump
ok $? "the module loads again"
done_testing
