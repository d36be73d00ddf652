#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Cluster ownership, a section of make bench (Documentation/benchmark.rst,
# "Cluster"). Runs as root in the VM: a 3-member etcd (each member in a
# namespace of its own, on one bridge, as in selftests/vm/98-cluster.sh),
# and jumpd's own etcd backend (build/bench/cluster_host) claiming fresh
# sessions from a fourth namespace for CL_SECONDS (default 10): each claim
# is one transaction (create_revision == 0) under the node's lease, as a
# birth makes it. Once with one claimer (the rate one jumpd's loop gets,
# as it waits for each answer) and once with CL_CLAIMERS (default 4) side
# by side (the cluster's). Then failover, FO_RUNS times (default 20): two
# server nodes with ClusterKeyFile (LeaseTTL FO_TTL_MS, default 4000) share
# a service address the client's Endpoint names; the owner's jumpd is
# killed (-9) and its namespace deleted under a ping every 50 ms, the
# address moves to the other node, and the gap is the kill to the first
# reply through the survivor; the dead node comes back empty for the next
# run, when the roles swap. The client keeps one session throughout.
# Prints {"cluster": {...}} (or writes $JUMP_VM_OUT/cluster.json).
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/selftests/lib-etcd.sh"
HOST=$TOP/build/bench/cluster_host
SECS=${CL_SECONDS:-10}
CLAIMERS=${CL_CLAIMERS:-4}
OUT=${JUMP_VM_OUT:-}
FO_RUNS=${FO_RUNS:-20}
FO_TTL_MS=${FO_TTL_MS:-4000}
JUMPD=$TOP/build/jumpd
JUMPCTL=$TOP/build/jumpctl
VIP=10.5.0.100
export ETCDCTL_API=3 ETCD_HEARTBEAT_MS=200 ETCD_ELECTION_MS=2000
P=bench-cl-$$
HUB=$P-hub N=$P-n C=$P-c
ETCD_NS=("$P-e1" "$P-e2" "$P-e3")
W=$(mktemp -d /tmp/benchcl.XXXXXX)
exec 3>&1 1>&2

cleanup() {
	local p

	for p in "${FO_PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	etcd_stop
	for ns in "$HUB" "$N" "$C" "$P-a" "$P-b" "${ETCD_NS[@]}"; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$W"
}
FO_PIDS=()
declare -A JPID
trap cleanup EXIT

for ns in "$HUB" "$N" "${ETCD_NS[@]}"; do ip netns add "$ns" && ip -n "$ns" link set lo up || exit 1; done
ip -n "$HUB" link add name br0 type bridge && ip -n "$HUB" link set br0 up
i=0
for ns in "${ETCD_NS[@]}" "$N"; do
	i=$((i + 1))
	ip link add "p$i" netns "$ns" type veth peer name "h$i" netns "$HUB"
	ip -n "$HUB" link set "h$i" master br0 up
	ip -n "$ns" addr add "10.5.0.1$i/24" dev "p$i"
	ip -n "$ns" link set "p$i" up
done
etcd_start "$W" 3 10.5.0.11 10.5.0.12 10.5.0.13
ip netns exec "$N" bash -c ". '$TOP/selftests/lib-etcd.sh'; ETCD_ENDPOINTS='$ETCD_ENDPOINTS'; etcd_wait_healthy" ||
	{ echo "cluster: etcd is not healthy" >&2; exit 1; }

one=$(ip netns exec "$N" "$HOST" "$ETCD_ENDPOINTS" bench 5000 claims "$SECS" 2>/dev/null |
	jq '.claims_per_s')
pids=()
for ((k = 0; k < CLAIMERS; k++)); do
	ip netns exec "$N" "$HOST" "$ETCD_ENDPOINTS" "bench$k" 5000 claims "$SECS" \
		> "$W/claims$k.json" 2>/dev/null &
	pids+=($!)
