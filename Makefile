# SPDX-License-Identifier: GPL-2.0
#
# Jumping VPN: jump.ko (through Kbuild), jumpd, jumpctl and the tests.
#
#   make            build the module and the userspace programs
#   make deps       install the Debian packages everything here needs
#   make check      host unit and host tests (plain and ASan/UBSan), the
#                   fuzz harnesses for CHECK_FUZZ_SECONDS each, then
#                   the VM suite, then jumpd@.service under systemd in the VM
#   make soak       1000 randomized handovers under faults, checked
#   make bench      veth, WireGuard and jump0 throughput/RTT in the VM
#   make W=1 C=1    module with extra warnings and sparse
#   make fuzz       the libFuzzer harnesses, FUZZ_SECONDS (60) each
#   make check-debug  the VM suite under the kernel's memory checkers
#   make install    jump.ko, jumpd, jumpctl, the systemd unit, man pages...
#                   (DESTDIR=, PREFIX=/usr/local); make uninstall
#   make dkms-install   the module's source to /usr/src/jump-VERSION for DKMS
#
# The module is built for the installed linux-headers-amd64, not for the
# running kernel (which here cannot load modules): KVER= or KDIR= override.

KVER ?= $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | \
		sed 's|.*/linux-headers-||' | sort -V | tail -n 1)
KDIR ?= /lib/modules/$(KVER)/build

CC ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter
# The one version of the whole tree (jump.ko, jumpd, jumpctl, DKMS): VERSION.
VERSION := $(shell cat VERSION)
CPPFLAGS += -Iinclude/uapi -Ilib -D_GNU_SOURCE -DJUMP_VERSION='"$(VERSION)"'
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

MNL_LIBS := $(shell $(PKG_CONFIG) --libs libmnl 2>/dev/null)
NL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libnl-genl-3.0 2>/dev/null)
NL_LIBS := $(shell $(PKG_CONFIG) --libs libnl-genl-3.0 2>/dev/null)
SODIUM_LIBS := $(shell $(PKG_CONFIG) --libs libsodium 2>/dev/null)
SYSTEMD_LIBS := $(shell $(PKG_CONFIG) --libs libsystemd 2>/dev/null)
# jumpd's cluster ownership talks to etcd's JSON gateway (daemon/etcd.c).
ETCD_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcurl 2>/dev/null)
ETCD_LIBS := $(shell $(PKG_CONFIG) --libs libcurl json-c 2>/dev/null)

# Userspace sources. main.c holds only main(), so unit tests can link the rest.
LIB_SRCS := lib/jump_names.c lib/jump_fsm.c lib/jump_replay.c lib/jump_parse.c \
	lib/jump_audit.c
