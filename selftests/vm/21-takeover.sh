#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A server session taken over from another node (jumpd's failover,
# Documentation/netlink.rst): SESSION_NEW with the id, receiver index and
# version it had, KEY_NEW with the transmit counter it starts at, and
# birth -> recovering (failover). Bad values (a duplicate id or index, an
# index out of range, id or version 0, half of the pair, a client choosing
# its index, a counter at the key's limit) are refused with the kernel's
# message and leave nothing behind (build/vm/takeover does the requests).
. "$(dirname "$0")/lib.sh"
HELPER=$TOP/build/vm/takeover
[ -x "$HELPER" ] || skip_all "build/vm/takeover not built (make tools)"
setup_ns takeover
jumpctl link add jump0 >/dev/null || exit 1

in_ns "$HELPER" jump0 > "$T_OUT/checks" 2> "$T_OUT/err"
rc=$?
cp "$T_OUT/err" "$T_OUT/last"
ok $rc "the helper ran every check"
while IFS=$'\t' read -r verdict what detail; do
	echo "$detail" > "$T_OUT/last"
	[ "$verdict" = ok ]
	ok $? "$what"
done < "$T_OUT/checks"
# The helper's counters, as jumpctl -j shows them.
jumpctl -j session show dev jump0 id 000000000000fa11 > "$T_OUT/last" 2>&1
jq -e '.[0].keys[] | select(.slot == "primary") | .tx_counter == 4294967301' "$T_OUT/last" > /dev/null
ok $? "jumpctl -j session show gives a key's transmit counter (tx_counter)"
done_testing
