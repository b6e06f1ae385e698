#!/bin/sh
# The Linux primitives under the core's takeover plan, on the host
# kernel, with a bridge standing in for the bond (this kernel may have
# no bonding): addresses and routes move over, a multipath route is
# reported, and a takeover that fails at its last step is undone.
# Usage: test-primitives.sh VFBOND BACKEND-PROBE
. "$(dirname "$0")/lib.sh"
PROBE=$(readlink -f "$2")

# addrs_routes DEV: what the plan moves, in a stable order.
addrs_routes() {
	{ ns ip -o addr show dev "$1" scope global |
		awk '{print $3, $4}'
	  ns ip route show dev "$1"
	  ns ip -6 route show dev "$1" | grep -v '^fe80\|^multicast'; } | sort
}

give_config() {
	ns ip link set "$1" up
	ns ip addr add 198.18.40.2/24 dev "$1"
	ns ip addr add 198.18.40.3/24 dev "$1"
	ns ip addr add 2001:db8:40::2/64 dev "$1" nodad
	ns ip route add 198.19.40.0/24 via 198.18.40.1 dev "$1"
	ns ip route add 198.20.40.0/24 dev "$1" metric 7
	ns ip route add 198.21.40.0/24 nexthop via 198.18.40.1 dev "$1" \
		nexthop via 198.18.40.4 dev "$1"
}

ns ip link add br0 type bridge
ns ip link set br0 up

# Success: syn0 is an Ethernet veth, the bridge takes it.
standin syn0 52:54:00:00:40:00
give_config syn0
# A takeover cut short (a crash) between copying an IPv6 route and
# removing the original: the kernel shows the two as one route with two
# hops, but each is a route of its own: syn0's goes, br0's stays.
ns ip -6 addr add 2001:db8:40::2/64 dev br0 nodad
ns ip -6 route add 2001:db8:41::/64 via 2001:db8:40::1 dev syn0
ns ip -6 route append 2001:db8:41::/64 via 2001:db8:40::1 dev br0
ns ip -6 route show 2001:db8:41::/64 | grep -q nexthop ||
	fail "the kernel did not merge the two IPv6 routes"
ns "$PROBE" takeover syn0 br0 >"$WORK/out" 2>&1 || {
	cat "$WORK/out"; fail "takeover"; }
grep -q "^note: route 198.21.40.0/24 .* stays on syn0: it has several next hops" \
	"$WORK/out" || { cat "$WORK/out"; fail "multipath route not reported"; }
ns ip -o link show syn0 | grep -q "master br0" || fail "syn0 not in br0"
ns ip -o addr show dev br0 | grep -q "198.18.40.3/24" || fail "address"
ns ip -o addr show dev br0 | grep -q "2001:db8:40::2/64" || fail "IPv6"
ns ip route show dev br0 | grep -q "198.19.40.0/24 via 198.18.40.1" ||
	fail "gateway route not on br0"
ns ip route show dev br0 | grep -q "198.20.40.0/24 .*metric 7" ||
	fail "metric lost"
[ -z "$(ns ip -o addr show dev syn0 scope global)" ] ||
	fail "addresses left on syn0"
ns ip route show dev syn0 | grep -q "198.19.40.0" && fail "route left on syn0"
ns ip -6 route show 2001:db8:41::/64 | grep -q "nexthop\|syn0" &&
	{ ns ip -6 route show 2001:db8:41::/64; fail "IPv6 hop left on syn0"; }
ns ip -6 route show dev br0 | grep -q "2001:db8:41::/64 via 2001:db8:40::1" ||
	fail "IPv6 route not on br0"

# Failure: a tun device cannot join a bridge, so the takeover fails at
# its last step; everything before it is undone.
ns ip link set syn0 nomaster
ns ip link del syn0
ns ip link del br0
ns ip link add br0 type bridge
ns ip link set br0 up
ns ip tuntap add syn1 mode tun
give_config syn1
before=$(addrs_routes syn1; addrs_routes br0; ns ip -o link show syn1 | grep -o "state [A-Z]*\|<[^>]*>")
if ns "$PROBE" takeover syn1 br0 >"$WORK/out" 2>&1; then
	fail "a tun device joined a bridge"
fi
grep -q "enslave syn1 to br0" "$WORK/out" || { cat "$WORK/out"; fail "error"; }
grep -q "undo incomplete" "$WORK/out" && { cat "$WORK/out"; fail "undo"; }
after=$(addrs_routes syn1; addrs_routes br0; ns ip -o link show syn1 | grep -o "state [A-Z]*\|<[^>]*>")
[ "$after" = "$before" ] || {
	echo "$before" >"$WORK/before"; echo "$after" >"$WORK/after"
	diff "$WORK/before" "$WORK/after"; fail "the takeover was not undone"; }
echo "ok: takeover moves addresses and routes; a failed one is undone"
