#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The soak's checker (tools/soak/check.py) can fail: a clean run passes, and
# a run with any one invariant broken is caught under that invariant's name.
. "$(dirname "$0")/lib.sh"

CHECK=$TOP/tools/soak/check.py
FIXTURE=$TOP/selftests/host/soak_fixture.py
command -v python3 >/dev/null || skip_all "python3 is not installed"

# judge FLAW: the checker's exit status and the rules it names, in $T_OUT/r.
judge() {
	rm -rf "$T_OUT/run"
	python3 "$FIXTURE" "$T_OUT/run" ${1:+"$1"} &&
	python3 "$CHECK" -o "$T_OUT/r.json" "$T_OUT/run" > "$T_OUT/last" 2>&1
}

judge
ok $? "a clean run passes (exit 0)"
[ "$(jq -r '.violations' "$T_OUT/r.json")" = 0 ] &&
	[ "$(jq -r '.handovers' "$T_OUT/r.json")" = 2 ] &&
	[ "$(jq -r '.faults' "$T_OUT/r.json")" = 4 ]
r=$?; cp "$T_OUT/r.json" "$T_OUT/last"
ok $r "its report counts 2 handovers, 4 faults (a cut, three packets), 0 violations"

# flaw RULE-THE-REPORT-NAMES DESCRIPTION
flaw() {
	local planted=$1 rule=$2 desc=$3
	judge "$planted"
	local rc=$?
	[ "$rc" -eq 1 ] && jq -e --arg r "$rule" \
		'.violations > 0 and any(.violation_list[]; .rule == $r)' "$T_OUT/r.json" > /dev/null
	r=$?
	[ $r -eq 0 ] || { echo "exit $rc"; cat "$T_OUT/r.json"; } > "$T_OUT/last" 2>&1
	ok $r "$desc is caught ($rule)"
}

flaw transition_legal transition_legal "a transition not in Documentation/state-machine.rst"
flaw transition_reason transition_reason "a transition without a reason"
flaw version_increases version_increases "a version that does not strictly increase"
flaw transition_continuity transition_continuity "a transition from a state the session was not in"
flaw epoch_increases epoch_increases "a binding epoch that does not increase"
flaw single_binding single_binding "a binding that moves outside a reattach"
flaw two_sessions_bound single_binding "two bound sessions for one peer at once"
flaw replay_rejected replay_rejected "a session bound to a source only injected packets came from"
flaw replay_accepted_audit replay_rejected "a replayed request audited as committed"
flaw stolen_key_commits replay_rejected "a stolen-key request from a source that cannot answer, committed"
flaw no_silent_loss no_silent_loss "a session lost without a TERMINATED record"
flaw audit_chain audit_chain "an audit record edited after the fact"
flaw event_stream_complete event_stream_complete "events lost by the monitor"
flaw transition_audited transition_audited "a kernel transition missing from the audit log"

python3 "$CHECK" "$T_OUT/nowhere" > "$T_OUT/last" 2>&1
[ $? -eq 2 ] && grep -q 'check.py: .*nowhere' "$T_OUT/last"
ok $? "a missing run directory is an input error (exit 2), named"

done_testing
