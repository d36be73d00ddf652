#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# StandbyPath end to end, in the roaming topology (roam.sh): the client
# validates cell as the standby of its wifi binding; the standby shows in
# session show on both sides and never carries data; cutting wifi under a
# ping promotes it (one versioned transition, same session, no handshake);
# a forged or misplaced STANDBY_PROMOTE changes nothing; without
# StandbyPath nothing of it happens.
. "$(dirname "$0")/roam.sh"
roam_setup sb
server_conf
client_conf "StandbyPath = yes" "StandbyKeepalive = 1s"
start_server
start_client

has_standby() { [ -n "$(sfield "$1" standby.local)" ]; }
standby_from() { sfield "$C" standby.local | grep -q "^$1:"; }

# --- birth, then the standby ---
wait_until 20 is_state "$C" attached && wait_until 5 is_state "$S" attached && bound_from 10.1.0.2
r=$?; evidence; ok $r "birth: attached over wifi (the preferred uplink)"
SID=$(sfield "$C" id)
wait_until 15 standby_from 10.2.0.2 && wait_until 5 has_standby "$S"
r=$?; evidence; ok $r "the client validates cell as the standby: session show has it on both sides"
[ "$(sfield "$S" standby.remote | cut -d: -f1)" = 10.3.0.1 ] &&
	[ "$(sfield "$S" standby.remote)" != "$(sfield "$S" binding.remote)" ] &&
	[ "$(sfield "$C" binding.epoch)" = 1 ] && is_state "$C" attached
ok $? "the standby is another path than the binding; binding and state unchanged (epoch 1)"
ip netns exec "$C" "$JUMPCTL" session show dev jump0 > "$T_OUT/last" 2>&1
grep -q "^    standby local 10.2.0.2:[0-9]* remote 10.3.0.2:51820$" "$T_OUT/last"
ok $? "jumpctl session show prints the standby line"
audited "$CA" '.event=="transition" and .reason=="standby_ready" and .from==.to' &&
	audited "$SA" '.event=="transition" and .reason=="standby_ready"' &&
	audited "$SA" '.event=="accept" and (.detail|test("standby path validated"))' &&
	audited "$CA" '.event=="accept" and (.detail|test("standby_ack"))'
ok $? "the standby is audited on both sides (standby_ready, path validated)"

# --- data never on the standby; keepalives are ---
capture_start "$C" cell "$T_OUT/cell.pcap" 'udp' || exit 1
pings 10
r=$?
sleep 1.5
capture_stop
ok $r "traffic flows over the binding"
tcpdump -n -r "$T_OUT/cell.pcap" 'udp[8] = 4' 2>/dev/null > "$T_OUT/last"
[ ! -s "$T_OUT/last" ]
ok $? "no data packet on the standby's uplink"
tcpdump -n -r "$T_OUT/cell.pcap" 'udp[8] = 20' 2>/dev/null > "$T_OUT/last"
[ "$(grep -c '10.2.0.2.* > 10.3.0.2.51820' "$T_OUT/last")" -ge 1 ] &&
	[ "$(grep -c '10.3.0.2.51820 > 10.2.0.2' "$T_OUT/last")" -ge 1 ]
ok $? "STANDBY_KEEPALIVEs go out on the standby and the server answers them"
# Nothing came from outside the binding: the standby carried no data.
ip netns exec "$S" "$JUMPCTL" -j -s session show dev jump0 > "$T_OUT/last" 2>&1
[ "$(jq -r '.[0].stats.drops.unbound_source' "$T_OUT/last")" = 0 ]
ok $? "the server dropped no data from an unbound source (the standby's included)"

# --- wifi is cut under a ping: the standby is promoted ---
ip netns exec "$C" ping -c 150 -i 0.05 -W 1 10.9.0.1 > "$T_OUT/flood" 2>&1 &
FLOOD=$!
sleep 1.5
ip -n "$C" link set wifi down
wait_until 20 bound_from 10.2.0.2
r=$?; evidence; ok $r "wifi down: the client is bound over cell"
wait "$FLOOD"
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$T_OUT/flood")
diag "standby promotion under a 50 ms ping stream: ${got:-0} of 150 came back"
[ "${got:-0}" -ge 100 ]
ok $? "the ping stream resumes after the cut (most of 150 answered)"
[ "$(sfield "$C" id)" = "$SID" ] && [ "$(sfield "$S" id)" = "$SID" ] &&
	[ "$(sfield "$C" binding.epoch)" = 2 ] && [ "$(sfield "$S" binding.epoch)" = 2 ] &&
	[ "$(sfield "$S" binding.remote)" != "" ] && is_state "$S" attached
r=$?; evidence; ok $r "same session on both sides, now at epoch 2"
audited "$CA" '.event=="transition" and .to=="attached" and .reason=="standby_promoted"' &&
	audited "$SA" '.event=="transition" and .to=="attached" and .reason=="standby_promoted"' &&
	audited "$SA" '.event=="accept" and (.detail|test("standby promoted"))'
ok $? "the promotion is one standby_promoted transition on each side, audited"
! audited "$CA" '.event=="transition" and .to=="recovering"' &&
	! audited "$SA" '.event=="transition" and .to=="recovering"'
ok $? "no reattach handshake: neither side went through recovering"
! has_standby "$C" && ! has_standby "$S"
ok $? "the standby was consumed: neither side has one now"
pings 3
ok $? "ping crosses the tunnel over cell"