# jumpctl policy reads configs through jumpd's own parser, not a copy of it.
JUMPCTL_SRCS := $(filter-out tools/jumpctl/main.c,$(wildcard tools/jumpctl/*.c)) \
	$(wildcard daemon/config*.c)
JUMPD_SRCS := $(filter-out daemon/main.c,$(wildcard daemon/*.c))
UNIT_SRCS := $(wildcard selftests/unit/*.c)

B := build
# Keep objects: the unit tests link them again.
.SECONDARY:
objs = $(patsubst %.c,$(1)/%.o,$(2))

.PHONY: all module tools deps check unit-build unit-test host-test vm-test vm-systemd-test \
	fuzz fuzz-build fuzz-check fuzz-seeds check-debug demo soak bench clean help
all: module tools

help:
	@sed -n '3,19p' Makefile | sed 's/^# \{0,1\}//'

module:
	@test -d "$(KDIR)" || { echo "no kernel headers at $(KDIR): run 'make deps'" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

VM_HELPERS := $(patsubst selftests/vm/%.c,$(B)/vm/%,$(wildcard selftests/vm/*.c))
tools: $(B)/jumpctl $(B)/jumpd $(VM_HELPERS) $(B)/bench/cp_host $(B)/bench/cluster_host \
	$(B)/bench/cp_load $(B)/bench/dump_host $(B)/systemd/jumpd@.service

deps:
	tools/deps.sh

# $(1) = build dir, $(2) = extra flags
define userspace
$(1)/%.o: %.c VERSION $(wildcard include/uapi/linux/*.h lib/*.h tools/jumpctl/*.h daemon/*.h selftests/unit/*.h)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CPPFLAGS) $$(CFLAGS) $$(WARN) $(2) $$(NL_CFLAGS) $$(ETCD_CFLAGS) -c -o $$@ $$<

$(1)/jumpctl: $(call objs,$(1),tools/jumpctl/main.c $(JUMPCTL_SRCS) $(LIB_SRCS))
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $(2) -o $$@ $$^ $$(MNL_LIBS) $$(SODIUM_LIBS)

$(1)/jumpd: $(call objs,$(1),daemon/main.c $(JUMPD_SRCS) $(LIB_SRCS))
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $(2) -o $$@ $$^ $$(NL_LIBS) $$(SODIUM_LIBS) $$(SYSTEMD_LIBS) $$(ETCD_LIBS)

$(1)/tools/jumpctl/policy.o: CPPFLAGS += -Idaemon
# Unit tests link what their name says they test: lib_*, jumpctl_*, jumpd_*.
$(1)/selftests/unit/jumpctl_%.o: CPPFLAGS += -Itools/jumpctl
$(1)/selftests/unit/jumpd_%.o: CPPFLAGS += -Idaemon
$(1)/unit/lib_%: $(call objs,$(1),selftests/unit/lib_%.c $(LIB_SRCS))
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $(2) -o $$@ $$^ $$(SODIUM_LIBS)
$(1)/unit/jumpctl_%: $(call objs,$(1),selftests/unit/jumpctl_%.c $(JUMPCTL_SRCS) $(LIB_SRCS))
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $(2) -o $$@ $$^ $$(MNL_LIBS) $$(SODIUM_LIBS)
$(1)/unit/jumpd_%: $(call objs,$(1),selftests/unit/jumpd_%.c $(JUMPD_SRCS) $(LIB_SRCS))
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $(2) -o $$@ $$^ $$(NL_LIBS) $$(SODIUM_LIBS) $$(SYSTEMD_LIBS) $$(ETCD_LIBS)
# VM test helpers: jumpd_* link jumpd's netlink, the others jumpctl's.
$(1)/selftests/vm/%.o: CPPFLAGS += -Itools/jumpctl
$(1)/selftests/vm/jumpd_%.o: CPPFLAGS += -Idaemon
$(1)/vm/jumpd_%: $(call objs,$(1),selftests/vm/jumpd_%.c $(JUMPD_SRCS) $(LIB_SRCS))
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $(2) -o $$@ $$^ $$(NL_LIBS) $$(SODIUM_LIBS) $$(SYSTEMD_LIBS) $$(ETCD_LIBS)
$(1)/vm/%: $(call objs,$(1),selftests/vm/%.c $(JUMPCTL_SRCS) $(LIB_SRCS))
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $(2) -o $$@ $$^ $$(MNL_LIBS) $$(SODIUM_LIBS)
# Host benchmark drivers of jumpd's code (Documentation/benchmark.rst);
# dump_host drives jumpctl's.
$(1)/tools/bench/%.o: CPPFLAGS += -Idaemon
$(1)/tools/bench/dump_host.o: CPPFLAGS += -Itools/jumpctl
$(1)/bench/dump_host: $(call objs,$(1),tools/bench/dump_host.c $(JUMPCTL_SRCS) $(LIB_SRCS))
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $(2) -o $$@ $$^ $$(MNL_LIBS) $$(SODIUM_LIBS)
$(1)/bench/%: $(call objs,$(1),tools/bench/%.c $(JUMPD_SRCS) $(LIB_SRCS))
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $(2) -o $$@ $$^ $$(NL_LIBS) $$(SODIUM_LIBS) $$(SYSTEMD_LIBS) $$(ETCD_LIBS)
$(1)/unit/%: $(1)/selftests/unit/%.o
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $(2) -o $$@ $$^
endef
$(eval $(call userspace,$(B),))
$(eval $(call userspace,$(B)/asan,$(SANITIZE)))

# libFuzzer harnesses (Documentation/testing.rst), built by clang under
# ASan and UBSan: selftests/fuzz/jumpd_* link jumpd's code, with its
# requests to the kernel wrapped by a fake kernel (fake_kernel.c);
# jumpctl_* link jumpctl's. Their seeds are selftests/fuzz/corpus/NAME/.
FUZZ_CC ?= clang
FB := $(B)/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link
# clang (unlike gcc) wants every field of a positional initializer named.
FUZZ_WARN := $(WARN) -Wno-missing-field-initializers
FUZZ_WRAP := session_new session_get session_settings session_transition \
	session_del key_new key_swap key_del socket_get dump_sessions
FUZZ_LDFLAGS := $(FUZZ_SAN) -fsanitize=fuzzer -Wl,--wrap=sd_journal_sendv \
	$(foreach f,$(FUZZ_WRAP),-Wl,--wrap=jumpd_nl_$(f))
FUZZ_NAMES := $(patsubst selftests/fuzz/%.c,%,$(wildcard selftests/fuzz/jump*.c))
FUZZ_BINS := $(addprefix $(FB)/,$(FUZZ_NAMES))
$(FB)/%.o: %.c VERSION $(wildcard include/uapi/linux/*.h lib/*.h tools/jumpctl/*.h daemon/*.h selftests/fuzz/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(FUZZ_WARN) $(NL_CFLAGS) $(ETCD_CFLAGS) -c -o $@ $<
$(FB)/tools/jumpctl/policy.o: CPPFLAGS += -Idaemon
$(FB)/selftests/fuzz/%.o: CPPFLAGS += -Iselftests/fuzz
$(FB)/selftests/fuzz/jumpctl_%.o: CPPFLAGS += -Itools/jumpctl
$(FB)/selftests/fuzz/jumpd_%.o: CPPFLAGS += -Idaemon
$(FB)/selftests/fuzz/fake_kernel.o $(FB)/selftests/fuzz/harness.o: CPPFLAGS += -Idaemon
$(FB)/jumpd_%: $(call objs,$(FB),selftests/fuzz/jumpd_%.c selftests/fuzz/fake_kernel.c \
	selftests/fuzz/harness.c $(JUMPD_SRCS) $(LIB_SRCS))
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^ $(NL_LIBS) $(SODIUM_LIBS) $(SYSTEMD_LIBS) $(ETCD_LIBS)
$(FB)/jumpctl_%: $(call objs,$(FB),selftests/fuzz/jumpctl_%.c $(JUMPCTL_SRCS) $(LIB_SRCS))
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^ $(MNL_LIBS) $(SODIUM_LIBS)

# FUZZ_SECONDS per harness; a finding fails (its input is kept in
# build/fuzz/findings/NAME/). make check runs them CHECK_FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
CHECK_FUZZ_SECONDS ?= 15
fuzz-build: $(FUZZ_BINS)
fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) selftests/fuzz/run.sh $(FUZZ_NAMES)
fuzz-check: fuzz-build
	FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS) selftests/fuzz/run.sh $(FUZZ_NAMES)
# Regenerates the seed corpora from the real encoders (commit the result).
fuzz-seeds: $(B)/fuzz-seeds
	$(B)/fuzz-seeds selftests/fuzz/corpus
$(B)/fuzz-seeds: $(call objs,$(B),tools/fuzz/seeds.c $(JUMPD_SRCS) $(LIB_SRCS))
	$(CC) $(CFLAGS) -o $@ $^ $(NL_LIBS) $(SODIUM_LIBS) $(SYSTEMD_LIBS) $(ETCD_LIBS)
$(B)/tools/fuzz/seeds.o: CPPFLAGS += -Idaemon

UNIT_TESTS := $(patsubst selftests/unit/%.c,%,$(UNIT_SRCS))
unit-build: $(addprefix $(B)/unit/,$(UNIT_TESTS)) $(addprefix $(B)/asan/unit/,$(UNIT_TESTS))

# Host unit tests, then the same binaries under ASan/UBSan.
unit-test: unit-build
	prove --nocolor -v --exec '' $(addprefix $(B)/unit/,$(UNIT_TESTS)) \
		$(addprefix $(B)/asan/unit/,$(UNIT_TESTS))

# The VM suite: every selftests/vm/*.sh inside Debian's kernel under qemu.
# Each script has 15 minutes at most, so that one that hangs fails alone.
# NLFUZZ_SECONDS and DATAFUZZ_SECONDS (60 and 20 by default) set how long
# 85-nlfuzz.sh and 86-datafuzz.sh fuzz; NLFUZZ_SEED repeats a netlink run.
VM_VARS := NLFUZZ_SECONDS NLFUZZ_SEED DATAFUZZ_SECONDS DATAFUZZ_SEED
VM_ENV = $(foreach v,$(VM_VARS),$(if $($(v)),--env '$(v)=$($(v))'))
vm-test: all $(B)/asan/jumpd
	tools/vm/run --module jump.ko --timeout 3000 $(VM_ENV) \
		'prove --nocolor -v --exec "timeout -k 10 900 bash" selftests/vm/[0-9]*.sh'

# The kernel's own checkers (Documentation/testing.rst): jump.ko rebuilt
# with W=1 and sparse (C=1), any warning fails; then the VM suite in a
# kernel booted with the memory checkers Debian's kernel has
# (DEBUG_CMDLINE), each test's kernel log scanned by kernel-log.sh for
# warnings, BUG, oops, slab and list corruption. Debian's kernel has no
# KASAN, lockdep or kmemleak; testing.rst says why none is built here.
# DEBUG_TESTS: the VM tests to run (default: all of them).
DEBUG_CMDLINE := slub_debug=FZPU page_poison=1 init_on_free=1 log_buf_len=8M
DEBUG_TESTS ?= selftests/vm/[0-9]*.sh
check-debug: all $(B)/asan/jumpd
	rm -f jump.ko jump.o kernel/*.o $(patsubst %.c,%.o,$(wildcard lib/*.c))
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 C=1 modules 2>&1 | tee $(B)/module-debug.log
	@! grep -E 'warning:|error:' $(B)/module-debug.log || \
		{ echo "check-debug: jump.ko is not W=1 C=1 clean" >&2; exit 1; }
	tools/vm/run --module jump.ko --timeout 6000 --append '$(DEBUG_CMDLINE)' $(VM_ENV) \
		'prove --nocolor -v --exec "bash selftests/vm/kernel-log.sh run" $(DEBUG_TESTS)'

# jumpd@.service and systemd-networkd under systemd as the guest's PID 1:
# a boot of its own (about two minutes under emulation).
vm-systemd-test: all
	tools/vm/run --systemd --module jump.ko 'prove --nocolor -v --exec bash selftests/vm/57-systemd.sh'

# Host tests of what is not C: the systemd unit, make install, DKMS, the man
# pages, the documents and the completion.
host-test: all
	prove --nocolor -v --exec bash selftests/host/[0-9]*.sh

check: deps
	$(MAKE) all
	$(MAKE) unit-test
	$(MAKE) host-test
	$(MAKE) fuzz-check
	$(MAKE) vm-test
	$(MAKE) vm-systemd-test

# See it work (Documentation/demo.rst): on a fresh Debian 12, one command
# installs what it needs, builds, boots the VM and runs tools/demo/demo.sh,
# a timeline of roaming, cuts, a NAT rebinding and a replay. Not part of
# check: it shows; the VM suite proves.
demo: deps
	$(MAKE) all
	tools/vm/run --module jump.ko --timeout 900 'bash tools/demo/demo.sh'

# The invariant soak (Documentation/soak.rst): SOAK_HANDOVERS (default
# 1000) randomized handovers under netem and hostile packets, judged by
# tools/soak/check.py; the report is bench/soak.json, the raw streams stay in
# bench/97-soak/. make check runs the same script with 25 handovers.
SOAK_HANDOVERS ?= 1000
soak: all $(B)/asan/jumpd
	@mkdir -p bench
	@rm -f bench/soak.json
	tools/vm/run --module jump.ko --out bench --timeout 14400 \
		--env SOAK_HANDOVERS=$(SOAK_HANDOVERS) $(if $(SOAK_SEED),--env SOAK_SEED=$(SOAK_SEED)) \
		'prove --nocolor -v --exec bash selftests/vm/97-soak.sh'
	@jq '{handovers, faults, violations}' bench/soak.json

# The benchmark report (Documentation/benchmark.rst), in one VM boot so that
# its ratios hold: veth, WireGuard and jump0 throughput and RTT, then the
# sections: handover recovery (jump and WireGuard on the same cut), NAT
# rebinding (jump with RebindProbe and WireGuard), the control plane, 100k
# sessions, cluster ownership (CAS claims/s on a 3-member etcd, the failover gap). Not part of check: it measures, asserts
# nothing. bench/results.json, a PNG chart per section, a Markdown table.
# BENCH_TIME=SECS per iperf3 run, BENCH_PINGS=N, BENCH_PATHS="veth ...",
# BENCH_SECTIONS="handover rebind ctlplane scale", HO_RUNS=50, RB_RUNS=20,
# RB_OFF_RUNS=5, CP_RUNS=10,
# SCALE_SESSIONS=100000, BENCH_PERF=1 profiles jump's single flow.
BENCH_VARS := BENCH_TIME BENCH_PINGS BENCH_PATHS BENCH_PERF BENCH_PERF_PATH \
	BENCH_SECTIONS HO_RUNS HO_PROBE_MS RB_RUNS RB_OFF_RUNS RB_PROBE_MS CP_RUNS \
	CP_SECONDS SCALE_SESSIONS CL_SECONDS CL_CLAIMERS FO_RUNS FO_TTL_MS
bench: all
	@mkdir -p bench
	@rm -f bench/results.json
	tools/vm/run --module jump.ko --out bench --timeout 3600 \
		$(foreach v,$(BENCH_VARS),$(if $($(v)),--env '$(v)=$($(v))')) \
		'bash tools/bench/bench.sh'
	@tools/bench/charts.sh bench/results.json bench
	@tools/bench/summary.sh bench/results.json

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -rf $(B)

# Installation, as WireGuard's: DESTDIR stages (a package build), PREFIX is
# where the programs live when installed. The module goes where modprobe
# looks first, /lib/modules/KVER/updates, outside PREFIX.
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/jump
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# systemd reads /usr/local/lib/systemd/system as well as /usr/lib/...
UNITDIR ?= $(PREFIX)/lib/systemd/system
MODULEDIR ?= /lib/modules/$(KVER)/updates
INSTALL ?= install
DEPMOD ?= depmod
DKMS ?= dkms

MAN5 := $(wildcard Documentation/man/*.5)
MAN8 := $(wildcard Documentation/man/*.8)
COMPLETION := $(wildcard tools/completion/jumpctl)
EXAMPLES := $(wildcard examples/*)
UNITS := jumpd@.service

# The unit names the programs by their installed paths: remade whenever
# SBINDIR differs from the last make (the stamp changes only then).
.PHONY: FORCE
$(B)/systemd/sbindir: FORCE
	@mkdir -p $(dir $@)
	@echo '$(SBINDIR)' | cmp -s - $@ || echo '$(SBINDIR)' > $@
$(B)/systemd/%: systemd/%.in $(B)/systemd/sbindir
	sed 's|@SBINDIR@|$(SBINDIR)|g' $< > $@

# jump.ko is installed as built ("make module" first), never built here: the
# install may run where the tree is read-only or has no kernel headers.
# depmod only for the live system: a staged tree's index is the package's.
.PHONY: install install-module install-tools install-systemd install-doc
install: install-module install-tools install-systemd install-doc
install-module:
	@test -f jump.ko || { echo "jump.ko is not built: run 'make module' first" >&2; exit 1; }
	$(INSTALL) -d $(DESTDIR)$(MODULEDIR)
	$(INSTALL) -m 0644 jump.ko $(DESTDIR)$(MODULEDIR)/jump.ko
	$(if $(DESTDIR),@echo "DESTDIR set: not running depmod",$(DEPMOD) -a $(KVER))
install-tools: $(B)/jumpd $(B)/jumpctl
	$(INSTALL) -d $(DESTDIR)$(SBINDIR)
	$(INSTALL) -m 0755 $(B)/jumpd $(B)/jumpctl $(DESTDIR)$(SBINDIR)/
install-systemd: $(addprefix $(B)/systemd/,$(UNITS))
	$(INSTALL) -d $(DESTDIR)$(UNITDIR)
	$(INSTALL) -m 0644 $^ $(DESTDIR)$(UNITDIR)/
install-doc:
	$(if $(MAN5),$(INSTALL) -d $(DESTDIR)$(MANDIR)/man5)
	$(if $(MAN5),$(INSTALL) -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/)
	$(if $(MAN8),$(INSTALL) -d $(DESTDIR)$(MANDIR)/man8)
	$(if $(MAN8),$(INSTALL) -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/)
	$(if $(COMPLETION),$(INSTALL) -d $(DESTDIR)$(BASHCOMPDIR))
	$(if $(COMPLETION),$(INSTALL) -m 0644 $(COMPLETION) $(DESTDIR)$(BASHCOMPDIR)/jumpctl)
	$(INSTALL) -d $(DESTDIR)$(DOCDIR)/examples
	$(INSTALL) -m 0644 $(EXAMPLES) $(DESTDIR)$(DOCDIR)/examples/

.PHONY: uninstall uninstall-module
uninstall: uninstall-module
	rm -f $(DESTDIR)$(SBINDIR)/jumpd $(DESTDIR)$(SBINDIR)/jumpctl
	rm -f $(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(MAN8)))
	rm -f $(DESTDIR)$(BASHCOMPDIR)/jumpctl
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/examples/,$(notdir $(EXAMPLES)))
	-rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null
uninstall-module:
	rm -f $(DESTDIR)$(MODULEDIR)/jump.ko
	$(if $(DESTDIR),,$(DEPMOD) -a $(KVER))

# DKMS rebuilds the module for every new kernel: the sources Kbuild names go
# to /usr/src/jump-VERSION with a dkms.conf, then dkms add, build, install
# for KVER. DKMS_FLAGS passes more (e.g. --dkmstree, --sourcetree).
DKMS_SRCDIR ?= /usr/src
DKMS_SRC := $(DKMS_SRCDIR)/jump-$(VERSION)
DKMS_FILES := Kbuild VERSION $(wildcard kernel/*.c kernel/*.h lib/*.c lib/*.h \
	include/uapi/linux/*.h)
$(B)/dkms.conf: dkms.conf.in VERSION
	@mkdir -p $(dir $@)
	sed 's|@VERSION@|$(VERSION)|g' $< > $@
.PHONY: dkms-source dkms-install dkms-uninstall
dkms-source: $(B)/dkms.conf
	rm -rf $(DESTDIR)$(DKMS_SRC)
	$(INSTALL) -d $(DESTDIR)$(DKMS_SRC)
	tar -cf - $(DKMS_FILES) | tar -xf - -C $(DESTDIR)$(DKMS_SRC)
	$(INSTALL) -m 0644 $(B)/dkms.conf $(DESTDIR)$(DKMS_SRC)/dkms.conf
dkms-install: dkms-source
	$(DKMS) add $(DKMS_FLAGS) -m jump -v $(VERSION)
	$(DKMS) build $(DKMS_FLAGS) -m jump -v $(VERSION) -k $(KVER)
	$(DKMS) install $(DKMS_FLAGS) -m jump -v $(VERSION) -k $(KVER)
dkms-uninstall:
	-$(DKMS) remove $(DKMS_FLAGS) -m jump -v $(VERSION) --all
	rm -rf $(DESTDIR)$(DKMS_SRC)
