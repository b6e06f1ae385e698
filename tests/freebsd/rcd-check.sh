#!/bin/sh
# Runs freebsd/rc.d/vfbond under a stand-in rc.subr (no FreeBSD here):
# its rcorder header, the command line it hands daemon(8), with and
# without a config file, and the prestart's kldload and its warning while
# /etc/devd/hyperv.conf still runs hyperv_vfup. The script's paths are
# rewritten into a scratch tree; rc.subr itself is not exercised.
# Usage: rcd-check.sh [SRCDIR]
set -eu
src=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
script="$src/freebsd/rc.d/vfbond"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

# What rcorder(8) reads.
header() {
	grep -q "^# $1\$" "$script" || fail "no '# $1' line"
}
header "PROVIDE: vfbond"
header "REQUIRE: netif devd"
header "BEFORE: NETWORKING"
sh -n "$script" || fail "sh -n"

mkdir -p "$tmp/etc/devd" "$tmp/usr/local/etc" "$tmp/bin"
# rc.subr's part: rc.conf's variables, then the precmd and the command.
cat >"$tmp/etc/rc.subr" <<'EOF'
load_rc_config() { [ -r "$RCD_ROOT/etc/rc.conf" ] && . "$RCD_ROOT/etc/rc.conf"; }
warn() { echo "WARN: $*"; }
run_rc_command() {
	echo "rcvar=$rcvar enable=$(eval echo \${$rcvar})"
	[ -n "${start_precmd:-}" ] && { $start_precmd || { echo "precmd failed"; return 1; }; }
	echo "exec: $command $command_args"
}
EOF
cat >"$tmp/bin/kldload" <<EOF
#!/bin/sh
echo "kldload \$*" >>"$tmp/kld.log"
exit \${KLD_RC:-0}
EOF
chmod +x "$tmp/bin/kldload"
sed -e "s|/usr/local/etc/|@LOCAL@|g" -e "s|/etc/|$tmp/etc/|g" \
	-e "s|@LOCAL@|$tmp/usr/local/etc/|g" "$script" >"$tmp/vfbond"

run() {
	RCD_ROOT=$tmp PATH="$tmp/bin:$PATH" sh "$tmp/vfbond" start 2>&1
}

out=$(run)
echo "$out" | grep -q "rcvar=vfbond_enable enable=NO$" ||
	fail "vfbond_enable does not default to NO: $out"
echo "$out" | grep -q "exec: /usr/sbin/daemon -f -p /var/run/vfbond.pid /usr/local/sbin/vfbond run --syslog *$" ||
	fail "command without a config file: $out"
grep -q "kldload -n if_lagg" "$tmp/kld.log" || fail "if_lagg not loaded"
echo "$out" | grep -q WARN && fail "warned without hyperv.conf: $out"

echo 'vfbond_enable="YES"' >"$tmp/etc/rc.conf"
echo 'vf_delay = 5' >"$tmp/usr/local/etc/vfbond.conf"
out=$(run)
echo "$out" | grep -q "enable=YES$" || fail "rc.conf not read: $out"
echo "$out" | grep -q "run --syslog -c $tmp/usr/local/etc/vfbond.conf *$" ||
	fail "config file not passed: $out"

printf '#\taction "/usr/libexec/hyperv/hyperv_vfup $subsystem";\n' \
	>"$tmp/etc/devd/hyperv.conf"
out=$(run)
echo "$out" | grep -q WARN && fail "warned over a commented rule: $out"
printf '\taction "/usr/libexec/hyperv/hyperv_vfup $subsystem";\n' \
	>"$tmp/etc/devd/hyperv.conf"
out=$(run)
echo "$out" | grep -q "WARN: .*hyperv.conf still runs hyperv_vfup" ||
	fail "no warning while hyperv_vfup runs: $out"

out=$(KLD_RC=1 run) || true
echo "$out" | grep -q "precmd failed" || fail "started without if_lagg: $out"
echo "$out" | grep -q "exec:" && fail "ran the daemon without if_lagg: $out"

[ "$fails" -eq 0 ] || exit 1
echo "rc.d script: ok"
