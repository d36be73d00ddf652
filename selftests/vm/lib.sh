# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the VM tests (bash), kselftest style. Sourced, not run.
#
# Each test runs inside its own network namespace so tests cannot see each
# other's devices; jumpctl and jumpd come from the build tree.

set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JUMPCTL=${JUMPCTL:-$TOP/build/jumpctl}
JUMPD=${JUMPD:-$TOP/build/jumpd}
T_NUM=0
T_FAILED=0
T_OUT=$(mktemp -d /tmp/jumptest.XXXXXX)
# A fixed, valid X25519 public key in base64 (any 32 bytes do for the kernel).
PEER=AwXS1a3bqYH5Bn6ZxfIv0m9a2oC0l0mbMzZt2pYp6l0=

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# ok STATUS DESCRIPTION: one TAP line; output of failures goes in as comments.
ok() {
	T_NUM=$((T_NUM + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $T_NUM - $2"
	else
		echo "not ok $T_NUM - $2"
		T_FAILED=$((T_FAILED + 1))
		[ -s "$T_OUT/last" ] && sed 's/^/# /' "$T_OUT/last"
	fi
	: > "$T_OUT/last"
	return 0
}

diag() {
	echo "# $*"
}

# run DESCRIPTION CMD...: passes when CMD exits 0.
run() {
	local desc=$1
	shift
	"$@" > "$T_OUT/last" 2>&1
	ok $? "$desc"
}

# refuse DESCRIPTION EXIT MESSAGE CMD...: passes when CMD exits with EXIT and
# prints MESSAGE (a fixed string) on stderr.
refuse() {
	local desc=$1 want_rc=$2 want_msg=$3 rc
	shift 3
	"$@" > "$T_OUT/out" 2> "$T_OUT/err"
	rc=$?
	{ echo "exit $rc (want $want_rc), stderr:"; cat "$T_OUT/err"; } > "$T_OUT/last"
	[ "$rc" -eq "$want_rc" ] && grep -qF -- "$want_msg" "$T_OUT/err"
	ok $? "$desc"
}

# in_ns: run a command in this test's namespace.
in_ns() {
	ip netns exec "$T_NS" "$@"
}

jumpctl() {
	ip netns exec "$T_NS" "$JUMPCTL" "$@"
}

# setup_ns NAME: a fresh namespace; the jump module loaded.
setup_ns() {
	[ "$(id -u)" -eq 0 ] || skip_all "needs root (run under tools/vm/run)"
	modprobe jump 2>/dev/null || skip_all "jump.ko is not installed for $(uname -r)"
	[ -x "$JUMPCTL" ] || skip_all "$JUMPCTL not built"
	T_NS=jt-$1-$$
	ip netns add "$T_NS" || exit 1
	in_ns ip link set lo up
	# The local addresses bindings use: jumpctl binds a socket to them.
	in_ns ip link add dummy0 type dummy
	in_ns ip addr add 10.0.0.1/24 dev dummy0
	in_ns ip addr add fd00::1/64 dev dummy0 nodad
	in_ns ip link set dummy0 up
	trap 'teardown' EXIT
}

teardown() {
	ip netns del "$T_NS" 2>/dev/null
	rm -rf "$T_OUT"
}

# JSON field of a single-object jumpctl -j reply.
field() {
	jq -r ".[0].$1 // .$1"
}

done_testing() {
	echo "1..$T_NUM"
	[ "$T_FAILED" -eq 0 ]
	exit $?
}

# setup_pair NAME [6]: two namespaces, $NS_A (server) and $NS_B (client),
# joined by a veth (10.0.0.1 <-> 10.0.0.2, fd00::1 <-> fd00::2), each with
# a jump0 (10.9.0.1 <-> 10.9.0.2, fd09::1 <-> fd09::2) and one session $SID
# keyed by hand, bound over IPv4 outer, or IPv6 with "6".
setup_pair() {
	[ "$(id -u)" -eq 0 ] || skip_all "needs root (run under tools/vm/run)"
	modprobe jump 2>/dev/null || skip_all "jump.ko is not installed for $(uname -r)"
	[ -x "$JUMPCTL" ] || skip_all "$JUMPCTL not built"
	NS_A=jt-$1-a-$$
	NS_B=jt-$1-b-$$
	T_NS=$NS_A
	trap 'teardown_pair' EXIT
	ip netns add "$NS_A" && ip netns add "$NS_B" || exit 1
	ip link add veth-a netns "$NS_A" type veth peer name veth-b netns "$NS_B" || exit 1
	local ns n side
	for side in a b; do
		ns=$NS_A n=1
		[ $side = b ] && ns=$NS_B n=2
		ip -n "$ns" link set lo up
		ip -n "$ns" addr add 10.0.0.$n/24 dev veth-$side
		ip -n "$ns" addr add fd00::$n/64 dev veth-$side nodad
		ip -n "$ns" link set veth-$side up
		ip -n "$ns" link add jump0 type jump
		ip -n "$ns" addr add 10.9.0.$n/24 dev jump0
		ip -n "$ns" addr add fd09::$n/64 dev jump0 nodad
		ip -n "$ns" link set jump0 up
	done
	if [ "${2:-4}" = 6 ]; then
		OUT_A=[fd00::1]; OUT_B=[fd00::2]
	else
		OUT_A=10.0.0.1; OUT_B=10.0.0.2
	fi
	pair_session || exit 1
}

teardown_pair() {
	[ -n "${MON_PID:-}" ] && kill "$MON_PID" 2>/dev/null
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	rm -rf "$T_OUT"
}

ja() { ip netns exec "$NS_A" "$JUMPCTL" "$@"; }
jb() { ip netns exec "$NS_B" "$JUMPCTL" "$@"; }
in_a() { ip netns exec "$NS_A" "$@"; }
in_b() { ip netns exec "$NS_B" "$@"; }

# version NS: the session's current version in namespace A or B.
version() {
	j$1 -j session show dev jump0 id "$SID" | field version
}

# A fresh random key, base64 as jumpctl takes it.
newkey() {
	head -c 32 /dev/urandom | base64
}

pair_session() {
	local ia ib
	SID=$(ja -j session add dev jump0 role server peer "$PEER" | field id) || return 1
	jb session add dev jump0 role client peer "$PEER" id "$SID" >/dev/null || return 1
	ia=$(ja -j session show dev jump0 id "$SID" | field local_index)
	ib=$(jb -j session show dev jump0 id "$SID" | field local_index)
	K1=$(newkey)
	K2=$(newkey)
	ja session set dev jump0 id "$SID" remote-index "$ib" \
		allowed-ips 10.9.0.2/32,fd09::2/128 >/dev/null &&
	jb session set dev jump0 id "$SID" remote-index "$ia" \
		allowed-ips 10.9.0.0/24,fd09::/64 >/dev/null &&
	ja session key add dev jump0 id "$SID" slot primary key-id 1 \
		tx-key "$K1" rx-key "$K2" &&
	jb session key add dev jump0 id "$SID" slot primary key-id 1 \
		tx-key "$K2" rx-key "$K1" &&
	ja session set dev jump0 id "$SID" version 1 state attached \
		reason handshake_complete local "$OUT_A:51820" remote "$OUT_B:51821" >/dev/null &&
	jb session set dev jump0 id "$SID" version 1 state attached \
		reason handshake_complete local "$OUT_B:51821" remote "$OUT_A:51820" >/dev/null
}

# rekey KEYID: a fresh key pair ($K3, $K4) into both secondary slots, then
# swapped in at A and then at B, as a rekey does it.
rekey() {
	K3=$(newkey)
	K4=$(newkey)
	ja session key add dev jump0 id "$SID" slot secondary key-id "$1" \
		tx-key "$K3" rx-key "$K4" &&
	jb session key add dev jump0 id "$SID" slot secondary key-id "$1" \
		tx-key "$K4" rx-key "$K3" &&
	ja session key swap dev jump0 id "$SID" &&
	jb session key swap dev jump0 id "$SID"
}

# drops NS REASON: a session drop counter in namespace A or B.
drops() {
	j$1 -j -s session show dev jump0 id "$SID" | jq -r ".[0].stats.drops.$2"
}

# wait_until SECONDS CMD...: polls CMD every 0.2 s.
wait_until() {
	local _wu_left=$(($1 * 5))
	shift
	while [ "$_wu_left" -gt 0 ]; do
		"$@" 2>/dev/null && return 0
		sleep 0.2
		_wu_left=$((_wu_left - 1))
	done
	return 1
}

# why TEXT CMD...: runs CMD; when it fails, TEXT goes into the test's output.
why() {
	local text=$1
	shift
	"$@" && return 0
	echo "failed: $text" >> "$T_OUT/last"
	return 1
}

# capture_start NS IFACE FILE FILTER: tcpdump writing FILE, returning once it
# listens (under emulation it takes a while to start); capture_stop ends it.
capture_start() {
	ip netns exec "$1" tcpdump -U -n -i "$2" -w "$3" "$4" 2> "$3.log" &
	CAP_PID=$!
	wait_until 20 grep -q "listening on" "$3.log"
}

capture_stop() {
	sleep 0.3
	kill "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
	CAP_PID=
}
