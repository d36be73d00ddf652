#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Handover recovery, the section of make bench (Documentation/benchmark.rst,
# "Handover recovery"). Runs as root in the VM. The roaming topology of the
# jumpd tests (selftests/vm/roam.sh): a client with "wifi" and "cell"
# through a NAT to a server, real jumpd on both ends. A ping every
# HO_PROBE_MS crosses the tunnel all along; each run cuts wifi (break before
# make: the session must move to cell), then brings it back (make before
# break: jumpd's planned switch back to the preferred uplink). Then the
# same cuts again with StandbyPath = yes (the client keeps cell validated
# as the standby and promotes it: no handshake), the standby's keepalive
# traffic counted on cell, and the same cut on a WireGuard tunnel over the
# same topology, as the reference.
#
#   HO_RUNS=N        runs of each (default 50)
#   HO_KA_WINDOW=S   seconds of standby keepalives captured (default 62)
#   HO_PROBE_MS=N    probe interval (default 10)
#   JUMP_VM_OUT      handover.json goes there (else to stdout)
JUMP_PLAIN=1	# measured, not sanitized
. "$(dirname "${BASH_SOURCE[0]}")/../../selftests/vm/roam.sh"
RUNS=${HO_RUNS:-50}
PROBE_MS=${HO_PROBE_MS:-10}
HO_OUT=${JUMP_VM_OUT:-}
exec 3>&1 1>&2		# TAP helpers print; only the JSON goes to fd 3

now_ns() { date +%s%N; }

# probe NAME TARGET: ping -D every PROBE_MS into $T_OUT/NAME.ping.
probe_start() {
	ip netns exec "$C" ping -D -n -i "0.$(printf '%03d' "$PROBE_MS")" -W 1 "$2" \
		> "$T_OUT/$1.ping" 2>&1 &
	PROBE_PID=$!
}
probe_stop() {
	kill -INT "$PROBE_PID" 2>/dev/null
	wait "$PROBE_PID" 2>/dev/null
	PROBE_PID=
}

wifi_back() {
	ip -n "$C" link set wifi up
	ip -n "$C" route replace default via 10.1.0.1 dev wifi metric 100
}

# One run: marks (ns) for the cut, the recovery, the return and its end.
jump_run() {
	local cut back
	cut=$(now_ns)
	ip -n "$C" link set wifi down
	wait_until 30 bound_from 10.2.0.2 || return 1
	echo "bbm $cut $(now_ns)" >> "$T_OUT/jump.marks"
	sleep 1
	back=$(now_ns)
	wifi_back
	wait_until 30 bound_from 10.1.0.2 || return 1
	echo "mbb $back $(now_ns)" >> "$T_OUT/jump.marks"
	sleep 1
}

standby_from() { sfield "$C" standby.local | grep -q "^$1:"; }

# One run with StandbyPath: the cut promotes cell; wifi back, a planned
# switch to it and cell validated again as the standby before the next.
standby_run() {
	local cut
	wait_until 30 standby_from 10.2.0.2 || return 1
	cut=$(now_ns)
	ip -n "$C" link set wifi down
	wait_until 30 bound_from 10.2.0.2 || return 1
	echo "bbm $cut $(now_ns)" >> "$T_OUT/jump_sb.marks"
	sleep 1
	wifi_back
	wait_until 30 bound_from 10.1.0.2 || return 1
	sleep 1
}

# The daemons again, the client with StandbyPath: the session is adopted.
restart_with_standby() {
	kill "$SD_PID" "$CD_PID"
	roam_reap "$SD_PID" server
	roam_reap "$CD_PID" client
	client_conf "StandbyPath = yes"
	start_server
	start_client
	wait_until 30 bound_from 10.1.0.2 && wait_until 30 standby_from 10.2.0.2
}

# STANDBY_KEEPALIVEs on cell (both ways) over $1 seconds: "packets bytes",
# bytes being IP datagrams (what a metered uplink counts, less its framing).
keepalive_cost() {
	capture_start "$C" cell "$T_OUT/ka.pcap" 'udp and udp[8] = 20' || return 1
	sleep "$1"
	capture_stop
	tcpdump -n -v -r "$T_OUT/ka.pcap" 2>/dev/null |
		awk '/proto UDP/ { n++; sub(/.*length /, ""); sub(/\).*/, ""); b += $0 }
		     END { print n + 0, b + 0 }'
}

# WireGuard has no states to watch: the server's idea of the client's
# endpoint moving (the NAT gives each uplink its own port) is the handover.
wg_endpoint() { ip netns exec "$S" wg show wg0 endpoints | awk '{ print $2 }'; }
wg_moved_from() { local e; e=$(wg_endpoint); [ -n "$e" ] && [ "$e" != "$1" ]; }

wg_run() {
	local cut back before
	before=$(wg_endpoint)
	cut=$(now_ns)
	ip -n "$C" link set wifi down
	wait_until 30 wg_moved_from "$before" || return 1
	echo "bbm $cut $(now_ns)" >> "$T_OUT/wg.marks"
	sleep 1
	before=$(wg_endpoint)
	back=$(now_ns)
	wifi_back
	wait_until 30 wg_moved_from "$before" || return 1
	echo "mbb $back $(now_ns)" >> "$T_OUT/wg.marks"
	sleep 1
}

