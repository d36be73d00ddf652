#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Device deletion, namespace deletion and module unload with live sessions:
# every session ends with a reason, and nothing oopses or leaks.
. "$(dirname "$0")/lib.sh"
setup_ns teardown
dmesg_start=$(dmesg | wc -l)

# sessions DEV N [PORT]: N sessions, every other one attached with a
# binding on local PORT (a socket serves one device only).
sessions() {
	local dev=$1 n=$2 port=${3:-51820} i
	for i in $(seq 1 "$n"); do
		echo "session add dev $dev role client peer $PEER id $i"
		[ $((i % 2)) = 0 ] &&
			echo "session set dev $dev id $i version 1 state attached reason handshake_complete local 10.0.0.1:$port remote 10.0.0.2:$((10000 + i))"
	done > "$T_OUT/batch-$dev"
	jumpctl -batch "$T_OUT/batch-$dev" > /dev/null
}

jumpctl link add jump0 >/dev/null && sessions jump0 500
ok $? "500 sessions on jump0, half of them attached"
jumpctl -j monitor dev jump0 > "$T_OUT/events" 2> "$T_OUT/mon.err" &
mon=$!
sleep 1
in_ns ip link del jump0
ok $? "ip link del with live sessions"
sleep 1
kill "$mon" 2>/dev/null
wait "$mon" 2>/dev/null
n=$(jq -s '[.[] | select(.state == "terminated" and .reason == "device_deleted")] | length' "$T_OUT/events")
{ echo "monitor stderr:"; cat "$T_OUT/mon.err"; } > "$T_OUT/last"
[ "$n" = 500 ]
ok $? "every session ended terminated with reason device_deleted ($n/500 events)"

ip netns add "$T_NS-b"
ip netns exec "$T_NS-b" "$JUMPCTL" link add jump0 >/dev/null
T_NS_SAVE=$T_NS; T_NS=$T_NS-b; sessions jump0 200; T_NS=$T_NS_SAVE
ip netns del "$T_NS-b"
ok $? "deleting a namespace whose jump device holds 200 sessions"

jumpctl link add jump1 >/dev/null && sessions jump1 300 &&
	jumpctl link add jump2 >/dev/null && sessions jump2 300 51821
ok $? "two more devices with 300 sessions each"
grep -q '^jump_session ' /proc/slabinfo
ok $? "sessions have their own slab cache"
sleep 1
modprobe -r jump
ok $? "module unload with 600 live sessions"
! grep -q '^jump_session ' /proc/slabinfo
ok $? "the session cache is gone after unload"
! in_ns ip link show jump1 >/dev/null 2>&1
ok $? "unload removed the devices"

dmesg | tail -n +"$((dmesg_start + 1))" > "$T_OUT/dmesg"
! grep -Ei "WARNING|BUG|Oops|general protection|Objects remaining|refcount" "$T_OUT/dmesg" > "$T_OUT/last"
ok $? "no warning, oops or leaked object in dmesg"
modprobe jump
ok $? "the module loads again"

done_testing
