#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The data path fuzzer (datafuzz.c): DATAFUZZ_SECONDS (default 20) of
# hostile datagrams at the server's bound port, as fast as they go, from
# the client's namespace while a real session carries a ping stream:
# truncated, malformed, unknown index and key, random tags, replayed and
# mutated captures of the session's own packets, every other type byte,
# oversized. The session must stay attached with no transition on either
# side, its traffic get through (90% of the pings at least: the flood
# competes with them for the emulated CPUs), every datagram of the DATA type
# be counted under one drop reason, and the kernel log stay clean.
. "$(dirname "$0")/lib.sh"

DATAFUZZ=$TOP/build/vm/datafuzz
secs=${DATAFUZZ_SECONDS:-20}
seed=${DATAFUZZ_SEED:-$(date +%s)}
[ -x "$DATAFUZZ" ] || skip_all "$DATAFUZZ not built (make)"
setup_pair datafuzz
"$TOP/selftests/vm/kernel-log.sh" mark datafuzz

dev_drops() {	# NS-LETTER: the receive drops the device counted, summed
	j$1 -j -s link show jump0 | jq '.[0].stats.drops | .bad_header + .no_session +
		.no_key + .auth_failed + .replay + .unbound_source + .stale_epoch +
		.inner_source + .nomem'
}
backlog_drops() {	# packets the stack's input queues dropped, every CPU
	awk '{ n += strtonum("0x" $2) } END { print n }' /proc/net/softnet_stat
}

in_b ping -c 1 -W 5 10.9.0.1 > "$T_OUT/last" 2>&1
ok $? "the session carries a ping before the fuzzing"
ia=$(ja -j session show dev jump0 id "$SID" | field local_index)
va=$(version a)
vb=$(version b)
drops0=$(dev_drops a)
backlog0=$(backlog_drops)

diag "seed $seed, $secs s (DATAFUZZ_SEED=$seed repeats it)"
pings=$((secs * 5))
in_b ping -i 0.2 -c "$pings" -W 2 10.9.0.1 > "$T_OUT/ping" 2>&1 &
PING=$!
timeout -k 10 $((secs + 120)) ip netns exec "$NS_B" "$DATAFUZZ" -d 10.0.0.1:51820 \
	-r "$ia" -k 1 -i veth-b -s "$seed" -t "$secs" > "$T_OUT/out" 2> "$T_OUT/err"
rc=$?
wait "$PING"
cat "$T_OUT/out" "$T_OUT/err" > "$T_OUT/last"
[ "$rc" -eq 0 ] && grep -q "^data [1-9]" "$T_OUT/out"
ok $? "datafuzz ran ${secs}s at the bound port (exit $rc)"
diag "$(tr '\n' ' ' < "$T_OUT/out")"
grep -q "^replays of the session's own packets [1-9]" "$T_OUT/out"
ok $? "some of them were replays and mutants of the session's own packets"

got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$T_OUT/ping")
cp "$T_OUT/ping" "$T_OUT/last"
[ -n "$got" ] && [ "$got" -ge $((pings * 9 / 10)) ]
ok $? "the session's traffic got through: ${got:-0} of $pings pings answered (90% wanted)"

[ "$(ja -j session show dev jump0 id "$SID" | field state)" = attached ] &&
	[ "$(jb -j session show dev jump0 id "$SID" | field state)" = attached ]
ok $? "the session is still attached on both sides"
echo "server version $va -> $(version a), client $vb -> $(version b)" > "$T_OUT/last"
[ "$(version a)" = "$va" ] && [ "$(version b)" = "$vb" ]
ok $? "no state transition on either side (versions unchanged)"

data=$(sed -n 's/^data //p' "$T_OUT/out")
dropped=$(( $(dev_drops a) - drops0 ))
lost=$(( $(backlog_drops) - backlog0 ))
echo "data-typed datagrams sent $data, device drops +$dropped, input queue drops +$lost" > "$T_OUT/last"
ja -s link show jump0 >> "$T_OUT/last" 2>&1
diag "data-typed datagrams sent $data, device drops +$dropped, input queue drops +$lost"
[ "$dropped" -le "$data" ] && [ $((dropped + lost)) -ge "$data" ]
ok $? "each data-typed datagram that reached the device is counted by one drop reason"

"$TOP/selftests/vm/kernel-log.sh" check datafuzz > "$T_OUT/last" 2>&1
ok $? "the kernel log of the run has no warning, BUG, oops, refcount or list corruption"
done_testing
