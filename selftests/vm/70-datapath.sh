#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The data path between two namespaces, keyed by hand: traffic both ways
# over both families, and every way the wire may try to break invariant 1.
. "$(dirname "$0")/lib.sh"
setup_pair dp
PKT=$TOP/selftests/vm/pkt.py

in_a ping -c 3 -i 0.2 -W 2 10.9.0.2 > "$T_OUT/last" 2>&1
ok $? "ping over jump0: IPv4 inner, IPv4 outer"
in_b ping -c 3 -i 0.2 -W 2 fd09::1 > "$T_OUT/last" 2>&1
ok $? "ping over jump0: IPv6 inner, IPv4 outer"

# tcp_transfer FROM-NS TO-ADDR [-R]: a 2 s iperf3 run; prints bytes received.
tcp_transfer() {
	local from=$1 to=$2
	shift 2
	ip netns exec "$( [ "$from" = a ] && echo "$NS_B" || echo "$NS_A")" \
		iperf3 -s -1 -D -p 5201 >/dev/null 2>&1
	sleep 0.3
	ip netns exec "$( [ "$from" = a ] && echo "$NS_A" || echo "$NS_B")" \
		iperf3 -c "$to" -p 5201 -t 2 -J "$@" > "$T_OUT/iperf" 2> "$T_OUT/last"
	jq -r '.end.sum_received.bytes // 0' "$T_OUT/iperf"
}
bytes=$(tcp_transfer a 10.9.0.2)
[ "${bytes:-0}" -gt 100000 ]
ok $? "TCP transfer A -> B over IPv4 ($bytes bytes)"
bytes=$(tcp_transfer a fd09::2 -R)
[ "${bytes:-0}" -gt 100000 ]
ok $? "TCP transfer B -> A over IPv6 inner ($bytes bytes)"

rx=$(ja -j -s session show dev jump0 id "$SID" | jq -r '.[0].stats.rx_packets')
tx=$(ja -j -s session show dev jump0 id "$SID" | jq -r '.[0].stats.tx_packets')
[ "$rx" -gt 100 ] && [ "$tx" -gt 100 ]
ok $? "session counters count the traffic (rx $rx, tx $tx)"
in_a ip -s -j link show jump0 > "$T_OUT/link"
[ "$(jq '.[0].stats64.rx.packets' "$T_OUT/link")" -ge "$rx" ]
ok $? "ip -s link shows the device counters"
# Each packet sent counts once on jump0: send.c counts it, so the UDP
# tunnel underneath must not count it again.
txdev() { in_a ip -s -j link show jump0 | jq '.[0].stats64.tx.packets'; }
txs() { ja -j -s session show dev jump0 id "$SID" | jq -r '.[0].stats.tx_packets'; }
d0=$(txdev); s0=$(txs)
in_a ping -c 20 -i 0.05 -W 2 10.9.0.2 > /dev/null 2>&1
d1=$(txdev); s1=$(txs)
echo "jump0 tx packets +$((d1 - d0)), session tx packets +$((s1 - s0))" > "$T_OUT/last"
[ $((d1 - d0)) -eq $((s1 - s0)) ] && [ $((s1 - s0)) -ge 20 ]
ok $? "ip -s link counts each transmitted packet once (regression: counted again by the UDP tunnel)"

# ping reports the ICMP error it received ("From 10.9.0.1 ... Destination
# Host Unreachable"): no capture to race with.
in_a ping -c 1 -W 2 10.9.0.77 > "$T_OUT/last" 2>&1
grep -q "From 10.9.0.1 .*Destination Host Unreachable" "$T_OUT/last"
ok $? "a destination no session owns is answered host unreachable"
[ "$(ja -j -s link show dev jump0 | jq -r '.[0].stats.drops.no_route')" -ge 1 ]
ok $? "and counted as no_route on the device"

in_b ip addr add 10.9.0.50/32 dev jump0
in_b ping -c 1 -W 1 -I 10.9.0.50 10.9.0.1 >/dev/null 2>&1
[ "$(drops a inner_source)" -ge 1 ]
ok $? "an inner source outside the session's prefixes is dropped (inner_source)"

# start_capture COUNT: data packets to B into $T_OUT/cap, once it listens.
start_capture() {
	local i
	: > "$T_OUT/cap.err"
	in_b python3 "$PKT" capture veth-b 51821 "$1" 10 > "$T_OUT/cap" 2> "$T_OUT/cap.err" &
	for i in $(seq 50); do
		grep -q ready "$T_OUT/cap.err" && return 0
		sleep 0.1
	done
}

