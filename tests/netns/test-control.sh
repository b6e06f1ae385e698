#!/bin/sh
# The control socket never waits on a client: one that trickles its
# request a byte at a time neither delays another's status nor lingers
# past its deadline.
. "$(dirname "$0")/lib.sh"

write_conf
standin syn0 52:54:00:00:70:00
start_daemon --dry-run

# 100 bytes, one every 100 ms, never a newline: 10 s if served to the end.
python3 - "$WORK/ctl.sock" >"$WORK/trickle.out" 2>&1 <<'EOPY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
try:
    for _ in range(100):
        s.send(b"s")
        time.sleep(0.1)
    print("sent all")
except OSError as e:
    print("dropped:", e)
EOPY
TRICKLE=$!
sleep 0.3

t0=$(date +%s%N)
[ "$(json_get 'len(d["pairs"])')" = 1 ] || fail "status while a client trickles"
ms=$((($(date +%s%N) - t0) / 1000000))
echo "status answered in ${ms} ms while another client trickled"
[ "$ms" -lt 700 ] || fail "status took ${ms} ms: the daemon waited on a client"

wait_for "slow client dropped" grep -q "control client too slow: dropped" "$WORK/daemon.log"
wait "$TRICKLE"
grep -q "dropped" "$WORK/trickle.out" || fail "the trickling client was never cut off"
kill -0 "$DAEMON_PID" || fail "the daemon died"
echo "ok: slow clients neither stall the daemon nor linger"
