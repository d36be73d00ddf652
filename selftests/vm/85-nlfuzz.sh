#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The netlink fuzzer (nlfuzz.c): NLFUZZ_SECONDS (default 60) of seeded
# random and mutated generic netlink requests for family jump and rtnetlink
# link messages for kind jump, as root in a namespace with addresses for
# bindings. Then the namespace goes, the module must unload, and the kernel
# log of the run must hold no warning, BUG, oops, refcount or list
# corruption (kernel-log.sh). NLFUZZ_SEED repeats a run.
. "$(dirname "$0")/lib.sh"

NLFUZZ=$TOP/build/vm/nlfuzz
secs=${NLFUZZ_SECONDS:-60}
seed=${NLFUZZ_SEED:-$(date +%s)}
[ -x "$NLFUZZ" ] || skip_all "$NLFUZZ not built (make)"
setup_ns nlfuzz
"$TOP/selftests/vm/kernel-log.sh" mark nlfuzz

diag "seed $seed, $secs s (NLFUZZ_SEED=$seed repeats it)"
timeout -k 10 $((secs + 300)) ip netns exec "$T_NS" "$NLFUZZ" -s "$seed" -t "$secs" \
	> "$T_OUT/out" 2> "$T_OUT/err"
rc=$?
cat "$T_OUT/out" "$T_OUT/err" > "$T_OUT/last"
[ "$rc" -eq 0 ] && grep -q "^nlfuzz: seed" "$T_OUT/out"
ok $? "nlfuzz ran ${secs}s and ended by itself (exit $rc)"
diag "$(cat "$T_OUT/out")"
grep -Eq ' [1-9][0-9]* accepted, [1-9][0-9]* refused' "$T_OUT/out"
ok $? "the kernel both accepted and refused some of it (the generator aims at both)"

in_ns ip link show type jump > "$T_OUT/last" 2>&1
ip netns del "$T_NS"
# The namespace's devices go in a workqueue: give them a moment.
unused() { [ "$(awk '$1 == "jump" { print $3 }' /proc/modules)" = 0 ]; }
wait_until 30 unused
modprobe -r jump > "$T_OUT/last" 2>&1
ok $? "jump unloads after the run (no device, socket or session left holding it)"
! grep -q '^jump ' /proc/modules
ok $? "  and is gone from /proc/modules"

"$TOP/selftests/vm/kernel-log.sh" check nlfuzz > "$T_OUT/last" 2>&1
ok $? "the kernel log of the run has no warning, BUG, oops, refcount or list corruption"
modprobe jump 2>/dev/null
done_testing