# --- promotions that must change nothing ---
# A STANDBY_PROMOTE made with the session's reattach key (from the state file).
mkpromote() {	# ATTEMPT_BUMP -> hex
	python3 - "$T_OUT/c-state/$SID.session" "$1" <<-'EOF'
	import hashlib, struct, sys, time
	kv = dict(l.strip().split('=', 1) for l in open(sys.argv[1]) if '=' in l)
	key = bytes.fromhex(kv['reattach'])
	body = struct.pack('>BBHQIQQ', 21, 0, 0, int(kv['id'], 16), int(kv['epoch']) + 1,
	                   int(kv['attempt']) + int(sys.argv[2]), time.time_ns()) + bytes(16)
	print((body + hashlib.blake2b(body, digest_size=16, key=key).digest()).hex())
	EOF
}
# The liveness states may move the version under a loaded host: what must
# not move is the binding.
bound_as() { [ "$(sfield "$S" binding.remote)" = "$1" ] && [ "$(sfield "$S" binding.epoch)" = 2 ]; }
remote=$(sfield "$S" binding.remote)
P=$(mkpromote 1000)
before=$(count "$SA" '.reject=="auth_failed"')
forged=${P:0:126}$(printf '%02x' $(( (0x${P:126:2} + 1) % 256 )))
send_ctl "$R" 10.3.0.1 "$forged"
wait_until 5 more "$SA" '.reject=="auth_failed"' "$before" && bound_as "$remote"
r=$?; evidence; ok $r "a STANDBY_PROMOTE with a forged MAC is rejected (auth_failed); binding untouched"
before=$(count "$SA" '.reject=="no_standby"')
send_ctl "$R" 10.3.0.1 "$P"
wait_until 5 more "$SA" '.reject=="no_standby"' "$before" && bound_as "$remote"
r=$?; evidence; ok $r "an authentic STANDBY_PROMOTE from no standby path is rejected (no_standby); binding kept"
# A CAS may lose to a liveness transition: read the version and ask again.
promote_no_standby() {
	local i
	for i in 1 2 3 4 5; do
		ip netns exec "$S" "$JUMPCTL" session set dev jump0 id "$SID" \
			version "$(sfield "$S" version)" state attached reason standby_promoted \
			2> "$T_OUT/err2" && return 0
		grep -q "stale session version" "$T_OUT/err2" || break
	done
	cat "$T_OUT/err2" >&2
	return 2
}
refuse "the kernel refuses standby_promoted without a standby" 2 "the session has no standby binding" \
	promote_no_standby

# --- wifi is back: a planned switch to it, then cell is the standby again ---
ip -n "$C" link set wifi up
ip -n "$C" route replace default via 10.1.0.1 dev wifi metric 100
wait_until 20 bound_from 10.1.0.2 && wait_until 20 standby_from 10.2.0.2 && pings 3
r=$?; evidence; ok $r "wifi back: bound over wifi again, with cell as its standby"

# --- wifi goes silent (no link event): DEGRADED promotes the standby ---
ip netns exec "$R" nft -f - <<-EOF
	table inet cut { chain f { type filter hook forward priority 0; iifname "wifi-r" drop; oifname "wifi-r" drop; }; }
EOF
wait_until 20 bound_from 10.2.0.2 && pings 3
r=$?; evidence; ok $r "wifi silent: the client promotes cell when its session degrades"
audited "$CA" '.event=="transition" and .to=="degraded" and .reason=="rx_silence"' &&
	[ "$(count "$CA" '.event=="transition" and .reason=="standby_promoted"')" -eq 2 ] &&
	[ "$(count "$SA" '.event=="transition" and .reason=="standby_promoted"')" -eq 2 ] &&
	! audited "$CA" '.event=="transition" and .reason=="transport_dead"'
r=$?; evidence; ok $r "... a second standby_promoted on each side, after rx_silence, no reattach (transport_dead)"
ip netns exec "$R" nft delete table inet cut

# --- without StandbyPath: exactly as before ---
kill "$CD_PID" "$SD_PID"
roam_reap "$CD_PID" client && roam_reap "$SD_PID" server
ok $? "both daemons stop cleanly"
for ns in $C $S; do
	ip netns exec "$ns" "$JUMPCTL" session terminate dev jump0 id "$SID" >/dev/null 2>&1
done
rm -rf "$T_OUT/c-state" "$T_OUT/s-state" "$SA" "$CA"
client_conf
start_server
start_client
wait_until 20 is_state "$C" attached && wait_until 5 is_state "$S" attached && bound_from 10.1.0.2
r=$?; evidence; ok $r "without StandbyPath: birth over wifi"
sleep 3
! has_standby "$C" && ! has_standby "$S" && ! grep -q standby "$SA" "$CA"
r=$?; evidence; ok $r "without StandbyPath: no standby is validated, nothing of it is audited"
ip -n "$C" link set wifi down
wait_until 20 bound_from 10.2.0.2 && pings 3
r=$?; evidence; ok $r "without StandbyPath: wifi down reattaches over cell as before"
audited "$CA" '.event=="transition" and .to=="recovering" and .reason=="transport_dead"' &&
	audited "$SA" '.event=="transition" and .reason=="reattach_complete"'
ok $? "... through recovering and reattach_complete, as before"
roam_done
