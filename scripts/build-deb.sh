#!/bin/sh
# Builds the Debian package from this source tree into OUT (default
# build-deb/): OUT/vfbond_VERSION_ARCH.deb with its .changes and
# .buildinfo. The tree is copied to OUT/src first (the files git knows,
# committed or not, outside a git checkout every file but build*/), so
# nothing is written into the tree or beside it.
# Extra arguments go to dpkg-buildpackage; DEB_BUILD_OPTIONS=nocheck skips
# the unit tests in the build.
set -eu
cd "$(dirname "$0")/.."
OUT=${1:-build-deb}
[ $# -eq 0 ] || shift
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -rf "$OUT/src" "$OUT"/vfbond_*
mkdir "$OUT/src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf - | tar -xf - -C "$OUT/src"
else
	tar --exclude='./build*' -cf - . | tar -xf - -C "$OUT/src"
fi
cd "$OUT/src"
dpkg-buildpackage -us -uc -b "$@"
cd "$OUT"
rm -rf src
ls "$OUT"/vfbond_*.deb
