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
