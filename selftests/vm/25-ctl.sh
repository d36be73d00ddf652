#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# jumpctl's issue 5 commands against the kernel, without jumpd: session show
# of every device and its filters, terminate (the version read for you) and
# reattach (client sessions only, to recovering with admin_reattach).
. "$(dirname "$0")/lib.sh"
setup_ns ctl
PEER2=Ym9ndXMga2V5IG9mIDMyIGJ5dGVzIGZvciB0ZXN0cyE=
jumpctl link add jump0 >/dev/null && jumpctl link add jump1 >/dev/null || exit 1

# Without a transmit key the kernel's liveness timers leave these alone.
S0=$(jumpctl -j session add dev jump0 role server peer "$PEER" | field id)
S1=$(jumpctl -j session add dev jump0 role server peer "$PEER2" | field id)
jumpctl session add dev jump1 role client peer "$PEER" id c1 >/dev/null &&
jumpctl session set dev jump1 id c1 version 1 state attached reason handshake_complete \
	local 10.0.0.1:51830 remote 10.0.0.2:40000 >/dev/null &&
jumpctl session add dev jump1 role client peer "$PEER2" id c2 >/dev/null
ok $? "two devices: two server sessions in birth, an attached and a new client session"

jumpctl -j session show > "$T_OUT/all" 2> "$T_OUT/last" &&
	jq -e 'length == 4 and ([.[].ifname] | sort) == ["jump0", "jump0", "jump1", "jump1"]' \
		"$T_OUT/all" >> "$T_OUT/last" 2>&1
ok $? "session show without dev: every device's sessions, each with its device"
[ "$(jumpctl session show | grep -c '^session ')" = 4 ]
ok $? "... in text too"
jumpctl -j session show state birth | jq -e 'length == 3 and all(.[]; .state == "birth")' \
	> "$T_OUT/last" 2>&1
ok $? "state birth: the three sessions in birth"
jumpctl -j session show peer "$PEER2" | jq -e "length == 2 and all(.[]; .peer == \"$PEER2\")" \
	> "$T_OUT/last" 2>&1
ok $? "peer: that peer's sessions, on both devices"
jumpctl -j session show dev jump1 state attached peer "$PEER" |
	jq -e 'length == 1 and .[0].id == "00000000000000c1"' > "$T_OUT/last" 2>&1
ok $? "dev, state and peer together"
[ "$(jumpctl -j session show state degraded)" = "[]" ]
ok $? "a filter nothing passes: []"
jumpctl -j session show id c1 | jq -e 'length == 1 and .[0].ifname == "jump1"' \
	> "$T_OUT/last" 2>&1
ok $? "id without dev finds the session on its device"
refuse "an id on no device is refused" 2 "Error: no session 0000000000000123 on any jump device." \
	jumpctl session show id 123
refuse "a state is never abbreviated" 1 "Error: invalid state" \
	jumpctl session show state att

# terminate: no version to give; the kernel still judges the reason.
run "terminate ends a session in birth" jumpctl session terminate dev jump0 id "$S0"
refuse "... which is gone" 2 "Error: no such session." jumpctl session show dev jump0 id "$S0"
refuse "terminate with a reason birth cannot end with is refused" 2 \
	"Error: reason code not valid for this transition." \
	jumpctl session terminate dev jump1 id c1 reason birth_timeout
[ "$(jumpctl -j session show dev jump1 id c1 | field version)" = 2 ]
ok $? "... and changed nothing"
refuse "terminate of an unknown session" 2 "Error: no such session." \
	jumpctl session terminate dev jump0 id 123
refuse "terminate on a missing device" 2 "Error: no such device." \
	jumpctl session terminate dev nosuch id 1

# reattach: a client session, to recovering, on its old binding.
jumpctl -j session reattach dev jump1 id c1 > "$T_OUT/re" 2> "$T_OUT/last" &&
	jq -e '.[0].state == "recovering" and .[0].reason == "admin_reattach" and
	       .[0].version == 3 and .[0].binding.epoch == 1' "$T_OUT/re" >> "$T_OUT/last" 2>&1
ok $? "reattach: attached -> recovering (admin_reattach), the old binding kept"
refuse "a second reattach: already recovering" 2 "Error: session is already in that state." \
	jumpctl session reattach dev jump1 id c1
refuse "a client session in birth cannot reattach" 2 \
	"Error: reason code not valid for this transition." \
	jumpctl session reattach dev jump1 id c2
refuse "... nor be taken over (failover): only a server session is" 2 \
	"Error: only a server session is taken over (failover)." \
	jumpctl session set dev jump1 id c2 version 1 state recovering reason failover
[ "$(jumpctl -j session show dev jump1 id c2 | field state)" = birth ]
ok $? "... and left in birth"
refuse "a server session is refused by jumpctl" 1 "is a server session: only a client reattaches" \
	jumpctl session reattach dev jump0 id "$S1"
[ "$(jumpctl -j session show dev jump0 id "$S1" | field state)" = birth ]
ok $? "... and left as it was"
run "terminate of the recovering session, at whatever version" \
	jumpctl session terminate dev jump1 id c1 reason recovery_window_exceeded
[ "$(jumpctl -j session show | jq length)" = 2 ]
ok $? "two sessions left"

done_testing
