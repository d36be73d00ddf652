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
# by side (the cluster's). The failover gap is null: failover is not built.
# Prints {"cluster": {...}} (or writes $JUMP_VM_OUT/cluster.json).
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/selftests/lib-etcd.sh"
HOST=$TOP/build/bench/cluster_host
SECS=${CL_SECONDS:-10}
CLAIMERS=${CL_CLAIMERS:-4}
OUT=${JUMP_VM_OUT:-}
export ETCDCTL_API=3 ETCD_HEARTBEAT_MS=200 ETCD_ELECTION_MS=2000
P=bench-cl-$$
HUB=$P-hub N=$P-n
ETCD_NS=("$P-e1" "$P-e2" "$P-e3")
W=$(mktemp -d /tmp/benchcl.XXXXXX)
exec 3>&1 1>&2

cleanup() {
	etcd_stop
	for ns in "$HUB" "$N" "${ETCD_NS[@]}"; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$W"
}
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
jq -n --argjson one "${one:-null}" --argjson many "${many:-null}" --argjson n "$CLAIMERS" \
	--argjson secs "$SECS" '{cluster: {
		cas_claims_per_s: $one,
		cas_claims_per_s_concurrent: $many,
		concurrent_claimers: $n,
		seconds: $secs,
		failover_gap_ms: null,
		note: "3-member etcd in namespaces of the VM; claims by jumpd'"'"'s etcd backend (build/bench/cluster_host). failover_gap_ms is null: failover (session keys on a second node) is not built, see Documentation/threat-model.rst"
	}}' > "$W/cluster.json" || exit 1
if [ -n "$OUT" ]; then cp "$W/cluster.json" "$OUT/"; else cat "$W/cluster.json" >&3; fi
