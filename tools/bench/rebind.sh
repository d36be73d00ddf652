#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# NAT rebinding, a section of make bench (Documentation/benchmark.rst, "NAT
# rebinding"). Runs as root in the VM, in the roaming topology of the jumpd
# tests (selftests/vm/roam.sh). A ping every RB_PROBE_MS crosses the tunnel
# all along; each run makes the router masquerade to another port range and
# forget its mappings (conntrack -D), as a carrier NAT does: the client's
# next packet comes from a new address and port. jump with RebindProbe = yes
# (the server challenges the new mapping at once), then the same server
# with RebindProbe = no (reloaded: the client notices the silence and
# reattaches), then WireGuard over the same NAT and the same rebind.
#
#   RB_RUNS=N        runs with RebindProbe and with WireGuard (default 20)
#   RB_OFF_RUNS=N    runs with RebindProbe = no (default 5; 0: none)
#   RB_PROBE_MS=N    probe interval (default 10)
#   JUMP_VM_OUT      rebind.json goes there (else to stdout)
JUMP_PLAIN=1	# measured, not sanitized
. "$(dirname "${BASH_SOURCE[0]}")/../../selftests/vm/roam.sh"
RUNS=${RB_RUNS:-20}
OFF_RUNS=${RB_OFF_RUNS:-5}
PROBE_MS=${RB_PROBE_MS:-10}
RB_OUT=${JUMP_VM_OUT:-}
exec 3>&1 1>&2		# TAP helpers print; only the JSON goes to fd 3

now_ns() { date +%s%N; }

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

# rebind I: the router masquerades UDP to another range, forgets its mappings.
RANGE=0
rebind() {
	RANGE=$(( (RANGE + 1) % 8 ))
	ip netns exec "$R" nft -f - <<-EOF
		flush chain ip nat post
		add rule ip nat post oifname "srv-r" meta l4proto udp masquerade to :$((40000 + RANGE * 1000))-$((40999 + RANGE * 1000)) random
		add rule ip nat post oifname "srv-r" masquerade
	EOF
	ip netns exec "$R" conntrack -D -p udp > /dev/null 2>&1
}

srv_remote() { sfield "$S" binding.remote; }
jump_moved_from() {
	local now
	now=$(srv_remote)
	[ -n "$now" ] && [ "$now" != "$1" ] && is_state "$S" attached && is_state "$C" attached
}

# One run: marks (ns) for the rebind and for the move seen done.
jump_run() {	# NAME
	local before cut
	before=$(srv_remote)
	cut=$(now_ns)
	rebind
	wait_until 30 jump_moved_from "$before" || return 1
	echo "rebind $cut $(now_ns)" >> "$T_OUT/$1.marks"
	sleep 1
}

wg_endpoint() { ip netns exec "$S" wg show wg0 endpoints | awk '{ print $2 }'; }
wg_moved_from() { local e; e=$(wg_endpoint); [ -n "$e" ] && [ "$e" != "$1" ]; }

wg_run() {
	local before cut
	before=$(wg_endpoint)
	cut=$(now_ns)
	rebind
	wait_until 30 wg_moved_from "$before" || return 1
	echo "rebind $cut $(now_ns)" >> "$T_OUT/wg.marks"
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
	ip netns exec "$C" wg set wg0 listen-port 51901 private-key "$T_OUT/wg-c.key" \
		peer "$(wg pubkey < "$T_OUT/wg-s.key")" endpoint 10.3.0.2:51900 \
		allowed-ips 10.8.0.0/24 persistent-keepalive 1 || return 1
	ip -n "$C" addr add 10.8.0.2/24 dev wg0 && ip -n "$S" addr add 10.8.0.1/24 dev wg0 &&
	ip -n "$C" link set wg0 up && ip -n "$S" link set wg0 up &&
	wait_until 20 ip netns exec "$C" ping -c 1 -W 1 10.8.0.1 > /dev/null
}

