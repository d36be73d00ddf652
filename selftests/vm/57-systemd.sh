#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# jumpd@.service under a real systemd (PID 1 in the guest): the unit from
# systemd/jumpd@.service.in creates the link, is started when jumpd says
# READY=1, shows its STATUS= as sessions come, reloads on SIGHUP without a
# restart, keeps a short watchdog fed, runs with CAP_NET_ADMIN alone and
# leaves the link when it stops; systemd-networkd configures the link with
# examples/jump0.network. Only under tools/vm/run --systemd (make
# vm-systemd-test); the plain VM suite skips it.
. "$(dirname "$0")/lib.sh"

[ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] ||
	skip_all "needs systemd as PID 1: tools/vm/run --systemd"
[ "$(id -u)" -eq 0 ] || skip_all "needs root"
modinfo jump >/dev/null 2>&1 || skip_all "jump.ko is not installed for $(uname -r)"
[ -x "$JUMPD" ] || skip_all "$JUMPD not built"
# The unit runs in the initial namespace: this test's devices are there.
T_NS=
U=/run/systemd/system
N=/run/systemd/network

cleanup() {
	systemctl stop jumpd@jump0 jumpd@jump1 systemd-networkd 2>/dev/null
	ip link del jump0 2>/dev/null
	ip link del jump1 2>/dev/null
	rm -rf "$T_OUT" /run/jump-test
}
trap cleanup EXIT

prop() {
	systemctl show -P "$2" "$1"
}

# wait_for SECS CMD...: until CMD succeeds, at most SECS seconds.
wait_for() {
	local n=$(($1 * 10))
	shift
	while ! "$@" > /dev/null 2>&1; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.1
	done
}

status_is() {
	[ "$(prop "$1" StatusText)" = "$2" ]
}

# The unit as make makes it, with the build tree for SBINDIR.
# The unit's PrivateTmp=yes hides /tmp, where a checkout may live (CI
# clones there): the service runs copies of the binaries from /run.
SBIN=/run/jump-test/sbin
mkdir -p "$SBIN" && cp "$JUMPD" "$TOP/build/jumpctl" "$SBIN/" || exit 1
sed "s|@SBINDIR@|$SBIN|g" "$TOP/systemd/jumpd@.service.in" > "$U/jumpd@.service"
# jump1 with a watchdog short enough to bite during the test.
mkdir -p "$U/jumpd@jump1.service.d"
printf '[Service]\nWatchdogSec=2s\n' > "$U/jumpd@jump1.service.d/watchdog.conf"
# networkd: jump1 by Name=, every other jump device by Kind=, which is the
# shipped example with its commented Kind= line taken instead of Name=.
mkdir -p "$N"
printf '[Match]\nName=jump1\n\n[Network]\nAddress=10.9.0.1/24\nLinkLocalAddressing=no\n' \
	> "$N/40-jump1.network"
sed 's/^Name=jump0$/#&/; s/^#Kind=jump$/Kind=jump/' "$TOP/examples/jump0.network" \
	> "$N/50-jump.network"
grep -qx 'Kind=jump' "$N/50-jump.network" && ! grep -qx 'Name=jump0' "$N/50-jump.network"
ok $? "the example .network, matching Kind=jump instead of Name=jump0"
run "systemctl daemon-reload" systemctl daemon-reload
run "systemd-networkd starts" systemctl start systemd-networkd

modprobe -r jump 2>/dev/null
run "systemctl start jumpd@jump0 returns once jumpd is ready" \
	timeout 60 systemctl start jumpd@jump0
echo "$(prop jumpd@jump0.service ActiveState)/$(prop jumpd@jump0.service SubState)" > "$T_OUT/last"
[ "$(cat "$T_OUT/last")" = active/running ]
ok $? "jumpd@jump0 is active (running)"
grep -q '^jump ' /proc/modules
ok $? "ExecStartPre loaded the module"
"$JUMPCTL" link show jump0 > "$T_OUT/last" 2>&1
ok $? "ExecStartPre created jump0 as a jump device"
status_is jumpd@jump0 "no sessions"
ok $? "STATUS=: no sessions"
pid=$(prop jumpd@jump0 MainPID)
grep -E '^(CapBnd|CapEff|NoNewPrivs|Seccomp):' "/proc/$pid/status" > "$T_OUT/caps"
cp "$T_OUT/caps" "$T_OUT/last"
grep -qx 'CapBnd:[[:space:]]*0000000000001000' "$T_OUT/caps" &&
	grep -qx 'CapEff:[[:space:]]*0000000000001000' "$T_OUT/caps"
