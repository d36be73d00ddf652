#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the libFuzzer harnesses named on the command line (build/fuzz/NAME,
# from "make fuzz-build") for FUZZ_SECONDS each, from their seed corpus
# selftests/fuzz/corpus/NAME, and prints TAP: one test per harness, not ok
# on any finding (a crash, a sanitizer report, a leak, a timeout, an abort
# of the harness's own checks). A finding's input is kept in
# build/fuzz/findings/NAME/ and its report in build/fuzz/log/NAME.log;
# replay it with build/fuzz/NAME FILE. The corpus a run grows is in
# build/fuzz/work/NAME (fresh each run: the runs are comparable).
set -u
cd "$(dirname "$0")/../.."

secs=${FUZZ_SECONDS:-60}
build=${FUZZ_BUILD:-build/fuzz}
names=("$@")
echo "1..${#names[@]}"
fail=0
total=0
i=0
for name in "${names[@]}"; do
	i=$((i + 1))
	bin=$build/$name
	seeds=selftests/fuzz/corpus/$name
	work=$build/work/$name
	found=$build/findings/$name
	log=$build/log/$name.log
	if [ ! -x "$bin" ]; then
		echo "not ok $i - $name: $bin is not built (make fuzz-build)"
		fail=1
		continue
	fi
	rm -rf "$work" "$found"
	mkdir -p "$work" "$found" "$(dirname "$log")"
	nseeds=$(find "$seeds" -type f 2>/dev/null | wc -l)
	# -close_fd_mask=3: the code's own output (jumpd's log, jumpctl's
	# errors) is silenced; libFuzzer's and the sanitizers' reports are not.
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-close_fd_mask=3 -print_final_stats=1 \
		-artifact_prefix="$found/" "$work" "$seeds" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	ncorpus=$(find "$work" -type f | wc -l)
	total=$((total + ${execs:-0}))
	what="$name: ${execs:-?} execs in ${secs}s (${rate:-?} exec/s), corpus $nseeds seeds -> $ncorpus"
	if [ "$rc" -eq 0 ] && ! grep -qE '^==[0-9]+==ERROR|^SUMMARY: ' "$log"; then
		echo "ok $i - $what"
	else
		echo "not ok $i - $what: a finding (exit $rc)"
		grep -E 'ERROR|SUMMARY|Test unit written|#[0-9]+ 0x[0-9a-f]+ in ' "$log" |
			head -n 30 | sed 's/^/# /'
		fail=1
	fi
done
echo "# total: $total execs"
exit $fail
