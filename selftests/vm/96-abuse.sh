#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# jumpd end to end, under load and under administration (the topology of
# roam.sh): a handshake that never completes ends in birth_timeout; the
# data keys are renewed on RekeyInterval without losing a
# packet; a flood of garbage and of forged reattach requests from thousands
# of spoofed sources neither keeps the real client from reattaching nor
# floods the audit log; a reload applies new liveness times to the live
# session, refuses a broken config and keeps running, ends a session past
# SessionLifetime, and ends a removed peer's session.
. "$(dirname "$0")/roam.sh"
roam_setup ab
# Low rates, so that the flood surely exceeds them under emulation.
RATES=("RekeyInterval = 10s" "GlobalRate = 200" "GlobalBurst = 200" "CookieThreshold = 100"
       "BirthTimeout = 2s")
server_conf "${RATES[@]}"
client_conf "RekeyInterval = 10s" "BirthTimeout = 2s"
# The router drops every HANDSHAKE_DONE (first payload byte 5) at first.
ip netns exec "$R" nft -f - <<-EOF || exit 1
	table ip filter {
		chain no_done {
			type filter hook forward priority 0;
			udp dport 51820 @th,64,8 5 counter drop
		}
	}
EOF
start_server
start_client

server_has() { [ "$(sfield "$S" "$1")" = "$2" ]; }	# FIELD VALUE
key_id() {	# NS: the id of the primary data key
	show "$1" | jq -r '.[0].keys[] | select(.slot=="primary") | .id'
}

# --- a birth that never completes, then one that does ---
wait_until 20 audited "$SA" '.event=="transition" and .from=="birth" and .to=="terminated" and .reason=="birth_timeout"' &&
	wait_until 10 audited "$CA" '.event=="transition" and .from=="birth" and .to=="terminated" and .reason=="birth_timeout"'
r=$?; evidence; ok $r "no HANDSHAKE_DONE gets through: both sides end the half-born session (birth_timeout)"
ip netns exec "$R" nft list table ip filter > "$T_OUT/last" 2>&1
grep -q "counter packets [1-9]" "$T_OUT/last"
ok $? "on the wire: the router dropped the client's HANDSHAKE_DONEs"
! audited "$SA" '.event=="transition" and .to=="attached"'
r=$?; evidence; ok $r "... and nothing was attached meanwhile"
ip netns exec "$R" nft delete table ip filter

# --- birth, then a rekey under a ping stream ---
wait_until 20 is_state "$C" attached && wait_until 5 is_state "$S" attached
r=$?; evidence; ok $r "birth: the session attaches on both sides"
SID=$(sfield "$C" id)
ip netns exec "$C" ping -c 70 -i 0.2 -W 2 10.9.0.1 > "$T_OUT/ping" 2>&1 &
PING=$!
wait_until 30 audited "$CA" '.event=="rekey"' && wait_until 5 audited "$SA" '.event=="rekey"'
r=$?; evidence; ok $r "RekeyInterval: both sides renew the data keys, audited as rekey"
[ "$(key_id "$C")" = 2 ] && [ "$(key_id "$S")" = 2 ]
r=$?; evidence; ok $r "the new keys are primary in both kernels (key id 2)"
wait "$PING"
r=$?; cp "$T_OUT/ping" "$T_OUT/last"
[ $r -eq 0 ] && grep -q " 0% packet loss" "$T_OUT/ping"
ok $? "a ping stream (every 200 ms) across the rekey loses nothing"

