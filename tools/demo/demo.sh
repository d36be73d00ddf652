#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The demo (make demo, Documentation/demo.rst): the roaming topology of the
# VM tests (selftests/vm/roam.sh), real jumpd on both sides, and a timeline
# of what happens, read off the kernel's event stream, both audit logs and
# a 100 ms ping stream. Every step is checked: "FAILED: step" and exit 1
# when one did not happen as shown. Runs as root inside tools/vm/run.
. "$(dirname "$0")/../../selftests/vm/roam.sh"
TL=$TOP/tools/demo/timeline.py

fail() {
	flush
	echo "FAILED: $*"
	# Both sides' state and the daemons' last words, once there are any.
	[ -n "${C:-}" ] && evidence && sed 's/^/  | /' "$T_OUT/last"
	exit 1
}
# roam.sh skips what it cannot run; a demo that skips has shown nothing.
[ "$(id -u)" -eq 0 ] || fail "setup: needs root (make demo runs it in the VM)"
modprobe jump 2>/dev/null || fail "setup: jump.ko is not installed for $(uname -r)"
command -v conntrack >/dev/null || fail "setup: conntrack(8) is not installed"
# The demo shows the product: the plain build (make all), even where the
# ASan build of make vm-test exists.
JUMPD=$TOP/build/jumpd
[ -x "$JUMPD" ] && [ -x "$JUMPCTL" ] || fail "setup: jumpd/jumpctl not built (make all)"

# The tests' timers, but a first retry of 1 s, not 200 ms: under emulation
# a handshake retried after 200 ms often overtakes the server's answer,
# which jumpd handles (the older birth is ended) but which clutters the
# timeline with births nobody needed.
POLICY=${POLICY/RetryInitial = 200ms/RetryInitial = 1s}

now() { date +%s%N; }
T0=$(now)
SHOWN=0
MON=() PING_PID=
# mark TEXT: what the demo does, on the timeline at this instant.
# MARK is its time: the events a step looks for come after it.
mark() {
	MARK=$(now)
	printf '%s\t%s\n' "$MARK" "$*" >> "$T_OUT/marks"
}
# flush: the timeline up to now (a moment later: the monitors write late).
flush() {
	local to
	sleep 0.3
	to=$(now)
	python3 "$TL" show "$T_OUT" "$T0" "$SHOWN" "$to"
	SHOWN=$to
}
# step TEXT CMD...: CMD must succeed, else the demo fails at TEXT.
step() {
	local text=$1
	shift
	"$@" || fail "$text"
	flush
	echo "            ok: $text"
}
# walked: the client's (or FILE's) kernel stream has FROM -> TO (REASON) after NS.
walked() {	# NS FROM TO REASON [FILE]
	jq -e --argjson t "$1" --arg f "$2" --arg s "$3" --arg r "$4" \
		'select(.event == "transition" and .time_ns > $t and .from == $f and
			.state == $s and .reason == $r)' "${5:-$T_OUT/c.events}" 2>/dev/null |
		grep -q .
}
# rel NS: seconds since the start, as the timeline prints them.
rel() { awk -v ns="$1" -v t0="$T0" 'BEGIN { printf "%8.3fs", (ns - t0) / 1e9 }'; }
# gap NAME CUT_NS [BACK_NS]: the traffic gap of a cut (the longest wait
# between two ping replies since CUT_NS), from ping -D's timestamps; with
# BACK_NS, also how long after the path came back traffic resumed.
gap() {
	local g back=
	g=$(python3 "$TL" gap "$T_OUT" "$2" "$(now)") || return 1
	set -- "$1" "$2" "${3:-}" $g
	[ -n "$3" ] && back=", $(( ($5 - $3) / 1000000 )) ms after the demo lifted the silence"
	echo "            gap: $1: no replies for $6 ms (last before at" \
		"$(rel "$4" | tr -d ' '), first after at $(rel "$5" | tr -d ' ')$back)"
}
silence() {	# the router drops all IPv4 that crosses the cell uplink
	ip netns exec "$R" nft -f - <<-EOF
		table ip demo {
			chain drop_cell {
				type filter hook forward priority 0;
				iifname "cell-r" drop
				oifname "cell-r" drop
			}
		}
	EOF
}

roam_setup demo
demo_cleanup() {
	[ -n "$PING_PID" ] && kill "$PING_PID" 2>/dev/null
	[ -n "$CAP_PID" ] && kill "$CAP_PID" 2>/dev/null
	for p in "${MON[@]}"; do kill "$p" 2>/dev/null; done
	roam_cleanup
}
trap demo_cleanup EXIT
CAP_PID=
# IPv6 beside IPv4 on cell and the server (the router forwards it, no NAT),
# for step 7. nodad: usable at once.
ip -n "$C" addr add fd00:2::2/64 dev cell nodad
ip -n "$R" addr add fd00:2::1/64 dev cell-r nodad
ip -n "$R" addr add fd00:3::1/64 dev srv-r nodad
ip -n "$S" addr add fd00:3::2/64 dev srv nodad
ip netns exec "$R" sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n "$C" -6 route add default via fd00:2::1 dev cell
ip -n "$S" -6 route add default via fd00:3::1
echo "Jumping VPN demo: client (uplinks wifi 10.1.0.2, cell 10.2.0.2 and fd00:2::2) -> router (NAT for IPv4) -> server 10.3.0.2:51820, [fd00:3::2]:51820"
echo "timeline: kernel = the jump module's event stream (jumpctl -j -t monitor), audit = jumpd's audit log"
echo