main() {
	local i failed_on=0 failed_off=0 failed_wg=0 wg_note= rtt
	roam_setup rb
	server_conf "RebindProbe = yes" "MaxSwitches = 1000" "SwitchInterval = 1m"
	client_conf
	start_server
	start_client
	wait_until 30 bound_from 10.1.0.2 && wait_until 10 is_state "$S" attached || {
		echo "rebind: the session did not attach" >&2; exit 1; }
	rtt=$(ip netns exec "$C" ping -q -c 20 -i 0.05 10.9.0.1 | sed -n 's|^rtt [^=]*= [0-9.]*/\([0-9.]*\)/.*|\1|p')
	probe_start jump 10.9.0.1
	sleep 1
	for i in $(seq "$RUNS"); do
		jump_run jump || failed_on=$((failed_on + 1))
	done
	probe_stop
	if [ "$OFF_RUNS" -gt 0 ]; then
		server_conf "RebindProbe = no" "MaxSwitches = 1000" "SwitchInterval = 1m"
		kill -HUP "$SD_PID"
		sleep 1
		probe_start jump_off 10.9.0.1
		sleep 1
		for i in $(seq "$OFF_RUNS"); do
			jump_run jump_off || failed_off=$((failed_off + 1))
		done
		probe_stop
	fi
	if (set -x; setup_wireguard) 2> "$T_OUT/wg-setup.log"; then
		probe_start wg 10.8.0.1
		sleep 1
		for i in $(seq "$RUNS"); do
			wg_run || failed_wg=$((failed_wg + 1))
		done
		probe_stop
	else
		wg_note="WireGuard could not be set up: $(tail -n 3 "$T_OUT/wg-setup.log" | tr '\n' ' ')"
	fi
	touch "$T_OUT/jump.marks" "$T_OUT/jump_off.marks" "$T_OUT/wg.marks" \
		"$T_OUT/jump_off.ping" "$T_OUT/wg.ping"
	grep -h ' trace ' "$T_OUT/c.log" | sed 's/^/client: /' > "$T_OUT/trace.log"
	grep -h ' trace ' "$T_OUT/s.log" | sed 's/^/server: /' >> "$T_OUT/trace.log"
	python3 - "$T_OUT" "$TOP/tools/bench" "$PROBE_MS" "${rtt:-0}" "$failed_on" \
		"$failed_off" "$failed_wg" "$wg_note" > "$T_OUT/rebind.json" <<-'EOF' || exit 1
	import json, os, sys
	d, lib, probe, rtt = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
	failed = dict(zip(("jump", "jump_off", "wg"), map(int, sys.argv[5:8])))
	note = sys.argv[8]
	sys.path.insert(0, lib)
	import handover_gaps as h

	# Where the time goes, from jumpd's trace: each step from the server's
	# first unbound_source event of the run (the first authentic packet from
	# the new mapping; the rebind itself is two processes spawned after the
	# run's mark, which takes 0.5-1 s under emulation).
	STEPS = [("server", "rebind_challenge_sent"), ("client", "rebind_challenge_received"),
	         ("client", "rebind_confirm_sent"), ("server", "rebind_confirm_received"),
	         ("server", "commit"), ("server", "ack_sent"), ("client", "ack_received"),
	         ("client", "commit")]
	trace = h.trace_events(os.path.join(d, "trace.log"))

	def split(runs):
	    per = {"%s_%s" % s: [] for s in STEPS}
	    for _, start, end in runs:
	        ev = [e for e in trace if start <= e[0] <= end + h.TAIL_NS]
	        first = next((e for e in ev if e[1] == "server" and
	                      e[2] == "unbound_source_event"), None)
	        if first is None:
	            continue
	        per.setdefault("mark_to_unbound_source_event", []).append(
	            (first[0] - start) / 1e6)
	        for side, step in STEPS:
	            hit = next((e for e in ev if e[0] >= first[0] and e[1] == side and
	                        e[2] == step), None)
	            if hit:
	                per["%s_%s" % (side, step)].append((hit[0] - first[0]) / 1e6)
	    return {k: h.stats(v) for k, v in per.items()}

	def section(name):
	    rep = h.replies(os.path.join(d, name + ".ping"))
	    runs = h.marks(os.path.join(d, name + ".marks"))
	    gaps, lost = [], []
	    for _, start, end in runs:
	        g, l = h.gap(rep, start, end)
	        gaps.append(g)
	        lost.append(l)
	    out = {"runs": len(runs), "failed_runs": failed[name], "gap": h.stats(gaps),
	           "lost_probes": {"p50": h.stats(lost)["p50"], "max": h.stats(lost)["max"]},
	           "samples": [None if g is None else round(g, 2) for g in gaps]}
	    if name != "wg":
	        out["trace_ms_from_unbound_event"] = split(runs)
	    return out

	out = {"rebind_gap_ms": {
	    "jump_rebind_probe": section("jump"),
	    "jump_no_probe": section("jump_off"),
	    "wireguard": section("wg"),
	    "tunnel_rtt_ms": rtt or None,
	    "probe_interval_ms": probe,
	    "target_ms": round((rtt or 0) + probe, 2),
	    "method": "the router masquerades to a new port range and flushes its UDP "
	              "conntrack entries; ping -D every probe_interval_ms over the tunnel; "
	              "gap = longest inter-arrival of replies from before the rebind to 0.5 s "
	              "after the server's binding (or WireGuard endpoint) was seen moved",
	}}
	if note:
	    out["rebind_gap_ms"]["notes"] = note
	print(json.dumps(out, indent=1))
	EOF
	# The marks and jumpd's trace, into the section's log.
	cat "$T_OUT/jump.marks" "$T_OUT/trace.log"
	if [ -n "$RB_OUT" ]; then
		cp "$T_OUT/rebind.json" "$RB_OUT/rebind.json"
	else
		cat "$T_OUT/rebind.json" >&3
	fi
	kill "$SD_PID" "$CD_PID"
	roam_reap "$SD_PID" server
	roam_reap "$CD_PID" client
	SD_PID= CD_PID=
}

main "$@"
