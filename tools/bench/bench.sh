#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Throughput and latency of three paths between two network namespaces joined
# by a veth pair: (a) the bare veth, (b) a kernel WireGuard tunnel over it,
# (c) a jump0 tunnel over it. Runs as root inside the VM (make bench boots it
# through tools/vm/run); every path is measured in the same boot, one after
# the other, so that their ratios hold. Numbers are reported, never asserted.
#
# Namespace A is the server (10.0.0.1 on the veth), B the client (10.0.0.2).
#   veth       10.0.0.1 <- 10.0.0.2
#   wg0        10.1.0.1 <- 10.1.0.2   (MTU 1420, port 51820/51821)
#   jump0      10.2.0.1 <- 10.2.0.2   (MTU 1420, port 51830/51831: WireGuard holds its ports all run long)
# iperf3 runs its client in B, its server in A; ping goes from B to A.
#
# Environment:
#   BENCH_TIME=SECS     length of each iperf3 run (default 10)
#   BENCH_PINGS=N       pings per path (default 50, at 0.05 s intervals)
#   BENCH_PATHS="..."   which paths, in order (default "veth wireguard jump")
#   BENCH_SECTIONS="..." the sections after the paths, in order (default
#                       "handover rebind ctlplane scale cluster"):
#                       tools/bench/SECTION.sh, each run on its own
#                       topology; their JSON objects are merged into
#                       results.json (handover_gap_ms, rebind_gap_ms,
#                       reattach_per_s, reattach_under_flood_ms,
#                       sessions_100k, cluster). HO_RUNS, RB_RUNS, RB_OFF_RUNS,
#                       CP_RUNS, SCALE_SESSIONS, CL_SECONDS, CL_CLAIMERS,
#                       FO_RUNS, FO_TTL_MS
#                       pass through to them
#   BENCH_PERF=1        perf record -a -g during the single-flow iperf3 run
#                       of BENCH_PERF_PATH (default jump); the top of
#                       perf report --stdio goes to perf-jump.txt (or
#                       perf-PATH.txt) next to the results
#   JUMP_VM_OUT         where results.json goes (tools/vm/run --out);
#                       unset: printed to stdout only
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JUMPCTL=${JUMPCTL:-$TOP/build/jumpctl}
BENCH_TIME=${BENCH_TIME:-10}
BENCH_PINGS=${BENCH_PINGS:-50}
BENCH_PATHS=${BENCH_PATHS:-veth wireguard jump}
BENCH_SECTIONS=${BENCH_SECTIONS-handover rebind ctlplane scale cluster}
BENCH_PERF=${BENCH_PERF:-0}
BENCH_PERF_PATH=${BENCH_PERF_PATH:-jump}
OUT=${JUMP_VM_OUT:-}
A=bench-a
B=bench-b
WORK=$(mktemp -d /tmp/bench.XXXXXX)
IPERF_PID=

# Results, by path: Mbit/s for one and four flows, mean RTT in ms, a note.
declare -A TPUT TPUT4 RTT NOTE SECS SERVER_ADDR
SERVER_ADDR=([veth]=10.0.0.1 [wireguard]=10.1.0.1 [jump]=10.2.0.1)

log() {
	echo "bench: $*" >&2
}

# The step that failed, for the note of a path that could not be measured.
step() {
	echo "$*" > "$WORK/step"
	"$@" > "$WORK/step.out" 2>&1 || {
		log "failed: $*"
		sed 's/^/bench:   /' "$WORK/step.out" >&2
		return 1
	}
}

inA() { ip netns exec "$A" "$@"; }
inB() { ip netns exec "$B" "$@"; }

