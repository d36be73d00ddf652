#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Liveness probes (Documentation/protocol.rst, "Liveness"): a session whose
# peer is quiet but alive stays ATTACHED, because its probes are answered;
# a dead path is still detected at the volatile threshold; and a VOLATILE
# session comes back as soon as the path does. B is made quiet by a
# keepalive interval of 20 s: without probes A would see 3 s of silence.
. "$(dirname "$0")/lib.sh"
setup_pair probe
PARAM=/sys/module/jump/parameters/liveness_probes

state() { j$1 -j session show dev jump0 id "$SID" | field state; }
reason() { j$1 -j session show dev jump0 id "$SID" | field reason; }
is_state() { [ "$(state "$1")" = "$2" ]; }
# UDP payloads of LEN bytes from PORT seen in the capture FILE.
count_len() {
	tcpdump -n -r "$1" "udp src port $2 and udp[4:2] = $((8 + $3))" 2>/dev/null | wc -l
}

[ "$(cat "$PARAM")" = 12 ]
ok $? "liveness_probes defaults to 12"
jb session set dev jump0 id "$SID" keepalive 20000 volatile 30000 degraded 40000 \
	> "$T_OUT/last" 2>&1
ok $? "B keeps quiet: a keepalive every 20 s"

capture_start "$NS_A" veth-a "$T_OUT/quiet.pcap" udp
t0=$(ja -j -s session show dev jump0 id "$SID" | jq -r '.[0].stats.transitions')
sleep 8
capture_stop
is_state a attached
ok $? "8 s with a quiet peer: A stays attached (regression: rx_silence after 3 s)"
t1=$(ja -j -s session show dev jump0 id "$SID" | jq -r '.[0].stats.transitions')
echo "transitions $t0 -> $t1" > "$T_OUT/last"
[ "$t0" = "$t1" ]
ok $? "... with no transition at all"
probes=$(count_len "$T_OUT/quiet.pcap" 51820 37)
answers=$(count_len "$T_OUT/quiet.pcap" 51821 36)
echo "probes $probes, answers $answers" > "$T_OUT/last"
# (B's own keepalive may fall in too.)
[ "$probes" -ge 3 ] && [ "$answers" -ge 3 ] && [ "$answers" -le $((probes + 1)) ]
ok $? "A probed ($probes 37-byte probes) and B answered each with a keepalive ($answers)"
[ "$(drops b bad_header)" = 0 ] && [ "$(drops a bad_header)" = 0 ]
ok $? "neither end counts a probe or an answer as a bad packet"
[ "$(ja -j -s session show dev jump0 id "$SID" | jq -r '.[0].stats.tx_packets')" = 0 ]
ok $? "probes are not counted as traffic"

# The path dies: the probes go unanswered and A still leaves ATTACHED at
# its volatile threshold (3 s), not later.
in_b ip link set veth-b down
wait_until 10 is_state a volatile
ok $? "path dead: A goes volatile all the same"
[ "$(reason a)" = rx_silence ]
ok $? "... with reason rx_silence"
in_b ip link set veth-b up
# B still sends nothing of its own: only answers to A's probes bring A back.
wait_until 10 is_state a attached
ok $? "path back: A's probes in volatile are answered, attached again"
[ "$(reason a)" = rx_resumed ]
ok $? "... with reason rx_resumed"

echo 0 > "$PARAM"
wait_until 10 is_state a volatile
ok $? "liveness_probes = 0: the quiet peer makes A volatile, as before probes"
echo 12 > "$PARAM"
wait_until 10 is_state a attached
ok $? "probes on again: A attached again"

done_testing
