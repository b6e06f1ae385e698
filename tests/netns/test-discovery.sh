#!/bin/sh
# Discovery and pairing on the host kernel: stand-in pairs found at start
# and as they appear, by ifindex through renames, several pairs at once.
. "$(dirname "$0")/lib.sh"

write_conf
standin syn0 52:54:00:00:20:00
standin other0 52:54:00:00:20:09
standin syn1 52:54:00:00:20:01
start_daemon --dry-run

[ "$(json_get 'len(d["pairs"])')" = 2 ] || fail "want 2 synthetic NICs"
[ "$(json_get 'sorted(p["state"] for p in d["pairs"])')" = "['solo', 'solo']" ] ||
	fail "both pairs should be solo"

# A VF appears after start: paired at once, by MAC.
standin vf0 52:54:00:00:20:00
wait_for "pairing of syn0" grep -q "syn0: would be building master vfb002000 over VF vf0" "$WORK/daemon.log"
vf0=$(ns cat /sys/class/net/vf0/ifindex)
[ "$(json_get '[p["vf_ifindex"] for p in d["pairs"] if p["synthetic"]=="syn0"][0]')" = "$vf0" ] ||
	fail "syn0's VF is not vf0 by ifindex"

# Renamed: same ifindex, new name in status.
ns ip link set vf0 name vfrenamed
wait_for "rename seen" sh -c "'$VFBOND' status --json -S '$WORK/ctl.sock' | grep -q vfrenamed"
ns "$VFBOND" status --json -S "$WORK/ctl.sock" | grep -q '"vf":"vfrenamed"' ||
	fail "rename not reflected in status"
ns "$VFBOND" status --json -S "$WORK/ctl.sock" | grep -q "\"vf_ifindex\":$vf0" ||
	fail "ifindex changed across a rename"

# The second pair is independent.
standin vf1 52:54:00:00:20:01
wait_for "pairing of syn1" grep -q "syn1: would be building master vfb002001 over VF vf1" "$WORK/daemon.log"

# A link with another MAC is nobody's VF.
grep -q other0 "$WORK/daemon.log" && fail "other0 was treated as a VF"

# 'plan' sees the same without a daemon.
ns "$VFBOND" plan -c "$WORK/vfbond.conf" >"$WORK/plan.out"
grep -q "syn0: would build-master vfb002000 (active-backup, primary vfrenamed" "$WORK/plan.out" ||
	{ cat "$WORK/plan.out"; fail "plan did not show syn0's master"; }
echo "ok: discovery, pairing, renames, two pairs, plan"