# (a) two namespaces and the veth between them; iperf3's server in A.
setup_veth() {
	step ip netns add "$A" &&
	step ip netns add "$B" &&
	step inA ip link set lo up &&
	step inB ip link set lo up &&
	step ip link add vA netns "$A" type veth peer name vB netns "$B" &&
	step inA ip addr add 10.0.0.1/24 dev vA &&
	step inB ip addr add 10.0.0.2/24 dev vB &&
	step inA ip link set vA up &&
	step inB ip link set vB up || return 1
	# One server for every path: it listens on all of A's addresses.
	inA iperf3 -s > "$WORK/iperf3-server.log" 2>&1 &
	IPERF_PID=$!
	local _
	for _ in $(seq 50); do
		inA ss -Hltn 'sport = :5201' | grep -q . && return 0
		sleep 0.1
	done
	log "iperf3 server did not start"
	return 1
}

# (b) wg0 on each side: fresh keys, one peer, endpoint over the veth.
setup_wireguard() {
	modprobe wireguard 2>/dev/null
	local ka kb pa pb
	ka=$(wg genkey) && kb=$(wg genkey) || return 1
	pa=$(echo "$ka" | wg pubkey) && pb=$(echo "$kb" | wg pubkey) || return 1
	echo "$ka" > "$WORK/wg-a.key"
	echo "$kb" > "$WORK/wg-b.key"
	step inA ip link add wg0 type wireguard &&
	step inB ip link add wg0 type wireguard &&
	step inA wg set wg0 listen-port 51820 private-key "$WORK/wg-a.key" \
		peer "$pb" endpoint 10.0.0.2:51821 allowed-ips 10.1.0.2/32 &&
	step inB wg set wg0 listen-port 51821 private-key "$WORK/wg-b.key" \
		peer "$pa" endpoint 10.0.0.1:51820 allowed-ips 10.1.0.0/24 &&
	step inA ip addr add 10.1.0.1/24 dev wg0 &&
	step inB ip addr add 10.1.0.2/24 dev wg0 &&
	step inA ip link set wg0 mtu 1420 up &&
	step inB ip link set wg0 mtu 1420 up
}

# jumpctl -j prints an array of sessions; older builds printed one object.
jfield() {
	jq -r "(if type == \"array\" then .[0] else . end) | .$1 // empty"
}

# (c) jump0 on each side, one session, static keys, bound over the veth.
# The handshake is jumpd's job; here its results are set by hand, the way
# jumpd would set them, so that only the kernel's data path is measured.
setup_jump() {
	modprobe jump 2>/dev/null
	[ -x "$JUMPCTL" ] || { echo "$JUMPCTL not built" > "$WORK/step"; return 1; }
	local peer id ia ib k1 k2
	peer=$(wg genkey | wg pubkey) || return 1
	step inA ip link add jump0 type jump &&
	step inB ip link add jump0 type jump &&
	step inA ip link set jump0 mtu 1420 up &&
	step inB ip link set jump0 mtu 1420 up &&
	step inA ip addr add 10.2.0.1/24 dev jump0 &&
	step inB ip addr add 10.2.0.2/24 dev jump0 &&
	step inA "$JUMPCTL" -j session add dev jump0 role server peer "$peer" &&
	id=$(jfield id < "$WORK/step.out") && [ -n "$id" ] &&
	step inB "$JUMPCTL" session add dev jump0 role client peer "$peer" id "$id" &&
	step inA "$JUMPCTL" -j -d session show dev jump0 id "$id" &&
	ia=$(jfield local_index < "$WORK/step.out") &&
	step inB "$JUMPCTL" -j -d session show dev jump0 id "$id" &&
	ib=$(jfield local_index < "$WORK/step.out") || return 1
	if [ -z "$ia" ] || [ -z "$ib" ]; then
		echo "jumpctl -j -d session show: no local_index" > "$WORK/step"
		return 1
	fi
	k1=$(head -c 32 /dev/urandom | base64)
	k2=$(head -c 32 /dev/urandom | base64)
	step inA "$JUMPCTL" session set dev jump0 id "$id" remote-index "$ib" \
		allowed-ips 10.2.0.2/32 &&
	step inB "$JUMPCTL" session set dev jump0 id "$id" remote-index "$ia" \
		allowed-ips 10.2.0.0/24 &&
	step inA "$JUMPCTL" session key add dev jump0 id "$id" slot primary \
		key-id 1 tx-key "$k1" rx-key "$k2" &&
	step inB "$JUMPCTL" session key add dev jump0 id "$id" slot primary \
		key-id 1 tx-key "$k2" rx-key "$k1" &&
	jump_attach A "$id" 10.0.0.1:51830 10.0.0.2:51831 &&
	jump_attach B "$id" 10.0.0.2:51831 10.0.0.1:51830
}

