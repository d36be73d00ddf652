#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A session moving between an IPv4 and an IPv6 transport, with real jumpd on
# both ends, in the roaming topology (roam.sh) made dual-stack: the client's
# wifi has IPv4 only and its cell IPv6 only (the router forwards IPv6
# without NAT, as carriers mostly do), and the client lists the server by
# both families (two Endpoint lines). Born over wifi (IPv4), the session
# moves to cell (IPv6) when wifi is cut and back to IPv4 when wifi returns:
# one session id throughout, traffic through each, both audits verify. Then
# StandbyPath keeps an IPv6 standby of the IPv4 binding and promotes it.
. "$(dirname "$0")/roam.sh"
roam_setup v6

# cell: IPv6 only. nodad: usable at once, no duplicate address detection.
ip -n "$C" route del default via 10.2.0.1 dev cell
ip -n "$C" addr del 10.2.0.2/24 dev cell
ip -n "$C" addr add fd00:2::2/64 dev cell nodad
ip -n "$R" addr add fd00:2::1/64 dev cell-r nodad
ip -n "$R" addr add fd00:3::1/64 dev srv-r nodad
ip -n "$S" addr add fd00:3::2/64 dev srv nodad
ip netns exec "$R" sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n "$C" -6 route add default via fd00:2::1 dev cell
ip -n "$S" -6 route add default via fd00:3::1

# dual_conf [LINE...]: client_conf with the server's IPv6 address as well,
# and first an address nobody answers at (10.3.0.9: routed, never there),
# so that a birth or a reattach must move on to the next Endpoint.
dual_conf() {
	client_conf "$@"
	sed -i 's/^\(\s*\)Endpoint = 10.3.0.2:51820$/\1Endpoint = 10.3.0.9:51820\n&\n\1Endpoint = [fd00:3::2]:51820/' \
		"$T_OUT/c.conf"
}

bound_v6() {
	is_state "$C" attached && sfield "$C" binding.local | grep -q '^\[fd00:2::2\]:'
}
server_remote_v6() { sfield "$S" binding.remote | grep -q '^\[fd00:2::2\]:'; }
server_remote_v4() { sfield "$S" binding.remote | grep -q '^10\.3\.0\.1:'; }

server_conf
dual_conf
[ "$(grep -c '^\s*Endpoint = ' "$T_OUT/c.conf")" = 3 ] &&
	grep -q '^\s*Endpoint = \[fd00:3::2\]:51820$' "$T_OUT/c.conf"
ok $? "the client's config lists a dead address, then the server by IPv4 and by IPv6"
ip netns exec "$C" ping -6 -c 1 -W 5 fd00:3::2 > "$T_OUT/last" 2>&1 &&
	! ip netns exec "$C" ping -4 -c 1 -W 1 -I cell 10.3.0.2 >> "$T_OUT/last" 2>&1
ok $? "cell reaches the server by IPv6 only"
start_server
start_client

# --- birth over IPv4 ---
wait_until 20 is_state "$C" attached && wait_until 5 is_state "$S" attached &&
	bound_from 10.1.0.2 && server_remote_v4
r=$?; evidence; ok $r "birth: attached over wifi, IPv4 (the first Endpoint unanswered, the next one)"
[ "$(sfield "$C" binding.remote)" = "10.3.0.2:51820" ]
ok $? "bound to the Endpoint that answered"
SID=$(sfield "$C" id)
pings
ok $? "traffic flows over IPv4"

# --- wifi cut: to IPv6 ---
ip netns exec "$C" ping -c 100 -i 0.1 -W 1 10.9.0.1 > "$T_OUT/stream" 2>&1 &
STREAM=$!
sleep 1
ip -n "$C" link set wifi down
wait_until 20 bound_v6 && wait_until 5 server_remote_v6 && wait_until 5 is_state "$S" attached
r=$?; evidence; ok $r "wifi down: bound over cell by IPv6 on both sides"
[ "$(sfield "$C" id)" = "$SID" ] && [ "$(sfield "$S" id)" = "$SID" ] &&
	[ "$(sfield "$C" binding.remote)" = "[fd00:3::2]:51820" ] &&
	[ "$(sfield "$C" binding.epoch)" -ge 2 ]
r=$?; evidence; ok $r "the same session, to the server's IPv6 address, a new epoch"
pings
ok $? "traffic flows over IPv6"
wait "$STREAM"
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$T_OUT/stream")
diag "IPv4 to IPv6 under a 100 ms ping stream: ${got:-0} of 100 came back"
[ "${got:-0}" -ge 50 ]
ok $? "the ping stream resumes after the move (most of 100 answered)"

# --- wifi back: to IPv4 again, a planned switch ---
ip -n "$C" link set wifi up
# A link going down takes its IPv4 routes with it.
ip -n "$C" route replace default via 10.1.0.1 dev wifi metric 100
wait_until 20 bound_from 10.1.0.2 && wait_until 5 server_remote_v4 && wait_until 5 is_state "$S" attached
r=$?; evidence; ok $r "wifi back: a planned switch returns to IPv4"
[ "$(sfield "$C" id)" = "$SID" ] && [ "$(sfield "$C" binding.remote)" = "10.3.0.2:51820" ]
ok $? "still the same session, to the server's IPv4 address"
pings
ok $? "traffic flows over IPv4 again"
more "$CA" '.event=="transition" and .to=="attached" and .reason=="reattach_complete"' 1 &&
	more "$SA" '.event=="transition" and .to=="attached" and .reason=="reattach_complete"' 1
ok $? "both moves are audited on both sides as reattach_complete"

# --- StandbyPath: an IPv6 standby of an IPv4 binding ---
kill "$CD_PID" "$SD_PID"
roam_reap "$CD_PID" client && roam_reap "$SD_PID" server
ok $? "both daemons stop cleanly"
dual_conf "StandbyPath = yes" "StandbyKeepalive = 1s"
start_server
start_client
standby_v6() { sfield "$C" standby.local | grep -q '^\[fd00:2::2\]:'; }
wait_until 10 is_state "$C" attached && bound_from 10.1.0.2 && wait_until 15 standby_v6 &&
	sfield "$S" standby.remote | grep -q '^\[fd00:2::2\]:'
r=$?; evidence; ok $r "the restarted client validates cell (IPv6) as the standby of its IPv4 binding"
ip -n "$C" link set wifi down
wait_until 20 bound_v6 && wait_until 5 server_remote_v6
r=$?; evidence; ok $r "wifi down: the IPv6 standby is promoted"
[ "$(sfield "$C" id)" = "$SID" ] &&
	audited "$CA" '.event=="transition" and .to=="attached" and .reason=="standby_promoted"'
ok $? "same session, by a standby_promoted transition"
pings
ok $? "traffic flows over the promoted IPv6 path"

# Bound by IPv6 (the third Endpoint), the client's next path tries the
# Endpoints from there on: wifi has no IPv6, so 10.3.0.9 next; the planned
# switch back to wifi must move on from that unanswered request.
ip -n "$C" link set wifi up
ip -n "$C" route replace default via 10.1.0.1 dev wifi metric 100
wait_until 20 bound_from 10.1.0.2 && wait_until 5 server_remote_v4 &&
	[ "$(sfield "$C" binding.remote)" = "10.3.0.2:51820" ]
r=$?; evidence; ok $r "wifi back: the reattach's unanswered first Endpoint is left for the next (IPv4)"
pings
ok $? "traffic flows over IPv4 after it"

roam_done
