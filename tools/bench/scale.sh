#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Scale, the section of make bench (Documentation/benchmark.rst, "Scale"):
# time and kernel memory to hold SCALE_SESSIONS (default 100,000) sessions
# on one jump device, and to dump them. Runs as root in the VM; prints the
# "sessions_100k" JSON object (or writes $JUMP_VM_OUT/scale.json).
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JUMPCTL=${JUMPCTL:-$TOP/build/jumpctl}
N=${SCALE_SESSIONS:-100000}
NS=bench-scale
PEER=AwXS1a3bqYH5Bn6ZxfIv0m9a2oC0l0mbMzZt2pYp6l0=
WORK=$(mktemp -d /tmp/scale.XXXXXX)
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# Kernel memory as /proc/meminfo counts it: slab plus vmalloc'd, in bytes.
kmem() {
	awk '/^Slab:|^VmallocUsed:/ { kb += $2 } END { print kb * 1024 }' /proc/meminfo
}
settle() { sync; echo 2 > /proc/sys/vm/drop_caches; sleep 1; }

ip netns add "$NS" || exit 1
in_ns() { ip netns exec "$NS" "$@"; }
in_ns ip link add jump0 type jump || exit 1
awk -v n="$N" -v peer="$PEER" 'BEGIN {
	for (i = 1; i <= n; i++)
		printf "session add dev jump0 role client peer %s id %x\n", peer, i
}' > "$WORK/batch"
settle
m0=$(kmem)
t0=$(now)
in_ns "$JUMPCTL" -batch "$WORK/batch" > /dev/null 2> "$WORK/err" || {
	echo "scale: jumpctl -batch failed: $(head -c 300 "$WORK/err")" >&2; exit 1; }
t1=$(now)
settle
m1=$(kmem)
held=$(in_ns "$JUMPCTL" -j link show jump0 | jq '.[0].sessions')
t2=$(now)
in_ns "$JUMPCTL" -j session show dev jump0 > "$WORK/dump" || exit 1
t3=$(now)
dumped=$(jq length "$WORK/dump")
t4=$(now)
in_ns ip link del jump0
t5=$(now)
settle
m2=$(kmem)

out=$(jq -n --argjson n "$N" --argjson held "$held" --argjson dumped "$dumped" \
	--argjson create "$(secs "$t0" "$t1")" --argjson dump "$(secs "$t2" "$t3")" \
	--argjson del "$(secs "$t4" "$t5")" \
	--argjson bytes "$((m1 - m0))" --argjson freed "$((m1 - m2))" '{sessions_100k: {
	  sessions: $n, held: $held, dumped: $dumped,
	  create_s: $create, create_per_s: (($n / $create) | round),
	  dump_s: $dump, dump_per_s: (($n / $dump) | round),
	  delete_device_s: $del,
	  kernel_bytes: $bytes, bytes_per_session: (($bytes / $n) | round),
	  kernel_bytes_freed_on_delete: $freed,
	  method: "jumpctl -batch of N session add (one netlink request each) into one device; kernel memory = /proc/meminfo Slab + VmallocUsed before and after, caches dropped; dump = jumpctl -j session show"
	}}')
if [ -n "${JUMP_VM_OUT:-}" ]; then
	echo "$out" > "$JUMP_VM_OUT/scale.json"
else
	echo "$out"
fi
