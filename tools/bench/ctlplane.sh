#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The control plane, a section of make bench (Documentation/benchmark.rst,
# "Control plane"). Runs as root in the VM, in the roaming topology of the
# jumpd tests, with the server's jumpd (plain build) pinned to one CPU:
#  - reattach requests one jumpd core validates per second: fresh, valid
#    requests (made with the session's reattach key, as a client would, by
#    build/bench/cp_load: jumpd's own wire and MAC code in C) from one port,
#    128 in flight, counted by the challenges that come back, beside a bare MAC
#    verify loop (cp_load mac) on the same core;
#  - the time a legitimate reattach takes (jumpctl session reattach on the
#    client: admin_reattach -> reattach_complete in its audit), CP_RUNS times
#    quiet and CP_RUNS times under a flood of forged requests and garbage.
# Prints {"reattach_per_s": ..., "reattach_under_flood_ms": ...} (or writes
# $JUMP_VM_OUT/ctlplane.json).
JUMP_PLAIN=1	# measured, not sanitized
. "$(dirname "${BASH_SOURCE[0]}")/../../selftests/vm/roam.sh"
RUNS=${CP_RUNS:-10}
SECS=${CP_SECONDS:-10}
CP_OUT=${JUMP_VM_OUT:-}
LOAD=$TOP/build/bench/cp_load
exec 3>&1 1>&2

audit_ns() {	# ISO time of an audit record -> ns
	python3 -c 'import sys, datetime as d
t = sys.argv[1]
b = d.datetime.strptime(t[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=d.timezone.utc)
print(int(b.timestamp()) * 10**9 + int(t[20:29]))' "$1"
}

# One admin reattach: ms from the request to reattach_complete, audited.
reattach_ms() {
	local sid n before t0 t1
	sid=$(sfield "$C" id)
	before=$(count "$CA" '.event=="transition" and .reason=="reattach_complete"')
	ip netns exec "$C" "$JUMPCTL" session reattach dev jump0 id "$sid" > /dev/null 2>&1 || return 1
	wait_until 30 more "$CA" '.event=="transition" and .reason=="reattach_complete"' "$before" || return 1
	t0=$(jq -r 'select(.event=="transition" and .reason=="admin_reattach") | .time' "$CA" | tail -n 1)
	t1=$(jq -r 'select(.event=="transition" and .reason=="reattach_complete") | .time' "$CA" | tail -n 1)
	n=$(( ($(audit_ns "$t1") - $(audit_ns "$t0")) / 1000 ))
	awk -v us="$n" 'BEGIN { printf "%.2f\n", us / 1000 }'
}

series() {	# RUNS -> JSON array of ms
	local i ms out=()
	for i in $(seq "$1"); do
		ms=$(reattach_ms) && out+=("$ms")
		sleep 1
	done
	printf '%s\n' "${out[@]}" | jq -sc .
}

pstats='sort | if length == 0 then {p50: null, p99: null, max: null, runs: 0} else
	{p50: .[(length - 1) / 2 | floor], p99: .[((length - 1) * 0.99) | round], max: .[-1], runs: length} end'

main() {
	roam_setup cp
	server_conf "MaxSwitches = 1000" "SwitchInterval = 1m" \
		"SourceRate = 1000000" "SourceBurst = 1000000" \
		"GlobalRate = 10000000" "GlobalBurst = 10000000" "CookieThreshold = 10000000"
	client_conf
	ip -n "$R" addr add 10.3.0.66/24 dev srv-r
	ip netns exec "$R" nft insert rule ip nat post ip saddr 10.3.0.66 accept
	ip netns exec "$S" taskset -c 0 "$JUMPD" -i jump0 -c "$T_OUT/s.conf" 2>> "$T_OUT/s.log" &
	SD_PID=$!
	start_client
	wait_until 30 bound_from 10.1.0.2 && wait_until 10 is_state "$S" attached || {
		echo "ctlplane: the session did not attach" >&2; exit 1; }
	local sid valid quiet flooded flood
	sid=$(sfield "$C" id)
	local c0 c1
	c0=$(cpu_ticks "$SD_PID")
	valid=$(ip netns exec "$R" taskset -c 1 "$LOAD" valid \
		"$T_OUT/c-state/$sid.session" "$SECS") || valid=null
	c1=$(cpu_ticks "$SD_PID")
	# Whether jumpd was the bottleneck: its CPU share of the run.
	local busy mac
	busy=$(awk -v d=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v s="$SECS" \
		'BEGIN { printf "%.0f", 100 * d / hz / s }')
	# The same core, the same run: a bare libsodium MAC verify loop, so
	# that reattach_per_s can be read as a ratio to it on any machine.
	mac=$(taskset -c 0 "$LOAD" mac "$SECS") || mac=null
	sleep 3
	wait_until 30 healthy_session
	quiet=$(series "$RUNS")
	ip netns exec "$R" taskset -c 1 "$LOAD" flood $((RUNS * 4 + 10)) \
		"$T_OUT/c-state/$sid.session" > "$T_OUT/flood.json" &
	local fl=$!
	sleep 1
	flooded=$(series "$RUNS")
	wait "$fl"
	flood=$(cat "$T_OUT/flood.json" 2>/dev/null)
	jq -n --argjson busy "$busy" --argjson valid "${valid:-null}" --argjson quiet "$quiet" \
		--argjson flooded "$flooded" --argjson flood "${flood:-null}" \
		--argjson mac "${mac:-null}" "{
	  reattach_per_s: {value: (\$valid.per_s // null), load: \$valid, jumpd_cpu_pct: \$busy,
	    mac_verify_per_s: (\$mac.mac_verify_per_s // null),
	    ratio_to_mac_verify: (if (\$valid.per_s // null) != null and (\$mac.mac_verify_per_s // 0) > 0
	      then (\$valid.per_s / \$mac.mac_verify_per_s * 1000000 | round / 1000000) else null end),
	    method: \"build/bench/cp_load valid: fresh valid REATTACH_REQUESTs from one port, 128 in flight (sendmmsg/recvmmsg), jumpd (plain build) pinned to CPU 0, the generator to CPU 1; a challenge back = a request validated (MAC, freshness, policy); the commit step is not in the loop\"},
	  reattach_under_flood_ms: {quiet: (\$quiet | $pstats), flood: (\$flooded | $pstats),
	    flood_load: \$flood, quiet_samples: \$quiet, flood_samples: \$flooded,
	    method: \"jumpctl session reattach on the client, admin_reattach -> reattach_complete in its audit; flood: build/bench/cp_load flood, forged requests of the session (a wrong MAC) and garbage from 10.3.0.66 as fast as one CPU sends\"}
	}" > "$T_OUT/ctlplane.json" || exit 1
	if [ -n "$CP_OUT" ]; then cp "$T_OUT/ctlplane.json" "$CP_OUT/"; else cat "$T_OUT/ctlplane.json" >&3; fi
	kill "$SD_PID" "$CD_PID"
	roam_reap "$SD_PID" server
	roam_reap "$CD_PID" client
	SD_PID= CD_PID=
}

# utime + stime of PID, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

healthy_session() { is_state "$C" attached && is_state "$S" attached && pings 1; }

main "$@"
