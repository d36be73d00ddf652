#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The invariant soak (Documentation/soak.rst): randomized handovers between
# the uplinks, NAT rebindings, silences and administrator reattaches, under
# netem loss, delay, reordering and duplication, with replayed, forged and
# stolen-key control packets mixed in. What happened is judged afterwards
# by tools/soak/check.py from the two kernels' event streams and the two
# audit logs, not by this script.
#
#   SOAK_HANDOVERS=N   stop after N handovers (default 25; make soak: 1000)
#   SOAK_SEED=N        the random seed (default: the time); in the report
#   JUMP_VM_OUT        the report goes to $JUMP_VM_OUT/soak.json, the raw
#                      streams to $JUMP_VM_OUT/97-soak/
. "$(dirname "$0")/roam.sh"
HANDOVERS=${SOAK_HANDOVERS:-25}
SEED=${SOAK_SEED:-$(date +%s)}
RANDOM=$SEED
ATTACKER=10.3.0.1	# the router's own address; ports 61000-61999 only
FAULTS=$T_OUT/faults.jsonl
STUCK=0
HARNESS=0
roam_setup sk
MON_PIDS=
CAP_PID=

soak_cleanup() {
	# The monitors and captures first: roam_cleanup waits for every child.
	[ -n "$MON_PIDS" ] && kill $MON_PIDS 2>/dev/null
	[ -n "$CAP_PID" ] && kill "$CAP_PID" 2>/dev/null
	[ -n "${PING_PID:-}" ] && kill "$PING_PID" 2>/dev/null
	if [ -n "${JUMP_VM_OUT:-}" ]; then
		mkdir -p "$JUMP_VM_OUT/97-soak"
		cp "$T_OUT"/*.jsonl "$T_OUT"/*.json "$JUMP_VM_OUT/97-soak/" 2>/dev/null
	fi
	roam_cleanup
}
trap soak_cleanup EXIT

fault() {	# KIND [JQ-ARGS...]: one line of faults.jsonl
	local kind=$1
	shift
	jq -nc --arg kind "$kind" --argjson t "$(date +%s%N)" "$@" \
		'{kind: $kind, time_ns: $t} + $ARGS.named' >> "$FAULTS"
}

# The NAT maps into 40000-59999 only, so that no real mapping is ever one
# of the injector's ports (61000-61999): the checker tells them apart.
nat_range() {	# BASE
	ip netns exec "$R" nft -f - <<-EOF
		flush chain ip nat post
		add rule ip nat post udp sport 61000-61999 accept
		add rule ip nat post oifname "srv-r" meta l4proto udp masquerade to :$1-$(($1 + 999)) random
		add rule ip nat post oifname "srv-r" masquerade
	EOF
}

# netem on the four links between the client and the router, both ways.
netem_random() {
	local loss=$((RANDOM % 4)) delay=$((2 + RANDOM % 30)) jitter=$((RANDOM % 10))
	local reorder=$((RANDOM % 10)) dup=$((RANDOM % 4)) d
	for d in "$C wifi" "$C cell" "$R wifi-r" "$R cell-r"; do
		set -- $d
		ip netns exec "$1" tc qdisc replace dev "$2" root netem \
			delay "${delay}ms" "${jitter}ms" loss "${loss}%" \
			duplicate "${dup}%" reorder "${reorder}%" 50% || return 1
	done
	fault netem --argjson loss_pct "$loss" --argjson delay_ms "$delay" \
		--argjson jitter_ms "$jitter" --argjson reorder_pct "$reorder" \
		--argjson duplicate_pct "$dup"
}

# harness WHAT: a step of this script failed; the run cannot count.
harness() {
	HARNESS=$((HARNESS + 1))
	diag "harness step failed: $1"
}

inject() {	# KIND
	local sid port=$((61000 + RANDOM % 1000))
	sid=$(sfield "$C" id)
	ip netns exec "$R" python3 "$TOP/selftests/vm/soak_inject.py" "$1" \
		"$T_OUT/ctl.pcap" "$T_OUT/c-state/$sid.session" "$ATTACKER" "$port" \
		>> "$FAULTS" 2>> "$T_OUT/inject.log" || harness "soak_inject.py $1"
}

uplink_up() {	# NAME ADDR METRIC
	ip -n "$C" link set "$1" up
	ip -n "$C" route replace default via "$2" dev "$1" metric "$3" 2>/dev/null
}

# healthy: attached on both sides, one session id, a ping through.
healthy() {
	is_state "$C" attached && is_state "$S" attached &&
		[ "$(sfield "$C" id)" = "$(sfield "$S" id)" ] && pings 1
}

# One round: something happens to the path, then the session must be
# healthy again within 40 s; if not, everything is restored and the round
# is counted as stuck (the checker still judges every step of it).
round() {
	local pick=$((RANDOM % 10)) what
	case $pick in
	[0-4])	# lose the uplink in use: break before make, then back
		if bound_from 10.1.0.2; then
			what=cut_wifi
			ip -n "$C" link set wifi down
			wait_until 40 bound_from 10.2.0.2
			uplink_up wifi 10.1.0.1 100
			wait_until 40 bound_from 10.1.0.2
		else
			what=cut_cell
			ip -n "$C" link set cell down
			wait_until 40 bound_from 10.1.0.2
			uplink_up cell 10.2.0.1 200
		fi ;;
	[5-6])	# the NAT forgets its mappings and picks other ports
		what=nat_rebinding
		nat_range $((40000 + 1000 * (RANDOM % 20))) || harness "nft: the NAT range"
		ip netns exec "$R" conntrack -D -p udp > /dev/null 2>&1 ;;
	7)	# an administrator asks for a reattach
		what=admin_reattach
		ip netns exec "$C" "$JUMPCTL" session reattach dev jump0 \
			id "$(sfield "$C" id)" > /dev/null 2>&1 ;;
	*)	# the path goes silent for a while, then comes back
		what=silence
		ip netns exec "$R" nft -f - <<-EOF || harness "nft: the silence rule"
			table ip soak {
				chain hold {
					type filter hook forward priority -10;
					udp dport 51820 drop
					udp sport 51820 drop
				}
			}
		EOF
		sleep "0.$((3 + RANDOM % 7))"
		[ $((RANDOM % 2)) -eq 0 ] && sleep 1
		ip netns exec "$R" nft delete table ip soak ;;
	esac
	fault round --arg what "$what"
	wait_until 40 healthy && return 0
	STUCK=$((STUCK + 1))
	fault stuck --arg what "$what"
	diag "round $what: not healthy within 40 s; restoring the paths"
	ip netns exec "$R" nft delete table ip soak 2>/dev/null
	uplink_up wifi 10.1.0.1 100
	uplink_up cell 10.2.0.1 200
	wait_until 60 healthy
}

handovers_done() {
	grep -c '"from":"recovering","state":"attached"' "$T_OUT/c-events.jsonl"
}

server_conf "MaxSwitches = 1000" "SwitchInterval = 1m"
client_conf
for side in c s; do
	ns=$C
	[ $side = s ] && ns=$S
	ip netns exec "$ns" "$JUMPCTL" -j monitor > "$T_OUT/$side-events.jsonl" 2> "$T_OUT/$side-monitor.log" &
	MON_PIDS="$MON_PIDS $!"
done
nat_range 40000 || exit 1
capture_start "$S" srv "$T_OUT/ctl.pcap" 'udp port 51820 and udp[8] = 7' || exit 1
start_server
start_client
wait_until 30 healthy
ok $? "birth: the session is attached on both sides, traffic flows"
ip netns exec "$C" ping -q -i 0.2 10.9.0.1 > "$T_OUT/ping.log" 2>&1 &
PING_PID=$!

START=$(date +%s)
rounds=0
while [ "$(handovers_done)" -lt "$HANDOVERS" ]; do
	if [ $((RANDOM % 3)) -eq 0 ]; then netem_random || harness "tc netem"; fi
	for _ in $(seq $((RANDOM % 3))); do
		kinds=(replay forge valid garbage)
		inject "${kinds[RANDOM % 4]}"
	done
	round
	rounds=$((rounds + 1))
	# A runaway guard: no handover in 20 rounds is a failure of its own.
	[ "$rounds" -gt $((HANDOVERS * 2 + 20)) ] && break
done
SECS=$(($(date +%s) - START))
ok $((STUCK > 0)) "$rounds rounds, $(handovers_done) handovers in ${SECS}s; every round healthy again within 40 s ($STUCK stuck)"
[ "$(handovers_done)" -ge "$HANDOVERS" ]
ok $? "at least $HANDOVERS handovers happened"
ok $((HARNESS > 0)) "every fault was applied as asked ($HARNESS harness steps failed)"

# The end state, then the streams stop (SIGTERM: the monitors flush).
for d in "$C wifi" "$C cell" "$R wifi-r" "$R cell-r"; do
	set -- $d
	ip netns exec "$1" tc qdisc del dev "$2" root 2>/dev/null
done
wait_until 30 healthy
show "$C" > "$T_OUT/c-final.json"
show "$S" > "$T_OUT/s-final.json"
kill -INT "$PING_PID"	# ping prints its summary on SIGINT only
kill $MON_PIDS "$CAP_PID" 2>/dev/null
wait $MON_PIDS "$CAP_PID" "$PING_PID" 2>/dev/null
MON_PIDS= CAP_PID= PING_PID=
jq -n --argjson seed "$SEED" --argjson handovers_asked "$HANDOVERS" \
	--argjson rounds "$rounds" --argjson stuck "$STUCK" --argjson seconds "$SECS" \
	--arg jumpd "$JUMPD_BUILD" --arg kernel "$(uname -r)" \
	--arg ping "$(grep -m1 'packet loss' "$T_OUT/ping.log")" \
	'$ARGS.named' > "$T_OUT/meta.json"

REPORT=${JUMP_VM_OUT:-$T_OUT}/soak.json
python3 "$TOP/tools/soak/check.py" -o "$REPORT" "$T_OUT" > "$T_OUT/last" 2>&1
r=$?
sed 's/^/# /' "$T_OUT/last"
: > "$T_OUT/last"
jq -c '.violation_list[:5][]' "$REPORT" > "$T_OUT/last" 2>/dev/null
ok $r "the checker finds no violation (seed $SEED; report $REPORT)"

roam_done
