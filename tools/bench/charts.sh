#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# charts.sh RESULTS.JSON DIR: one PNG per section of make bench (gnuplot),
#   throughput.png  Mbit/s of veth, WireGuard and jump, 1 and 4 flows, RTT
#   handover.png    traffic gap p50/p99/max: jump cut and planned switch,
#                   WireGuard on the same cut and return, against the target
#   ctlplane.png    a legitimate reattach's time, quiet and under a flood
#   scale.png       seconds to create, dump and delete 100k sessions
# A section without numbers gets no chart (and a line saying so).
set -u
f=${1:-bench/results.json}
dir=${2:-bench}
command -v gnuplot > /dev/null || { echo "charts: no gnuplot (make deps)"; exit 0; }
[ -r "$f" ] || { echo "charts: no $f" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# plot NAME TITLE YLABEL DATAFILE COLUMNS...: a clustered histogram.
plot() {
	local name=$1 title=$2 ylabel=$3 data=$4 extra=$5
	shift 5
	local cols="" i=2 c
	for c in "$@"; do
		cols="$cols${cols:+, }'$data' using $i:xtic(1) title '$c'"
		i=$((i + 1))
	done
	gnuplot <<-EOF || { echo "charts: gnuplot failed on $name"; return 1; }
		set terminal pngcairo size 900,500 noenhanced
		set output '$dir/$name.png'
		set title '$title'
		set ylabel '$ylabel'
		set style data histograms
		set style histogram clustered gap 1
		set style fill solid 0.8 border -1
		set yrange [0:*]
		set key top left
		set grid ytics
		$extra
		plot $cols
	EOF
	echo "charts: $dir/$name.png"
}

has() { jq -e "$1 // empty | tostring | length > 0" "$f" > /dev/null 2>&1; }
n() { jq -r "$1 // \"NaN\"" "$f"; }

if has '.throughput_mbps'; then
	for p in veth wireguard jump; do
		echo "$p $(n ".throughput_mbps.$p") $(n ".throughput_4flows_mbps.$p")"
	done > "$tmp/tput"
	plot throughput "TCP throughput, iperf3 ($(n .meta.vcpus) vCPUs, $(n .meta.emulation)); RTT veth $(n .rtt_ms.veth) / wireguard $(n .rtt_ms.wireguard) / jump $(n .rtt_ms.jump) ms" \
		"Mbit/s" "$tmp/tput" "" "1 flow" "4 flows"
fi

if has '.handover_gap_ms.break_before_make.gap.p50'; then
	h=.handover_gap_ms
	for k in break_before_make:"jump cut" make_before_break:"jump planned switch" \
		 wireguard_cut:"WireGuard cut" wireguard_return:"WireGuard return"; do
		key=${k%%:*} label=${k#*:}
		echo "\"$label\" $(n "$h.$key.gap.p50") $(n "$h.$key.gap.p99") $(n "$h.$key.gap.max")"
	done > "$tmp/gap"
	plot handover "Traffic gap over $(n "$h.break_before_make.runs") runs each (probe every $(n "$h.probe_interval_ms") ms); line: target $(n "$h.target_ms") ms" \
		"ms" "$tmp/gap" "set arrow from graph 0, first $(n "$h.target_ms") to graph 1, first $(n "$h.target_ms") nohead lw 2 dt 2" \
		p50 p99 max
fi

if has '.reattach_under_flood_ms.quiet.p50'; then
	r=.reattach_under_flood_ms
	for k in quiet flood; do
		echo "$k $(n "$r.$k.p50") $(n "$r.$k.p99") $(n "$r.$k.max")"
	done > "$tmp/cp"
	plot ctlplane "Legitimate reattach, quiet and under a flood of $(n "$r.flood_load.per_s") pkt/s; one core validates $(n .reattach_per_s.value) requests/s" \
		"ms" "$tmp/cp" "" p50 p99 max
fi

if has '.sessions_100k.create_s'; then
	s=.sessions_100k
	printf '"%s" %s\n' create "$(n "$s.create_s")" dump "$(n "$s.dump_s")" \
		"delete device" "$(n "$s.delete_device_s")" > "$tmp/scale"
	plot scale "$(n "$s.sessions") sessions on one device: $(n "$s.bytes_per_session") bytes of kernel memory each" \
		"seconds" "$tmp/scale" "set key off" seconds
fi
exit 0
