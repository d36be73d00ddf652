#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Cluster ownership on a real etcd, on the host (no module needed): jumpd's
# own etcd backend (daemon/owner_etcd.c) driven by build/bench/cluster_host
# against a 3-member etcd on localhost: a claim, a second claim refused,
# eight nodes racing for one session (exactly one wins), a move (CAS on
# mod_revision), a release; an etcd that answers garbage, never answers or
# is absent (a clear refusal, no crash); one member of three lost (nothing
# changes), quorum lost (no commit, new claims refused with the reason);
# and on a one-member etcd killed under a holder, the fence: the holder
# stops committing within LeaseTTL and commits nothing after.
. "$(dirname "$0")/lib.sh"
. "$TOP/selftests/lib-etcd.sh"

HOST=$TOP/build/bench/cluster_host
command -v etcd >/dev/null && command -v etcdctl >/dev/null ||
	skip_all "etcd-server and etcd-client are not installed (tools/deps.sh)"
[ -x "$HOST" ] || skip_all "build/bench/cluster_host not built (make tools)"
export ETCDCTL_API=3
# Above a leader election (about 1 s here), so that losing the leader
# member does not look like a lost quorum.
TTL=4000
W=$(mktemp -d /tmp/jumpcluster.XXXXXX)
FAKE_PID=
cleanup() {
	etcd_stop
	[ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null
	rm -rf "$W" "$T_OUT"
}
trap cleanup EXIT
cd "$W" || exit 1

etcd_start "$W/three" 3 127.0.0.1
etcd_wait_healthy
ok $? "a 3-member etcd on localhost is healthy ($ETCD_ENDPOINTS)"
EP3=$ETCD_ENDPOINTS
ctl() {
	etcdctl --endpoints "$EP3" --command-timeout=3s "$@"
}

# node NAME CMD...: cluster_host on the 3-member cluster; its output in $W/NAME.out
node() {
	local name=$1
	shift
	"$HOST" "$EP3" "$name" "$TTL" "$@" > "$W/$name.out" 2>&1
}

node a claim 101
rc=$?
{ [ $rc -eq 0 ] && grep -q "record 0000000000000101 claimed claimed by a" "$W/a.out"; } > "$T_OUT/last" 2>&1
cp "$W/a.out" "$T_OUT/last"
ok $? "node a claims session 101: an ownership record, reason claimed"
ctl get /jump/jump0/0000000000000101 --print-value-only > "$T_OUT/last" 2>&1
grep -q '"node":"a","session":"0000000000000101"' "$T_OUT/last"
ok $? "  etcd holds the record, naming node a"
node b claim 101
rc=$?
cp "$W/b.out" "$T_OUT/last"
[ $rc -eq 1 ] && grep -q 'cas_lost claim refused: the record {"node":"a"' "$W/b.out"
ok $? "node b's claim of the same session is refused (cas_lost), naming the holder"

# Eight nodes, each with its lease, claim one session at the same moment.
rm -f go
for i in 1 2 3 4 5 6 7 8; do
	"$HOST" "$EP3" "r$i" "$TTL" race 202 > "$W/r$i.out" 2>&1 &
	RACERS[i]=$!
done
sleep 1.5
touch go
wins=0
for i in 1 2 3 4 5 6 7 8; do
	wait "${RACERS[$i]}" && wins=$((wins + 1))
done
cat "$W"/r*.out > "$T_OUT/last"
diag "$wins of 8 won"
[ "$wins" -eq 1 ] && [ "$(grep -c "cas_lost" "$T_OUT/last")" -eq 7 ]
ok $? "8 nodes race to claim one session: exactly one wins, 7 lose the CAS"
winner=$(ctl get /jump/jump0/0000000000000202 --print-value-only | sed -n 's/.*"node":"\([^"]*\)".*/\1/p')
grep -q "claimed by $winner" "$W/$winner.out" 2>/dev/null
ok $? "  the record names the winner ($winner)"

node a claim-move 303
rc=$?
cp "$W/a.out" "$T_OUT/last"
[ $rc -eq 0 ] && grep -q "moved moved from revision" "$W/a.out" &&
	ctl get /jump/jump0/0000000000000303 --print-value-only | grep -q '"epoch":2'
ok $? "a move is a CAS on mod_revision: the record carries the new epoch"
node b move 303 5
rc=$?
cp "$W/b.out" "$T_OUT/last"
[ $rc -eq 1 ] && grep -q "cas_lost transition refused: not this node's session" "$W/b.out"
ok $? "node b cannot move node a's session"
node a release 404
rc=$?
cp "$W/a.out" "$T_OUT/last"
[ $rc -eq 0 ] && grep -q "released record deleted" "$W/a.out" &&
	[ -z "$(ctl get /jump/jump0/0000000000000404)" ]
ok $? "a release deletes the record"

# A write of ours that etcd committed after we gave up on its answer (a
# timeout while it had no quorum): the record is ours, under our lease, at
# a mod_revision we do not know. Made here by writing the same record under
# the holder's lease behind its back; the holder must carry on from it.
"$HOST" "$EP3" a "$TTL" hold 909 6 > "$W/late.out" 2>&1 &
HOLD=$!
sleep 2
json=$(ctl get /jump/jump0/0000000000000909 -w json)
# Not jq: it reads a 64-bit lease id as a double.
lease=$(grep -o '"lease":[0-9]*' <<<"$json" | cut -d: -f2)
value=$(jq -r '.kvs[0].value' <<<"$json" | base64 -d)
ctl put --lease="$(printf '%x' "$lease")" /jump/jump0/0000000000000909 "$value" > /dev/null
t_late=$(date +%s)
wait $HOLD
cp "$W/late.out" "$T_OUT/last"
after=$(grep -A1000 "landed late" "$W/late.out" | grep -c '^commit')
[ -n "$lease" ] && grep -q "a write of ours landed late" "$W/late.out" &&
	! grep -q "cas_lost" "$W/late.out" && [ "$after" -gt 0 ]
ok $? "a write of ours that landed late: the holder carries on from its revision, no cas_lost"

# Bad stores: garbage, silence, nobody.
cat > "$W/fake.py" <<'EOF'
import http.server, sys, time
mode = sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        if mode == 'silent':
            time.sleep(30)
        if self.path.startswith('/v3/lease/grant'):
            body = b'{"header":{"revision":"1"},"ID":"42","TTL":"5"}'
        elif self.path.startswith('/v3/lease/keepalive'):
            body = b'{"result":{"header":{"revision":"1"},"ID":"42","TTL":"5"}}'
        else:
            body = b'{"header":{"revision":"1"},"succeeded":"maybe",\x01\xff'
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
EOF
FPORT=$((ETCD_PORT + 100))
# listening PORT: something accepts on it (within 10 s).
listening() {
	local t
	for ((t = 0; t < 100; t++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
python3 "$W/fake.py" "$FPORT" garbage & FAKE_PID=$!
listening "$FPORT"
"$HOST" "http://127.0.0.1:$FPORT" g "$TTL" claim 505 > "$T_OUT/last" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q "store_garbage claim refused: txn: reply is not JSON" "$T_OUT/last"
ok $? "an etcd that answers garbage: the claim is refused (store_garbage), no crash (rc $rc)"
kill "$FAKE_PID"; wait "$FAKE_PID" 2>/dev/null
python3 "$W/fake.py" "$FPORT" silent & FAKE_PID=$!
listening "$FPORT"
start=$(date +%s%N)
"$HOST" "http://127.0.0.1:$FPORT" s "$TTL" claim 505 > "$T_OUT/last" 2>&1
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
[ $rc -eq 3 ] && grep -q "etcd grants no lease: .*Timeout was reached" "$T_OUT/last" && [ $ms -lt 5000 ]
ok $? "an etcd that never answers: no lease, no start, after a timeout ($ms ms), no crash"
kill "$FAKE_PID"; wait "$FAKE_PID" 2>/dev/null
FAKE_PID=
"$HOST" "http://127.0.0.1:$FPORT" n "$TTL" claim 505 > "$T_OUT/last" 2>&1
rc=$?
[ $rc -eq 3 ] && grep -q "etcd grants no lease: .*Couldn't connect to server" "$T_OUT/last"
ok $? "no etcd at all: no lease, no start, the reason said (rc $rc)"

# Member loss under two holders that commit every 50 ms; h2's session ends
# while it is frozen.
"$HOST" "$EP3" h "$TTL" hold 606 22 > "$W/h.out" 2>&1 &
HOLD=$!
"$HOST" "$EP3" h2 "$TTL" hold-end 607 22 > "$W/h2.out" 2>&1 &
HOLD2=$!
sleep 2
etcd_kill 2
sleep 3
before=$(grep -c '^commit' "$W/h.out")
sleep 1.5
after=$(grep -c '^commit' "$W/h.out")
cp "$W/h.out" "$T_OUT/last"
diag "1 of 3 lost: $before, then $after commits"
[ "$after" -gt "$before" ] && ! grep -q "^standing frozen\|^standing fenced" "$W/h.out"
ok $? "1 of 3 members lost: the holder keeps committing, standing ok"
etcd_kill 1
sleep 5
node b claim 707
rc=$?
cat "$W/b.out" > "$T_OUT/last"
[ $rc -eq 3 ] && grep -q "etcd grants no lease" "$W/b.out"
ok $? "quorum lost: a new node cannot start (no lease), the reason said"
sleep 1
etcd_run 1
etcd_run 2
etcd_wait_healthy
ok $? "quorum back (two members restarted)"
wait $HOLD
wait $HOLD2
cp "$W/h.out" "$T_OUT/last"
grep -q "no_quorum lease .* etcd answers without a quorum" "$W/h.out" &&
	grep -q "^standing frozen" "$W/h.out" && ! grep -q "^standing fenced" "$W/h.out"
ok $? "quorum lost: the holder is frozen (no_quorum): sessions keep forwarding, not fenced"
frozen=$(sed -n 's/^standing frozen //p' "$W/h.out" | head -1)
back=$(awk -v f="${frozen:-0}" '$1 == "standing" && $2 == "ok" && $3 > f { print $3; exit }' "$W/h.out")
late=$(awk -v f="${frozen:-0}" -v b="${back:-99999999999999999999}" \
	'$1 == "commit" && $2 > f && $2 < b' "$W/h.out" | wc -l)
[ -n "$frozen" ] && [ "$late" -eq 0 ]
ok $? "quorum lost: the frozen holder commits nothing"
[ -n "$back" ] && grep -q "lease_renewed lease .* renewed" "$W/h.out" &&
	[ "$(awk -v b="$back" '$1 == "commit" && $2 > b' "$W/h.out" | wc -l)" -gt 0 ]
ok $? "quorum back: the holder's lease is renewed (lease_renewed) and it commits again"
cp "$W/h2.out" "$T_OUT/last"
grep -q "^ended" "$W/h2.out" && grep -q "released record deleted" "$W/h2.out" &&
	[ -z "$(ctl get /jump/jump0/0000000000000607)" ]
ok $? "a session that ended while frozen: its record is deleted once the lease is renewed"
etcd_stop

# The fence: a holder whose only etcd member dies.
ETCD_PORT=$((ETCD_PORT + 200))
etcd_start "$W/one" 1 127.0.0.1
etcd_wait_healthy
ok $? "a 1-member etcd for the fence"
"$HOST" "$ETCD_ENDPOINTS" f "$TTL" hold 808 9 > "$W/f.out" 2>&1 &
HOLD=$!
sleep 2
etcd_kill 0
wait $HOLD
cp "$W/f.out" "$T_OUT/last"
fenced=$(sed -n 's/^standing fenced //p' "$W/f.out" | head -1)
last=$(awk '$1 == "commit" { c = $2 } END { print c }' "$W/f.out")
[ -n "$fenced" ] && grep -q "lease_lost lease .* lost" "$W/f.out"
ok $? "etcd gone: the holder is fenced (lease_lost), its sessions end"
gap=$(( (${fenced:-0} - ${last:-0}) / 1000000 ))
diag "fenced $gap ms after its last commit (LeaseTTL $TTL ms)"
[ -n "$fenced" ] && [ "$gap" -gt 0 ] && [ "$gap" -le "$TTL" ]
ok $? "the fenced holder stopped committing within LeaseTTL of its last commit"
late=$(awk -v f="${fenced:-0}" '$1 == "commit" && $2 > f' "$W/f.out" | wc -l)
[ "$late" -eq 0 ]
ok $? "the fenced holder commits nothing after the fence"

done_testing