# The event streams first, so that nothing is missed.
for side in c s; do
	ns=$C
	[ $side = s ] && ns=$S
	ip netns exec "$ns" "$JUMPCTL" -j -t monitor dev jump0 > "$T_OUT/$side.events" 2> "$T_OUT/$side.mon.err" &
	MON+=($!)
done
sleep 1
server_conf "MaxSwitches = 10" "SwitchInterval = 1m" "RebindProbe = yes"
client_conf
# The client knows the server by both families, IPv4 first.
sed -i 's/^\(\s*\)Endpoint = 10.3.0.2:51820$/&\n\1Endpoint = [fd00:3::2]:51820/' "$T_OUT/c.conf"
T0=$(now)

# --- 1. birth ---
mark "jumpd starts on the server and on the client"
start_server
start_client
birth() { is_state "$C" attached && is_state "$S" attached; }
step "birth: the session attaches on both sides (handshake_complete)" \
	wait_until 30 birth
SID=$(sfield "$C" id)
step "birth: one session id on both sides, bound over wifi, both kernels say handshake_complete" \
	eval '[ "$(sfield "$S" id)" = "$SID" ] && bound_from 10.1.0.2 &&
		walked 0 birth attached handshake_complete &&
		walked 0 birth attached handshake_complete "$T_OUT/s.events"'

# --- 2. traffic ---
mark "ping -D -i 0.1 10.9.0.1 through the tunnel (runs to the end)"
ip netns exec "$C" ping -D -i 0.1 10.9.0.1 > "$T_OUT/ping.log" 2>&1 &
PING_PID=$!
sleep 3
step "traffic flows: ping replies come back through the tunnel" \
	eval '[ "$(grep -c "bytes from" "$T_OUT/ping.log")" -ge 10 ]'

# --- 3. wifi cut: a link event ---
capture_start "$S" srv "$T_OUT/ctl.pcap" 'udp port 51820 and udp[8] = 7' ||
	fail "cut 1: tcpdump does not start"
mark "cut 1: ip link set wifi down (client)"
M1=$MARK
ip -n "$C" link set wifi down
moved_to_cell() { bound_from 10.2.0.2 && is_state "$S" attached; }
step "cut 1: the client reattaches over cell" wait_until 30 moved_to_cell
sleep 1
capture_stop
step "cut 1: the client walked attached -> volatile (link_down) -> recovering (transport_dead) -> attached (reattach_complete)" \
	eval 'walked $M1 attached volatile link_down &&
		walked $M1 volatile recovering transport_dead &&
		walked $M1 recovering attached reattach_complete'
step "cut 1: the server validated the new path and committed it (reattach_complete)" \
	eval 'audited "$SA" ".event==\"accept\" and (.detail|test(\"path validated\"))" &&
		jq -e "select(.time_ns > $M1 and .state == \"attached\" and
			.reason == \"reattach_complete\")" "$T_OUT/s.events" | grep -q .'
step "cut 1: traffic resumed; the gap is measured" gap "cut 1 (wifi down)" "$M1"

