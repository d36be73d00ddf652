#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The jumpd@.service that make install writes: systemd-analyze verify finds
# nothing wrong with it (and does find a broken copy), it names the installed
# programs, its directories are jumpd's defaults, and its sandbox keeps the
# exposure score of systemd-analyze security at most MAX_EXPOSURE.
. "$(dirname "$0")/lib.sh"

MAX_EXPOSURE=2.0

command -v systemd-analyze >/dev/null || skip_all "no systemd-analyze (make deps)"
[ -f "$TOP/jump.ko" ] || skip_all "jump.ko not built (make module)"

# Installed under a PREFIX that exists here, so the Exec lines point at real
# programs, as verify wants; the module into the same scratch tree.
root=$T_OUT/root
tmake install PREFIX="$root/usr" MODULEDIR="$root/modules" DEPMOD=:
ok $? "make install PREFIX=$root/usr"
unit=$root/usr/lib/systemd/system/jumpd@.service
# An instance, as systemctl would start it: %i is jump0.
inst=$T_OUT/jumpd@jump0.service
cp "$unit" "$inst"

grep -qx "ExecStart=$root/usr/sbin/jumpd -i %i" "$unit" > "$T_OUT/last" 2>&1
ok $? "ExecStart= runs the installed jumpd for the instance's device"
grep -q "^ExecStartPre=/bin/sh -c '$root/usr/sbin/jumpctl link show %i" "$unit"
ok $? "ExecStartPre= creates the link with the installed jumpctl"
! grep -n '@[A-Z]*@' "$unit" > "$T_OUT/last"
ok $? "no @PLACEHOLDER@ left unsubstituted"

verify() {
	systemd-analyze verify --man=no "$1" > "$T_OUT/last" 2>&1 && [ ! -s "$T_OUT/last" ]
}
verify "$unit"
ok $? "systemd-analyze verify: the template, silent"
verify "$inst"
ok $? "systemd-analyze verify: the instance jumpd@jump0, silent"
# verify exits 0 on an unknown key: silence is the test, so check it can fail.
sed 's/^WatchdogSec=/WatchdgSec=/' "$unit" > "$T_OUT/jumpd@bad.service"
! verify "$T_OUT/jumpd@bad.service"
ok $? "systemd-analyze verify does complain about a misspelt key"

for k in Type=notify NotifyAccess=main Restart=on-failure 'ExecReload=/bin/kill -HUP $MAINPID' \
	 Before=network.target CapabilityBoundingSet=CAP_NET_ADMIN; do
	grep -qxF "$k" "$unit"
	ok $? "the unit says $k"
done
grep -q '^WatchdogSec=[1-9]' "$unit"
ok $? "the unit sets a watchdog"
! grep -q '^PrivateNetwork=yes' "$unit"
ok $? "no PrivateNetwork: jumpd works on the host's links"

# jumpd's defaults (lib/jump_audit.h, used by daemon/config.c) are where
# the unit lets it write under ProtectSystem=strict.
state=$(sed -n 's/^#define JUMP_AUDIT_STATE_DIR[[:space:]]*"\(.*\)"/\1/p' "$TOP/lib/jump_audit.h")
logs=$(sed -n 's/^#define JUMP_AUDIT_DIR[[:space:]]*"\(.*\)"/\1/p' "$TOP/lib/jump_audit.h")
echo "jumpd: state $state/IFNAME, audit log in $logs" > "$T_OUT/last"
[ "$state" = /var/lib/jump ] && grep -qx 'StateDirectory=jump/%i' "$unit"
ok $? "StateDirectory=jump/%i is jumpd's default state directory $state/IFNAME"
[ "$logs" = /var/log/jump ] && grep -qx 'LogsDirectory=jump' "$unit"
ok $? "LogsDirectory=jump is where jumpd's default audit log goes, $logs"

systemd-analyze security --offline=yes "$inst" > "$T_OUT/security" 2>&1
score=$(sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p' "$T_OUT/security")
diag "systemd-analyze security --offline=yes: exposure ${score:-unknown}"
grep '✗' "$T_OUT/security" | sed 's/^/# /'
cp "$T_OUT/security" "$T_OUT/last"
[ -n "$score" ] && awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(s <= m) }'
ok $? "exposure ${score:-?} is at most $MAX_EXPOSURE"

done_testing
