#!/bin/sh
# Installs what building and testing vfbond needs on Debian 12, as root.
# Idempotent: installs only what is missing, runs apt-get update only then.
set -eu

# procps: sysctl and pgrep in the namespace tests. libsystemd-dev:
# sd_notify (Type=notify, the watchdog). build-essential, debhelper and
# lintian: the package test (tests/pkg) builds and checks the .deb.
# libclang-rt-dev: libFuzzer and the sanitizers' runtime for make fuzz
# (only recommended by clang, and recommends may be off). libcap-ng-dev:
# the daemon keeps CAP_NET_ADMIN alone, hooks get their grant.
PACKAGES="meson ninja-build pkg-config gcc clang libmnl-dev libinih-dev
libcmocka-dev libjson-c-dev libsystemd-dev libcap-ng-dev iproute2 python3 clang-format
util-linux procps build-essential debhelper lintian libclang-rt-dev"

# shellcheck disable=SC2086
sh "$(dirname "$0")/need-packages.sh" install-deps $PACKAGES >/dev/null
