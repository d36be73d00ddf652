#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The socket the kernel holds: SOCKET_GET gives a restarted jumpd a new
# descriptor of it (control packets queued meanwhile are still there), and
# a socket bound to a device sends through that device or not at all.
. "$(dirname "$0")/lib.sh"
SOCKGET=${SOCKGET:-$TOP/build/vm/sockget}
[ -x "$SOCKGET" ] || skip_all "$SOCKGET not built (make tools)"
setup_pair sock

# jumpctl opened A's socket for 10.0.0.1:51820, lent it and exited: only
# the kernel holds it now, as after jumpd was killed.
in_a "$SOCKGET" jump0 10.0.0.1:51820 > "$T_OUT/get" 2> "$T_OUT/last"
cat "$T_OUT/get" >> "$T_OUT/last"
grep -qx "fd [0-9]* type dgram proto udp local 10.0.0.1:51820 cloexec 1 reply-local 10.0.0.1:51820" "$T_OUT/get"
ok $? "SOCKET_GET returns a close-on-exec UDP socket bound to the port"

# A control packet (a HANDSHAKE_INIT type byte) that arrives while nobody
# reads the socket waits in it for the next reader.
in_b python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.0.0.2", 4444))
s.sendto(b"\x01hello", ("10.0.0.1", 51820))'
in_a "$SOCKGET" -r 3 jump0 10.0.0.1:51820 > "$T_OUT/last" 2>&1
grep -q "^recv from 10.0.0.2:4444 len 6 data 0168656c6c6f$" "$T_OUT/last"
ok $? "a control packet queued while nobody read is read from the new descriptor"

rx=$(ja -j -s session show dev jump0 id "$SID" | jq -r '.[0].stats.rx_packets')
in_a "$SOCKGET" -x "ping -c 3 -i 0.2 -W 2 10.9.0.2" jump0 10.0.0.1:51820 > "$T_OUT/last" 2>&1
ok $? "data still flows over jump0 while the descriptor is open"
[ "$(ja -j -s session show dev jump0 id "$SID" | jq -r '.[0].stats.rx_packets')" -ge $((rx + 3)) ]
ok $? "and the kernel, not the descriptor's reader, takes the data packets"
in_a ping -c 2 -i 0.2 -W 2 10.9.0.2 > "$T_OUT/last" 2>&1
ok $? "closing the descriptor leaves the kernel's socket working"

refuse "a port no socket of the device holds is refused" 2 \
	"Error: no socket of this device holds this local address and port." \
	in_a "$SOCKGET" jump0 10.0.0.1:51999
refuse "another address on the port is refused" 2 \
	"Error: no socket of this device holds this local address and port." \
	in_a "$SOCKGET" jump0 10.0.0.7:51820
refuse "an unknown device is refused" 2 "Error: no such device." \
	in_a "$SOCKGET" nosuch0 10.0.0.1:51820
refuse "an unprivileged caller is refused" 2 "Error: Operation not permitted." \
	in_a setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$SOCKGET" jump0 10.0.0.1:51820
# DEV_GET too: its counters and event sequence time other users' sessions.
refuse "an unprivileged caller cannot read the device (DEV_GET)" 2 \
	"Error: Operation not permitted." \
	in_a setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$JUMPCTL" link show jump0

# jumpd's own requests (daemon/genl.c), SOCKET_GET among them.
run "jumpd's netlink requests do what they say against the kernel" \
	in_a "$TOP/build/vm/jumpd_nl" jump0 10.0.0.1 51840

# A client with two uplinks: "wifi" (veth-b, to 10.0.0.1) and "cell"
# (cell-b, 10.1.0.2 <-> 10.1.0.1). The session moves to a socket bound to
# wifi with SO_BINDTODEVICE, on a new port.
ip link add cell-b netns "$NS_B" type veth peer name cell-a netns "$NS_A"
in_a ip addr add 10.1.0.1/24 dev cell-a
in_b ip addr add 10.1.0.2/24 dev cell-b
in_a ip link set cell-a up
in_b ip link set cell-b up

