# SPDX-License-Identifier: GPL-2.0
# TAP helpers of the documentation and completion tests (40-docs.sh,
# 50-completion.sh). Sourced, not run; the tests run from anywhere.

set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JUMPCTL=${JUMPCTL:-$TOP/build/jumpctl}
JUMPD=${JUMPD:-$TOP/build/jumpd}
T_NUM=0
T_FAILED=0

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# ok STATUS DESCRIPTION [DIAGNOSTIC...]: one TAP line; on failure the
# diagnostics follow as comments.
ok() {
	local status=$1 desc=$2
	shift 2
	T_NUM=$((T_NUM + 1))
	if [ "$status" -eq 0 ]; then
		echo "ok $T_NUM - $desc"
		return 0
	fi
	echo "not ok $T_NUM - $desc"
	T_FAILED=$((T_FAILED + 1))
	[ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/# /'
	return 0
}

# is GOT WANT DESCRIPTION: passes when the two strings are equal.
is() {
	[ "$1" = "$2" ]
	ok $? "$3" "got:  $1" "want: $2"
}

# The words of a list, one per line, sorted and unique: for comparing sets.
set_of() {
	tr ' \t' '\n' <<<"$*" | sed '/^$/d' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# The words of a list on one line, in their order.
oneline() {
	tr -s ' \t\n' ' ' <<<"$*" | sed 's/^ //; s/ $//'
}

done_testing() {
	echo "1..$T_NUM"
	[ "$T_FAILED" -eq 0 ]
	exit $?
}
