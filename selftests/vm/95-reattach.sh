#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# jumpd end to end: a client with two uplinks ("wifi", "cell") reaches a
# server through a NAT router; real daemons in three namespaces. Birth,
# traffic, an uplink loss, a NAT rebinding, attacks on the reattach, a
# kill -9 of the server, switch-rate policy and the recovery window, each
# checked in the kernel (what is on the wire) and in both audit logs.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (run under tools/vm/run)"
modprobe jump 2>/dev/null || skip_all "jump.ko is not installed for $(uname -r)"
[ -x "$JUMPD" ] && [ -x "$JUMPCTL" ] || skip_all "jumpd/jumpctl not built"
command -v conntrack >/dev/null || skip_all "conntrack(8) is not installed"

C=jt-rc-c-$$ R=jt-rc-r-$$ S=jt-rc-s-$$
SD_PID= CD_PID=
cleanup() {
	[ -n "$SD_PID" ] && kill "$SD_PID" 2>/dev/null
	[ -n "$CD_PID" ] && kill "$CD_PID" 2>/dev/null
	wait 2>/dev/null
	for ns in $C $R $S; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$T_OUT"
}
trap cleanup EXIT

for ns in $C $R $S; do ip netns add "$ns" && ip -n "$ns" link set lo up || exit 1; done
ip link add wifi netns "$C" type veth peer name wifi-r netns "$R"
ip link add cell netns "$C" type veth peer name cell-r netns "$R"
ip link add srv netns "$S" type veth peer name srv-r netns "$R"
ip -n "$C" addr add 10.1.0.2/24 dev wifi
ip -n "$C" addr add 10.2.0.2/24 dev cell
ip -n "$R" addr add 10.1.0.1/24 dev wifi-r
ip -n "$R" addr add 10.2.0.1/24 dev cell-r
ip -n "$R" addr add 10.3.0.1/24 dev srv-r
ip -n "$S" addr add 10.3.0.2/24 dev srv
for l in wifi cell; do ip -n "$C" link set "$l" up; done
for l in wifi-r cell-r srv-r; do ip -n "$R" link set "$l" up; done
ip -n "$S" link set srv up
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1
ip -n "$C" route add default via 10.1.0.1 dev wifi metric 100
ip -n "$C" route add default via 10.2.0.1 dev cell metric 200
ip -n "$S" route add default via 10.3.0.1
# Both uplinks reach the server through one NAT, like a phone's carriers.
ip netns exec "$R" nft -f - <<-EOF || exit 1
	table ip nat {
		chain post {
			type nat hook postrouting priority 100;
			oifname "srv-r" masquerade
		}
	}
EOF
for ns in $C $S; do ip -n "$ns" link add jump0 type jump && ip -n "$ns" link set jump0 up; done
ip -n "$C" addr add 10.9.0.2/24 dev jump0
ip -n "$S" addr add 10.9.0.1/24 dev jump0

umask 077
"$JUMPCTL" key genkey > "$T_OUT/c.key"
"$JUMPCTL" key genkey > "$T_OUT/s.key"
CPUB=$("$JUMPCTL" key pubkey < "$T_OUT/c.key")
SPUB=$("$JUMPCTL" key pubkey < "$T_OUT/s.key")
POLICY="[Policy]
Keepalive = 200ms
VolatileAfter = 600ms
DegradedAfter = 1200ms
RecoveryWindow = 15s
RetryInitial = 200ms
RetryMax = 2s
PathValidationTimeout = 1s"
server_conf() {	# MAX_SWITCHES INTERVAL
	cat > "$T_OUT/s.conf" <<-EOF
	[Interface]
	Role = server
	PrivateKeyFile = $T_OUT/s.key
	ListenPort = 51820
	StateDirectory = $T_OUT/s-state
	AuditLog = $T_OUT/s-audit.jsonl
	$POLICY
	MaxSwitches = $1
	SwitchInterval = $2
	[Peer]
	PublicKey = $CPUB
	AllowedIPs = 10.9.0.2/32
	EOF
}
server_conf 10 1m
cat > "$T_OUT/c.conf" <<-EOF
[Interface]
Role = client
PrivateKeyFile = $T_OUT/c.key
Uplink = wifi
Uplink = cell
StateDirectory = $T_OUT/c-state
AuditLog = $T_OUT/c-audit.jsonl
$POLICY
[Peer]
PublicKey = $SPUB
Endpoint = 10.3.0.2:51820
AllowedIPs = 10.9.0.0/24
EOF
SA=$T_OUT/s-audit.jsonl
CA=$T_OUT/c-audit.jsonl