ok $? "jumpd runs with CAP_NET_ADMIN alone"
cp "$T_OUT/caps" "$T_OUT/last"
grep -qx 'NoNewPrivs:[[:space:]]*1' "$T_OUT/caps" && grep -qx 'Seccomp:[[:space:]]*2' "$T_OUT/caps"
ok $? "with NoNewPrivileges and a seccomp filter"
[ "$(stat -c %a /var/lib/jump/jump0 2>&1)" = 700 ]
ok $? "StateDirectory made /var/lib/jump/jump0, mode 0700"

wait_for 20 sh -c 'ip -4 addr show dev jump0 | grep -q "inet 10.8.0.1/24"'
ip addr show dev jump0 > "$T_OUT/last" 2>&1
ok $? "systemd-networkd gave jump0 the example's address (matched by Kind=jump)"
wait_for 10 sh -c 'ip route show dev jump0 | grep -q "^192.168.50.0/24"'
ip route show dev jump0 > "$T_OUT/last" 2>&1
ok $? "and its route"
ip -6 addr show dev jump0 > "$T_OUT/last" 2>&1
grep -q 'fd00:8::1/64' "$T_OUT/last" && ! grep -q 'fe80:' "$T_OUT/last"
ok $? "the IPv6 address, and no link-local one"

"$JUMPCTL" session add dev jump0 role server peer "$PEER" > "$T_OUT/last" 2>&1
ok $? "a session on jump0"
wait_for 5 status_is jumpd@jump0 "1 session: 1 birth"
prop jumpd@jump0 StatusText > "$T_OUT/last"
ok $? "STATUS= follows: 1 session: 1 birth"

since=$(date '+%Y-%m-%d %H:%M:%S')
run "systemctl reload jumpd@jump0" timeout 30 systemctl reload jumpd@jump0
wait_for 10 sh -c "journalctl -u jumpd@jump0 --since '$since' | grep -q 'SIGHUP: resynchronizing'"
journalctl -u jumpd@jump0 --since "$since" > "$T_OUT/last" 2>&1
ok $? "jumpd got the SIGHUP"
wait_for 10 sh -c '[ "$(systemctl show -P ActiveState jumpd@jump0)" = active ]'
prop jumpd@jump0 ActiveState > "$T_OUT/last"
ok $? "READY=1 after the reload: active again"
[ "$(prop jumpd@jump0 MainPID)" = "$pid" ] && [ "$(prop jumpd@jump0 NRestarts)" = 0 ]
ok $? "the same jumpd, never restarted"
status_is jumpd@jump0 "1 session: 1 birth"
ok $? "the status is shown again after the reload"

run "systemctl start jumpd@jump1 (WatchdogSec=2s)" timeout 60 systemctl start jumpd@jump1
[ "$(prop jumpd@jump1 WatchdogUSec)" = 2s ]
ok $? "the watchdog is armed for jumpd@jump1"
pid1=$(prop jumpd@jump1 MainPID)
sleep 6
journalctl -u jumpd@jump1 > "$T_OUT/last" 2>&1
[ "$(prop jumpd@jump1 MainPID)" = "$pid1" ] && [ "$(prop jumpd@jump1 NRestarts)" = 0 ] &&
	! grep -qi 'watchdog timeout' "$T_OUT/last"
ok $? "6 s later: the pings kept it alive, no watchdog timeout"
wait_for 20 sh -c 'ip -4 addr show dev jump1 | grep -q "inet 10.9.0.1/24"'
ip addr show dev jump1 > "$T_OUT/last" 2>&1
ok $? "systemd-networkd configured jump1 by Name="

run "systemctl stop jumpd@jump0" timeout 30 systemctl stop jumpd@jump0
[ "$(prop jumpd@jump0 ActiveState)" = inactive ]
ok $? "jumpd@jump0 is inactive"
journalctl -u jumpd@jump0 > "$T_OUT/last" 2>&1
grep -q 'exiting on SIGTERM' "$T_OUT/last"
ok $? "jumpd exited on SIGTERM"
"$JUMPCTL" session show dev jump0 > "$T_OUT/last" 2>&1 && grep -q birth "$T_OUT/last"
ok $? "the link and its session stay in the kernel"
run "and a restart takes them back" timeout 60 systemctl start jumpd@jump0
wait_for 5 status_is jumpd@jump0 "1 session: 1 birth"
prop jumpd@jump0 StatusText > "$T_OUT/last"
ok $? "STATUS= after the restart: 1 session: 1 birth"

done_testing
