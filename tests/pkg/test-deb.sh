#!/bin/sh
# The Debian package: builds it from this tree the way 'make deb' does
# (scripts/build-deb.sh, the unit tests left out: DEB_BUILD_OPTIONS=nocheck),
# lets lintian judge it (any error fails), and checks what it installs, that
# the unit is enabled by the maintainer scripts, and the unit file itself.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)

for tool in dpkg-buildpackage dh lintian; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: no $tool (scripts/install-deps.sh installs dpkg-dev, debhelper, lintian)"
		exit 77
	fi
done

OUT=$(mktemp -d /tmp/vfbond-debtest.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

version=$(cd "$SRC" && dpkg-parsechangelog -S Version)
meson_version=$(sed -n "s/^  version : '\(.*\)',$/\1/p" "$SRC/meson.build")
[ "$version" = "$meson_version" ] ||
	fail "debian/changelog says $version, meson.build $meson_version"

DEB_BUILD_OPTIONS=nocheck sh "$SRC/scripts/build-deb.sh" "$OUT" \
	>"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; fail "the package does not build"; }
arch=$(dpkg --print-architecture)
deb="$OUT/vfbond_${version}_$arch.deb"
changes="$OUT/vfbond_${version}_$arch.changes"
[ -f "$deb" ] && [ -f "$changes" ] || { ls "$OUT"; fail "no $deb or $changes"; }

# lintian: every tag is shown; an error fails.
lintian -I --fail-on error "$deb" "$changes" >"$OUT/lintian.log" 2>&1 ||
	{ cat "$OUT/lintian.log"; fail "lintian reports errors"; }
grep -v "running with root privileges" "$OUT/lintian.log" | grep "^[EWI]:" || true
! grep -q "^E:" "$OUT/lintian.log" || fail "lintian reports errors"

# What it installs.
dpkg-deb -c "$deb" | awk '{ print $6 }' >"$OUT/files"
for f in ./usr/sbin/vfbond ./usr/share/man/man8/vfbond.8.gz \
	./usr/share/man/man5/vfbond.conf.5.gz ./lib/systemd/system/vfbond.service \
	./etc/vfbond.conf ./etc/vfbond/hooks/; do
	grep -qx "$f" "$OUT/files" || { cat "$OUT/files"; fail "the package lacks $f"; }
done
[ -z "$(grep '^\./etc/vfbond/hooks/.' "$OUT/files")" ] || fail "hooks_dir is not empty"
dpkg-deb -f "$deb" Depends | grep -q libsystemd0 ||
	fail "not linked with libsystemd (sd_notify): Depends is $(dpkg-deb -f "$deb" Depends)"

mkdir "$OUT/ctl" "$OUT/root"
dpkg-deb -e "$deb" "$OUT/ctl"
dpkg-deb -x "$deb" "$OUT/root"
grep -qx /etc/vfbond.conf "$OUT/ctl/conffiles" || fail "/etc/vfbond.conf is not a conffile"
# The maintainer script run for a first install into the extracted tree:
# the real deb-systemd-helper (DPKG_ROOT), systemctl and deb-systemd-invoke
# stubbed, so nothing on this machine is touched.
grep -q "deb-systemd-helper" "$OUT/ctl/postinst" ||
	fail "postinst does not call deb-systemd-helper"
mkdir "$OUT/stub"
for c in systemctl deb-systemd-invoke; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/invoked"\n' "$c" "$OUT" >"$OUT/stub/$c"
	chmod +x "$OUT/stub/$c"
done
DPKG_ROOT="$OUT/root" DPKG_MAINTSCRIPT_PACKAGE=vfbond DPKG_MAINTSCRIPT_NAME=postinst \
	PATH="$OUT/stub:$PATH" sh "$OUT/ctl/postinst" configure ||
	fail "postinst configure failed"
wants="$OUT/root/etc/systemd/system/multi-user.target.wants/vfbond.service"
[ "$(readlink "$wants")" = /lib/systemd/system/vfbond.service ] ||
	fail "postinst did not enable vfbond.service (no $wants)"
# Where systemd runs, a first install starts it and an upgrade restarts it.
if [ -d /run/systemd/system ]; then
	grep -qx "deb-systemd-invoke start vfbond.service" "$OUT/invoked" ||
		fail "postinst did not start vfbond.service on a first install"
	DPKG_ROOT="$OUT/root" DPKG_MAINTSCRIPT_PACKAGE=vfbond DPKG_MAINTSCRIPT_NAME=postinst \
		PATH="$OUT/stub:$PATH" sh "$OUT/ctl/postinst" configure 0.0.1 ||
		fail "postinst configure (upgrade) failed"
	grep -qx "deb-systemd-invoke restart vfbond.service" "$OUT/invoked" ||
		fail "postinst did not restart vfbond.service on an upgrade"
fi
cmp "$OUT/root/lib/systemd/system/vfbond.service" "$SRC/systemd/vfbond.service" ||
	fail "the packaged unit is not systemd/vfbond.service"
# A release build, not the sanitizer build of 'make'.
if readelf -d "$OUT/root/usr/sbin/vfbond" | grep -Eq "NEEDED.*lib(asan|ubsan)"; then
	fail "the packaged binary is built with sanitizers"
fi
"$OUT/root/usr/sbin/vfbond" --version | grep -qF "$version" ||
	fail "the packaged binary is not version $version"
# The shipped config, as it is, is the defaults: it loads.
"$OUT/root/usr/sbin/vfbond" plan -c "$OUT/root/etc/vfbond.conf" >/dev/null ||
	fail "vfbond plan rejects the shipped /etc/vfbond.conf"

# The unit file as systemd reads it, man pages from the package. Without
# the package installed, the binary's absence is the one expected complaint.
if command -v systemd-analyze >/dev/null 2>&1; then
	MANPATH="$OUT/root/usr/share/man" systemd-analyze verify \
		"$OUT/root/lib/systemd/system/vfbond.service" >"$OUT/verify.log" 2>&1 || true
	if grep -v "Command /usr/sbin/vfbond is not executable" "$OUT/verify.log" | grep .; then
		fail "systemd-analyze verify complains about vfbond.service"
	fi
else
	echo "note: no systemd-analyze; the unit file is not verified"
fi
echo "ok: $(basename "$deb") builds, lintian has no error, files, conffile, enabled unit"
