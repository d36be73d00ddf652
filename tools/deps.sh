#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages that building, testing and the VM need; only
# the missing ones, so a second run is quiet and needs no network.
set -euo pipefail

PACKAGES=(
	# build: module against Debian's headers, userspace, sparse
	build-essential make gcc pkg-config linux-headers-amd64 sparse
	libmnl-dev libnl-3-dev libnl-genl-3-dev libsodium-dev
	# tests on the host
	perl jq python3 iproute2 kmod
	# the VM: Debian's kernel under qemu, busybox initramfs
	linux-image-amd64 qemu-system-x86 busybox-static cpio gzip coreutils
	# tools used inside the VM (the guest runs the host's root)
	iperf3 nftables tcpdump wireguard-tools iputils-ping ethtool
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

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null ||
		{ echo "deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
	SUDO=sudo
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
