#!/bin/sh
# The command line: bad config, bad arguments, odd names, status with and
# without a daemon, the root-only control socket. Each error is one line
# and leaves the network as it was.
. "$(dirname "$0")/lib.sh"

write_conf
standin syn0 52:54:00:00:40:00
standin vf0 52:54:00:00:40:00
before=$(snapshot)

# expect STATUS PATTERN CMD...: exit status and a one-line stderr.
expect() {
	want=$1 pattern=$2
	shift 2
	set +e
	ns "$@" >"$WORK/out" 2>"$WORK/err"
	got=$?
	set -e
	[ "$got" = "$want" ] || { cat "$WORK/err"; fail "'$*' exited $got, want $want"; }
	[ "$want" = 0 ] && return 0
	[ "$(wc -l <"$WORK/err")" = 1 ] || { cat "$WORK/err"; fail "'$*': not one line"; }
	grep -q -- "$pattern" "$WORK/err" || { cat "$WORK/err"; fail "'$*': want '$pattern'"; }
}

printf '[vfbond]\nvf_delay = 2\nmiimon = fast\n' >"$WORK/bad.conf"
expect 78 "^vfbond: $WORK/bad.conf:3: miimon: bad duration 'fast'" \
	"$VFBOND" run -c "$WORK/bad.conf" -S "$WORK/ctl.sock"
expect 78 "bad.conf:3:" "$VFBOND" plan -c "$WORK/bad.conf"
expect 78 "bad.conf:3:" "$VFBOND" up -c "$WORK/bad.conf" syn0
expect 78 "No such file" "$VFBOND" run -c "$WORK/missing.conf"
[ ! -e "$WORK/ctl.sock" ] || fail "a bad config still opened the socket"

expect 2 "unknown command 'frobnicate'" "$VFBOND" frobnicate
expect 2 "run: unexpected argument 'extra-argument'" "$VFBOND" run extra-argument
expect 2 "run: bad option '--bogus'" "$VFBOND" run --bogus
expect 2 "status: bad or incomplete option '-S'" "$VFBOND" status -S
expect 2 "up: want one SYNTHETIC" "$VFBOND" up
expect 1 "no interface 'nosuch0'" "$VFBOND" up -c "$WORK/vfbond.conf" nosuch0
# Long options work in every command, as their --help says.
expect 1 "no interface 'nosuch0'" "$VFBOND" up --config "$WORK/vfbond.conf" nosuch0
expect 0 "" "$VFBOND" attach --config "$WORK/vfbond.conf" p-syn0
expect 0 "" "$VFBOND" plan --config "$WORK/vfbond.conf"
for cmd in run status plan attach up; do
	"$VFBOND" "$cmd" --help | grep -q -- "-c, --config FILE" ||
		fail "$cmd --help does not show --config"
done
expect 1 "no interface 'averyveryverylongname'" \
	"$VFBOND" attach -c "$WORK/vfbond.conf" averyveryverylongname
expect 1 "no interface 'a/b'" "$VFBOND" up -c "$WORK/vfbond.conf" a/b
expect 1 "vf0 is not a synthetic NIC" "$VFBOND" up -c "$WORK/vfbond.conf" vf0
expect 2 "bad delay 'soon'" "$VFBOND" attach -c "$WORK/vfbond.conf" vf0 soon
expect 0 "" "$VFBOND" attach -c "$WORK/vfbond.conf" p-syn0
grep -q "not the VF of a synthetic NIC" "$WORK/out" || fail "attach of a non-VF"

# Without a daemon, status reads the kernel.
ns "$VFBOND" status -c "$WORK/vfbond.conf" -S "$WORK/ctl.sock" >"$WORK/out"
grep -q "^syn0 .* vf0 " "$WORK/out" || { cat "$WORK/out"; fail "status table"; }
grep -q "(from the kernel)" "$WORK/out" || fail "status source"
ns "$VFBOND" status --json -c "$WORK/vfbond.conf" -S "$WORK/ctl.sock" |
	python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["source"]=="kernel", d; assert d["pairs"][0]["mac"]=="52:54:00:00:40:00", d'

# With one, the daemon answers, to root only.
start_daemon --dry-run
ns "$VFBOND" status -S "$WORK/ctl.sock" | grep -q "(from the daemon)" ||
	fail "status did not ask the daemon"
[ "$(stat -c %a "$WORK/ctl.sock")" = 700 ] || fail "socket mode: not root only"
chmod 755 "$WORK"
set +e
ns setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$VFBOND" status -S "$WORK/ctl.sock" >"$WORK/out" 2>&1
got=$?
set -e
[ $got != 0 ] || fail "a non-root user read the status"
# A second daemon on the same socket refuses to start.
expect 1 "another vfbond is running" "$VFBOND" run -c "$WORK/vfbond.conf" -S "$WORK/ctl.sock"
kill "$DAEMON_PID"; wait "$DAEMON_PID"; DAEMON_PID=""
[ "$(snapshot)" = "$before" ] || fail "the network changed"
echo "ok: command line errors, status both ways, root-only socket"
