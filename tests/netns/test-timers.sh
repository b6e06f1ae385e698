#!/bin/sh
# The daemon's timer: vf_delay holds the build back, then the timer
# fires it without any further kernel event.
. "$(dirname "$0")/lib.sh"

write_conf "vf_delay = 2s"
start_daemon --dry-run
standin syn0 52:54:00:00:50:00
standin vf0 52:54:00:00:50:00
sleep 0.5
grep -q "would be building master" "$WORK/daemon.log" &&
	fail "built before vf_delay was over"
wait_for "the delayed build" grep -q "syn0: would be building master" \
	"$WORK/daemon.log"
echo "ok: vf_delay holds the build back and the timer fires it"