# --- a flood while the client moves from wifi to cell ---
# FLOOD SECONDS: from random spoofed sources in 10.66.0.0/16, garbage and
# REATTACH_REQUESTs for the real session with random MACs, raw from the
# router, as fast as python goes; says "flooding" on stderr when it starts,
# and prints how many it sent.
flood() {
	ip netns exec "$R" python3 - "$SID" "$1" <<-'EOF'
	import os, random, socket, struct, sys, time
	sid, secs = int(sys.argv[1], 16), float(sys.argv[2])
	s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
	dst = socket.inet_aton('10.3.0.2')
	sent, end = 0, time.time() + secs
	print('flooding', file=sys.stderr, flush=True)
	while time.time() < end:
	    if sent % 2:
	        body = os.urandom(random.randint(1, 160))
	    else:
	        body = struct.pack('>BBHQIQQ', 7, 0, 0, sid, random.getrandbits(32),
	                           random.getrandbits(63), time.time_ns()) + os.urandom(32)
	    src = bytes([10, 66, random.randint(0, 255), random.randint(1, 254)])
	    udp = struct.pack('>HHHH', random.randint(1024, 65535), 51820, 8 + len(body), 0)
	    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 28 + len(body), 0, 0, 64, 17, 0, src, dst)
	    s.sendto(ip + udp + body, ('10.3.0.2', 0))
	    sent += 1
	print(sent)
	EOF
}
# The spoofed sources must reach the server as they are, not masqueraded
# into the client's own NAT address (that would be an attacker behind the
# client's NAT, which the per-source limit cannot tell from the client).
ip netns exec "$R" nft insert rule ip nat post ip saddr 10.66.0.0/16 return || exit 1
capture_start "$C" cell "$T_OUT/cookie.pcap" 'udp and udp[8] = 3' || exit 1
records=$(wc -l < "$SA")
flood 20 > "$T_OUT/flood" 2> "$T_OUT/flood.log" &
FLOOD=$!
# The move starts once the server is under load (it requires cookies).
wait_until 20 grep -q flooding "$T_OUT/flood.log" && wait_until 10 audited "$SA" '.event=="cookie"'
r=$?; evidence; ok $r "the flood puts the server under load: cookies required"
ip -n "$C" link set wifi down
wait_until 15 bound_from 10.2.0.2 && pings 3 && kill -0 "$FLOOD"
r=$?; evidence; ok $r "in the middle of the flood, the real client reattaches over cell and traffic resumes"
wait "$FLOOD"
capture_stop
sent=$(cat "$T_OUT/flood")
diag "flood: $sent packets from spoofed sources"
tcpdump -n -r "$T_OUT/cookie.pcap" > "$T_OUT/last" 2>&1
[ "$(grep -c '10.3.0.2.51820 > 10.2.0.2' "$T_OUT/last")" -ge 1 ]
ok $? "on the wire: the server answered the client with a COOKIE_REPLY, which the client used"
audited "$SA" '.event=="rate_limit" and .reject=="rate_limited"' &&
audited "$SA" '.event=="accept" and (.detail|test("path validated"))'
r=$?; evidence; ok $r "audited: rate-limit summaries, and the real path validated"
added=$(( $(wc -l < "$SA") - records ))
echo "$added records for $sent flood packets" > "$T_OUT/last"
[ "$sent" -gt 1000 ] && [ "$added" -lt $((sent / 10)) ]
ok $? "the flood is summarized, not recorded packet by packet ($added records for $sent packets)"
[ "$(sfield "$S" id)" = "$SID" ] && is_state "$S" attached && kill -0 "$SD_PID"
r=$?; evidence; ok $r "no forged request moved or ended the session; the server daemon is alive"

# journald has the same records, with the structured fields (audit.rst).
if [ -n "$JD_PID" ]; then
	journalctl --no-pager -o json JUMP_SESSION="$SID" > "$T_OUT/journal" 2> "$T_OUT/last"
	jq -e -s 'map(select(.MESSAGE_ID=="dd2d77049b7b4fc995fed2181a2a24e5" and
		.JUMP_EVENT=="transition" and .JUMP_TO=="attached" and
		.JUMP_REASON=="reattach_complete" and .JUMP_FROM=="recovering" and
		(.JUMP_VERSION|tonumber) > 2 and .JUMP_PEER != null)) | length >= 2' \
		"$T_OUT/journal" >> "$T_OUT/last" 2>&1 &&
	jq -e -s 'map(select(.MESSAGE_ID=="09d898e05ee74b59b268b5e9b456f025" and
		.JUMP_EVENT=="accept" and (.JUMP_SOURCE|startswith("10.3.0.1:")))) | length >= 1' \
		"$T_OUT/journal" >> "$T_OUT/last" 2>&1
	ok $? "journald holds the transitions with MESSAGE_ID and the JUMP_* fields"
