#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 100,000 sessions on one device: created, counted and dumped, with a dump
# that stays exact while the table changes under it. Times are reported,
# never asserted: this VM is software emulated.
. "$(dirname "$0")/lib.sh"
setup_ns scale
jumpctl link add jump0 >/dev/null || exit 1
N=${JUMP_SCALE_SESSIONS:-100000}

now() { date +%s.%N; }
elapsed() { echo "$1 $2" | awk '{ printf "%.2f", $2 - $1 }'; }

awk -v n="$N" -v peer="$PEER" 'BEGIN {
	for (i = 1; i <= n; i++)
		printf "session add dev jump0 role client peer %s id %x\n", peer, i
}' > "$T_OUT/batch"
t0=$(now)
jumpctl -batch "$T_OUT/batch" > /dev/null 2> "$T_OUT/last"
ok $? "$N sessions created through jumpctl -batch"
t1=$(now)
diag "created $N sessions in $(elapsed "$t0" "$t1") s"

[ "$(jumpctl -j link show jump0 | jq '.[0].sessions')" = "$N" ]
ok $? "the device counts $N sessions"
[ "$(jumpctl -j link show jump0 | jq '.[0].states.birth')" = "$N" ]
ok $? "all $N are in birth"

t0=$(now)
jumpctl session show dev jump0 > "$T_OUT/dump" 2> "$T_OUT/last"
ok $? "dump of $N sessions"
t1=$(now)
diag "dumped $N sessions in $(elapsed "$t0" "$t1") s"
[ "$(grep -c '^session ' "$T_OUT/dump")" = "$N" ]
ok $? "the dump shows each of the $N sessions"
[ -z "$(awk '/^session /{ print $2 }' "$T_OUT/dump" | sort | uniq -d)" ]
ok $? "no session appears twice in the dump"

# Dump while sessions come and go: the ones untouched throughout must all
# appear exactly once, whatever else changes.
awk -v n="$N" -v peer="$PEER" 'BEGIN {
	for (i = 1; i <= 2000; i++) {
		printf "session add dev jump0 role client peer %s id %x\n", peer, n + i
		printf "session del dev jump0 id %x version 1\n", i
	}
}' > "$T_OUT/churn"
jumpctl -batch "$T_OUT/churn" > /dev/null 2>&1 &
churn=$!
jumpctl session show dev jump0 > "$T_OUT/dump2" 2> "$T_OUT/last"
ok $? "dump while 4,000 creates and deletes run"
wait "$churn"
ok $? "the concurrent churn batch succeeded"
awk '/^session /{ print $2 }' "$T_OUT/dump2" | sort > "$T_OUT/ids"
[ -z "$(uniq -d "$T_OUT/ids")" ]
ok $? "no session appears twice in a dump under concurrent change"
missing=$(awk -v n="$N" 'BEGIN { for (i = 2001; i <= n; i++) printf "%016x\n", i }' |
	sort | comm -23 - "$T_OUT/ids" | wc -l)
[ "$missing" = 0 ]
ok $? "every session untouched by the churn is in that dump (missing: $missing)"

t0=$(now)
in_ns ip link del jump0
ok $? "deleting the device with $N sessions"
t1=$(now)
diag "deleted a device holding $N sessions in $(elapsed "$t0" "$t1") s"

done_testing
