#!/bin/sh
# Compiles every source file meant for FreeBSD (all of src/ but the Linux
# backend and the epoll poller) with clang for x86_64-unknown-freebsd14.1
# against FreeBSD 14's headers, warnings as errors. Nothing is linked: no
# FreeBSD libraries here, and no FreeBSD kernel to run on.
#   FREEBSD_SYSROOT=DIR  a tree of FreeBSD 14 installed headers (never
#                        committed; ../shared/reference/freebsd-headers.tsv
#                        says how to build one; the FreeBSD backend's
#                        sys-if.c also needs net/if_mib.h, which that
#                        list lacks). Unset: skipped (exit 77).
# Usage: compile-check.sh [SRCDIR]
set -eu
src=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
if [ -z "${FREEBSD_SYSROOT:-}" ]; then
	echo "SKIP: FREEBSD_SYSROOT is not set (a FreeBSD 14 header tree)"
	exit 77
fi
[ -r "$FREEBSD_SYSROOT/usr/include/sys/types.h" ] || {
	echo "FAIL: $FREEBSD_SYSROOT has no usr/include/sys/types.h" >&2
	exit 1
}
command -v clang >/dev/null || { echo "FAIL: clang not found" >&2; exit 1; }

# The libraries' own headers (portable C) from this machine, in a private
# directory so that no Linux system header comes along.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/inc"
cp /usr/include/ini.h "$tmp/inc/"
cp -r /usr/include/json-c "$tmp/inc/"
# The header list has no inttypes.h (its machine/ half is not in the
# source tree either): json-c is told to make do with stdint.h, which it
# supports. vfbond itself uses no PRI* macro.
sed -i '/JSON_C_HAVE_INTTYPES_H/d' "$tmp/inc/json-c/json_config.h"

# netconf too (its files are built there): all but the D-Bus part,
# which needs libsystemd.
files=$(cd "$src" && ls src/core/*.c src/conf/*.c src/cli/*.c src/daemon/*.c \
	src/netconf/*.c src/os/freebsd/*.c 2>/dev/null |
	grep -v -e '^src/daemon/eloop-epoll\.c$' -e '^src/netconf/reload-bus\.c$')
failed=0
n=0
for f in $files; do
	n=$((n + 1))
	if ! clang --target=x86_64-unknown-freebsd14.1 \
		--sysroot="$FREEBSD_SYSROOT" -std=c11 -Wall -Wextra -Werror \
		-Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
		-Wno-unused-parameter -DVFBOND_VERSION='"check"' \
		-I"$src/src" -I"$tmp/inc" -fsyntax-only "$src/$f"; then
		echo "FAIL: $f"
		failed=$((failed + 1))
	fi
done
echo "freebsd compile check: $n files, $failed failed"
[ "$failed" = 0 ]
