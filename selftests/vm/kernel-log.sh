#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel log between two points of a VM test: what the kernel's own
# checkers said. Not a test itself (no number in its name).
#
#   kernel-log.sh mark NAME    writes a marker line to /dev/kmsg
#   kernel-log.sh check NAME   prints every line after NAME's last marker
#                              that is a warning, a BUG, an oops, a refcount
#                              or list corruption, a slab (slub_debug) or
#                              sanitizer report, a lockup or a hung task;
#                              exits 1 if there is one, 0 if none, 2 if the
#                              marker is gone (the ring buffer wrapped)
#   kernel-log.sh run TEST     runs the VM test TEST (timeout -k 10 900 bash
#                              TEST) between a mark and a check: TEST's exit
#                              status, or 1 if the kernel complained while
#                              it ran (the lines go out as TAP comments)
#
# make check-debug runs every VM test through "run" (with slub_debug=FZPU
# and the other checkers of Documentation/testing.rst on the kernel's
# command line); 85-nlfuzz.sh and 86-datafuzz.sh use mark and check for
# their own verdict.
set -u

PATTERN='WARNING:|\bBUG\b|Oops|general protection|refcount_t|list_add corruption|list_del corruption|Poison overwritten|Redzone|Object padding|Objects remaining|slab_out_of_bounds|KASAN|UBSAN|kmemleak|soft lockup|hard LOCKUP|blocked for more than|unregister_netdevice: waiting|RCU stall|rcu_sched self-detected|scheduling while atomic|sleeping function called from invalid context|lock held when returning|possible recursive locking|inconsistent lock state|circular locking'

usage() {
	echo "usage: $0 mark|check NAME" >&2
	exit 2
}

[ $# -eq 2 ] || usage
marker="jump-test-mark: $2"
case $1 in
run)
	name=$(basename "$2" .sh)
	"$0" mark "$name"
	timeout -k 10 900 bash "$2"
	rc=$?
	found=$("$0" check "$name" 2>&1)
	crc=$?
	if [ "$crc" -ne 0 ]; then
		echo "# kernel log while $name ran:"
		echo "$found" | sed 's/^/#   /'
		[ "$rc" -eq 0 ] && rc=1
	fi
	exit "$rc"
	;;
mark)
	echo "$marker" > /dev/kmsg
	;;
check)
	log=$(dmesg)
	if ! grep -qF -- "$marker" <<< "$log"; then
		echo "kernel-log: the marker of $2 is gone from the ring buffer" >&2
		exit 2
	fi
	# After the last marker of this name.
	after=$(awk -v m="$marker" 'index($0, m) { buf = ""; next } { buf = buf $0 "\n" } END { printf "%s", buf }' <<< "$log")
	if grep -E -- "$PATTERN" <<< "$after"; then
		exit 1
	fi
	exit 0
	;;
*)
	usage
	;;
esac