setup_wireguard() {
	local ck sk
	ck=$(wg genkey) sk=$(wg genkey)
	echo "$ck" > "$T_OUT/wg-c.key"
	echo "$sk" > "$T_OUT/wg-s.key"
	ip -n "$C" link add wg0 type wireguard && ip -n "$S" link add wg0 type wireguard || return 1
	ip netns exec "$S" wg set wg0 listen-port 51900 private-key "$T_OUT/wg-s.key" \
		peer "$(wg pubkey < "$T_OUT/wg-c.key")" allowed-ips 10.8.0.2/32 || return 1
	# PersistentKeepalive 1 s: WireGuard's fastest, so that the server
	# learns a new address even when the client has nothing to send.
	ip netns exec "$C" wg set wg0 listen-port 51901 private-key "$T_OUT/wg-c.key" \
		peer "$(wg pubkey < "$T_OUT/wg-s.key")" endpoint 10.3.0.2:51900 \
		allowed-ips 10.8.0.0/24 persistent-keepalive 1 || return 1
	ip -n "$C" addr add 10.8.0.2/24 dev wg0 && ip -n "$S" addr add 10.8.0.1/24 dev wg0 &&
	ip -n "$C" link set wg0 up && ip -n "$S" link set wg0 up &&
	# The first handshake may take a retry (5 s) under emulation.
	wait_until 20 ip netns exec "$C" ping -c 1 -W 1 10.8.0.1 > /dev/null
}

main() {
	roam_setup ho
	server_conf "MaxSwitches = 1000" "SwitchInterval = 1m"
	client_conf
	start_server
	start_client
	wait_until 30 bound_from 10.1.0.2 && wait_until 10 is_state "$S" attached || {
		echo "handover: the session did not attach" >&2; exit 1; }
	local i failed_jump=0 failed_wg=0 rtt_tunnel rtt_bare
	# The new path's RTT, through the tunnel and bare, with wifi down.
	ip -n "$C" link set wifi down
	wait_until 30 bound_from 10.2.0.2
	rtt_tunnel=$(ip netns exec "$C" ping -q -c 20 -i 0.05 10.9.0.1 | sed -n 's|^rtt [^=]*= [0-9.]*/\([0-9.]*\)/.*|\1|p')
	rtt_bare=$(ip netns exec "$C" ping -q -c 20 -i 0.05 10.3.0.2 | sed -n 's|^rtt [^=]*= [0-9.]*/\([0-9.]*\)/.*|\1|p')
	wifi_back
	wait_until 30 bound_from 10.1.0.2
	sleep 1
	probe_start jump 10.9.0.1
	sleep 1		# the first run needs replies from before its cut
	for i in $(seq "$RUNS"); do
		jump_run || { failed_jump=$((failed_jump + 1)); wifi_back; wait_until 30 bound_from 10.1.0.2; }
	done
	probe_stop
	# The same cuts with a standby, then what keeping it warm costs.
	local failed_sb=0 ka="0 0" ka_window=${HO_KA_WINDOW:-62}
	if restart_with_standby; then
		probe_start jump_sb 10.9.0.1
		sleep 1
		for i in $(seq "$RUNS"); do
			standby_run || { failed_sb=$((failed_sb + 1)); wifi_back; wait_until 30 bound_from 10.1.0.2; }
		done
		probe_stop
		wait_until 30 standby_from 10.2.0.2 && ka=$(keepalive_cost "$ka_window")
	else
		failed_sb=$RUNS
	fi
	local wg_note=
	if (set -x; setup_wireguard) 2> "$T_OUT/wg-setup.log"; then
		probe_start wg 10.8.0.1
		sleep 1
		for i in $(seq "$RUNS"); do
			wg_run || { failed_wg=$((failed_wg + 1)); wifi_back; sleep 2; }
		done
		probe_stop
	else
		wg_note="WireGuard could not be set up: $(tail -n 3 "$T_OUT/wg-setup.log" | tr '\n' ' ')"
		: > "$T_OUT/wg.marks"; : > "$T_OUT/wg.ping"
	fi
	# jumpd's trace (ctl_trace: link event, request, challenge, confirm,
	# commit) for handover_gaps.py's split, and into the section's log.
	grep -h ' trace ' "$T_OUT/c.log" | sed 's/^/client: /' > "$T_OUT/trace.log"
	grep -h ' trace ' "$T_OUT/s.log" | sed 's/^/server: /' >> "$T_OUT/trace.log"
	cat "$T_OUT/jump.marks" "$T_OUT/trace.log"
	python3 "$TOP/tools/bench/handover_gaps.py" \
		--probe-ms "$PROBE_MS" --runs "$RUNS" \
		--failed-jump "$failed_jump" --failed-wg "$failed_wg" \
		--failed-standby "$failed_sb" --keepalive "$ka" --keepalive-window "$ka_window" \
		--rtt-tunnel "${rtt_tunnel:-0}" --rtt-bare "${rtt_bare:-0}" \
		--audit "$CA" --note "$wg_note" \
		--policy "$POLICY" "$T_OUT" > "$T_OUT/handover.json" || exit 1
	if [ -n "$HO_OUT" ]; then
		cp "$T_OUT/handover.json" "$HO_OUT/handover.json"
	else
		cat "$T_OUT/handover.json" >&3
	fi
	kill "$SD_PID" "$CD_PID"
	roam_reap "$SD_PID" server
	roam_reap "$CD_PID" client
	SD_PID= CD_PID=
}

main "$@"
