#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# jumpd end to end: a client with two uplinks ("wifi", "cell") reaches a
# server through a NAT router; real daemons in three namespaces. Birth,
# traffic, an uplink loss, a NAT rebinding, attacks on the reattach, a
# kill -9 of the server, switch-rate policy and the recovery window, each
# checked in the kernel (what is on the wire) and in both audit logs.
. "$(dirname "$0")/roam.sh"
roam_setup rc
server_conf "MaxSwitches = 10" "SwitchInterval = 1m"
client_conf
start_server
start_client

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
# iperf_server: one iperf3 server in $S, listening when this returns
# (a fixed sleep is not enough on a loaded host: "Connection refused").
listening() { ip netns exec "$S" ss -Hltn 'sport = :5201' | grep -q .; }
iperf_server() {
	ip netns exec "$S" iperf3 -s -1 -B 10.9.0.1 >/dev/null 2>&1 &
	wait_until 10 listening
}
iperf_server
ip netns exec "$C" iperf3 -c 10.9.0.1 -t 2 > "$T_OUT/last" 2>&1
ok $? "a TCP transfer (iperf3) crosses the tunnel"

# --- wifi goes away: break before make ---
capture_start "$S" srv "$T_OUT/ctl.pcap" 'udp port 51820 and udp[8] = 7' || exit 1
ip -n "$C" link set wifi down
wait_until 20 bound_from 10.2.0.2 && pings 3
r=$?; evidence; ok $r "wifi down: the client reattaches over cell and traffic resumes"
audited "$CA" '.event=="transition" and .to=="volatile" and .reason=="link_down"' &&
audited "$CA" '.event=="transition" and .to=="recovering" and .reason=="transport_dead"' &&
audited "$CA" '.event=="transition" and .to=="attached" and .reason=="reattach_complete"' &&
audited "$SA" '.event=="accept" and (.detail|test("path validated"))' &&
audited "$SA" '.event=="transition" and .to=="attached" and .reason=="reattach_complete"'
ok $? "the move to cell is audited: link_down, transport_dead, path validated, reattach_complete"
capture_stop

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
[ ${#REQ} -eq 128 ]
ok $? "a REATTACH_REQUEST was captured on the wire (64 bytes)"

before=$(count "$SA" '.reject=="stale_attempt"')
send_ctl "$R" 10.3.0.1 "$REQ"
wait_until 5 more "$SA" '.reject=="stale_attempt"' "$before" && bound_from 10.2.0.2
r=$?; evidence; ok $r "a captured REATTACH_REQUEST replayed later is rejected as stale; binding kept"

before=$(count "$SA" '.reject=="auth_failed"')
forged=${REQ:0:126}$(printf '%02x' $(( (0x${REQ:126:2} + 1) % 256 )))
send_ctl "$R" 10.3.0.1 "$forged"
wait_until 5 more "$SA" '.reject=="auth_failed"' "$before" && is_state "$S" attached
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
capture_start "$R" srv-r "$T_OUT/chal.pcap" 'udp and udp[8] = 8' || exit 1
send_ctl "$R" 10.3.0.1 "$(mkreq 1000)"
wait_until 8 more "$SA" '.reject=="path_validation"' "$before"
r=$?
capture_stop
tcpdump -n -r "$T_OUT/chal.pcap" > "$T_OUT/last" 2>&1
[ "$(grep -c '10.3.0.2.51820 > 10.3.0.1' "$T_OUT/last")" -ge 1 ]
ok $? "an attacker's valid request is answered only by a REATTACH_CHALLENGE to its own address"
why "no path_validation record" [ "$r" -eq 0 ] &&
	why "the client is not bound over cell" bound_from 10.2.0.2 &&
	why "the server is not attached" is_state "$S" attached &&
	why "no ping through" pings 2
r=$?; evidence; ok $r "nobody there answers the challenge: path validation refuses the takeover, binding and traffic kept"

# --- NAT rebinding: the router forgets the mapping and picks a new port ---
old=$(sfield "$S" binding.remote)
ip netns exec "$R" nft -f - <<-EOF
	flush chain ip nat post
	add rule ip nat post oifname "srv-r" meta l4proto udp masquerade to :40000-40999 random
EOF
ip netns exec "$R" conntrack -D -p udp >/dev/null 2>&1
new_mapping() {
	local now
	now=$(sfield "$S" binding.remote)
	[ -n "$now" ] && [ "$now" != "$old" ] && is_state "$S" attached
}
wait_until 20 new_mapping && wait_until 10 is_state "$C" attached && pings 3
r=$?; evidence; ok $r "NAT rebinding: the session recovers on the new mapping ($old -> $(sfield "$S" binding.remote))"
audited "$CA" '.event=="transition" and .to=="degraded" and .reason=="rx_silence"' &&
[ "$(count "$SA" '.event=="transition" and .reason=="reattach_complete"')" -ge 2 ]
ok $? "the rebinding is audited: rx_silence on the client, a second reattach_complete on the server"

# --- an administrator asks for a reattach (jumpctl session reattach) ---
epoch=$(sfield "$C" binding.epoch)
epoch_above() { [ "$(sfield "$C" binding.epoch)" -gt "$1" ] && is_state "$C" attached; }
ip netns exec "$C" "$JUMPCTL" session reattach dev jump0 id "$SID" > "$T_OUT/last" 2>&1 &&
	wait_until 15 epoch_above "$epoch" && pings 3
r=$?; evidence; ok $r "jumpctl session reattach: the client's jumpd moves the session to a new epoch, traffic flows"
audited "$CA" '.event=="transition" and .to=="recovering" and .reason=="admin_reattach"' &&
	[ "$(count "$SA" '.event=="transition" and .reason=="reattach_complete"')" -ge 3 ]
r=$?; evidence; ok $r "... audited as admin_reattach on the client, a verified reattach on the server"
refuse "jumpctl session reattach refuses a server session" 1 "only a client reattaches" \
	ip netns exec "$S" "$JUMPCTL" session reattach dev jump0 id "$SID"

# --- kill -9 of the server daemon in the middle of a transfer ---
iperf_server
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
r=$?; evidence; ok $r "a reattach after the restart still succeeds (the server took its socket back)"

# --- switch-rate policy (a reload makes it tight) ---
server_conf "MaxSwitches = 1" "SwitchInterval = 1h"
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
# The client sends its request at link_down, before its own move to
# RECOVERING lands in the kernel: the whole condition is waited for.
refused_kept() {
	audited "$SA" '.reject=="switch_rate"' && is_state "$C" recovering &&
		[ "$(sfield "$S" id)" = "$SID" ]
}
wait_until 15 refused_kept
r=$?; evidence; ok $r "a switch beyond MaxSwitches is refused (switch_rate) and the session is kept"
# A reload keeps the bucket (empty) and refills it at the new rate: one
# token every 100 ms here, so the client's next retry finds one well inside
# the recovery window, however slow the host.
server_conf "MaxSwitches = 10" "SwitchInterval = 1s"
kill -HUP "$SD_PID"
wait_until 20 bound_from 10.2.0.2 && pings 3
r=$?; evidence; ok $r "once policy allows it, the next attempt reattaches over cell"

# --- a planned switch refused: the session stays on its path ---
kept_client() { ! audited "$CA" ".session==\"$1\" and .to==\"terminated\""; }
# Another switch (here an administrator's; under load, a reattach of the
# liveness timers) takes the only token, then the preferred uplink comes
# back. The refused planned switch must cost nothing: the old binding
# carries on past the recovery window, on both sides.
reloads=$(count "$SA" '.event=="reload" and (.detail|test("reloaded"))')
server_conf "MaxSwitches = 1" "SwitchInterval = 1h"
kill -HUP "$SD_PID"
wait_until 5 more "$SA" '.event=="reload" and (.detail|test("reloaded"))' "$reloads"
epoch=$(sfield "$C" binding.epoch)
ip netns exec "$C" "$JUMPCTL" session reattach dev jump0 id "$SID" > "$T_OUT/last" 2>&1 &&
	wait_until 15 epoch_above "$epoch"
ok $? "an administrator's reattach takes the only switch token"
before=$(count "$SA" '.reject=="switch_rate"')
ip -n "$C" link set wifi up
ip -n "$C" route add default via 10.1.0.1 dev wifi metric 100 2>/dev/null
wait_until 15 more "$SA" '.reject=="switch_rate"' "$before" &&
	wait_until 10 grep -q "planned switch given up (switch_rate)" "$T_OUT/c.log"
r=$?; evidence; ok $r "the planned switch back to wifi is refused (switch_rate) and given up"
sleep 16		# past RecoveryWindow (15 s) since the refusal
why "the session is gone" [ "$(sfield "$C" id)" = "$SID" ] &&
	why "the server's session is gone" [ "$(sfield "$S" id)" = "$SID" ] &&
	why "the client is not attached over cell" bound_from 10.2.0.2 &&
	why "the server is not attached" is_state "$S" attached &&
	why "the client terminated it" kept_client "$SID" &&
	why "no ping through" pings 3
r=$?; evidence; ok $r "... the session stays attached on cell past the recovery window, traffic flows"
ip -n "$C" link set wifi down

# --- a HANDSHAKE_INIT captured, withheld, replayed later ---
# Made here with the client's key, as the client would have sent it: newer
# than any INIT the server accepted, so it passes and a session is born.
# Nobody can complete it (no HANDSHAKE_DONE without its ephemeral key):
# the live session must stay, and the half-born one time out.
sstate() { show "$S" | jq -r ".[] | select(.id==\"$1\") | .state"; }
kept() { ! audited "$SA" ".session==\"$1\" and .to==\"terminated\""; }
INIT=$("$TOP/build/vm/jumpd_mkinit" "$T_OUT/c.key" "$SPUB")
before=$(count "$SA" '.event=="accept" and (.detail|test("handshake_init accepted"))')
send_ctl "$R" 10.3.0.1 "$INIT"
wait_until 10 more "$SA" '.event=="accept" and (.detail|test("handshake_init accepted"))' "$before" &&
	wait_until 30 audited "$SA" ".event==\"transition\" and .session!=\"$SID\" and .from==\"birth\" and .to==\"terminated\" and .reason==\"birth_timeout\""
r=$?
why "the withheld INIT was not accepted, or its session did not time out" [ "$r" -eq 0 ] &&
	why "the live session was terminated" kept "$SID" &&
	why "the live session is not attached" [ "$(sstate "$SID")" = attached ] &&
	why "no ping through" pings 2
r=$?; evidence; ok $r "a withheld HANDSHAKE_INIT replayed later: the live session stays, the half-born one ends (birth_timeout)"

# --- two reattaches at once, from two paths (made with the session's keys) ---
# Both requests are valid and both paths answer their challenge at once:
# exactly one may commit; the other is refused as a conflict, never applied.
# Afterwards the binding is on the winning socket, which then goes silent.
# Both requests need a switch token: a reload gives plenty.
server_conf "MaxSwitches = 100" "SwitchInterval = 1m"
kill -HUP "$SD_PID"
sleep 2
version=$(sfield "$S" version)
epoch=$(sfield "$S" binding.epoch)
ip netns exec "$R" python3 - "$T_OUT/c-state/$SID.session" > "$T_OUT/race" 2>&1 <<-'EOF'
	import hashlib, socket, struct, sys, time
	kv = dict(l.strip().split('=', 1) for l in open(sys.argv[1]) if '=' in l)
	key = bytes.fromhex(kv['reattach'])
	sid, epoch, attempt = int(kv['id'], 16), int(kv['epoch']), int(kv['attempt'])
	mac = lambda b: b + hashlib.blake2b(b, digest_size=16, key=key).digest()
	server = ('10.3.0.2', 51820)
	socks = []
	for i in range(2):
	    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	    s.bind(('10.3.0.1', 0))
	    s.settimeout(5)
	    socks.append(s)
	    s.sendto(mac(struct.pack('>BBHQIQQ', 7, 0, 0, sid, epoch + 1, attempt + 2000 + i,
	                             time.time_ns()) + bytes(16)), server)
	challenges = [s.recv(128) for s in socks]
	if any(c[0] != 8 for c in challenges):
	    sys.exit('not challenged: ' + ' '.join('%d:%d' % (c[0], c[1]) for c in challenges))
	confirms = [mac(bytes([9]) + c[1:36]) for c in challenges]
	for s, m in zip(socks, confirms):
	    s.sendto(m, server)
	for s in socks:
	    r = s.recv(128)
	    print(s.getsockname()[1], r[0], r[1])
EOF
cp "$T_OUT/race" "$T_OUT/last"
[ "$(awk '$2 == 10' "$T_OUT/race" | wc -l)" -eq 1 ] && [ "$(awk '$2 == 11' "$T_OUT/race" | wc -l)" -eq 1 ]
ok $? "two concurrent reattaches: one REATTACH_ACK and one REATTACH_REJECT on the wire"
# (The winner's socket is silent afterwards: the liveness timers move the
# version on, so the audited commits since the race say what happened.)
commits() { count "$SA" ".event==\"transition\" and .reason==\"reattach_complete\" and .version > $version"; }
one_more() { [ "$(commits)" -eq 1 ]; }
# The router's NAT rewrites the racers' ports: the winner is the source
# of the last "path validated" record.
winner() { jq -r 'select(.event=="accept" and (.detail|test("path validated"))) | .source' "$SA" | tail -n 1; }
bound_to() { [ "$(sfield "$S" binding.remote)" = "$(winner)" ]; }
epoch_is() { [ "$(sfield "$S" binding.epoch)" -eq "$1" ]; }
why "no conflict record" audited "$SA" '.reject=="conflict" and (.detail|test("committed first"))' &&
	why "not exactly one commit since version $version" wait_until 5 one_more &&
	sleep 1 && why "a second commit after a second" one_more &&
	why "not bound to the winner ($(winner))" bound_to &&
	why "the epoch is not $((epoch + 1))" epoch_is $((epoch + 1))
r=$?; evidence; ok $r "the loser is audited as conflict; the binding moved once (one reattach_complete, epoch +1)"

# --- silence past the recovery window ---
ip -n "$C" link set cell down
wait_until 40 audited "$SA" '.event=="transition" and .to=="terminated" and .reason=="recovery_window_exceeded"'
r=$?; evidence; ok $r "no path for longer than the recovery window: the server terminates (recovery_window_exceeded)"
wait_until 20 audited "$CA" '.event=="transition" and .to=="terminated" and .reason=="recovery_window_exceeded"'
ok $? "the client terminates too, with the same reason"

roam_done
