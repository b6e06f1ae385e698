#!/bin/sh
# Prepare the VM testbed on a Debian 12 host (idempotent, needs root):
#   - install the packages the testbed uses, only those missing;
#   - fetch Debian's current stock kernel package into the cache dir (no
#     install), extract it and run depmod on the extracted tree.
# Prints the kernel directory it uses as its last line:
#   ${VFBOND_VM_CACHE}/<ver>/boot/vmlinuz-<ver>  is the kernel,
#   ${VFBOND_VM_CACHE}/<ver>/lib/modules/<ver>   are its modules.
set -eu

CACHE=${VFBOND_VM_CACHE:-/var/cache/vfbond-vm}
# socat: the testbed check copies it into the guest as an extra binary.
# udev: a real systemd-udevd runs in the guest of test_vm_udev.
PKGS="qemu-system-x86 busybox-static iperf3 iputils-ping iproute2 kmod cpio python3 gzip socat udev"

# shellcheck disable=SC2086
sh "$(dirname "$0")/../../scripts/need-packages.sh" setup.sh \
    --no-install-recommends $PKGS

# The package name of the current stock kernel, e.g. linux-image-6.1.0-56-amd64.
kpkg() {
    apt-cache depends linux-image-amd64 2>/dev/null \
        | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1
}
pkg=$(kpkg)
if [ -z "$pkg" ]; then          # apt lists never fetched on this machine
    apt-get update -qq >&2
    pkg=$(kpkg)
fi
[ -n "$pkg" ] || { echo "setup.sh: cannot find linux-image-amd64's kernel package" >&2; exit 1; }
ver=${pkg#linux-image-}
root=$CACHE/$ver

# The .done stamp is written last, so an interrupted run is redone.
if [ ! -e "$root/.done" ]; then
    echo "setup.sh: fetching $pkg into $root" >&2
    mkdir -p "$CACHE"
    tmp=$(mktemp -d "$CACHE/.fetch.XXXXXX")
    chmod 755 "$tmp"   # let apt's _apt user write there (else a warning)
    trap 'rm -rf "$tmp"' EXIT
    (cd "$tmp" && apt-get download -qq "$pkg" >&2)
    rm -rf "$root"
    mkdir -p "$root"
    dpkg-deb -x "$tmp"/"$pkg"_*.deb "$root"
    depmod -b "$root" "$ver"
    touch "$root/.done"
fi
[ -r "$root/boot/vmlinuz-$ver" ] || { echo "setup.sh: no kernel in $root" >&2; exit 1; }
echo "$root"
