#!/bin/sh
# Capabilities: once started, the daemon has CAP_NET_ADMIN alone in
# effect; a hook has exactly what hook_capabilities grants (effective,
# permitted, ambient), not root's full set, and nothing without a grant;
# also when started without CAP_SETPCAP, as systemd's unit does.
. "$(dirname "$0")/lib.sh"

NET_ADMIN=0000000000001000
# CAP_NET_BIND_SERVICE (10) and CAP_SYS_TIME (25).
GRANT=0000000002000400

mkdir -p "$WORK/hooks"
cat >"$WORK/hooks/default" <<EOH
#!/bin/sh
grep -E '^Cap(Eff|Prm|Amb):' /proc/self/status >"$WORK/caps.\$VFBOND_SYNTHETIC"
EOH
chmod 755 "$WORK/hooks/default"

# cap LINE FILE: the value of LINE (CapEff...) in a status file.
cap() { sed -n "s/^$1:[[:space:]]*//p" "$2"; }

# A taken master name makes the step fail: a 'failed' hook runs, with or
# without a bonding driver.
hook_caps() { # SYN MAC: the caps a hook for SYN had
	standin "$1" "$2"
	standin "v$1" "$2"
	wait_for "hook for $1" test -s "$WORK/caps.$1"
}

write_conf "hook_capabilities = CAP_NET_BIND_SERVICE CAP_SYS_TIME"
ns ip link add vfb006000 type veth peer name x-vfb0
start_daemon
wait_for "capabilities dropped" test "$(cap CapEff "/proc/$DAEMON_PID/status")" = $NET_ADMIN
hook_caps syn0 52:54:00:00:60:00
for c in CapEff CapPrm CapAmb; do
	[ "$(cap $c "$WORK/caps.syn0")" = $GRANT ] ||
		{ cat "$WORK/caps.syn0"; fail "hook's $c is not the grant"; }
done
[ "$(cap CapEff "/proc/$DAEMON_PID/status")" = $NET_ADMIN ] ||
	{ grep ^Cap "/proc/$DAEMON_PID/status"; fail "daemon's CapEff"; }
kill "$DAEMON_PID"
wait "$DAEMON_PID" || true
DAEMON_PID=""

# No grant: a hook runs as root with no capability at all.
write_conf ""
ns ip link add vfb006001 type veth peer name x-vfb1
start_daemon
hook_caps syn1 52:54:00:00:60:01
for c in CapEff CapPrm CapAmb; do
	[ "$(cap $c "$WORK/caps.syn1")" = 0000000000000000 ] ||
		{ cat "$WORK/caps.syn1"; fail "hook without a grant has $c"; }
done
grep -q "^Cap" "$WORK/caps.syn1" || fail "no capabilities read"
kill "$DAEMON_PID"
wait "$DAEMON_PID" || true
DAEMON_PID=""

# As a service manager starts it (systemd's CapabilityBoundingSet,
# NoNewPrivileges): no CAP_SETPCAP, so no SECBIT_NOROOT. A grant outside
# the bounding set is refused; a hook still gets its grant alone.
# Not a function: $! must be vfbond itself, as ip and setpriv exec it.
MANAGED="setpriv --nnp --bounding-set=-setpcap,-sys_time $VFBOND run \
	-c $WORK/vfbond.conf -S $WORK/ctl.sock"
write_conf "hook_capabilities = CAP_SYS_TIME"
# shellcheck disable=SC2086
if ip netns exec "$NS" $MANAGED >"$WORK/out" 2>&1; then
	fail "a grant it lacks was given"
fi
grep -q "vfbond itself lacks CAP_SYS_TIME" "$WORK/out" ||
	{ cat "$WORK/out"; fail "no word of the grant it lacks"; }
write_conf "hook_capabilities = CAP_NET_BIND_SERVICE"
ns ip link add vfb006002 type veth peer name x-vfb2
# shellcheck disable=SC2086
ip netns exec "$NS" $MANAGED >"$WORK/daemon.log" 2>&1 &
DAEMON_PID=$!
hook_caps syn2 52:54:00:00:60:02
[ "$(cap CapEff "/proc/$DAEMON_PID/status")" = $NET_ADMIN ] ||
	{ grep ^Cap "/proc/$DAEMON_PID/status"; fail "managed daemon's CapEff"; }
for c in CapEff CapPrm CapAmb; do
	[ "$(cap $c "$WORK/caps.syn2")" = 0000000000000400 ] ||
		{ cat "$WORK/caps.syn2"; fail "managed hook's $c"; }
done
echo "ok: the daemon keeps CAP_NET_ADMIN alone; hooks get their grant"
