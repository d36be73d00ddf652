#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages that building, testing and the VM need: only
# the missing ones, so that a run with nothing to do is quiet, quick and
# needs no network. The project's files must install what they use: a new
# machine (CI's included) starts from a plain Debian 12.
set -euo pipefail

PACKAGES=(
	# build: jump.ko against Debian's headers, jumpctl (libmnl), jumpd
	# (libnl, libsodium; libcurl and json-c for etcd), sparse for the kernel code
	build-essential make gcc pkg-config linux-headers-amd64 sparse
	libmnl-dev libnl-3-dev libnl-genl-3-dev libsodium-dev libsystemd-dev
	libcurl4-openssl-dev libjson-c-dev
	# tests on the host: prove (perl), JSON checks; ASan/UBSan come with
	# gcc (libasan and libubsan are in libgcc-12-dev)
	perl python3 jq iproute2 kmod
	# make fuzz: libFuzzer harnesses built by clang (libFuzzer and the
	# sanitizers' runtimes are in libclang-rt-14-dev)
	clang libclang-rt-14-dev
	# host tests of the install: systemd-analyze verify/security on the
	# unit, DKMS building the module from its installed source
	systemd dkms
	# the VM (tools/vm/run): Debian's kernel under qemu, a busybox
	# initramfs; xz and readelf unpack the kernel for a direct PVH boot
	linux-image-amd64 qemu-system-x86 busybox-static cpio gzip xz-utils
	binutils
	# tools the tests run inside the VM (the guest runs the host's root)
	iperf3 nftables tcpdump wireguard-tools iputils-ping ethtool conntrack
	# the cluster tests and make bench: etcd members and etcdctl
	etcd-server etcd-client
	# make bench BENCH_PERF=1 (perf record in the guest); its charts
	linux-perf gnuplot-nox
	# host tests of the man pages: groff -man -ww
	groff-base
)

missing=()
for pkg in "${PACKAGES[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#PACKAGES[@]} packages present"
	exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || {
		echo "deps: missing ${missing[*]}; run as root (or install sudo) to install them" >&2
		exit 1
	}
	as_root=(sudo)
fi
echo "deps: installing ${missing[*]}"
# env, not export: sudo would drop an exported variable.
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -q --no-install-recommends "${missing[@]}"
