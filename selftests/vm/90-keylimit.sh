#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Nonce exhaustion, made reachable with the module's limits turned down:
# the sender asks for a rekey, then refuses to send rather than wrap.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (run under tools/vm/run)"
modprobe -r jump 2>/dev/null || skip_all "jump is in use; cannot reload it with test limits"
modprobe jump rekey_after_packets=20 reject_after_packets=40 ||
	skip_all "jump.ko is not installed for $(uname -r)"
setup_pair keys
restore() {
	teardown_pair
	modprobe -r jump && modprobe jump
}
trap restore EXIT

ja monitor > "$T_OUT/mon" 2>&1 &
MON_PID=$!
sleep 0.3
in_a ping -c 60 -i 0.02 -W 1 10.9.0.2 > "$T_OUT/ping" 2>&1
sleep 0.3
grep -q "key-expiring session $SID dev jump0 slot primary key-id 1 reason key_expired" "$T_OUT/mon"
ok $? "the sender raises a key_expiring event before the counter runs out"
[ "$(grep -c key-expiring "$T_OUT/mon")" -eq 1 ]
ok $? "it raises it once per key"
[ "$(drops a key_expired)" -gt 0 ]
ok $? "a used-up key refuses to send (key_expired drops: $(drops a key_expired))"
rekey 2
ok $? "a rekey swaps in a fresh key"
in_a ping -c 3 -i 0.2 -W 2 10.9.0.2 > "$T_OUT/last" 2>&1
ok $? "traffic flows again on the new key"
done_testing
