#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Cluster ownership on etcd, end to end: a 3-member etcd cluster (each
# member in a namespace of its own), two server nodes (s1, s2: jump0 and a
# jumpd with [Cluster] each) and a client whose Endpoints name both, all on
# one bridge. (3) Two nodes racing to claim one session: exactly one wins.
# (4) One etcd member of three lost: nothing changes; quorum lost: the
# session keeps forwarding, the owner commits nothing and says no_quorum.
# (2) The owner partitioned from etcd: fenced within LeaseTTL, its session
# ends (ownership_lost), and nothing is committed after its lease expired,
# by its audit and by etcd's revision history. (1) Failover (ClusterKeyFile
# on both nodes): kill -9 the owning node's jumpd and delete its namespace
# (its kernel forwards no more) under a ping; its address moves to the
# other node (as a virtual address would); the other node takes the
# session over on the client's reattach: same session id, its own audit
# chain verifies, the gap is printed (Documentation/jumpd.rst, "Failover").
. "$(dirname "$0")/lib.sh"
. "$TOP/selftests/lib-etcd.sh"

[ "$(id -u)" -eq 0 ] || skip_all "needs root (run under tools/vm/run)"
modprobe jump 2>/dev/null || skip_all "jump.ko is not installed for $(uname -r)"
[ -x "$JUMPD" ] && [ -x "$JUMPCTL" ] || skip_all "jumpd/jumpctl not built"
command -v etcd >/dev/null && command -v etcdctl >/dev/null ||
	skip_all "etcd-server and etcd-client are not installed (tools/deps.sh)"
HOST=$TOP/build/bench/cluster_host
[ -x "$HOST" ] || skip_all "build/bench/cluster_host not built (make tools)"
export ETCDCTL_API=3
# Emulated and shared, etcd answers slowly (seconds, at times): a roomier
# lease and election than on metal, so that a slow answer is not taken for
# an unreachable etcd (which fences: the safe side, but not this test's).
TTL_MS=8000
export ETCD_HEARTBEAT_MS=200 ETCD_ELECTION_MS=2000