start_server() {
	ip netns exec "$S" "$JUMPD" -v -i jump0 -c "$T_OUT/s.conf" 2>> "$T_OUT/s.log" &
	SD_PID=$!
}
start_server
ip netns exec "$C" "$JUMPD" -v -i jump0 -c "$T_OUT/c.conf" 2>> "$T_OUT/c.log" &
CD_PID=$!

# todo RC DESC: a check known to fail for now (TAP TODO: reported, not fatal).
todo() {
	T_NUM=$((T_NUM + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $T_NUM - $2 # TODO $TODO_WHY"
	else
		echo "not ok $T_NUM - $2 # TODO $TODO_WHY"
		[ -s "$T_OUT/last" ] && sed 's/^/# /' "$T_OUT/last"
	fi
	: > "$T_OUT/last"
}
TODO_WHY="recovery after a NAT rebinding takes longer than the wait here (issue 4 note)"

# wait_until SECONDS CMD...: polls CMD every 0.2 s.
wait_until() {
	local n=$(($1 * 5))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" 2>/dev/null && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}
show() { ip netns exec "$1" "$JUMPCTL" -j session show dev jump0; }
sfield() { show "$1" | jq -r ".[0].$2 // empty"; }
is_state() { [ "$(sfield "$1" state)" = "$2" ]; }
bound_from() { is_state "$C" attached && sfield "$C" binding.local | grep -q "^$1:"; }
# audited FILE JQ-CONDITION: some record matches.
audited() { [ -n "$(jq -c "select($2)" "$1" 2>/dev/null | head -n 1)" ]; }
count() { jq -c "select($2)" "$1" 2>/dev/null | wc -l; }
pings() { ip netns exec "$C" ping -c "${1:-3}" -i 0.2 -W 2 10.9.0.1 >/dev/null; }
evidence() {
	{ echo "client:"; show "$C"; echo "server:"; show "$S"
	  echo "--- client log"; tail -n 25 "$T_OUT/c.log"
	  echo "--- server log"; tail -n 25 "$T_OUT/s.log"; } > "$T_OUT/last" 2>&1
}

# --- birth ---
wait_until 20 is_state "$C" attached && wait_until 5 is_state "$S" attached
r=$?; evidence; ok $r "birth: the handshake attaches the session on both sides"
SID=$(sfield "$C" id)
[ -n "$SID" ] && [ "$(sfield "$S" id)" = "$SID" ] && bound_from 10.1.0.2
r=$?; evidence; ok $r "birth: one session id on both sides, bound over wifi (the preferred uplink)"
audited "$SA" '.event=="transition" and .to=="attached" and .reason=="handshake_complete"' &&
audited "$CA" '.event=="transition" and .to=="attached" and .reason=="handshake_complete"' &&
audited "$SA" '.event=="accept" and (.detail|test("handshake_done"))'
ok $? "birth is audited on both sides (handshake_complete)"
pings 5
ok $? "ping crosses the tunnel"
ip netns exec "$S" iperf3 -s -1 -B 10.9.0.1 >/dev/null 2>&1 &
sleep 0.5
ip netns exec "$C" iperf3 -c 10.9.0.1 -t 2 > "$T_OUT/last" 2>&1
ok $? "a TCP transfer (iperf3) crosses the tunnel"

# --- wifi goes away: break before make ---
ip netns exec "$S" tcpdump -U -n -i srv -w "$T_OUT/ctl.pcap" 'udp port 51820 and udp[8] = 7' \
	2>/dev/null &
TD=$!
sleep 1
ip -n "$C" link set wifi down
wait_until 20 bound_from 10.2.0.2 && pings 3
r=$?; evidence; ok $r "wifi down: the client reattaches over cell and traffic resumes"
audited "$CA" '.event=="transition" and .to=="volatile" and .reason=="link_down"' &&
audited "$CA" '.event=="transition" and .to=="recovering" and .reason=="transport_dead"' &&
audited "$CA" '.event=="transition" and .to=="attached" and .reason=="reattach_complete"' &&
audited "$SA" '.event=="accept" and (.detail|test("path validated"))' &&
audited "$SA" '.event=="transition" and .to=="attached" and .reason=="reattach_complete"'
ok $? "the move to cell is audited: link_down, transport_dead, path validated, reattach_complete"
sleep 0.5
kill "$TD" 2>/dev/null; wait "$TD" 2>/dev/null

# The captured REATTACH_REQUEST, as the server saw it (UDP payload).
python3 - "$T_OUT/ctl.pcap" > "$T_OUT/req.hex" <<-'EOF'
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
REQ=$(cat "$T_OUT/req.hex")
# send_ctl NS SRC-ADDR HEX: one datagram to the server from SRC-ADDR.
send_ctl() {
	ip netns exec "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
s.sendto(bytes.fromhex(sys.argv[2]), ("10.3.0.2", 51820))' "$2" "$3"
}
[ ${#REQ} -eq 128 ]
ok $? "a REATTACH_REQUEST was captured on the wire (64 bytes)"

before=$(count "$SA" '.reject=="stale_attempt"')
send_ctl "$R" 10.3.0.1 "$REQ"
wait_until 5 [ "$(count "$SA" '.reject=="stale_attempt"')" -gt "$before" ] && bound_from 10.2.0.2
r=$?; evidence; ok $r "a captured REATTACH_REQUEST replayed later is rejected as stale; binding kept"

before=$(count "$SA" '.reject=="auth_failed"')
forged=${REQ:0:126}$(printf '%02x' $(( (0x${REQ:126:2} + 1) % 256 )))
send_ctl "$R" 10.3.0.1 "$forged"
wait_until 5 [ "$(count "$SA" '.reject=="auth_failed"')" -gt "$before" ] && is_state "$S" attached
r=$?; evidence; ok $r "a REATTACH_REQUEST with a forged MAC is rejected (auth_failed); session untouched"

# An attacker holding a fresh, valid request (here: made with the key from
# the client's state directory) sends it from its own address. The server
# challenges that address; nobody there can answer, so nothing moves.
mkreq() {	# ATTEMPT_BUMP -> hex of a valid request
	python3 - "$T_OUT/c-state/$SID.session" "$1" <<-'EOF'
	import hashlib, struct, sys, time
	kv = dict(l.strip().split('=', 1) for l in open(sys.argv[1]) if '=' in l)
	key = bytes.fromhex(kv['reattach'])
	body = struct.pack('>BBHQIQQ', 7, 0, 0, int(kv['id'], 16), int(kv['epoch']) + 1,
	                   int(kv['attempt']) + int(sys.argv[2]), time.time_ns()) + bytes(16)
	print((body + hashlib.blake2b(body, digest_size=16, key=key).digest()).hex())
	EOF
}
before=$(count "$SA" '.reject=="path_validation"')
ip netns exec "$R" tcpdump -U -n -i srv-r -w "$T_OUT/chal.pcap" 'udp and udp[8] = 8' 2>/dev/null &
TD=$!
sleep 1
send_ctl "$R" 10.3.0.1 "$(mkreq 1000)"
wait_until 8 [ "$(count "$SA" '.reject=="path_validation"')" -gt "$before" ]
r=$?
kill "$TD" 2>/dev/null; wait "$TD" 2>/dev/null
bound_from 10.2.0.2 && is_state "$S" attached && [ "$r" -eq 0 ] && pings 2 &&
	[ "$(stat -c %s "$T_OUT/chal.pcap")" -gt 24 ]
r=$?; evidence; TODO_WHY="the challenge capture on the router is flaky (issue 4 note)" todo $r "an attacker's address gets a challenge it cannot answer: path validation refuses the takeover"

# --- NAT rebinding: the router forgets the mapping and picks a new port ---
old=$(sfield "$S" binding.remote)
ip netns exec "$R" nft -f - <<-EOF
	flush chain ip nat post
	add rule ip nat post oifname "srv-r" masquerade to :40000-40999 random
EOF
ip netns exec "$R" conntrack -D -p udp >/dev/null 2>&1
new_mapping() { n=$(sfield "$S" binding.remote); [ -n "$n" ] && [ "$n" != "$old" ] && is_state "$S" attached; }
wait_until 20 new_mapping && wait_until 10 is_state "$C" attached && pings 3
r=$?; evidence; todo $r "NAT rebinding: the session recovers on the new mapping ($old -> $(sfield "$S" binding.remote))"
audited "$CA" '.event=="transition" and .to=="degraded" and .reason=="rx_silence"' &&
[ "$(count "$SA" '.event=="transition" and .reason=="reattach_complete"')" -ge 2 ]
todo $? "the rebinding is audited: rx_silence on the client, a second reattach_complete on the server"

# --- kill -9 of the server daemon in the middle of a transfer ---
ip netns exec "$S" iperf3 -s -1 -B 10.9.0.1 >/dev/null 2>&1 &
sleep 0.5
ip netns exec "$C" iperf3 -c 10.9.0.1 -t 6 > "$T_OUT/iperf" 2>&1 &
IP=$!
sleep 2
kill -9 "$SD_PID"; wait "$SD_PID" 2>/dev/null
sleep 1
start_server
wait "$IP"
r=$?; cp "$T_OUT/iperf" "$T_OUT/last"
ok $r "kill -9 of the server daemon mid-transfer: the transfer completes"
[ "$(sfield "$S" id)" = "$SID" ] && is_state "$S" attached &&
	wait_until 10 grep -q "adopted from the kernel" "$T_OUT/s.log"
r=$?; evidence; ok $r "the restarted server adopts the session from the kernel and its state directory"
old=$(sfield "$S" binding.remote)
ip netns exec "$R" conntrack -D -p udp >/dev/null 2>&1
wait_until 20 new_mapping && wait_until 10 is_state "$C" attached && pings 3
r=$?; evidence; todo $r "a reattach after the restart still succeeds (the server took its socket back)"

# --- switch-rate policy (a reload makes it tight) ---
server_conf 1 1h
kill -HUP "$SD_PID"
wait_until 5 audited "$SA" '.event=="reload" and (.detail|test("reloaded"))'
ok $? "SIGHUP reloads the server's policy, audited, without dropping the session"
ip -n "$C" link set wifi up
ip -n "$C" route add default via 10.1.0.1 dev wifi metric 100 2>/dev/null
wait_until 20 bound_from 10.1.0.2 && pings 3
r=$?; evidence; ok $r "wifi back: a planned switch returns the session to the preferred uplink"
audited "$CA" '.event=="transition" and .reason=="planned_switch"'
ok $? "the switch back is audited as planned_switch"
ip -n "$C" link set wifi down
wait_until 15 audited "$SA" '.reject=="switch_rate"' && is_state "$C" recovering &&
	[ "$(sfield "$S" id)" = "$SID" ]
r=$?; evidence; ok $r "a switch beyond MaxSwitches is refused (switch_rate) and the session is kept"
server_conf 10 1m
kill -HUP "$SD_PID"
wait_until 20 bound_from 10.2.0.2 && pings 3
r=$?; evidence; ok $r "once policy allows it, the next attempt reattaches over cell"

# --- silence past the recovery window ---
ip -n "$C" link set cell down
wait_until 40 audited "$SA" '.event=="transition" and .to=="terminated" and .reason=="recovery_window_exceeded"'
r=$?; evidence; ok $r "no path for longer than the recovery window: the server terminates (recovery_window_exceeded)"
wait_until 20 audited "$CA" '.event=="transition" and .to=="terminated" and .reason=="recovery_window_exceeded"'
ok $? "the client terminates too, with the same reason"

"$JUMPCTL" audit verify file "$SA" > "$T_OUT/last" 2>&1 &&
"$JUMPCTL" audit verify file "$CA" >> "$T_OUT/last" 2>&1
ok $? "both audit chains verify"
kill -0 "$SD_PID" && kill -0 "$CD_PID"
ok $? "both daemons are still running"
! grep -q "ERROR: AddressSanitizer\|runtime error" "$T_OUT/s.log" "$T_OUT/c.log"
ok $? "no sanitizer report in the daemons' logs"
done_testing
