#!/bin/sh
# Only real devices are VFs: an ifb carrying the synthetic NIC's MAC (a
# dummy or macsec would do, but this host has no module for them) is not
# paired under the default vf_exclude_kinds; a config that changes the
# list lets the kinds it leaves out stand in, as veths do in these tests.
. "$(dirname "$0")/lib.sh"

standin syn0 52:54:00:00:60:00
ns ip link add ifb9 address 52:54:00:00:60:00 type ifb
ns ip link set ifb9 up

cat >"$WORK/default.conf" <<EOC
[vfbond]
synthetic_names = syn*
master_before_vf = no
EOC
ns "$VFBOND" plan -c "$WORK/default.conf" >"$WORK/plan.out" 2>&1 ||
	{ cat "$WORK/plan.out"; fail "plan failed"; }
grep -q "syn0" "$WORK/plan.out" || { cat "$WORK/plan.out"; fail "syn0 not seen"; }
grep -q "ifb9" "$WORK/plan.out" &&
	{ cat "$WORK/plan.out"; fail "an ifb was taken for a VF by default"; }

write_conf
ns "$VFBOND" plan -c "$WORK/vfbond.conf" >"$WORK/plan.out" 2>&1 ||
	{ cat "$WORK/plan.out"; fail "plan failed"; }
grep -q "syn0: would build-master vfb006000 (active-backup, primary ifb9" "$WORK/plan.out" ||
	{ cat "$WORK/plan.out"; fail "a changed vf_exclude_kinds no longer lets software links stand in"; }
echo "ok: software links are VFs only where the config lets them"
