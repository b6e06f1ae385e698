#!/bin/sh
# make bench: a release build, then the storm/footprint benchmark (host
# kernel, no VM) and the live-migration benchmark (QEMU guest), results in
# bench/results/. Prints the markdown tables at the end.
set -eu
cd "$(dirname "$0")/.."
REPS=${REPS:-5}
OUT=bench/results
mkdir -p "$OUT"
[ -f build-rel/build.ninja ] ||
	meson setup build-rel --buildtype=release -Dwerror=true >/dev/null
ninja -C build-rel
if ! command -v gnuplot >/dev/null; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnuplot-nox >/dev/null
fi

python3 bench/storm.py build-rel/vfbond --pairs 500 >"$OUT/storm.json"
python3 bench/storm-table.py "$OUT/storm.json" >"$OUT/storm.md"
python3 bench/migration.py --reps "$REPS" --bin build-rel/vfbond
echo
cat "$OUT/storm.md"
echo
cat "$OUT/migration.md"
