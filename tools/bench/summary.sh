#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# summary.sh [results.json]: one line of ratios from tools/bench/bench.sh's
# results (default bench/results.json), then the absolute figures per path.
#   jump/wireguard: throughput 1.07x, 4 flows 1.02x, rtt 0.95x (veth: ...)
# Throughput ratios above 1 and rtt ratios below 1 favour jump.
set -euo pipefail
f=${1:-bench/results.json}
[ -r "$f" ] || { echo "summary: no $f (run make bench)" >&2; exit 1; }
jq -r '
  def r(a; b): if a == null or b == null or b == 0 then "n/a"
               else ((a / b * 100 | round) / 100 | tostring) + "x" end;
  def n(x): if x == null then "-" else (x | tostring) end;
  def abs(p): "\(n(.throughput_mbps[p])) Mbit/s, 4 flows \(n(.throughput_4flows_mbps[p])) Mbit/s, rtt \(n(.rtt_ms[p])) ms";
  . as $r
  | (if .throughput_mbps.jump == null and .rtt_ms.jump == null then
       "jump: " + (.notes.jump // "not measured")
     else
       "jump/wireguard: throughput \(r(.throughput_mbps.jump; .throughput_mbps.wireguard)), 4 flows \(r(.throughput_4flows_mbps.jump; .throughput_4flows_mbps.wireguard)), rtt \(r(.rtt_ms.jump; .rtt_ms.wireguard))"
     end)
    + ([("veth", "wireguard") as $p | select($r.throughput_mbps | has($p))
        | "\($p): \($r | abs($p))"] | join("; ") | if . == "" then "" else " (\(.))" end),
    ( ["veth", "wireguard", "jump"][] as $p
      | select($r.throughput_mbps | has($p))
      | if $r.throughput_mbps[$p] == null and $r.rtt_ms[$p] == null and $r.notes[$p]
        then "  \($p): \($r.notes[$p])"
        else "  \($p): \($r | abs($p))" + (if $r.notes[$p] then " -- " + $r.notes[$p] else "" end) end ),
    "  \(.meta.kernel), \(.meta.vcpus) vCPUs (\(.meta.emulation)), \(.meta.tcp_test_seconds)s per iperf3 run, \(.meta.pings) pings, \(.meta.date), \(.meta.wall_seconds)s in all"
' "$f"
