#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make dkms-install, the way a user runs it, but into scratch trees (dkms's
# --sourcetree, --dkmstree, --installtree; --no-depmod leaves the host's
# index alone): the source lands in jump-VERSION with a dkms.conf, DKMS
# builds the module from it with the tree's Kbuild and installs it under
# updates/, and make dkms-uninstall removes it all.
. "$(dirname "$0")/lib.sh"

command -v dkms >/dev/null || skip_all "no dkms (make deps)"
[ "$(id -u)" -eq 0 ] || skip_all "dkms signs modules with a key only root may read"
[ -f "$TOP/jump.ko" ] || skip_all "jump.ko not built (make module)"
version=$(cat "$TOP/VERSION")
kver=$(modinfo -F vermagic "$TOP/jump.ko" | cut -d' ' -f1)
[ -d "/lib/modules/$kver/build" ] || skip_all "no kernel headers for $kver"

d=$T_OUT/dkms
mkdir -p "$d/src" "$d/tree" "$d/inst/$kver"
vars=(KVER="$kver" DKMS_SRCDIR="$d/src"
      DKMS_FLAGS="--no-depmod --sourcetree $d/src --dkmstree $d/tree --installtree $d/inst")

tmake dkms-source "${vars[@]}"
ok $? "make dkms-source"
src=$d/src/jump-$version
grep -qx "PACKAGE_VERSION=\"$version\"" "$src/dkms.conf" > "$T_OUT/last" 2>&1
ok $? "dkms.conf has PACKAGE_VERSION $version, from VERSION"
for k in 'PACKAGE_NAME="jump"' 'BUILT_MODULE_NAME[0]="jump"' \
	 'DEST_MODULE_LOCATION[0]="/updates"' 'AUTOINSTALL="yes"'; do
	grep -qxF "$k" "$src/dkms.conf"
	ok $? "dkms.conf: $k"
done
# Every source Kbuild names is there, and nothing built came along.
missing=
for o in $(tr ' \\' '\n\n' < "$TOP/Kbuild" | grep '\.o$' | grep -v '^jump\.o$'); do
	[ -f "$src/${o%.o}.c" ] || missing="$missing ${o%.o}.c"
done
echo "missing:$missing" > "$T_OUT/last"
[ -z "$missing" ] && [ -f "$src/Kbuild" ] && [ -f "$src/VERSION" ]
ok $? "the source has Kbuild, VERSION and every .c that Kbuild names"
find "$src" -name '*.o' -o -name '*.ko' -o -name '*.cmd' > "$T_OUT/last"
[ ! -s "$T_OUT/last" ]
ok $? "and no build output"

tmake dkms-install "${vars[@]}"
ok $? "make dkms-install: dkms add, build and install for $kver"
ko=$d/inst/$kver/updates/dkms/jump.ko
[ -f "$ko" ] || ko=$d/inst/$kver/updates/jump.ko
[ -f "$ko" ]
ok $? "DKMS installed jump.ko under /lib/modules/$kver/updates"
[ "$(modinfo -F version "$ko" 2>/dev/null)" = "$version" ] &&
	[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$kver" ]
ok $? "the DKMS module is version $version, built for $kver"
[ "$(modinfo -F srcversion "$ko")" = "$(modinfo -F srcversion "$TOP/jump.ko")" ]
ok $? "from the same sources as the tree's jump.ko (srcversion)"
dkms status --sourcetree "$d/src" --dkmstree "$d/tree" --installtree "$d/inst" \
	> "$T_OUT/last" 2>&1
grep -q "^jump/$version, $kver, .*: installed" "$T_OUT/last"
ok $? "dkms status: installed"

tmake dkms-uninstall "${vars[@]}"
ok $? "make dkms-uninstall"
find "$d/inst" "$d/tree" "$d/src" -type f > "$T_OUT/last"
[ ! -s "$T_OUT/last" ]
ok $? "nothing of jump is left in the DKMS trees"

done_testing
