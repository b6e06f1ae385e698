#!/bin/sh
# Hooks: the per-interface one wins over 'default'; one that overruns
# hook_timeout is killed, one that fails is logged; neither stops the
# daemon. The 'failed' events come from master names already taken by
# other links, so the test runs the same with or without a bonding driver.
. "$(dirname "$0")/lib.sh"

write_conf "hook_timeout = 300ms"
mkdir -p "$WORK/hooks"
cat >"$WORK/hooks/syn0" <<EOH
#!/bin/sh
echo "\$VFBOND_SYNTHETIC \$1" >>"$WORK/ran"
exec sleep 30
EOH
cat >"$WORK/hooks/default" <<EOH
#!/bin/sh
echo "default \$VFBOND_SYNTHETIC \$1" >>"$WORK/ran"
exit 3
EOH
chmod +x "$WORK/hooks/syn0" "$WORK/hooks/default"
standin syn0 52:54:00:00:50:00
standin vf0 52:54:00:00:50:00
standin syn1 52:54:00:00:50:01
standin vf1 52:54:00:00:50:01
ns ip link add vfb005000 type veth peer name vfb005001
start_daemon

wait_for "overrunning hook killed" grep -q "hook syn0 failed: killed after its time limit" "$WORK/daemon.log"
wait_for "failing hook logged" grep -q "hook default failed: exit status 3" "$WORK/daemon.log"
grep -qx "syn0 failed" "$WORK/ran" || fail "per-interface hook did not run for syn0"
grep -qx "default syn1 failed" "$WORK/ran" || fail "default hook did not run for syn1"
grep -q "default syn0" "$WORK/ran" && fail "default ran although syn0 has its own"
grep -q "create bond vfb005000: File exists" "$WORK/daemon.log" ||
	fail "syn0's failure is not the taken name"
kill -0 "$DAEMON_PID" || fail "the daemon died"
[ "$(json_get 'len(d["pairs"])')" = 2 ] || fail "status after hooks"
pgrep -f "sleep 30" >/dev/null && fail "the killed hook is still running"
echo "ok: hooks per interface, killed on time, failures logged"
