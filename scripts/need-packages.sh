#!/bin/sh
# need-packages.sh WHO [--no-install-recommends] PKG...: installs the
# Debian packages that are missing (apt-get update only then), as root,
# saying so on stderr as WHO; stdout stays the caller's.
set -eu
who=$1
shift
opts=""
if [ "${1:-}" = --no-install-recommends ]; then
	opts=$1
	shift
fi
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -n "$missing" ] || exit 0
echo "$who: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq $opts $missing >&2
