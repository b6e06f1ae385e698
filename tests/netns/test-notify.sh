#!/bin/sh
# Type=notify: READY=1 once the first reconcile is done (the pairs found
# and their first step taken), WATCHDOG=1 at half of WATCHDOG_USEC when
# WATCHDOG_PID is the daemon, none when it is not, STOPPING=1 on SIGTERM.
# A Python listener stands in for systemd's notification socket.
if [ "${VFBOND_HAVE_SYSTEMD:-1}" = 0 ]; then
	echo "SKIP: vfbond was built without libsystemd"
	exit 77
fi
. "$(dirname "$0")/lib.sh"
LISTEN="$(dirname "$0")/notify-listen.py"
LISTENER_PID=""
trap 'st=$?; [ -z "$LISTENER_PID" ] || kill "$LISTENER_PID" 2>/dev/null; (exit $st); cleanup' EXIT

write_conf
standin syn0 52:54:00:00:50:00
standin vf0 52:54:00:00:50:00

# listen NAME: a fresh listener writing $WORK/NAME.msgs.
listen() {
	[ -z "$LISTENER_PID" ] || kill "$LISTENER_PID"
	python3 "$LISTEN" "$WORK/$1.sock" "$WORK/$1.msgs" &
	LISTENER_PID=$!
	wait_for "notify listener" test -S "$WORK/$1.sock"
}

# notify_daemon NAME WATCHDOG_PID: the daemon (dry run, -v) under a notify
# socket, WATCHDOG_USEC 1 s; WATCHDOG_PID "self" is the daemon's own pid
# (sh execs ip, which execs vfbond: one pid all along).
notify_daemon() {
	rm -f "$WORK/ctl.sock"
	NOTIFY_SOCKET="$WORK/$1.sock" WATCHDOG_USEC=1000000 WD="$2" \
		sh -c 'if [ "$WD" = self ]; then WATCHDOG_PID=$$; else WATCHDOG_PID=$WD; fi
		export WATCHDOG_PID; unset WD; exec ip netns exec "$@"' sh \
		"$NS" "$VFBOND" run -c "$WORK/vfbond.conf" -S "$WORK/ctl.sock" \
		--dry-run -v >"$WORK/daemon.log" 2>&1 &
	DAEMON_PID=$!
	wait_for "daemon socket" test -S "$WORK/ctl.sock"
}

stop_daemon() {
	kill "$DAEMON_PID"
	wait "$DAEMON_PID" || fail "daemon exited with $? on SIGTERM"
	DAEMON_PID=""
}

# --- the daemon's own pid: ready after the first reconcile, watchdog fed
listen own
notify_daemon own self
wait_for "READY=1" grep -q "READY=1" "$WORK/own.msgs"
# The log is one process's, in order: syn0's first step, then READY=1.
step=$(grep -n "syn0: would be building master vfb005000 over VF vf0" \
	"$WORK/daemon.log" | cut -d: -f1)
ready=$(grep -n "told the service manager READY=1" "$WORK/daemon.log" |
	cut -d: -f1)
[ -n "$step" ] && [ -n "$ready" ] && [ "$step" -lt "$ready" ] ||
	fail "READY=1 was not sent after syn0's pair was reconciled"
[ "$(grep -c "READY=1" "$WORK/own.msgs")" = 1 ] || fail "READY=1 sent more than once"

# An idle daemon (dry run: nothing is due) still wakes up for the watchdog.
sleep 3.2
grep "WATCHDOG=1" "$WORK/own.msgs" | awk '
	NR > 1 { gap = $1 - prev; if (min == "" || gap < min) min = gap
		 if (gap > max) max = gap }
	{ prev = $1; n++ }
	END { printf "%d pings, gaps %s-%s ms\n", n, min, max
	      exit !(n >= 5 && n <= 12 && min >= 400 && max < 1000) }' ||
	fail "want a WATCHDOG=1 every ~500 ms (half of WATCHDOG_USEC)"
status_json >/dev/null || fail "status does not answer under a watchdog"

stop_daemon
tail -n 1 "$WORK/own.msgs" | grep -q "STOPPING=1" ||
	{ cat "$WORK/own.msgs"; fail "no STOPPING=1 as the last message on SIGTERM"; }

# --- WATCHDOG_PID names another process: the watchdog is not ours
listen other
notify_daemon other 1
wait_for "READY=1" grep -q "READY=1" "$WORK/other.msgs"
sleep 1.5
if grep -q "WATCHDOG=1" "$WORK/other.msgs"; then
	fail "WATCHDOG=1 sent though WATCHDOG_PID is another process"
fi
stop_daemon
grep -q "STOPPING=1" "$WORK/other.msgs" || fail "no STOPPING=1 on SIGTERM"
echo "ok: READY=1 after the first reconcile, WATCHDOG=1 at half the interval, STOPPING=1"