# jump_attach NS ID LOCAL REMOTE: birth -> attached with the binding, at
# the session's current version (1, unless the settings above bumped it).
jump_attach() {
	local ns=$1 id=$2 ver
	[ "$ns" = A ] && ns=$A || ns=$B
	step ip netns exec "$ns" "$JUMPCTL" -j session show dev jump0 id "$id" &&
	ver=$(jfield version < "$WORK/step.out") || return 1
	step ip netns exec "$ns" "$JUMPCTL" session set dev jump0 id "$id" \
		version "${ver:-1}" state attached reason handshake_complete \
		local "$3" remote "$4"
}

# reachable ADDR: a few pings from B get answers.
reachable() {
	inB ping -c 3 -i 0.2 -W 2 -w 6 "$1" > "$WORK/reach.out" 2>&1
}

# measure_tcp PATH ADDR FLOWS: iperf3 from B to A, Mbit/s as received.
measure_tcp() {
	local path=$1 addr=$2 flows=$3 json=$WORK/iperf-$1-$3.json mbps
	timeout $((BENCH_TIME + 60)) ip netns exec "$B" \
		iperf3 -c "$addr" -t "$BENCH_TIME" -P "$flows" -J > "$json" 2>&1
	mbps=$(jq -r '.end.sum_received.bits_per_second // empty | . / 1e6 * 100 | round / 100' \
		"$json" 2>/dev/null)
	if [ -z "$mbps" ]; then
		log "$path: iperf3 -P $flows gave no result: $(jq -r '.error // empty' "$json" 2>/dev/null || head -c 200 "$json")"
		echo null
		return 1
	fi
	echo "$mbps"
}

# measure_rtt PATH ADDR: mean ping RTT from B to A in ms.
measure_rtt() {
	local addr=$2 out=$WORK/ping-$1.out avg
	inB ping -q -c "$BENCH_PINGS" -i 0.05 -W 2 -w $((BENCH_PINGS / 10 + 20)) \
		"$addr" > "$out" 2>&1
	# rtt min/avg/max/mdev = 0.041/0.060/0.118/0.014 ms
	avg=$(sed -n 's|^rtt [^=]*= [0-9.]*/\([0-9.]*\)/.*|\1|p' "$out")
	echo "${avg:-null}"
}

# perf_start PATH / perf_stop PATH: a system-wide profile around one run.
# perf takes seconds to start under emulation (it reads /proc for every
# task), so it starts with its events off and the run waits until perf has
# acknowledged turning them on through its control FIFOs.
perf_start() {
	[ "$BENCH_PERF" = 1 ] && [ "$1" = "$BENCH_PERF_PATH" ] || return 0
	command -v perf > /dev/null || { log "BENCH_PERF=1: no perf (linux-perf)"; return 0; }
	mkfifo "$WORK/perf.ctl" "$WORK/perf.ack"
	perf record -a -g -D -1 --control "fifo:$WORK/perf.ctl,$WORK/perf.ack" \
		-o "$WORK/perf.data" > "$WORK/perf-record.log" 2>&1 &
	PERF_PID=$!
	exec {PERF_CTL}> "$WORK/perf.ctl" {PERF_ACK}< "$WORK/perf.ack"
	echo enable >&"$PERF_CTL"
	local ack=
	read -r -t 60 ack <&"$PERF_ACK"
	[ "$ack" = ack ] || log "perf did not acknowledge 'enable' (got '$ack')"
}

