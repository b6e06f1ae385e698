#!/bin/sh
# A hook the daemon started but never saw end (SIGKILL) is kept in the
# state file beside the control socket, and the restart runs it again
# for the pair it finds, besides the pair's own new hooks; once all have
# ended the file is gone. The 'failed' events come from a master name
# taken by another link, with or without a bonding driver.
. "$(dirname "$0")/lib.sh"

STATE="$WORK/ctl.hooks"
write_conf "hook_timeout = 30"
mkdir -p "$WORK/hooks"
cat >"$WORK/hooks/default" <<EOH
#!/bin/sh
echo "\$1 \$2" >>"$WORK/ran"
echo \$\$ >"$WORK/hook.pid"
[ -e "$WORK/slow" ] && exec sleep 30
exit 0
EOH
chmod 755 "$WORK/hooks/default"
standin syn0 52:54:00:00:70:00
standin vf0 52:54:00:00:70:00
ns ip link add vfb007000 type veth peer name x-vfb0
ifindex=$(ns cat /sys/class/net/syn0/ifindex)

touch "$WORK/slow"
start_daemon
wait_for "the first hook" grep -qx "failed syn0" "$WORK/ran"
wait_for "the hook in the state file" grep -qx "failed $ifindex syn0" "$STATE"
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
DAEMON_PID=""
wait_for "the hook's pid" test -s "$WORK/hook.pid"
kill -s KILL -- "-$(cat "$WORK/hook.pid")"
[ "$(wc -l <"$WORK/ran")" = 1 ] || fail "hooks ran meanwhile"

rm "$WORK/slow"
start_daemon
wait_for "the replay" grep -q "syn0: hook failed not completed before a restart: running it again" "$WORK/daemon.log"
wait_for "the replayed and the new hook" test "$(wc -l <"$WORK/ran")" -ge 3
wait_for "the state file removed" test ! -e "$STATE"
sleep 0.3
[ "$(grep -cx "failed syn0" "$WORK/ran")" = 3 ] ||
	{ cat "$WORK/ran"; fail "not the first, the replayed and the new hook"; }
echo "ok: a hook a crash cut short runs again after the restart"