# --- 4. a replayed REATTACH_REQUEST ---
# Right after the reattach it was part of, while the server still knows the
# key before its ratchet (Documentation/jumpd.rst): a replay, stale_attempt.
# After later reattaches the same bytes fail earlier, as auth_failed.
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
[ ${#REQ} -eq 128 ] || fail "replay: no REATTACH_REQUEST was captured during cut 1"
binding=$(sfield "$S" binding.remote)
before=$(count "$SA" '.reject=="stale_attempt"')
mark "replay: the REATTACH_REQUEST captured on the wire during cut 1 is sent again from the router (10.3.0.1)"
send_ctl "$R" 10.3.0.1 "$REQ"
rejected() { more "$SA" '.reject=="stale_attempt"' "$before"; }
step "replay: the server rejects it (stale_attempt)" wait_until 10 rejected
step "replay: the binding and the session are untouched" \
	eval '[ "$(sfield "$S" binding.remote)" = "$binding" ] && is_state "$S" attached && is_state "$C" attached'
sleep 1.5
flush

# --- 5. NAT rebinding ---
old=$(sfield "$S" binding.remote)
mark "NAT rebinding: the router masquerades to ports 40000-40999 and forgets its mappings (conntrack -D)"
M3=$MARK
ip netns exec "$R" nft -f - <<-EOF || fail "NAT rebinding: nft refused the rule"
	flush chain ip nat post
	add rule ip nat post oifname "srv-r" meta l4proto udp masquerade to :40000-40999 random
EOF
ip netns exec "$R" conntrack -D -p udp >/dev/null 2>&1
new_mapping() {
	local now
	now=$(sfield "$S" binding.remote)
	[ -n "$now" ] && [ "$now" != "$old" ] && is_state "$S" attached && is_state "$C" attached
}
step "NAT rebinding: the session recovers on the new mapping" wait_until 30 new_mapping
mark "NAT rebinding: the server's binding moved from $old to $(sfield "$S" binding.remote)"
sleep 1
step "NAT rebinding: traffic resumed; the gap is measured" gap "NAT rebinding" "$M3"

# --- 6. silence on cell's IPv4: no link event ---
# The router drops cell's IPv4 only: the client's reattach, unanswered at
# the server's IPv4 address, moves on to its IPv6 one (the second Endpoint).
mark "cut 2: the router drops cell's IPv4 (nft; no link event, the IPv4 path goes silent; IPv6 still flows)"
M2=$MARK
silence || fail "cut 2: nft refused the drop rules"
step "cut 2: the kernel sees the silence: attached -> volatile -> degraded (rx_silence)" \
	wait_until 20 walked $M2 volatile degraded rx_silence
step "cut 2: the client's jumpd gives the path up: degraded -> recovering (transport_dead)" \
	wait_until 20 walked $M2 degraded recovering transport_dead
on_v6() {
	is_state "$C" attached && is_state "$S" attached &&
		sfield "$C" binding.local | grep -q '^\[fd00:2::2\]:' &&
		sfield "$S" binding.remote | grep -q '^\[fd00:2::2\]:'
}
step "cut 2: its request to 10.3.0.2 unanswered, the client reattaches over cell by IPv6, to [fd00:3::2]:51820" \
	wait_until 30 on_v6
step "cut 2: the full walk attached -> volatile -> degraded -> recovering -> attached, with reasons" \
	eval 'walked $M2 attached volatile rx_silence &&
		walked $M2 recovering attached reattach_complete'
step "cut 2: the same session on both sides; the server's binding is IPv6 now" \
	eval '[ "$(sfield "$C" id)" = "$SID" ] && [ "$(sfield "$S" id)" = "$SID" ] &&
		[ "$(sfield "$S" binding.local)" = "[fd00:3::2]:51820" ]'
sleep 1
step "cut 2: traffic resumed over IPv6; the gap is measured" gap "cut 2 (cell's IPv4 silent)" "$M2"
mark "cut 2 ends: the router forwards cell's IPv4 again (nft delete table ip demo)"
ip netns exec "$R" nft delete table ip demo

# --- 7. back to IPv4 ---
mark "IPv4 back: ip link set wifi up (client) and its default route"
M5=$MARK
ip -n "$C" link set wifi up
ip -n "$C" route replace default via 10.1.0.1 dev wifi metric 100
on_wifi() {
	bound_from 10.1.0.2 && is_state "$S" attached &&
		sfield "$S" binding.remote | grep -q '^10\.3\.0\.1:'
}
step "IPv4 back: a planned switch takes the session to wifi, IPv4 again" wait_until 30 on_wifi
step "IPv4 back: the client walked attached -> recovering (planned_switch) -> attached (reattach_complete)" \
	eval 'walked $M5 attached recovering planned_switch &&
		walked $M5 recovering attached reattach_complete'
sleep 1
step "IPv4 back: traffic; the gap is measured" gap "IPv6 to IPv4 (planned switch)" "$M5"

# --- 8. the end state ---
kill "$PING_PID"
wait "$PING_PID" 2>/dev/null
PING_PID=
echo
# (ping's own summary needs SIGINT, which a background job ignores.)
echo "--- ping: $(grep -c 'bytes from' "$T_OUT/ping.log") replies to" \
	"$(sed -n 's/.*icmp_seq=\([0-9]*\).*/\1/p' "$T_OUT/ping.log" | tail -n 1) requests" \
	"(the last answered), one every 100 ms"
for side in client server; do
	ns=$C
	[ $side = server ] && ns=$S
	echo "--- $side: jumpctl session show"
	ip netns exec "$ns" "$JUMPCTL" session show dev jump0 || fail "end: jumpctl session show on the $side"
done
for f in "$CA" "$SA"; do
	echo "--- jumpctl audit verify file $(basename "$f")"
	"$JUMPCTL" audit verify file "$f" || fail "end: the audit chain of $(basename "$f") does not verify"
done
kill -0 "$SD_PID" && kill -0 "$CD_PID" || fail "end: a jumpd died"
echo
echo "Demo passed: every step happened as shown ($(rel "$(now)" | tr -d ' ') from jumpd's start)."