perf_stop() {
	[ -n "${PERF_PID:-}" ] || return 0
	echo disable >&"$PERF_CTL"
	read -r -t 60 _ <&"$PERF_ACK"
	exec {PERF_CTL}>&- {PERF_ACK}<&-
	kill -INT "$PERF_PID"
	wait "$PERF_PID"
	PERF_PID=
	local report=$WORK/perf-$1.txt
	{
		echo "# perf record -a -g during the single-flow iperf3 run over $1"
		echo "# $(uname -r), $(nproc) vCPUs, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		sed 's/^/# /' "$WORK/perf-record.log"
		echo "# top 30 by self time (perf report --stdio --no-children --sort dso,sym)"
		perf report -i "$WORK/perf.data" --stdio --no-children --sort dso,sym \
			-g none 2>&1 | grep -v -e '^#' -e '^$' | head -n 30
		echo
		echo "# call graphs (caller) of entries over 2%, first 200 lines"
		perf report -i "$WORK/perf.data" --stdio --no-children --sort dso,sym \
			-g caller,0.5,callee --percent-limit 2 2>&1 |
			grep -v -e '^#' -e '^$' | head -n 200
	} > "$report"
	if [ -n "$OUT" ]; then
		cp "$report" "$OUT/perf-$1.txt"
		log "perf report in perf-$1.txt"
	fi
}

# bench_path PATH: set the path up, check it carries traffic, measure it.
bench_path() {
	local path=$1 addr=${SERVER_ADDR[$1]} t0
	TPUT[$path]=null TPUT4[$path]=null RTT[$path]=null NOTE[$path]=
	t0=$(date +%s)
	if [ "$path" != veth ] && ! "setup_$path"; then
		NOTE[$path]="not measured (no connectivity: setup failed at '$(cat "$WORK/step")')"
		log "$path: ${NOTE[$path]}"
		return 0
	fi
	if ! reachable "$addr"; then
		NOTE[$path]="not measured (no connectivity: $addr does not answer ping)"
		log "$path: ${NOTE[$path]}"
		return 0
	fi
	log "$path: iperf3 1 flow, ${BENCH_TIME}s"
	perf_start "$path"
	TPUT[$path]=$(measure_tcp "$path" "$addr" 1)
	perf_stop "$path"
	log "$path: iperf3 4 flows, ${BENCH_TIME}s"
	TPUT4[$path]=$(measure_tcp "$path" "$addr" 4)
	log "$path: ping x$BENCH_PINGS"
	RTT[$path]=$(measure_rtt "$path" "$addr")
	SECS[$path]=$(($(date +%s) - t0))
	log "$path: ${TPUT[$path]} Mbit/s, 4 flows ${TPUT4[$path]} Mbit/s, rtt ${RTT[$path]} ms (${SECS[$path]}s)"
}

# run_section NAME: tools/bench/NAME.sh writes NAME.json into sections/;
# one that fails leaves a note instead of numbers.
run_section() {
	local t0=$(date +%s) script=$TOP/tools/bench/$1.sh
	log "section $1"
	if JUMP_VM_OUT=$WORK/sections bash "$script" > "$WORK/section-$1.log" 2>&1 &&
		[ -s "$WORK/sections/$1.json" ]; then
		log "section $1: done in $(($(date +%s) - t0))s"
	else
		log "section $1 failed; its log:"
		tail -n 20 "$WORK/section-$1.log" | sed 's/^/bench:   /' >&2
		jq -n --arg s "$1" --arg why "$(tail -n 3 "$WORK/section-$1.log")" \
			'{section_notes: {($s): ("failed: " + $why)}}' > "$WORK/sections/$1.json"
	fi
	[ -n "$OUT" ] && cp "$WORK/section-$1.log" "$OUT/section-$1.log"
	return 0
}

teardown_paths() {
	if [ -n "$IPERF_PID" ]; then
		kill "$IPERF_PID" 2>/dev/null
		wait "$IPERF_PID" 2>/dev/null
		IPERF_PID=
	fi
	ip netns del "$B" 2>/dev/null
	ip netns del "$A" 2>/dev/null
}

