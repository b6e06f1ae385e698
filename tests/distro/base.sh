#!/bin/sh
# The full Debian 12 guest's base system (idempotent, needs root): a
# mmdebstrap root directory with systemd, udev, Debian's kernel and all
# three network managers (the test enables one per boot), cached in
# ${VFBOND_VM_CACHE}/distro. Prints its path as its last line. vfbond
# itself is not in it: each run installs the .deb under test.
set -eu

CACHE=${VFBOND_VM_CACHE:-/var/cache/vfbond-vm}/distro
HOST_PKGS="mmdebstrap e2fsprogs dnsmasq-base qemu-system-x86 iputils-ping"
# vfbond's run-time libraries are in the base: dpkg -i of the package
# under test then needs no network.
GUEST_PKGS="systemd systemd-sysv udev dbus iproute2 iputils-ping procps
linux-image-amd64 initramfs-tools network-manager ifupdown isc-dhcp-client
libmnl0 libinih1 libjson-c5 libsystemd0 libcap-ng0"

# shellcheck disable=SC2086
sh "$(dirname "$0")/../../scripts/need-packages.sh" base.sh \
    --no-install-recommends $HOST_PKGS

# Bump BASE when the hooks below change.
BASE=1
key=$(printf '%s\n' "$GUEST_PKGS" "$BASE" | sha256sum | cut -c1-16)
base=$CACHE/base-$key
if [ ! -e "$base/.done" ]; then
    rm -rf "$base"
    mkdir -p "$CACHE"
    echo "base.sh: building $base (mmdebstrap, a few minutes)" >&2
    # No manager starts unless the test enables it; ifupdown's own
    # config is empty.
    mmdebstrap --variant=minbase --quiet --format=directory \
        --include="$(echo $GUEST_PKGS | tr ' ' ',')" \
        --customize-hook='echo vfbond-guest > "$1/etc/hostname"' \
        --customize-hook='chroot "$1" passwd -d root' \
        --customize-hook='chroot "$1" systemctl disable NetworkManager.service systemd-networkd.service networking.service' \
        --customize-hook='printf "auto lo\niface lo inet loopback\nsource /etc/network/interfaces.d/*\n" > "$1/etc/network/interfaces"' \
        bookworm "$base" >&2
    touch "$base/.done"
fi
# Only the newest base is kept.
find "$CACHE" -mindepth 1 -maxdepth 1 -name 'base-*' ! -name "base-$key" \
    -exec rm -rf {} +
echo "$base"