P=jt-cl-$$
HUB=$P-hub S1=$P-s1 S2=$P-s2 C=$P-c
ETCD_NS=("$P-e1" "$P-e2" "$P-e3")
ALL=("$HUB" "$S1" "$S2" "$C" "${ETCD_NS[@]}")
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	etcd_stop
	wait 2>/dev/null
	if [ -n "${JUMP_VM_OUT:-}" ]; then
		mkdir -p "$JUMP_VM_OUT/98-cluster"
		cp "$T_OUT"/*.log "$T_OUT"/*.jsonl "$JUMP_VM_OUT/98-cluster/" 2>/dev/null
	fi
	for ns in "${ALL[@]}"; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$T_OUT"
}
trap cleanup EXIT
trap "exit 143" TERM INT

# One bridge in $HUB; each namespace on it with one address in 10.5.0.0/24.
for ns in "${ALL[@]}"; do ip netns add "$ns" && ip -n "$ns" link set lo up || exit 1; done
ip -n "$HUB" link add name br0 type bridge && ip -n "$HUB" link set br0 up
n=0
attach() {	# NS ADDR
	n=$((n + 1))
	ip link add "p$n" netns "$1" type veth peer name "h$n" netns "$HUB"
	ip -n "$HUB" link set "h$n" master br0 up
	ip -n "$1" addr add "$2/24" dev "p$n"
	ip -n "$1" link set "p$n" up
}
attach "${ETCD_NS[0]}" 10.5.0.11
attach "${ETCD_NS[1]}" 10.5.0.12
attach "${ETCD_NS[2]}" 10.5.0.13
attach "$S1" 10.5.0.21
attach "$S2" 10.5.0.22
attach "$C" 10.5.0.30

etcd_start "$T_OUT/etcd" 3 10.5.0.11 10.5.0.12 10.5.0.13
# From the client's namespace: it outlives both servers' (one dies in (1)).
ctl() { ip netns exec "$C" etcdctl --endpoints "$ETCD_ENDPOINTS" --command-timeout=5s "$@"; }
healthy() { ip netns exec "$S2" bash -c ". '$TOP/selftests/lib-etcd.sh'; ETCD_ENDPOINTS='$ETCD_ENDPOINTS'; etcd_wait_healthy"; }
healthy
ok $? "a 3-member etcd cluster, each member in its namespace, is healthy"

umask 077
"$JUMPCTL" key genkey > "$T_OUT/s.key"
"$JUMPCTL" key genkey > "$T_OUT/c.key"
"$JUMPCTL" key genkey > "$T_OUT/cluster.key"
SPUB=$("$JUMPCTL" key pubkey < "$T_OUT/s.key")
CPUB=$("$JUMPCTL" key pubkey < "$T_OUT/c.key")
POLICY="[Policy]
Keepalive = 200ms
VolatileAfter = 600ms
DegradedAfter = 1200ms
RecoveryWindow = 20s
RetryInitial = 200ms
RetryMax = 1s"
for i in 1 2; do
	ns=$P-s$i
	ip -n "$ns" link add jump0 type jump && ip -n "$ns" link set jump0 up
	ip -n "$ns" addr add 10.9.0.1/24 dev jump0
	# jumpctl session show reads the owner from the default state directory
	# (/var/lib/jump/jump0, a tmpfs in the VM): s1 has it, s2 another.
	state=/var/lib/jump/jump0
	[ $i -eq 2 ] && state=$T_OUT/s2-state
	cat > "$T_OUT/s$i.conf" <<-EOF
	[Interface]
	Role = server
	PrivateKeyFile = $T_OUT/s.key
	ListenPort = 51820
	StateDirectory = $state
	AuditLog = $T_OUT/s$i-audit.jsonl
	$POLICY
	[Cluster]
	Endpoints = $ETCD_ENDPOINTS
	NodeName = s$i
	LeaseTTL = ${TTL_MS}ms
	ClusterKeyFile = $T_OUT/cluster.key
	[Peer]
	PublicKey = $CPUB
	AllowedIPs = 10.9.0.2/32
	EOF
done
ip -n "$C" link add jump0 type jump && ip -n "$C" link set jump0 up
ip -n "$C" addr add 10.9.0.2/24 dev jump0
cat > "$T_OUT/c.conf" <<EOF
[Interface]
Role = client
PrivateKeyFile = $T_OUT/c.key
Uplink = p6
StateDirectory = $T_OUT/c-state
AuditLog = $T_OUT/c-audit.jsonl
$POLICY
[Peer]
PublicKey = $SPUB
Endpoint = 10.5.0.21:51820
Endpoint = 10.5.0.22:51820
AllowedIPs = 10.9.0.0/24
EOF
ip netns exec "$S1" "$JUMPD" -v -i jump0 -c "$T_OUT/s1.conf" 2>> "$T_OUT/s1.log" &
PIDS+=($!)
S1_PID=$!
ip netns exec "$S2" "$JUMPD" -v -i jump0 -c "$T_OUT/s2.conf" 2>> "$T_OUT/s2.log" &
PIDS+=($!)
S2_PID=$!
wait_until 20 grep -q "cluster: node s1" "$T_OUT/s1.log" &&
	wait_until 20 grep -q "cluster: node s2" "$T_OUT/s2.log"
r=$?
cat "$T_OUT/s1.log" "$T_OUT/s2.log" > "$T_OUT/last"
ok $r "two server nodes start with a lease each"
ip netns exec "$C" "$JUMPD" -v -i jump0 -c "$T_OUT/c.conf" 2>> "$T_OUT/c.log" &
PIDS+=($!)

S1A=$T_OUT/s1-audit.jsonl
S2A=$T_OUT/s2-audit.jsonl
show() { ip netns exec "$1" "$JUMPCTL" -j session show dev jump0; }
sfield() { show "$1" | jq -r ".[0].$2 // empty"; }
is_state() { [ "$(sfield "$1" state)" = "$2" ]; }
audited() { [ -n "$(jq -c "select($2)" "$1" 2>/dev/null | head -n 1)" ]; }
count() { jq -c "select($2)" "$1" 2>/dev/null | wc -l; }
pings() { ip netns exec "$C" ping -c "${1:-3}" -i 0.2 -W 2 10.9.0.1 >/dev/null; }
evidence() {
	{
		echo "--- s1"; show "$S1"; tail -n 20 "$T_OUT/s1.log"
		echo "--- c"; show "$C"; tail -n 10 "$T_OUT/c.log"
	} > "$T_OUT/last" 2>&1
}

# --- birth on s1, owned by s1 ---
wait_until 30 is_state "$C" attached && wait_until 5 is_state "$S1" attached
r=$?; evidence; ok $r "birth: the client attaches to s1, its first Endpoint"
SID=$(sfield "$S1" id)
audited "$S1A" ".event==\"ownership\" and .reason==\"claimed\" and .session==\"$SID\""
ok $? "s1 audits the claim of the session (ownership, claimed)"
ctl get "/jump/jump0/$SID" --print-value-only > "$T_OUT/last" 2>&1
grep -q "\"node\":\"s1\",\"session\":\"$SID\"" "$T_OUT/last"
ok $? "etcd's record of the session names s1"
[ "$(sfield "$S1" owner)" = s1 ] &&
	ip netns exec "$S1" "$JUMPCTL" session show dev jump0 | grep -q "^    owner s1$"
r=$?; evidence; ok $r "jumpctl session show on s1 says: owner s1"
pings 3
ok $? "ping crosses the tunnel"

# --- (3) two nodes race for one session ---
rm -f "$T_OUT/go"
(cd "$T_OUT" && ip netns exec "$S1" "$HOST" "$ETCD_ENDPOINTS" s1 "$TTL_MS" race 5eed > "$T_OUT/race1.log" 2>&1) &
R1=$!
(cd "$T_OUT" && ip netns exec "$S2" "$HOST" "$ETCD_ENDPOINTS" s2 "$TTL_MS" race 5eed > "$T_OUT/race2.log" 2>&1) &
R2=$!
sleep 3
touch "$T_OUT/go"
wins=0
wait $R1 && wins=$((wins + 1))
wait $R2 && wins=$((wins + 1))
cat "$T_OUT/race1.log" "$T_OUT/race2.log" > "$T_OUT/last"
[ $wins -eq 1 ] && grep -q "cas_lost" "$T_OUT/last"
ok $? "two nodes race to claim one session: exactly one wins, the other loses the CAS"

# --- (4) etcd member loss ---
lost_before=$(count "$S1A" '.event=="ownership" and (.reason=="lease_lost" or .reason=="no_quorum")')
# A follower goes first: the leader's loss is an election, which etcd
# answers only after it (a lease keepalive may then time out: no_quorum).
is_leader() {
	ctl --endpoints "$(etcd_url "$1")" endpoint status -w json 2>/dev/null |
		jq -e '.[0].Status.leader == .[0].Status.header.member_id' > /dev/null
}
M1=2 M2=1
if is_leader 2; then M1=3; elif is_leader 1; then M2=3; fi
diag "etcd members lost: $M1 (a follower), then $M2"
etcd_kill $M1
sleep $((TTL_MS / 1000 + 2))
pings 3 && is_state "$S1" attached &&
	[ "$(count "$S1A" '.event=="ownership" and (.reason=="lease_lost" or .reason=="no_quorum")')" -eq "$lost_before" ]
r=$?; evidence; ok $r "1 of 3 etcd members lost: nothing changes (traffic, state, no ownership loss)"
etcd_kill $M2
wait_until 20 audited "$S1A" '.event=="ownership" and .reason=="no_quorum"'
r=$?; evidence; ok $r "quorum lost: s1 says no_quorum (audited): changes refused"
pings 5 && is_state "$S1" attached && ! audited "$S1A" '.reason=="ownership_lost"'
r=$?; evidence; ok $r "quorum lost: the existing session keeps forwarding"
ip netns exec "$S2" "$HOST" "$ETCD_ENDPOINTS" s3 "$TTL_MS" claim 5eee > "$T_OUT/last" 2>&1
[ $? -eq 3 ] && grep -q "etcd grants no lease" "$T_OUT/last"
ok $? "quorum lost: a new claim is refused with the reason (no lease)"
etcd_run $M2
etcd_run $M1
healthy && wait_until 20 audited "$S1A" '.event=="ownership" and .reason=="lease_renewed"'
r=$?; evidence; ok $r "quorum back: s1's lease is renewed (lease_renewed)"
pings 3 && is_state "$S1" attached
r=$?; evidence; ok $r "  and its session carried on"

# --- (2) the owner partitioned from etcd ---
REV0=$(ctl get / --prefix --keys-only -w json | jq -r '.header.revision')
SEQ0=$(jq -s 'map(.seq) | max' "$S1A")
ip netns exec "$S1" nft -f - <<EOF
table inet cut {
	chain out { type filter hook output priority 0; ip daddr 10.5.0.11-10.5.0.13 drop; }
	chain in { type filter hook input priority 0; ip saddr 10.5.0.11-10.5.0.13 drop; }
}
EOF
T0=$(date +%s%N)
wait_until 20 audited "$S1A" ".seq > $SEQ0 and .event==\"ownership\" and .reason==\"lease_lost\""
r=$?
# When s1 fenced, by its own record's time (the same clock as T0's).
T1=$(date -d "$(jq -r "select(.seq > $SEQ0 and .reason==\"lease_lost\") | .time" "$S1A" | head -n 1)" +%s%N 2>/dev/null)
gap=$(((${T1:-0} - T0) / 1000000))
diag "s1 fenced $gap ms after the cut (LeaseTTL $TTL_MS ms)"
evidence; ok $r "partitioned from etcd: s1 is fenced (ownership, lease_lost)"
[ $r -eq 0 ] && [ $gap -gt 0 ] && [ $gap -le $TTL_MS ]
ok $? "  within LeaseTTL of the cut"
wait_until 10 audited "$S1A" ".event==\"transition\" and .to==\"terminated\" and .reason==\"ownership_lost\" and .session==\"$SID\""
r=$?; evidence; ok $r "s1 ends the session: ownership_lost (it stops forwarding)"
lost_seq=$(jq -r "select(.seq > $SEQ0 and .event==\"ownership\" and .reason==\"lease_lost\") | .seq" "$S1A" | head -n 1)
late=$(jq -c "select(.seq > ${lost_seq:-0} and .event==\"ownership\" and (.reason==\"moved\" or .reason==\"claimed\" or .reason==\"adopted\"))" "$S1A" | wc -l)
[ -n "$lost_seq" ] && [ "$late" -eq 0 ]
ok $? "s1's audit: no ownership change after its lease was lost"
# etcd's history since the cut: the record may only go (its lease expires).
sleep $((TTL_MS / 1000 + 2))
ctl watch --prefix /jump/jump0/ --rev=$((REV0 + 1)) > "$T_OUT/watch" 2>&1 &
W=$!
sleep 3
kill $W 2>/dev/null
wait $W 2>/dev/null
cp "$T_OUT/watch" "$T_OUT/last"
# (The client may start over on s2 meanwhile: its writes name s2.)
! grep -q '"node":"s1"' "$T_OUT/watch" &&
	! awk '/^PUT$/ { getline k; print k }' "$T_OUT/watch" | grep -q "$SID" &&
	grep -q "^DELETE" "$T_OUT/watch" && [ -z "$(ctl get "/jump/jump0/$SID")" ]
ok $? "etcd's revision history: nothing written for s1 after the cut; its record expired with its lease"
nft_del() { ip netns exec "$S1" nft delete table inet cut; }
nft_del
# The client was told and starts over: on s1 again or s2, whichever claims it.
new_session() { is_state "$C" attached && [ "$(sfield "$C" id)" != "$SID" ]; }
wait_until 40 new_session
r=$?; evidence; ok $r "the client is told, starts over and attaches a new session"
kill -0 "$S1_PID"
ok $? "s1's jumpd is still running (no crash through the partition)"

# --- (1) failover: the owner node dies under a ping ---
SID2=$(sfield "$C" id)
OWNER=; SURV=
for i in 1 2; do
	[ "$(sfield "$P-s$i" id)" = "$SID2" ] && OWNER=$i
done
if [ -z "$OWNER" ]; then
	{ show "$S1"; show "$S2"; show "$C"; } > "$T_OUT/last" 2>&1
	ok 1 "the client's session $SID2 is on s1 or s2"
	done_testing
fi
SURV=$((3 - OWNER))
ON=$P-s$OWNER SN=$P-s$SURV
OADDR=10.5.0.2$OWNER
SA=$T_OUT/s$SURV-audit.jsonl
diag "the owner is s$OWNER, the survivor s$SURV"
sealed() { [ -n "$(ctl get "/jump/jump0/sealed/$SID2" --print-value-only 2>/dev/null)" ]; }
wait_until 10 sealed
r=$?; ctl get --prefix /jump/jump0/ > "$T_OUT/last" 2>&1
ok $r "the owner keeps the session's sealed state in etcd, beside its record"
ctl get "/jump/jump0/sealed/$SID2" --print-value-only 2>/dev/null | grep -qv "$SID2\|node"
ok $? "the sealed state names neither the session nor a node in the clear"
ip netns exec "$C" ping -D -i 0.1 -W 1 10.9.0.1 > "$T_OUT/ping" 2>&1 &
PING=$!
PIDS+=($PING)
wait_until 10 grep -q "icmp_seq=10 " "$T_OUT/ping"
OPID=$S1_PID
[ "$OWNER" = 2 ] && OPID=$S2_PID
T0=$(date +%s.%N)
kill -9 "$OPID"
# Its device first (synchronous: its kernel forwards no more), then the rest.
ip -n "$ON" link del jump0
ip netns del "$ON"
# Its address moves to the survivor, as a virtual address would (the
# client's neighbour entry goes with it: a VIP manager's gratuitous ARP).
ip -n "$SN" addr add "$OADDR/24" dev "p$((3 + SURV))"
ip -n "$C" neigh flush dev p6
failed_over() { is_state "$SN" attached && [ "$(sfield "$SN" id)" = "$SID2" ]; }
wait_until 60 failed_over
r=$?
{ echo "--- s$SURV"; show "$SN"; tail -n 30 "$T_OUT/s$SURV.log"; echo "--- c"; show "$C"; tail -n 20 "$T_OUT/c.log"; } > "$T_OUT/last" 2>&1
ok $r "the owner killed (-9) and its node gone: the survivor holds the session, attached, same id"
[ "$(sfield "$C" id)" = "$SID2" ] && pings 3
r=$?; evidence; ok $r "the client's session is the same one, and ping crosses the tunnel again"
audited "$SA" ".event==\"ownership\" and .reason==\"failover\" and .session==\"$SID2\""
ok $? "the survivor audits the takeover (ownership, failover)"
audited "$SA" ".event==\"transition\" and .session==\"$SID2\" and .to==\"recovering\" and .reason==\"failover\"" &&
	audited "$SA" ".event==\"transition\" and .session==\"$SID2\" and .to==\"attached\" and .reason==\"reattach_complete\""
ok $? "then the client's reattach, validated as any other (recovering/failover, attached/reattach_complete)"
"$JUMPCTL" audit verify file "$SA" > "$T_OUT/last" 2>&1
ok $? "the survivor's audit chain verifies"
ctl get "/jump/jump0/$SID2" --print-value-only > "$T_OUT/last" 2>&1
grep -q "\"node\":\"s$SURV\",\"session\":\"$SID2\"" "$T_OUT/last"
ok $? "etcd's record of the session names the survivor"
ctr=$(show "$SN" | jq -r '.[0].keys[] | select(.slot == "primary") | .tx_counter')
echo "tx_counter $ctr" > "$T_OUT/last"
[ -n "$ctr" ] && [ "$ctr" -ge 4294967296 ]
ok $? "the survivor sends past anything the dead owner could have used (counter >= 2^32)"
kill "$PING" 2>/dev/null
wait "$PING" 2>/dev/null
# The gap: from the kill to the reply that ends the longest silence after it.
gap=$(awk -v t0="$T0" '/bytes from/ { t = substr($1, 2, length($1) - 2) + 0;
	if (t <= t0) next; if (!last) last = t0; d = t - last;
	if (d > max) { max = d; end = t } last = t }
	END { if (end) printf "%d", (end - t0) * 1000 }' "$T_OUT/ping")
diag "failover gap: ${gap:-?} ms from the kill to the first reply through the survivor (LeaseTTL $TTL_MS ms, then the client's reattach)"
done_testing
