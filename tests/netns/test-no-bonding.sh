#!/bin/sh
# This host kernel has no bonding driver: vfbond must say so in one line
# naming the module, run the 'failed' hook, and change nothing.
. "$(dirname "$0")/lib.sh"

if ns ip link add probe0 type bond 2>/dev/null; then
	ns ip link del probe0
	echo "SKIP: this kernel has a bonding driver"
	exit 77
fi
write_conf
mkdir -p "$WORK/hooks"
cat >"$WORK/hooks/default" <<EOH
#!/bin/sh
env | sort >"$WORK/hook.env"
echo "\$@" >"$WORK/hook.args"
EOH
chmod +x "$WORK/hooks/default"
standin syn0 52:54:00:00:30:00
ns ip addr add 198.18.30.2/24 dev syn0
ns ip link set syn0 up
ns ip route add 198.19.30.0/24 via 198.18.30.1 dev syn0
standin vf0 52:54:00:00:30:00
before=$(snapshot)

start_daemon
wait_for "failure" grep -q "no bonding driver" "$WORK/daemon.log"
grep "vfb003000" "$WORK/daemon.log" | grep -q "module 'bonding'" ||
	fail "the error does not name the module"
[ "$(grep -c "no bonding driver" "$WORK/daemon.log")" = 1 ] ||
	fail "the error was not said once"
[ "$(json_get 'd["pairs"][0]["state"]')" = failed ] || fail "pair not failed"
# Status says why in the backend's words, and that no retry is coming.
json_get 'd["pairs"][0]["last_error_detail"]' | grep -q "module 'bonding'" ||
	fail "status does not say why"
[ "$(json_get 'd["pairs"][0]["transient"]')" = False ] ||
	fail "a missing driver taken for transient"
[ "$(json_get 'd["pairs"][0]["retry_at"]')" = None ] ||
	fail "a permanent failure has a retry time"
ns "$VFBOND" status -S "$WORK/ctl.sock" >"$WORK/status.txt"
grep -q "module 'bonding'" "$WORK/status.txt" ||
	fail "text status does not say why"
grep -q "not retried: a retry cannot fix it" "$WORK/status.txt" ||
	fail "text status does not say it is not retried"
[ "$(snapshot)" = "$before" ] || {
	echo "$before" >"$WORK/before"; snapshot >"$WORK/after"
	diff "$WORK/before" "$WORK/after"; fail "the network changed"; }

# The hook ran, exec'd directly, with only our variables.
wait_for "hook" test -s "$WORK/hook.env"
[ "$(cat "$WORK/hook.args")" = "failed syn0" ] || fail "hook arguments"
grep -q '^VFBOND_EVENT=failed$' "$WORK/hook.env" || fail "VFBOND_EVENT"
grep -q '^VFBOND_SYNTHETIC=syn0$' "$WORK/hook.env" || fail "VFBOND_SYNTHETIC"
grep -q '^VFBOND_VF=vf0$' "$WORK/hook.env" || fail "VFBOND_VF"
extra=$(grep -v '^VFBOND_\|^PATH=\|^PWD=\|^SHLVL=\|^_=' "$WORK/hook.env" || true)
[ -z "$extra" ] || fail "hook environment is not clean: $extra"

# No retry storm for the same VF: still one error a second later.
sleep 1
[ "$(grep -c "no bonding driver" "$WORK/daemon.log")" = 1 ] ||
	fail "retried for the same VF"
kill "$DAEMON_PID"
wait "$DAEMON_PID" || fail "SIGTERM exit status"
DAEMON_PID=""
[ ! -e "$WORK/ctl.sock" ] || fail "control socket left behind"
[ "$(snapshot)" = "$before" ] || fail "the network changed on exit"
echo "ok: clear no-bonding error, nothing changed, hook ran clean"