fi

# --- reloads ---
version=$(sfield "$S" version)
POLICY=${POLICY/Keepalive = 200ms/Keepalive = 300ms}
server_conf "${RATES[@]}"
kill -HUP "$SD_PID"
wait_until 10 server_has keepalive_ms 300
r=$?; evidence; ok $r "a reload puts the new Keepalive into the live session's kernel settings"
[ "$(sfield "$S" version)" = "$version" ]
ok $? "... without a transition (version $version kept)"

cp "$T_OUT/s.conf" "$T_OUT/s.good"
sed -i 's/^Keepalive = .*/Keepalive = 5/' "$T_OUT/s.conf"
line=$(grep -n '^Keepalive' "$T_OUT/s.conf" | cut -d: -f1)
kill -HUP "$SD_PID"
wait_until 10 audited "$SA" ".event==\"reload\" and .reject==\"malformed\" and (.detail|test(\"s.conf:$line:\"))"
r=$?; evidence; ok $r "a broken config is refused on reload, naming its file and line ($line)"
sleep 1
kill -0 "$SD_PID" && is_state "$S" attached && [ "$(sfield "$S" keepalive_ms)" = 300 ] && pings 2
r=$?; evidence; ok $r "... and the running config, the session and its traffic stay"

# The session is older than a minute by now: a lifetime of 1m ends it.
capture_start "$C" cell "$T_OUT/term.pcap" 'udp and udp[8] = 15' || exit 1
server_conf "${RATES[@]}" "SessionLifetime = 1m"
kill -HUP "$SD_PID"
wait_until 40 audited "$SA" '.event=="transition" and .to=="terminated" and .reason=="key_expired"'
r=$?; evidence; ok $r "SessionLifetime: the server ends the session (key_expired)"
sleep 1
capture_stop
tcpdump -n -r "$T_OUT/term.pcap" > "$T_OUT/last" 2>&1
[ "$(grep -c '10.3.0.2.51820 > 10.2.0.2' "$T_OUT/last")" -ge 1 ]
ok $? "on the wire: the server told the client with a TERMINATE"
wait_until 20 audited "$CA" '.event=="transition" and .to=="terminated" and .reason=="peer_terminate"' &&
	wait_until 30 is_state "$C" attached && [ "$(sfield "$C" id)" != "$SID" ] && pings 2
r=$?; evidence; ok $r "the client births a new session and traffic flows again"

SID=$(sfield "$S" id)
CPUB=$("$JUMPCTL" key genkey | "$JUMPCTL" key pubkey) server_conf "${RATES[@]}"
kill -HUP "$SD_PID"
wait_until 10 audited "$SA" ".event==\"transition\" and .session==\"$SID\" and .to==\"terminated\" and .reason==\"admin_terminate\""
r=$?; evidence; ok $r "a reload without the client's peer ends its session (admin_terminate)"
audited "$SA" ".event==\"reload\" and .session==\"$SID\" and (.detail|test(\"peer removed\"))" &&
	wait_until 10 audited "$CA" ".event==\"transition\" and .session==\"$SID\" and .reason==\"peer_terminate\""
r=$?; evidence; ok $r "the reload records why, and the client learns of it (peer_terminate)"
wait_until 15 audited "$SA" '.reject=="unknown_peer"'
r=$?; evidence; ok $r "the client's new handshake gets nothing but an unknown_peer record"

roam_done
