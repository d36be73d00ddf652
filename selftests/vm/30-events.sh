#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The event stream: every creation and transition reaches jumpctl monitor,
# in order, with strictly increasing versions and a gapless sequence.
. "$(dirname "$0")/lib.sh"
setup_ns events
jumpctl link add jump0 >/dev/null || exit 1
B="local 10.0.0.1:51820 remote 10.0.0.2:40000"

jumpctl -j monitor dev jump0 > "$T_OUT/events" 2> "$T_OUT/mon.err" &
mon=$!
jumpctl -t monitor dev jump0 > "$T_OUT/text" 2>&1 &
mon_text=$!
sleep 1

a=$(jumpctl -j session add dev jump0 role server peer "$PEER" | field id)
b=$(jumpctl -j session add dev jump0 role server peer "$PEER" | field id)
jumpctl session set dev jump0 id "$a" version 1 state attached reason handshake_complete $B >/dev/null
jumpctl session set dev jump0 id "$b" version 1 state attached reason handshake_complete $B >/dev/null
jumpctl session set dev jump0 id "$a" version 2 state volatile reason link_down >/dev/null
jumpctl session set dev jump0 id "$a" version 3 state recovering reason transport_dead >/dev/null
# A refused request must not produce an event.
jumpctl session set dev jump0 id "$a" version 3 state attached reason reattach_complete $B >/dev/null 2>&1
jumpctl session set dev jump0 id "$a" version 4 state attached reason reattach_complete $B >/dev/null
jumpctl session del dev jump0 id "$b" version 2 reason peer_terminate >/dev/null
jumpctl session del dev jump0 id "$a" version 5 >/dev/null
sleep 1
kill "$mon" "$mon_text"
wait "$mon" "$mon_text" 2>/dev/null

cp "$T_OUT/events" "$T_OUT/last"
[ "$(wc -l < "$T_OUT/events")" = 9 ]
ok $? "9 events: 2 creations and 7 transitions, none for the refused request"
jq -e . "$T_OUT/events" > /dev/null 2>&1
ok $? "each event line is valid JSON"
jq -se 'map(.seq) | . as $s | all(range(1; length); $s[.] == $s[. - 1] + 1)' "$T_OUT/events" > /dev/null
ok $? "event sequence numbers increase by exactly one"
for id in "$a" "$b"; do
	jq -se --arg id "$id" '[.[] | select(.id == $id) | .version] as $v |
		all(range(1; $v | length); $v[.] > $v[. - 1])' "$T_OUT/events" > /dev/null
	ok $? "versions of session $id strictly increase"
done
jq -se --arg id "$a" '[.[] | select(.id == $id) | "\(.from // "-")>\(.state):\(.reason)"] ==
	["->birth:session_created", "birth>attached:handshake_complete",
	 "attached>volatile:link_down", "volatile>recovering:transport_dead",
	 "recovering>attached:reattach_complete", "attached>terminated:admin_terminate"]' \
	"$T_OUT/events" > /dev/null
ok $? "session $a's events carry from, to and reason in order"
jq -se --arg id "$b" '.[-2] | .id == $id and .state == "terminated" and .reason == "peer_terminate"' \
	"$T_OUT/events" > /dev/null
ok $? "a terminate event carries its reason"
jq -se 'all(.[]; .time_ns > 0 or .changed_ns > 0)' "$T_OUT/events" > /dev/null
ok $? "every event carries a time"
cp "$T_OUT/text" "$T_OUT/last"
[ "$(grep -c 'recovering' "$T_OUT/text")" -ge 2 ] && grep -q 'link_down' "$T_OUT/text"
ok $? "the text monitor prints the same transitions"

done_testing