done
wait "${pids[@]}"	# not the etcd members
many=$(cat "$W"/claims*.json | jq -s 'map(.claims_per_s) | add')
# --- Failover: the gap, FO_RUNS times ---
port=20
veth() {	# NS ADDR
	port=$((port + 1))
	ip link add "q$port" netns "$1" type veth peer name "g$port" netns "$HUB"
	ip -n "$HUB" link set "g$port" master br0 up
	ip -n "$1" addr add "$2/24" dev "q$port"
	ip -n "$1" link set "q$port" up
	echo "q$port" > "$W/$1.if"
}
POLICY="[Policy]
Keepalive = 200ms
VolatileAfter = 600ms
DegradedAfter = 1200ms
RecoveryWindow = 60s
RetryInitial = 100ms
RetryMax = 500ms"
node_up() {	# a|b: a fresh node, its jumpd started with an empty state
	local ns=$P-$1 addr=10.5.0.2$([ "$1" = a ] && echo 1 || echo 2)
	ip netns add "$ns" && ip -n "$ns" link set lo up && veth "$ns" "$addr" || return 1
	ip -n "$ns" link add jump0 type jump && ip -n "$ns" link set jump0 up
	ip -n "$ns" addr add 10.9.0.1/24 dev jump0
	rm -rf "$W/$1-state"
	cat > "$W/$1.conf" <<-EOF
	[Interface]
	Role = server
	PrivateKeyFile = $W/s.key
	ListenPort = 51820
	StateDirectory = $W/$1-state
	AuditLog = $W/$1-audit.jsonl
	$POLICY
	[Cluster]
	Endpoints = $ETCD_ENDPOINTS
	NodeName = $1
	LeaseTTL = ${FO_TTL_MS}ms
	ClusterKeyFile = $W/cluster.key
	[Peer]
	PublicKey = $CPUB
	AllowedIPs = 10.9.0.2/32
	EOF
	: > "$W/$1.log"
	ip netns exec "$ns" "$JUMPD" -v -i jump0 -c "$W/$1.conf" 2>> "$W/$1.log" &
	JPID[$1]=$!
	FO_PIDS+=($!)
	until_ok 30 grep -q "cluster: node $1" "$W/$1.log" ||
		{ echo "failover: node $1 does not start:" >&2; tail -n 5 "$W/$1.log" >&2; return 1; }
}
until_ok() {	# SECONDS CMD...
	local left=$(($1 * 10))
	shift
	while [ "$left" -gt 0 ]; do
		"$@" 2>/dev/null && return 0
		sleep 0.1
		left=$((left - 1))
	done
	return 1
}
state_of() { ip netns exec "$1" "$JUMPCTL" -j session show dev jump0 | jq -r '.[0].state // empty'; }
attached() { [ "$(state_of "$1")" = attached ]; }
owned_by() { ip netns exec "$N" etcdctl --endpoints "$ETCD_ENDPOINTS" get "/jump/jump0/$SID" --print-value-only | grep -q "\"node\":\"$1\""; }
sealed_by_owner() { [ -n "$(ip netns exec "$N" etcdctl --endpoints "$ETCD_ENDPOINTS" get "/jump/jump0/sealed/$SID" --print-value-only)" ]; }
# Milliseconds from T0 (s.ns, the kill) to the reply that ends the longest
# silence after it: the first one through the survivor (the dead node's
# kernel may answer for a moment after the kill, never after that silence).
gap_ms() {
	awk -v t0="$1" '/bytes from/ { t = substr($1, 2, length($1) - 2) + 0;
		if (t <= t0) next; if (!last) last = t0; d = t - last;
		if (d > max) { max = d; end = t } last = t }
		END { if (end) printf "%d", (end - t0) * 1000 }' "$W/ping"
}
failover_runs() {
	local owner=a surv=b r t0 gap
	umask 077
	"$JUMPCTL" key genkey > "$W/s.key" && "$JUMPCTL" key genkey > "$W/c.key" &&
		"$JUMPCTL" key genkey > "$W/cluster.key" || return 1
	SPUB=$("$JUMPCTL" key pubkey < "$W/s.key")
	CPUB=$("$JUMPCTL" key pubkey < "$W/c.key")
	node_up a && node_up b || return 1
	ip -n "$P-a" addr add "$VIP/24" dev "$(cat "$W/$P-a.if")"
	ip netns add "$C" && ip -n "$C" link set lo up && veth "$C" 10.5.0.30 || return 1
	ip -n "$C" link add jump0 type jump && ip -n "$C" link set jump0 up
	ip -n "$C" addr add 10.9.0.2/24 dev jump0
	cat > "$W/c.conf" <<-EOF
	[Interface]
	Role = client
	PrivateKeyFile = $W/c.key
	Uplink = $(cat "$W/$C.if")
	StateDirectory = $W/c-state
	AuditLog = $W/c-audit.jsonl
	$POLICY
	[Peer]
	PublicKey = $SPUB
	Endpoint = $VIP:51820
	AllowedIPs = 10.9.0.0/24
	EOF
	ip netns exec "$C" "$JUMPD" -v -i jump0 -c "$W/c.conf" 2>> "$W/c.log" &
	FO_PIDS+=($!)
	until_ok 60 attached "$C" || { echo "failover: the client does not attach" >&2; return 1; }
	SID=$(ip netns exec "$C" "$JUMPCTL" -j session show dev jump0 | jq -r '.[0].id')
	ip netns exec "$C" ping -D -i 0.05 -W 1 10.9.0.1 > "$W/ping" 2>&1 &
	FO_PIDS+=($!)
	for ((r = 1; r <= FO_RUNS; r++)); do
		until_ok 30 owned_by "$owner" && until_ok 10 sealed_by_owner &&
			until_ok 10 attached "$P-$owner" || { echo "failover run $r: $owner does not hold the session" >&2; return 1; }
		sleep 0.5
		t0=$(date +%s.%N)
		kill -9 "${JPID[$owner]}" 2>/dev/null
		wait "${JPID[$owner]}" 2>/dev/null
		# Its device first (synchronous): its kernel forwards no more.
		ip -n "$P-$owner" link del jump0
		ip netns del "$P-$owner"
		ip -n "$P-$surv" addr add "$VIP/24" dev "$(cat "$W/$P-$surv.if")"
		ip -n "$C" neigh flush dev "$(cat "$W/$C.if")"
		until_ok 90 attached "$P-$surv" ||
			{ echo "failover run $r: $surv does not take the session over" >&2; return 1; }
		sleep 0.5
		gap=$(gap_ms "$t0")
		[ -n "$gap" ] || { echo "failover run $r: no reply through $surv" >&2; return 1; }
		echo "$gap" >> "$W/gaps"
		echo "failover run $r: $owner -> $surv, $gap ms" >&2
		[ "$(ip netns exec "$C" "$JUMPCTL" -j session show dev jump0 | jq -r '.[0].id')" = "$SID" ] ||
			{ echo "failover run $r: the client's session changed" >&2; return 1; }
		node_up "$owner" || return 1
		r2=$owner; owner=$surv; surv=$r2
	done
}
fo_p50=null fo_p99=null fo_n=0
if [ "$FO_RUNS" -gt 0 ] && failover_runs; then
	read -r fo_n fo_p50 fo_p99 < <(sort -n "$W/gaps" | awk '{ v[NR] = $1 } END {
		i50 = int((NR * 50 + 99) / 100); i99 = int((NR * 99 + 99) / 100);
		print NR, v[i50], v[i99] }')
fi

jq -n --argjson one "${one:-null}" --argjson many "${many:-null}" --argjson n "$CLAIMERS" \
	--argjson secs "$SECS" --argjson p50 "$fo_p50" --argjson p99 "$fo_p99" \
	--argjson fon "$fo_n" --argjson ttl "$FO_TTL_MS" '{cluster: {
		cas_claims_per_s: $one,
		cas_claims_per_s_concurrent: $many,
		concurrent_claimers: $n,
		seconds: $secs,
		failover_gap_ms: $p50,
		failover_gap_p99_ms: $p99,
		failover_runs: $fon,
		failover_lease_ttl_ms: $ttl,
		note: "3-member etcd in namespaces of the VM; claims by jumpd'"'"'s etcd backend (build/bench/cluster_host); failover: kill -9 of the owning node under a 50 ms ping to the first reply through the survivor (p50, p99), dominated by the lease running out (LeaseTTL)"
	}}' > "$W/cluster.json" || exit 1
if [ -n "$OUT" ]; then cp "$W/cluster.json" "$OUT/"; else cat "$W/cluster.json" >&3; fi
