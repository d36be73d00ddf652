#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module loading and the jump link kind, through ip(8) and jumpctl.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "needs root (run under tools/vm/run)"
modinfo jump >/dev/null 2>&1 || skip_all "jump.ko is not installed for $(uname -r)"
[ -x "$JUMPCTL" ] || skip_all "$JUMPCTL not built"
T_NS=jt-link-$$
ip netns add "$T_NS" || exit 1
trap teardown EXIT

loaded() { grep -q '^jump ' /proc/modules; }

modprobe -r jump 2>/dev/null
! loaded
ok $? "module can be unloaded before the test"
run "ip link add ... type jump autoloads the module" in_ns ip link add jump0 type jump
loaded
ok $? "jump is loaded after ip link add"
in_ns ip -d link show jump0 > "$T_OUT/last" 2>&1 && grep -q "jump" "$T_OUT/last"
ok $? "ip -d link shows the jump kind"
run "ip link del removes the device" in_ns ip link del jump0
run "module unloads with no device" modprobe -r jump

jumpctl link show > "$T_OUT/last" 2>&1
ok $? "jumpctl link show autoloads the module by genl family name"
loaded
ok $? "jump is loaded after a genl request"

run "jumpctl link add creates a device" jumpctl link add jump1
run "the device exists for ip(8)" in_ns ip link show jump1
in_ns ip link show jump1 | grep -q "mtu 1420"
ok $? "default MTU is 1420"
run "jumpctl link add with mtu" jumpctl link add jump2 mtu 1380
in_ns ip link show jump2 | grep -q "mtu 1380"
ok $? "mtu is applied"
jumpctl link show > "$T_OUT/last" 2>&1
grep -q jump1 "$T_OUT/last" && grep -q jump2 "$T_OUT/last"
ok $? "jumpctl link show lists both devices"
jumpctl -j link show | jq -e 'length == 2 and .[0].sessions == 0' > "$T_OUT/last" 2>&1
ok $? "jumpctl -j link show is a JSON array with session counts"
refuse "adding an existing name is refused by the kernel" 2 "Error:" \
	jumpctl link add jump1
refuse "link show of a missing device says so" 2 "Error: no such device." \
	jumpctl link show nosuch
in_ns ip link add dummy0 type dummy 2>/dev/null
refuse "a non-jump device is refused" 2 "Error: not a jump device." \
	jumpctl link show dummy0
run "jumpctl link del removes a device" jumpctl link del jump2
! in_ns ip link show jump2 >/dev/null 2>&1
ok $? "the device is gone"
refuse "a usage error exits 1" 1 "Error:" jumpctl link frobnicate
jumpctl link help > "$T_OUT/last" 2>&1
ok $? "jumpctl link help exits 0"

done_testing
