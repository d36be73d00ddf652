#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A network namespace is freed with everything in it, although its jump
# device holds a socket that holds the namespace (kernel/netns.c): once
# nothing else refers to the namespace, the device goes, its sessions end,
# its keepalives stop, and the namespace dies. Also for an unprivileged
# user, who could otherwise leak namespaces, sessions and keys at will with
# "unshare -rn". And a socket is lent to a device of its own namespace only.
. "$(dirname "$0")/lib.sh"
setup_pair netns

SLAB=/sys/kernel/slab/jump_session
# Sessions allocated right now: the cache's objects in use, once the
# per-CPU slabs are flushed back (shrink) so that free ones are not counted.
live_sessions() {
	echo 1 > "$SLAB/shrink" && cut -d' ' -f1 "$SLAB/objects"
}
sessions_back_to() {
	[ "$(live_sessions)" -le "$1" ]
}

# A's session hears B's keepalives (100 ms apart) over the veth.
ja session set dev jump0 id "$SID" keepalive 100 volatile 5000 degraded 10000 >/dev/null &&
	jb session set dev jump0 id "$SID" keepalive 100 volatile 5000 degraded 10000 >/dev/null
ok $? "both ends keep the session alive every 100 ms"
in_a ping -c 3 -i 0.2 -W 2 10.9.0.2 > "$T_OUT/last" 2>&1
ok $? "B's jump0 answers through the tunnel"
before=$(live_sessions)

# B has no process; deleting its name leaves only B's own lent socket
# holding it. The veth dies with the namespace: A sees its end go.
ip netns del "$NS_B"
wait_until 20 sh -c "! ip -n '$NS_A' link show veth-a >/dev/null 2>&1"
ok $? "ip netns del frees a namespace whose jump device holds a socket of it (regression: netns kept alive by its lent socket)"
wait_until 10 sessions_back_to $((before - 1))
r=$?; echo "sessions in use: before $before, now $(live_sessions)" > "$T_OUT/last"
ok $r "and B's session with it"

# An unprivileged user in a user namespace of its own, many times over.
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if ! "${NOBODY[@]}" unshare -rn true 2>/dev/null; then
	ok 0 "an unprivileged user's namespaces are freed with their sessions # SKIP unprivileged user namespaces are disabled"
else
	before=$(live_sessions)
	for i in $(seq 1 20); do
		echo "session add dev jump0 role client peer $PEER id $i"
		echo "session key add dev jump0 id $i slot primary key-id 1 tx-key $(newkey) rx-key $(newkey)"
		echo "session set dev jump0 id $i remote-index $i keepalive 100 volatile 5000 degraded 10000"
		echo "session set dev jump0 id $i version 1 state attached reason handshake_complete local 127.0.0.1:5000 remote 127.0.0.1:$((6000 + i))"
	done > "$T_OUT/batch"
	chmod 0755 "$T_OUT" && chmod 0644 "$T_OUT/batch"
	fails=0
	for round in $(seq 1 10); do
		"${NOBODY[@]}" unshare -rn sh -c "ip link set lo up &&
			ip link add jump0 type jump &&
			'$JUMPCTL' -batch '$T_OUT/batch' > /dev/null" \
			>> "$T_OUT/userns.log" 2>&1 || fails=$((fails + 1))
	done
	{ echo "rounds failed: $fails"; tail -5 "$T_OUT/userns.log"; } > "$T_OUT/last"
	[ "$fails" = 0 ]
	ok $? "an unprivileged user makes 10 namespaces, each with a jump device and 20 keyed, bound sessions"
	wait_until 30 sessions_back_to "$before"
	r=$?; echo "sessions in use: before $before, now $(live_sessions)" > "$T_OUT/last"
	ok $r "all 200 sessions are freed once the user's processes are gone (regression: netns kept alive by its lent socket)"
fi

# A socket must belong to the device's namespace (what the reaper counts on):
# A's socket, inherited by a jumpctl that runs in B.
ip netns add "$NS_B"
ip -n "$NS_B" link set lo up
ip -n "$NS_B" link add jump1 type jump
ip netns exec "$NS_B" "$JUMPCTL" session add dev jump1 role client peer "$PEER" id 7 >/dev/null
out=$(in_a python3 -c '
import os, socket, subprocess, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 5555))
os.set_inheritable(s.fileno(), True)
r = subprocess.run(["ip", "netns", "exec", sys.argv[1], sys.argv[2], "session", "set",
	"dev", "jump1", "id", "7", "version", "1", "state", "attached", "reason",
	"handshake_complete", "local", "127.0.0.1:5555", "remote", "127.0.0.1:6000",
	"sock-fd", str(s.fileno())], pass_fds=[s.fileno()], capture_output=True, text=True)
print(r.returncode, r.stderr.strip())' "$NS_B" "$JUMPCTL" 2>&1)
echo "$out" > "$T_OUT/last"
[ "$out" = "2 Error: socket belongs to another network namespace than the device." ]
ok $? "a socket of another namespace is refused"

done_testing
