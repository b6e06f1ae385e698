# The two commands of the README, and the build they stand on.
#   make check   install what is missing, build with sanitizers, run every
#                test (unit, network namespace, package, VM); ends
#                "N passed, N failed"
#   make demo    the live-migration demo in a QEMU guest
#   make bench   the benchmarks (release build), results in bench/results
#   make soak    100 VF unplug/replug cycles in a QEMU guest (release build)
#   make deb     the Debian package, in build-deb/
#   make distro  the full Debian 12 guests, the package installed: what
#                users run (DISTRO=networkd for one)
# Each installs what it needs (Debian 12, as root).

BUILD ?= build
MESON_OPTS ?= -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false \
	-Dfault_injection=true

.PHONY: all deps build clang release vm-deps check unit demo bench soak fuzz format clean deb distro

all: build

deps:
	sh scripts/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

vm-deps:
	sh tests/vm/setup.sh

# clang must build it warning-free too (gcc builds $(BUILD)).
build-clang/build.ninja:
	CC=clang meson setup build-clang -Dwerror=true

clang: deps build-clang/build.ninja
	ninja -C build-clang

# gcc at -O3 warns where -O2 does not: the release build must be clean
# too (make bench uses it).
build-rel/build.ninja:
	meson setup build-rel --buildtype=release -Dwerror=true

release: deps build-rel/build.ninja
	ninja -C build-rel

# Every test, one at a time where a VM is involved (two cores).
check: build clang release vm-deps
	python3 tests/run.py $(BUILD)

unit: build
	meson test -C $(BUILD) --suite unit --print-errorlogs

demo: build vm-deps
	python3 tests/vm/demo.py $(BUILD)/vfbond

# Flap soak: 100 VF unplug/replug cycles under ping and iperf3, the
# release build (its memory figures are the allocator's, not ASan's);
# five cycles of it run in make check (test_vm_soak).
SOAK_CYCLES ?= 100
soak: release vm-deps
	VFBOND_SOAK_CYCLES=$(SOAK_CYCLES) python3 tests/vm/test_vm_soak.py \
	    build-rel/vfbond

# Benchmarks: figures, not assertions (docs/benchmarks.md). REPS=5.
bench: deps vm-deps
	sh bench/run.sh

# The Debian package: build-deb/vfbond_VERSION_ARCH.deb (and .changes),
# built from a copy of the tree. apt-get build-dep installs what
# debian/control's Build-Depends names, when something is missing.
deb:
	dpkg-checkbuilddeps >/dev/null 2>&1 || { apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -qq ./; }
	sh scripts/build-deb.sh build-deb

# The full-distribution guests of tests/distro, with the package built
# here; make check runs them too. One: make distro DISTRO=networkd.
DISTRO ?= networkd ifupdown ifupdown_static networkmanager \
	networkmanager_static
distro: deb vm-deps
	for t in $(DISTRO); do \
	    VFBOND_DEB=$$(ls build-deb/vfbond_*_$$(dpkg --print-architecture).deb) \
	    python3 tests/distro/test_distro_$$t.py || exit 1; \
	done

format:
	clang-format -i src/*/*.c src/*/*.h src/os/*/*.[ch] \
	    tests/unit/*.c tests/unit/*.h fuzz/*.c

clean:
	rm -rf $(BUILD) build-deb

# Runs each fuzzer for FUZZ_SECONDS (clang, libFuzzer, ASan+UBSan).
FUZZ_SECONDS ?= 60
fuzz: deps
	CC=clang meson setup build-fuzz -Dfuzz=true \
	    -Db_sanitize=address,undefined -Db_lundef=false 2>/dev/null || true
	ninja -C build-fuzz
	for f in conf linkmsg addrmsg routemsg nlerr devd rcconf netconf; do \
	    mkdir -p build-fuzz/corpus-$$f && \
	    build-fuzz/fuzz/fuzz-$$f -max_total_time=$(FUZZ_SECONDS) \
	        build-fuzz/corpus-$$f fuzz/corpus-$$f || exit 1; \
	done