teardown() {
	if [ -n "${PERF_PID:-}" ]; then
		kill -INT "$PERF_PID" 2>/dev/null
		wait "$PERF_PID" 2>/dev/null
	fi
	teardown_paths
	rm -rf "$WORK"
}

# {"jump": N, ...} from an associative array's name.
json_by_path() {
	local -n arr=$1
	local p args=()
	for p in $BENCH_PATHS; do
		args+=(--argjson "$p" "${arr[$p]:-null}")
	done
	jq -nc '$ARGS.named' "${args[@]}"
}

notes_json() {
	local p args=()
	for p in $BENCH_PATHS; do
		[ -z "${NOTE[$p]:-}" ] || args+=(--arg "$p" "${NOTE[$p]}")
	done
	jq -nc '$ARGS.named' ${args[@]+"${args[@]}"}
}

write_results() {
	jq -n \
		--argjson tput "$(json_by_path TPUT)" \
		--argjson tput4 "$(json_by_path TPUT4)" \
		--argjson rtt "$(json_by_path RTT)" \
		--argjson notes "$(notes_json)" \
		--argjson path_secs "$(json_by_path SECS)" \
		--arg kernel "$(uname -r)" \
		--arg kernel_version "$(uname -v)" \
		--arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
		--argjson secs "$BENCH_TIME" \
		--argjson pings "$BENCH_PINGS" \
		--argjson vcpus "$(nproc)" \
		--arg cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
		--arg iperf3 "$(iperf3 --version | head -n 1)" \
		--argjson wall "$(($(date +%s) - START))" \
		'{
		  throughput_mbps: $tput,
		  throughput_4flows_mbps: $tput4,
		  rtt_ms: $rtt,
		  notes: $notes,
		  meta: {
		    kernel: $kernel, kernel_version: $kernel_version, date: $date,
		    vcpus: $vcpus, cpu: $cpu, emulation: "qemu TCG (no KVM)",
		    iperf3: $iperf3,
		    tcp_test_seconds: $secs, tcp_flows: [1, 4],
		    tcp_metric: "iperf3 -J .end.sum_received.bits_per_second / 1e6, client in B, server in A",
		    pings: $pings, ping_interval_s: 0.05,
		    rtt_metric: "mean of ping -q rtt avg, B to A",
		    mtu: {wireguard: 1420, jump: 1420},
		    path_seconds: $path_secs, wall_seconds: $wall
		  }
		}'
}

main() {
	[ "$(id -u)" -eq 0 ] || { log "needs root: run it under tools/vm/run (make bench)"; exit 1; }
	START=$(date +%s)
	trap teardown EXIT
	setup_veth || { log "cannot set up the veth pair"; exit 1; }
	local p
	for p in $BENCH_PATHS; do
		case $p in
		veth|wireguard|jump) bench_path "$p" ;;
		*) log "unknown path $p"; exit 2 ;;
		esac
	done
	write_results > "$WORK/paths.json" || { log "cannot write the results"; exit 1; }
	# The sections need the CPUs to themselves: the paths' iperf3 server
	# and namespaces go first.
	teardown_paths
	local sec
	mkdir -p "$WORK/sections"
	for sec in $BENCH_SECTIONS; do
		run_section "$sec"
	done
	local parts=("$WORK/paths.json")
	for sec in $BENCH_SECTIONS; do
		parts+=("$WORK/sections/$sec.json")
	done
	jq -s 'reduce .[] as $x ({}; . * $x)' "${parts[@]}" > "$WORK/results.json" ||
		{ log "cannot merge the sections' results"; exit 1; }
	# With --out, the host prints the summary (make bench).
	if [ -n "$OUT" ]; then
		cp "$WORK/results.json" "$OUT/results.json"
	else
		cat "$WORK/results.json"
		"$TOP/tools/bench/summary.sh" "$WORK/results.json"
	fi
}

main "$@"
