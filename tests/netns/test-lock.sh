#!/bin/sh
# One actor at a time: with the daemon running, the one-shot commands
# leave the pair to it and a second daemon is refused; a one-shot that
# finds the lock held by another one-shot waits for it.
. "$(dirname "$0")/lib.sh"

write_conf
standin syn0 52:54:00:00:80:00
start_daemon
standin vf0 52:54:00:00:80:00
wait_for "the daemon saw vf0" grep -q "VF vf0" "$WORK/daemon.log"

for cmd in "up syn0" "attach vf0"; do
	# shellcheck disable=SC2086
	ns "$VFBOND" ${cmd%% *} -c "$WORK/vfbond.conf" -S "$WORK/ctl.sock" \
		${cmd#* } >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "$cmd: exit $?"; }
	grep -q "the running vfbond daemon handles it" "$WORK/out" ||
		{ cat "$WORK/out"; fail "$cmd did not leave the pair to the daemon"; }
done

set +e
ns "$VFBOND" run -c "$WORK/vfbond.conf" -S "$WORK/ctl.sock" >"$WORK/out" 2>&1
rc=$?
set -e
[ $rc = 1 ] && grep -q "another vfbond is running" "$WORK/out" ||
	{ cat "$WORK/out"; fail "a second daemon was not refused (exit $rc)"; }

# Its pair failed (no bonding, or taken): no hooks directory, no word.
grep -q "hooks refused" "$WORK/daemon.log" && fail "a missing hooks directory was refused"
kill "$DAEMON_PID"
wait "$DAEMON_PID" || true
DAEMON_PID=""

# Another one-shot holds the lock for 1.5 s: this one waits, then runs.
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.lockf(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(1.5)' "$WORK/ctl.lock" "$WORK/locked" &
# Held, however long python took to start on a busy machine.
wait_for "the other one-shot's lock" test -e "$WORK/locked"
t0=$(date +%s%N)
ns "$VFBOND" up -c "$WORK/vfbond.conf" -S "$WORK/ctl.sock" syn0 >"$WORK/out" 2>&1 || true
ms=$((($(date +%s%N) - t0) / 1000000))
grep -q "waiting for another vfbond to finish" "$WORK/out" ||
	{ cat "$WORK/out"; fail "the one-shot did not wait for the lock"; }
[ "$ms" -ge 1100 ] || fail "the one-shot ran after ${ms} ms, with the lock held"
grep -q "syn0" "$WORK/out" || { cat "$WORK/out"; fail "the one-shot did not run"; }

# A daemon that holds the lock but binds its socket only a second later
# (it is still starting): the waiting one-shot sees it answer and leaves
# the pair to it, at once, not after its whole wait for the lock.
wait "$!" 2>/dev/null || true
rm -f "$WORK/locked" "$WORK/ctl.sock"
python3 -c 'import fcntl, os, socket, sys, time
f = open(sys.argv[1], "a")
fcntl.lockf(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(1)
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[3])
s.listen(4)
s.settimeout(15)
while True:
    c, _ = s.accept()
    c.recv(128)
    c.sendall(b"{\"source\":\"daemon\",\"pairs\":[]}")
    c.close()' "$WORK/ctl.lock" "$WORK/locked" "$WORK/ctl.sock" &
starting=$!
wait_for "the starting daemon's lock" test -e "$WORK/locked"
t0=$(date +%s%N)
timeout 20 ip netns exec "$NS" "$VFBOND" up -c "$WORK/vfbond.conf" \
	-S "$WORK/ctl.sock" syn0 >"$WORK/out" 2>&1 || { cat "$WORK/out"; kill "$starting"; fail "up: exit $?"; }
late=$((($(date +%s%N) - t0) / 1000000))
kill "$starting" 2>/dev/null || true
grep -q "the running vfbond daemon handles it" "$WORK/out" ||
	{ cat "$WORK/out"; fail "the one-shot did not leave the pair to the late daemon"; }
[ "$late" -lt 5000 ] || fail "the one-shot took ${late} ms to see the daemon"
echo "ok: one actor at a time (the waiting one-shot ran after ${ms} ms; saw a late daemon after ${late} ms)"
