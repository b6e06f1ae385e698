# Shared by the namespace tests: a private network namespace per test,
# removed on any exit, and veth stand-ins for synthetic/VF pairs.
# Usage: . lib.sh; the test gets $VFBOND (the binary) as its first argument.
set -eu

VFBOND=$(readlink -f "$1")
NS="vfbt-ns-$$"
# Not under /tmp: hooks run only from directories that root alone can
# write, all the way up.
mkdir -p -m 0755 /var/lib/vfbond-tests
WORK=$(mktemp -d /var/lib/vfbond-tests/nstest.XXXXXX)
DAEMON_PID=""

cleanup() {
	status=$?
	if [ -n "$DAEMON_PID" ]; then
		kill "$DAEMON_PID" 2>/dev/null || true
		wait "$DAEMON_PID" 2>/dev/null || true
	fi
	ip netns del "$NS" 2>/dev/null || true
	if [ $status -ne 0 ] && [ -f "$WORK/daemon.log" ]; then
		echo "--- daemon log"; cat "$WORK/daemon.log"
	fi
	rm -rf "$WORK"
	exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$NS"
ip -n "$NS" link set lo up
# No IPv6 DAD in our namespace: its late flag changes would show in the
# before/after snapshots as changes nobody made.
ip netns exec "$NS" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
	net.ipv6.conf.all.accept_dad=0

ns() { ip netns exec "$NS" "$@"; }

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# A config that treats veths named syn* as synthetic NICs and lets veths
# be VFs: the host kernel has no virtio/VF pair to offer. Masters wait
# for a VF, as the traces here expect (no bonding on this kernel).
write_conf() {
	cat >"$WORK/vfbond.conf" <<EOC
[vfbond]
synthetic_names = syn*
vf_exclude_kinds = bond bridge vlan
master_before_vf = no
hooks_dir = $WORK/hooks
$*
EOC
}

# standin NAME MAC: a veth end named NAME with MAC (its peer p-NAME is up).
standin() {
	ns ip link add "$1" address "$2" type veth peer name "p-$1"
	ns ip link set "p-$1" up
}

# Not through ns(): $! must be vfbond itself, which ip netns exec becomes.
start_daemon() {
	ip netns exec "$NS" "$VFBOND" run -c "$WORK/vfbond.conf" -S "$WORK/ctl.sock" "$@" \
		>"$WORK/daemon.log" 2>&1 &
	DAEMON_PID=$!
	wait_for "daemon socket" test -S "$WORK/ctl.sock"
}

status_json() {
	ns "$VFBOND" status --json -S "$WORK/ctl.sock"
}

# wait_for WHAT CMD...: polls CMD every 50 ms for up to 10 s.
wait_for() {
	what=$1
	shift
	i=0
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 200 ] || fail "timed out waiting for $what"
		sleep 0.05
	done
}

# json_get EXPR: evaluates a Python expression on the status document.
json_get() {
	status_json | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

snapshot() {
	{
		ns ip -d -o link show | sed 's/ alias [^ ]*//'
		ns ip -o addr show
		ns ip route show table all
		ns ip -6 route show table all
	} | sed 's/ \(qlen\|numtxqueues\|numrxqueues\|gso_max\|gro_max\|tso_max\)[^ ]* [0-9]*//g' | sort
}
