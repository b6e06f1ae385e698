#!/bin/sh
# Hooks: the per-interface one wins over 'default'; one that overruns
# hook_timeout is killed with all it started, one that fails is logged;
# neither stops the daemon. They start with default signals, run only
# from files and directories root alone can change, get only plain
# interface names, and none is dropped when many come at once. The
# 'failed' events come from master names already taken by other links,
# so the test runs the same with or without a bonding driver.
. "$(dirname "$0")/lib.sh"

write_conf "hook_timeout = 300ms"
mkdir -p "$WORK/hooks"
# Not exec'd: the sleep is the hook's child, and must die with it.
cat >"$WORK/hooks/syn0" <<EOH
#!/bin/sh
echo "\$VFBOND_SYNTHETIC \$1" >>"$WORK/ran"
grep -E '^Sig(Blk|Ign):' /proc/self/status >"$WORK/signals"
sleep 30 &
echo \$! >"$WORK/sleep.pid"
wait
EOH
cat >"$WORK/hooks/default" <<EOH
#!/bin/sh
echo "default \$VFBOND_SYNTHETIC \$1" >>"$WORK/ran"
exit 3
EOH
chmod 755 "$WORK/hooks/syn0" "$WORK/hooks/default"
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
sleep 0.2
# Gone, or a zombie that whoever inherited it has yet to reap.
state=$(sed 's/.*) //' "/proc/$(cat "$WORK/sleep.pid")/stat" 2>/dev/null | cut -c1)
[ -z "$state" ] || [ "$state" = Z ] ||
	fail "the killed hook's child is still running (state $state)"
# The daemon blocks SIGTERM and friends for its loop: hooks must not.
# Signals 1-31 only: libc keeps 32 and 33 for itself (sigaction refuses
# them), and whatever started the tests may have left them ignored.
std_sigs() { # MASK: the mask's signals 1 to 31
	low=$(grep "^$1:" "$WORK/signals" | sed 's/.*\(........\)$/\1/')
	echo $((0x$low & 0x7fffffff))
}
[ "$(std_sigs SigBlk)" = 0 ] || { cat "$WORK/signals"; fail "hook started with signals blocked"; }
[ "$(std_sigs SigIgn)" = 0 ] || { cat "$WORK/signals"; fail "hook started with signals ignored"; }

# A hook others may write is refused, and said so; it does not run.
chmod g+w "$WORK/hooks/default"
standin syn2 52:54:00:00:50:02
standin vf2 52:54:00:00:50:02
ns ip link add vfb005002 type veth peer name x-vfb2
wait_for "writable hook refused" grep -q "hook $WORK/hooks/default refused: not a root-owned" "$WORK/daemon.log"
grep -q "default syn2" "$WORK/ran" && fail "a group-writable hook ran"
chmod g-w "$WORK/hooks/default"

# A name with characters a shell would act on never reaches a hook.
standin 'syn$x' 52:54:00:00:50:03
standin vf3 52:54:00:00:50:03
ns ip link add vfb005003 type veth peer name x-vfb3
wait_for "odd name refused" grep -q "not run: an interface name has characters" "$WORK/daemon.log"
grep -q 'syn\$x' "$WORK/ran" && fail "a hook got an odd name"

# A hooks directory others may write: no hook runs, and the log says why.
chmod g+w "$WORK/hooks"
standin syn4 52:54:00:00:50:04
standin vf4 52:54:00:00:50:04
ns ip link add vfb005004 type veth peer name x-vfb4
wait_for "writable hooks directory refused" grep -q "hooks refused: .*not root's alone" "$WORK/daemon.log"
grep -q "default syn4" "$WORK/ran" && fail "a hook ran from a group-writable directory"
chmod g-w "$WORK/hooks"
echo "ok: hooks per interface, killed with their children, clean signals, strict modes, plain names"