# Capture data packets to B without letting them in: nftables drops them
# after the tap, so they are authentic and never delivered.
capture_undelivered() {
	in_b nft -f - <<-NFT
	table inet hold { chain in { type filter hook input priority 0; udp dport 51821 drop; }; }
	NFT
	start_capture "$1"
	in_a ping -c "$1" -i 0.2 -W 1 10.9.0.2 >/dev/null 2>&1
	wait $!
	in_b nft delete table inet hold
	[ "$(wc -l < "$T_OUT/cap")" -eq "$1" ]
}
capture_undelivered 2
ok $? "captured two undelivered data packets on the wire"
P1=$(sed -n 1p "$T_OUT/cap")
P2=$(sed -n 2p "$T_OUT/cap")

jb monitor > "$T_OUT/mon" 2>&1 &
MON_PID=$!
sleep 0.3
before=$(drops b auth_failed)
in_a python3 "$PKT" send 4444 10.0.0.2 51821 "$P1" flip 40
sleep 0.2
[ "$(drops b auth_failed)" -eq $((before + 1)) ]
ok $? "tampered data packet is dropped (auth_failed)"

bind_before=$(jb -j session show dev jump0 id "$SID" | jq -c '.[0].binding')
in_a python3 "$PKT" send 4444 10.0.0.2 51821 "$P2"
sleep 0.3
[ "$(drops b unbound_source)" -eq 1 ]
ok $? "authentic data packet from another source port is refused (unbound_source)"
[ "$(jb -j session show dev jump0 id "$SID" | jq -c '.[0].binding')" = "$bind_before" ]
ok $? "the binding is unchanged by it"
grep -q "unbound-source session $SID dev jump0 from 10.0.0.1:4444" "$T_OUT/mon"
ok $? "the refusal is reported as an unbound-source event"
# Its counter is spent: a copy from yet another port stops at the replay
# pre-check, before any decryption or event.
before=$(drops b replay)
in_a python3 "$PKT" send 4445 10.0.0.2 51821 "$P2"
sleep 0.3
{ echo "unbound_source $(drops b unbound_source), replay $(drops b replay) (was $before)"; } > "$T_OUT/last"
[ "$(drops b unbound_source)" -eq 1 ] && [ "$(drops b replay)" -eq $((before + 1)) ]
ok $? "that packet replayed from a third port is dropped as a replay (regression: unbound packets left out of the replay window)"

# Deliver one packet for real, then replay it.
start_capture 1
in_a ping -c 1 -W 1 10.9.0.2 >/dev/null 2>&1
wait $!
before=$(drops b replay)
in_a python3 "$PKT" send 4444 10.0.0.2 51821 "$(cat "$T_OUT/cap")"
sleep 0.2
[ "$(drops b replay)" -eq $((before + 1)) ]
ok $? "replayed data packet is dropped (replay)"

kill "$MON_PID" 2>/dev/null
MON_PID=

refuse "liveness times out of order are refused" 2 \
	"Error: liveness times must grow: keepalive < volatile < degraded." \
	ja session set dev jump0 id "$SID" keepalive 5000
S2=$(ja -j session add dev jump0 role server peer "$PEER" | field id)
refuse "an inner prefix another session owns is refused" 2 \
	"Error: inner prefix belongs to another session of this device." \
	ja session set dev jump0 id "$S2" allowed-ips 10.9.0.99/32,10.9.0.2/32
[ "$(ja -j -d session show dev jump0 id "$S2" | jq -r '.[0].allowed_ips // [] | length')" = 0 ]
ok $? "and nothing of that prefix set was applied"
in_a python3 -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.0.0.1", 51900))
time.sleep(20)' &
HOLDER=$!
# Under emulation python takes a while to start: wait for its port.
wait_until 20 in_a sh -c 'ss -Hlun | grep -q "10.0.0.1:51900 "'
refuse "a local port held by another program is refused, and says so" 2 \
	"is the port used by another program?" \
	ja session set dev jump0 id "$S2" version 1 state attached \
	reason handshake_complete local 10.0.0.1:51900 remote 10.0.0.2:51821
kill "$HOLDER"
refuse "a key id the other slot holds is refused" 2 \
	"Error: the other key slot already holds this key id." \
	ja session key add dev jump0 id "$SID" slot secondary key-id 1 tx-key "$K1" rx-key "$K2"
in_a ping -c 2 -i 0.2 -W 2 10.9.0.2 > "$T_OUT/last" 2>&1
ok $? "the session still carries traffic after the refusals"
done_testing
