# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the host tests (bash): what is not C and needs no VM, the
# systemd unit, make install, DKMS. Sourced, not run.

set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
T_NUM=0
T_FAILED=0
T_OUT=$(mktemp -d /tmp/jumphost.XXXXXX)
# A test may install for another PREFIX: leave the build's unit as a plain
# make makes it.
trap 'make -s -C "$TOP" build/systemd/jumpd@.service >/dev/null 2>&1; rm -rf "$T_OUT"' EXIT

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# ok STATUS DESCRIPTION: one TAP line; $T_OUT/last goes in as comments on failure.
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

# The tree's make, quiet; its output in $T_OUT/last for ok to show.
tmake() {
	make -s -C "$TOP" "$@" > "$T_OUT/last" 2>&1
}

done_testing() {
	echo "1..$T_NUM"
	[ "$T_FAILED" -eq 0 ]
}
