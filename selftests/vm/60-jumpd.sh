#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# jumpd rebuilds its view from the kernel: sessions survive a kill -9 of the
# daemon, and a restarted daemon sees exactly what the kernel holds.
. "$(dirname "$0")/lib.sh"
setup_ns jumpd
[ -x "$JUMPD" ] || skip_all "$JUMPD not built"
jumpctl link add jump0 >/dev/null || exit 1
B="local 10.0.0.1:51820 remote 10.0.0.2:40000"

# wait_log FILE TEXT: up to 20 s for TEXT to appear.
wait_log() {
	local i
	for i in $(seq 1 100); do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	cp "$1" "$T_OUT/last" 2>/dev/null
	return 1
}

for i in 1 2 3; do
	jumpctl session add dev jump0 role client peer "$PEER" id "a$i" >/dev/null
done
ip netns exec "$T_NS" "$JUMPD" -i jump0 2> "$T_OUT/d1" &
d1=$!
wait_log "$T_OUT/d1" "synchronized: 1 device(s), 3 session(s)"
ok $? "jumpd starts and finds the 3 sessions the kernel holds"

jumpctl session set dev jump0 id a1 version 1 state attached reason handshake_complete $B >/dev/null
wait_log "$T_OUT/d1" "session 00000000000000a1 dev jump0: birth -> attached (handshake_complete) version 2"
ok $? "jumpd follows a transition from the event stream"
jumpctl session add dev jump0 role client peer "$PEER" id a4 >/dev/null
wait_log "$T_OUT/d1" "session 00000000000000a4 dev jump0: created role client version 1"
ok $? "jumpd sees a session created after it started"

kill -9 "$d1"
wait "$d1" 2>/dev/null
[ "$(jumpctl -j link show jump0 | jq '.[0].sessions')" = 4 ]
ok $? "kill -9 of jumpd loses no session"
jumpctl session set dev jump0 id a2 version 1 state attached reason handshake_complete $B >/dev/null
jumpctl session del dev jump0 id a3 version 1 >/dev/null

ip netns exec "$T_NS" "$JUMPD" -i jump0 2> "$T_OUT/d2" &
d2=$!
wait_log "$T_OUT/d2" "synchronized: 1 device(s), 3 session(s)"
ok $? "a restarted jumpd rebuilds its view, changes made while it was down included"
kill -HUP "$d2"
wait_log "$T_OUT/d2" "SIGHUP: resynchronizing with the kernel"
ok $? "SIGHUP resynchronizes"
kill -TERM "$d2"
wait "$d2"
ok $? "SIGTERM exits with status 0"

jumpctl link del jump0
ip netns exec "$T_NS" "$JUMPD" 2> "$T_OUT/d3" &
d3=$!
wait_log "$T_OUT/d3" "synchronized: 0 device(s), 0 session(s)"
ok $? "jumpd starts in a namespace with no jump device"
kill -TERM "$d3"
wait "$d3"
ok $? "and exits cleanly"

done_testing
