#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make install-module as an administrator runs it: jump.ko into
# /lib/modules/VER/updates (the guest's tmpfs overlay of it) and depmod, so
# that "modprobe jump" finds it by name and the kernel autoloads it for
# "ip link add ... type jump"; make uninstall-module takes it away again.
# Run alone: tools/vm/run --module jump.ko 'prove -v --exec bash selftests/vm/55-install.sh'
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "needs root (run under tools/vm/run)"
[ -n "${JUMP_VM:-}" ] || skip_all "installs into /lib/modules: only in the VM"
[ -f "$TOP/jump.ko" ] || skip_all "jump.ko not built"
KVER=$(uname -r)
MODDIR=/lib/modules/$KVER
[ -w "$MODDIR" ] || skip_all "$MODDIR is read-only (tools/vm/run --module gives an overlay)"
T_NS=jt-install-$$
ip netns add "$T_NS" || exit 1
# The tests after this one want the harness's module and index back.
mkdir -p "$T_OUT/saved"
cp "$MODDIR"/modules.* "$T_OUT/saved/"
cp "$MODDIR/updates/jump.ko" "$T_OUT/saved/" 2>/dev/null
restore() {
	modprobe -r jump 2>/dev/null
	cp "$T_OUT"/saved/modules.* "$MODDIR/" &&
		{ [ ! -f "$T_OUT/saved/jump.ko" ] || cp "$T_OUT/saved/jump.ko" "$MODDIR/updates/"; }
}
trap 'restore; teardown' EXIT

loaded() { grep -q '^jump ' /proc/modules; }

modprobe -r jump 2>/dev/null
! loaded
ok $? "jump is not loaded before the test"
# The harness put a copy there: take it away, so only make's install counts.
rm -f "$MODDIR/updates/jump.ko"
touch -d '2000-01-01' "$MODDIR/modules.dep"

run "make install-module KVER=$KVER (depmod takes a while over 9p)" \
	make -s -C "$TOP" install-module KVER="$KVER"
cmp "$TOP/jump.ko" "$MODDIR/updates/jump.ko" > "$T_OUT/last" 2>&1
ok $? "jump.ko is in $MODDIR/updates"
[ "$MODDIR/modules.dep" -nt "$TOP/jump.ko" ] && grep -q '^updates/jump.ko:' "$MODDIR/modules.dep"
ok $? "depmod ran: modules.dep is new and lists updates/jump.ko"
[ "$(modinfo -n jump 2>&1)" = "$MODDIR/updates/jump.ko" ]
ok $? "modinfo finds jump by name in updates/"
[ "$(modinfo -F version jump)" = "$(cat "$TOP/VERSION")" ]
ok $? "its version is VERSION's, $(cat "$TOP/VERSION")"

run "modprobe jump loads it by name, with its dependencies" modprobe jump
loaded
ok $? "jump is loaded"
run "rmmod jump" rmmod jump
run "ip link add x type jump autoloads the installed module" in_ns ip link add x type jump
loaded
ok $? "jump is loaded again, by the kernel's request_module"
in_ns ip -d link show x > "$T_OUT/last" 2>&1 && grep -q ' jump ' "$T_OUT/last"
ok $? "x is a jump device"
run "ip link del x" in_ns ip link del x
run "modprobe -r jump" modprobe -r jump

run "make uninstall-module KVER=$KVER" make -s -C "$TOP" uninstall-module KVER="$KVER"
[ ! -e "$MODDIR/updates/jump.ko" ]
ok $? "jump.ko is gone from updates/"
! modprobe -n jump > "$T_OUT/last" 2>&1
ok $? "modprobe no longer finds jump"

restore
[ "$(modinfo -n jump 2>&1)" = "$MODDIR/updates/jump.ko" ]
ok $? "the harness's module and index are back for the tests that follow"

done_testing
