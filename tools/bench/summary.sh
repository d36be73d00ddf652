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

# The report as Markdown a reader can paste: one table per section.
echo
jq -r '
  def n(x): if x == null then "-" else (x | tostring) end;
  def r(a; b): if a == null or b == null or b == 0 then "n/a"
               else ((a / b * 100 | round) / 100 | tostring) + "x" end;
  . as $r
  | "| path | 1 flow Mbit/s | 4 flows Mbit/s | RTT ms |",
    "|---|---|---|---|",
    (["veth", "wireguard", "jump"][] as $p | select($r.throughput_mbps | has($p))
     | "| \($p) | \(n($r.throughput_mbps[$p])) | \(n($r.throughput_4flows_mbps[$p])) | \(n($r.rtt_ms[$p])) |"),
    "| jump / wireguard | \(r($r.throughput_mbps.jump; $r.throughput_mbps.wireguard)) | \(r($r.throughput_4flows_mbps.jump; $r.throughput_4flows_mbps.wireguard)) | \(r($r.rtt_ms.jump; $r.rtt_ms.wireguard)) |",
    (select(.handover_gap_ms) | .handover_gap_ms as $h
     | "",
       "| handover (\(n($h.break_before_make.runs)) runs, probe \(n($h.probe_interval_ms)) ms) | gap p50 | p99 | max | lost probes max | detection p50 | reattach p50 | failed |",
       "|---|---|---|---|---|---|---|---|",
       (["break_before_make", "jump: uplink cut"], ["break_before_make_standby", "jump: uplink cut, StandbyPath"],
        ["make_before_break", "jump: planned switch"],
        ["wireguard_cut", "WireGuard: same cut"], ["wireguard_return", "WireGuard: uplink back"]) as [$k, $l]
       | $h[$k] as $s | select($s)
       | "| \($l) | \(n($s.gap.p50)) | \(n($s.gap.p99)) | \(n($s.gap.max)) | \(n($s.lost_probes.max)) | \(n($s.detection.p50)) | \(n($s.reattach.p50)) | \(n($s.failed_runs)) |"),
    (select(.rebind_gap_ms) | .rebind_gap_ms as $b
     | "",
       "| NAT rebinding (probe \(n($b.probe_interval_ms)) ms) | runs | gap p50 | p99 | max | lost probes max | failed |",
       "|---|---|---|---|---|---|---|",
       (["jump_rebind_probe", "jump, RebindProbe = yes"], ["jump_no_probe", "jump, RebindProbe = no"],
        ["wireguard", "WireGuard: same rebind"]) as [$k, $l]
       | $b[$k] as $s | select($s and $s.runs > 0)
       | "| \($l) | \(n($s.runs)) | \(n($s.gap.p50)) | \(n($s.gap.p99)) | \(n($s.gap.max)) | \(n($s.lost_probes.max)) | \(n($s.failed_runs)) |"),
    (select(.handover_gap_ms) | .handover_gap_ms as $h0 | $h0
     | "", "New path RTT \(n(.new_path_rtt_ms)) ms through the tunnel (\(n(.new_path_rtt_bare_ms)) bare); target \(n(.target_ms)) ms (RTT + probe interval; the cut is a link event, no timer).",
       (.break_before_make_standby | select(.) | "StandbyPath: cut to promoted p50 \(n(.cut_to_promoted.p50)) ms; standby / WireGuard gap p50 \(n($h0.standby_vs_wireguard.p50))x; keepalives \(n(.keepalive.ip_bytes_per_hour)) IP bytes/hour on the standby.")),
    (select(.reattach_per_s) |
      "", "| control plane | value |", "|---|---|",
      "| reattach requests validated per second, one jumpd core | \(n(.reattach_per_s.value)) (jumpd CPU \(n(.reattach_per_s.jumpd_cpu_pct)) %) |",
      "| bare MAC verifies per second, same core | \(n(.reattach_per_s.mac_verify_per_s)) (reattach / MAC verify: \(n(.reattach_per_s.ratio_to_mac_verify))) |",
      (.reattach_under_flood_ms | select(.) |
       "| legitimate reattach, quiet: p50 / p99 / max ms | \(n(.quiet.p50)) / \(n(.quiet.p99)) / \(n(.quiet.max)) |",
       "| ... under a flood of \(n(.flood_load.per_s)) pkt/s | \(n(.flood.p50)) / \(n(.flood.p99)) / \(n(.flood.max)) |")),
    (select(.sessions_100k) | .sessions_100k |
      "", "| scale | value |", "|---|---|",
      "| create \(n(.sessions)) sessions | \(n(.create_s)) s (\(n(.create_per_s))/s) |",
      "| dump them | \(n(.dump_s)) s |",
      "| kernel memory | \(n(.kernel_bytes)) bytes, \(n(.bytes_per_session)) per session |"),
    (select(.cluster) | .cluster |
      "", "| cluster (3-member etcd) | value |", "|---|---|",
      "| CAS claims/s, one claimer | \(n(.cas_claims_per_s)) |",
      "| CAS claims/s, \(n(.concurrent_claimers)) claimers | \(n(.cas_claims_per_s_concurrent)) |",
      "| failover gap p50 / p99 (\(n(.failover_runs)) runs, LeaseTTL \(n(.failover_lease_ttl_ms)) ms) | \(n(.failover_gap_ms)) / \(n(.failover_gap_p99_ms)) ms (\(.note)) |"),
    (select(.section_notes) | .section_notes | to_entries[] | "", "section \(.key): \(.value)")
' "$f"