# wifi_socket CMD...: in B, runs CMD with "sock-fd N" appended, N a UDP
# socket bound to 10.0.0.2:51822 and to device veth-b (SO_BINDTODEVICE).
wifi_socket() {
	in_b python3 -c 'import socket, subprocess, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"veth-b")
s.bind(("10.0.0.2", 51822))
fd = s.fileno()
sys.exit(subprocess.call(sys.argv[1:] + ["sock-fd", str(fd)], pass_fds=(fd,)))' "$@"
}
va=$(version a)
vb=$(version b)
{
	ja session set dev jump0 id "$SID" version "$va" state recovering \
		reason reattach_requested &&
	ja session set dev jump0 id "$SID" version $((va + 1)) state attached \
		reason reattach_complete local 10.0.0.1:51820 remote 10.0.0.2:51822 &&
	jb session set dev jump0 id "$SID" version "$vb" state recovering \
		reason planned_switch &&
	wifi_socket "$JUMPCTL" session set dev jump0 id "$SID" \
		version $((vb + 1)) state attached reason reattach_complete \
		local 10.0.0.2:51822 remote 10.0.0.1:51820
} > "$T_OUT/last" 2>&1
ok $? "the client session moves to a socket bound to its wifi uplink"
in_b ping -c 3 -i 0.2 -W 2 10.9.0.1 > "$T_OUT/last" 2>&1
ok $? "and carries traffic there"
in_b "$SOCKGET" jump0 10.0.0.2:51822 > "$T_OUT/last" 2>&1
grep -q "local 10.0.0.2:51822" "$T_OUT/last"
ok $? "SOCKET_GET finds the device-bound socket too"

# Count what leaves B through cell: the session's port, and a probe.
in_b nft -f - <<-NFT
table inet watch {
	counter leak {}
	counter probe {}
	chain out {
		type filter hook output priority 0;
		oifname "cell-b" udp sport 51822 counter name leak
		oifname "cell-b" udp dport 9 counter name probe
	}
}
NFT
counter() {
	in_b nft -j list counter inet watch "$1" |
		jq '.nftables[] | select(.counter) | .counter.packets'
}
# wifi loses its route to the server; cell has one.
in_b ip route del 10.0.0.0/24 dev veth-b
in_b ip route add 10.0.0.0/24 via 10.1.0.1 dev cell-b
in_b python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"probe", ("10.0.0.1", 9))'
[ "$(counter probe)" -ge 1 ]
ok $? "an unbound socket's packets to the server now leave through cell"
before=$(drops b no_route)
in_b ping -c 3 -i 0.2 -W 1 10.9.0.1 > "$T_OUT/last" 2>&1
[ $? -ne 0 ]
ok $? "the wifi-bound session has no path"
after=$(drops b no_route)
{ echo "no_route before $before after $after"; } > "$T_OUT/last"
[ "$after" -ge $((before + 3)) ]
ok $? "its packets are dropped as no_route"
[ "$(counter leak)" -eq 0 ]
ok $? "and none of them leaves through cell"

in_b ip route del 10.0.0.0/24 via 10.1.0.1 dev cell-b
in_b ip route add 10.0.0.0/24 dev veth-b
in_b ping -c 3 -i 0.2 -W 2 10.9.0.1 > "$T_OUT/last" 2>&1
ok $? "with wifi's route back the session carries traffic again"

# One socket lent, handed back and lent again 100 times while packets hit
# it: the hand-back runs in process context under the socket lock, and a
# bind that finds the socket still being handed back waits for it.
dmesg_start=$(dmesg | wc -l)
for i in $(seq 1 100); do
	echo "session add dev jump0 role client peer $PEER id $((0x5000 + i))"
	echo "session set dev jump0 id $((0x5000 + i)) version 1 state attached reason handshake_complete local 10.0.0.1:51950 remote 10.0.0.2:$((20000 + i)) sock-fd FD"
	echo "session terminate dev jump0 id $((0x5000 + i))"
done > "$T_OUT/relend"
in_b python3 -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.time() + 30
while time.time() < end:
    s.sendto(b"\x04" + bytes(40), ("10.0.0.1", 51950))
    time.sleep(0.001)' &
FLOOD=$!
in_a python3 -c 'import os, socket, subprocess, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.0.0.1", 51950))
fd = s.fileno()
os.set_inheritable(fd, True)
batch = open(sys.argv[2]).read().replace("FD", str(fd))
r = subprocess.run([sys.argv[1], "-batch", "-"], input=batch, text=True,
                   pass_fds=[fd], stdout=subprocess.DEVNULL)
# Handed back, the socket gets data-type packets again: no hook is left.
# (Drop what queued up between two loans first.)
s.setblocking(False)
try:
    while True:
        s.recv(100)
except BlockingIOError:
    pass
s.settimeout(5)
s.recv(100)
sys.exit(r.returncode)' "$JUMPCTL" "$T_OUT/relend" > "$T_OUT/last" 2>&1
ok $? "a socket lent and handed back 100 times under a flood comes back to its owner"
kill "$FLOOD" 2>/dev/null
dmesg | tail -n +"$((dmesg_start + 1))" > "$T_OUT/last"
! grep -Eqi "WARNING|BUG|Oops|general protection|refcount" "$T_OUT/last"
ok $? "and the kernel log stays clean"
done_testing
