#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make install DESTDIR=... puts exactly the expected files where they belong
# (the module under /lib/modules/KVER/updates, the rest under PREFIX), with
# the right modes and one version; PREFIX moves the programs and the unit
# follows; make uninstall takes everything away again.
. "$(dirname "$0")/lib.sh"

[ -f "$TOP/jump.ko" ] || skip_all "jump.ko not built (make module)"
version=$(cat "$TOP/VERSION")
# The kernel the module was built for: where it must go.
kver=$(modinfo -F vermagic "$TOP/jump.ko" | cut -d' ' -f1)

# What the tree has to install: man pages and completion as they exist.
expected() {
	local p=$1 f
	echo "/lib/modules/$kver/updates/jump.ko"
	echo "$p/sbin/jumpd"
	echo "$p/sbin/jumpctl"
	echo "$p/lib/systemd/system/jumpd@.service"
	for f in "$TOP"/Documentation/man/*.5; do
		[ -e "$f" ] && echo "$p/share/man/man5/${f##*/}"
	done
	for f in "$TOP"/Documentation/man/*.8; do
		[ -e "$f" ] && echo "$p/share/man/man8/${f##*/}"
	done
	[ -e "$TOP/tools/completion/jumpctl" ] &&
		echo "$p/share/bash-completion/completions/jumpctl"
	for f in "$TOP"/examples/*; do
		echo "$p/share/doc/jump/examples/${f##*/}"
	done
}

installed() {
	(cd "$1" && find . ! -type d | sed 's|^\.||' | LC_ALL=C sort)
}

same_list() {
	diff -u <(expected "$2" | LC_ALL=C sort) <(installed "$1") > "$T_OUT/last"
}

dest=$T_OUT/dest
tmake install DESTDIR="$dest"
rc=$?
cp "$T_OUT/last" "$T_OUT/install.log"
ok $rc "make install DESTDIR=$dest"
cp "$T_OUT/install.log" "$T_OUT/last"
grep -q "DESTDIR set: not running depmod" "$T_OUT/install.log"
ok $? "with DESTDIR, depmod is left to whoever installs the staged tree"
same_list "$dest" /usr/local
ok $? "exactly the expected files, under PREFIX=/usr/local and /lib/modules/$kver/updates"
diag "$(installed "$dest" | wc -l) files installed"

modes=$(cd "$dest" && find . -type f -printf '%m %p\n' | LC_ALL=C sort)
echo "$modes" > "$T_OUT/last"
! echo "$modes" | grep -v -e '^755 ./usr/local/sbin/' -e '^644 ' | grep -q .
ok $? "programs 0755, everything else 0644"
echo "$modes" | grep -q '^755 ./usr/local/sbin/jumpd$'
ok $? "jumpd is executable"

"$dest/usr/local/sbin/jumpd" -V > "$T_OUT/last" 2>&1 && grep -q "^jumpd $version " "$T_OUT/last"
ok $? "the installed jumpd says version $version (VERSION)"
"$dest/usr/local/sbin/jumpctl" -V > "$T_OUT/last" 2>&1 && grep -q "^jumpctl $version " "$T_OUT/last"
ok $? "the installed jumpctl says version $version"
[ "$(modinfo -F version "$dest/lib/modules/$kver/updates/jump.ko")" = "$version" ]
ok $? "the installed jump.ko has MODULE_VERSION $version"
grep -qx "ExecStart=/usr/local/sbin/jumpd -i %i" "$dest/usr/local/lib/systemd/system/jumpd@.service"
ok $? "the unit names the program where it runs, not where it was staged"

tmake uninstall DESTDIR="$dest"
ok $? "make uninstall DESTDIR=$dest"
installed "$dest" > "$T_OUT/last"
[ ! -s "$T_OUT/last" ]
ok $? "make uninstall leaves no file behind"
[ ! -d "$dest/usr/local/share/doc/jump" ]
ok $? "and removes the doc directory it made"

usr=$T_OUT/usr
tmake install DESTDIR="$usr" PREFIX=/usr
ok $? "make install DESTDIR=$usr PREFIX=/usr"
same_list "$usr" /usr
ok $? "PREFIX=/usr: the same files under /usr"
grep -qx "ExecStart=/usr/sbin/jumpd -i %i" "$usr/usr/lib/systemd/system/jumpd@.service" \
	> "$T_OUT/last" 2>&1
ok $? "the unit is remade for the new PREFIX: ExecStart=/usr/sbin/jumpd"
tmake tools
ok $? "make tools afterwards"
grep -qx "ExecStart=/usr/local/sbin/jumpd -i %i" "$TOP/build/systemd/jumpd@.service"
ok $? "and the build's unit is the default PREFIX's again"

done_testing
