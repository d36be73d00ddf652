#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's standby binding, driven by hand (jumpctl): set and cleared
# beside the binding in one versioned transition each, never carrying data
# (data from the standby's source is an unbound source), promoted in one
# transition under the next epoch, refused where it makes no sense, and
# dropped by a reattach. jumpd's use of it is 93-standby.sh.
. "$(dirname "$0")/lib.sh"
setup_pair sbk 4

# standby NS VERSION LOCAL REMOTE: standby_ready in the state it is in.
standby() {
	j$1 session set dev jump0 id "$SID" version "$2" state attached \
		reason standby_ready local "$3" remote "$4"
}
sb() { j$1 -j session show dev jump0 id "$SID" | jq -r ".[0].standby.$2 // empty"; }
epoch() { j$1 -j session show dev jump0 id "$SID" | jq -r '.[0].binding.epoch'; }

va=$(version a)
vb=$(version b)
standby b "$vb" 10.0.0.2:51822 10.0.0.1:51820 > "$T_OUT/last" 2>&1
ok $? "standby_ready sets a standby beside the binding"
[ "$(sb b local)" = 10.0.0.2:51822 ] && [ "$(sb b remote)" = 10.0.0.1:51820 ] &&
	[ "$(version b)" = $((vb + 1)) ] && [ "$(epoch b)" = 1 ] &&
	[ "$(jb -j session show dev jump0 id "$SID" | field state)" = attached ] &&
	[ "$(jb -j session show dev jump0 id "$SID" | jq -r '.[0].reason')" = standby_ready ]
ok $? "session show has it; the version moved by one, state and binding (epoch 1) did not"
jb session show dev jump0 id "$SID" > "$T_OUT/last"
grep -q "^    standby local 10.0.0.2:51822 remote 10.0.0.1:51820$" "$T_OUT/last"
ok $? "the text output has the standby line"
refuse "a standby on the binding's own path is refused" 2 "another path than the active binding" \
	standby b $((vb + 1)) 10.0.0.2:51821 10.0.0.1:51820
refuse "a standby with an epoch is refused" 2 "takes its epoch when promoted" \
	jb session set dev jump0 id "$SID" version $((vb + 1)) state attached \
	reason standby_ready local 10.0.0.2:51822 remote 10.0.0.1:51820 epoch 5
refuse "standby_ready keeps the state: another target state is refused" 2 "reason code not valid" \
	jb session set dev jump0 id "$SID" version $((vb + 1)) state volatile \
	reason standby_ready local 10.0.0.2:51822 remote 10.0.0.1:51820
refuse "a stale version is refused" 2 "stale session version" \
	standby b "$vb" 10.0.0.2:51823 10.0.0.1:51820

standby a "$va" 10.0.0.1:51820 10.0.0.2:51822 > "$T_OUT/last" 2>&1
ok $? "the server's end takes the mirror standby"
in_a ping -c 3 -i 0.2 -W 2 10.9.0.2 > "$T_OUT/last" 2>&1
ok $? "traffic flows over the binding while both ends have a standby"

# B promotes first: it sends from its standby under epoch 2, which A has
# only as a standby, not as its binding: an unbound source, dropped.
before=$(drops a unbound_source)
vb=$(version b)
jb session set dev jump0 id "$SID" version "$vb" state attached \
	reason standby_promoted > "$T_OUT/last" 2>&1
ok $? "standby_promoted makes the standby the binding"
[ "$(jb -j session show dev jump0 id "$SID" | jq -r '.[0].binding.local')" = 10.0.0.2:51822 ] &&
	[ "$(epoch b)" = 2 ] && [ -z "$(sb b local)" ] && [ "$(version b)" = $((vb + 1)) ]
ok $? "... under the next epoch (2), in one transition, and the standby is gone"
! in_b ping -c 2 -i 0.2 -W 1 10.9.0.1 > /dev/null 2>&1
after=$(drops a unbound_source)
[ "$after" -gt "$before" ] && [ "$(epoch a)" = 1 ] && [ "$(sb a local)" = 10.0.0.1:51820 ]
ok $? "data from the other end's standby source is dropped as unbound ($before -> $after); A's binding kept"

va=$(version a)
ja session set dev jump0 id "$SID" version "$va" state attached \
	reason standby_promoted > "$T_OUT/last" 2>&1 &&
	in_b ping -c 3 -i 0.2 -W 2 10.9.0.1 > "$T_OUT/last" 2>&1
ok $? "once A promotes too, traffic flows on the former standby"
[ "$(epoch a)" = 2 ] && [ "$(ja -j session show dev jump0 id "$SID" | jq -r '.[0].binding.remote')" = 10.0.0.2:51822 ]
ok $? "both ends are at epoch 2 on the new path"
refuse "standby_promoted without a standby is refused" 2 "the session has no standby binding" \
	ja session set dev jump0 id "$SID" version "$(version a)" state attached reason standby_promoted
refuse "standby_cleared without a standby is refused" 2 "the session has no standby binding" \
	ja session set dev jump0 id "$SID" version "$(version a)" state attached reason standby_cleared

va=$(version a)
standby a "$va" 10.0.0.1:51820 10.0.0.2:51823 > /dev/null 2>&1 &&
	ja session set dev jump0 id "$SID" version $((va + 1)) state attached \
	reason standby_cleared > "$T_OUT/last" 2>&1
ok $? "standby_cleared removes a standby"
[ -z "$(sb a local)" ] && [ "$(version a)" = $((va + 2)) ] && [ "$(epoch a)" = 2 ]
ok $? "... one version each, binding untouched"

va=$(version a)
standby a "$va" 10.0.0.1:51820 10.0.0.2:51823 > /dev/null 2>&1 &&
	ja session set dev jump0 id "$SID" version $((va + 1)) state recovering \
	reason reattach_requested > /dev/null 2>&1 &&
	[ "$(sb a local)" = 10.0.0.1:51820 ] &&
	ja session set dev jump0 id "$SID" version $((va + 2)) state attached \
	reason reattach_complete local 10.0.0.1:51820 remote 10.0.0.2:51822 > "$T_OUT/last" 2>&1
ok $? "a standby stays through recovering; the reattach commits"
[ -z "$(sb a local)" ] && [ "$(epoch a)" = 3 ]
ok $? "a binding from a reattach drops the standby (epoch 3)"
done_testing
