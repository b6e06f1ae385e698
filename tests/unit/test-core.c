/* SPDX-License-Identifier: MIT */
/*
 * The engine from scripted traces: each test plays what the kernel would
 * report, hands back results of the engine's actions, and checks what it
 * decides. Ifindexes: 2 = synthetic, 3 = VF, 9 = master, 4 = a new VF.
 */
#include <errno.h>

#include "trace.h"

#define T0 1000000

static struct vf_config conf;

static int
setup(void **state)
{
	vf_config_defaults(&conf);
	vf_if_defaults(&conf);
	/* Most traces are of a VF that comes: the master waits for it. */
	conf.master_before_vf = false;
	hook_log[0] = '\0';
	return 0;
}

static int
setup_early(void **state)
{
	setup(state);
	conf.master_before_vf = true;
	return 0;
}

static struct vf_core *
new_core(void)
{
	struct vf_core *core = vf_core_new(&conf);

	assert_non_null(core);
	return core;
}

/* Plays the kernel's side of a successful BUILD_MASTER. */
static void
kernel_built(struct vf_core *core, struct vf_action *act, bool carrier)
{
	struct vf_link m = mk_master(9, act->master_name, MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);

	m.carrier = carrier;
	m.active_slave = carrier ? 3 : 0;
	v.master = 9;
	v.up = true;
	v.carrier = carrier;
	vf_core_link_update(core, &m, T0 + 10);
	vf_core_link_update(core, &v, T0 + 10);
	act->master = 9;
	vf_core_action_done(core, act, 0, T0 + 10);
}

/* Drives a pair to ACTIVE: synthetic 2 + VF 3 in master 9. */
static struct vf_core *
active_pair(void)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_action act;

	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_BUILD_MASTER);
	kernel_built(core, &act, true);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_TAKEOVER);
	s.master = 9;
	vf_core_link_update(core, &s, T0 + 20);
	vf_core_action_done(core, &act, 0, T0 + 20);
	assert_int_equal(state_of(core, 2), VF_PAIR_ACTIVE);
	return core;
}

/*
 * An address a manager put on a port is taken off it, with its routes:
 * dead there, and its routes send replies where the bond does not
 * listen. Once in a while, not in a loop with the manager.
 */
static void
address_on_a_port_is_cleared(void **state)
{
	struct vf_core *core = active_pair();
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_action act;
	struct vf_pair_status st;

	v.master = 9;
	v.up = true;
	v.carrier = true;
	v.has_ip = true;
	vf_core_link_update(core, &v, T0 + 100);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_CLEAR_PORT);
	assert_int_equal(act.port, 3);
	assert_string_equal(act.port_name, "eth1");
	assert_int_equal(act.master, 9);
	/* Failed, or the manager put it back at once: degraded, no loop. */
	vf_core_action_done(core, &act, EPERM, T0 + 110);
	vf_core_link_update(core, &v, T0 + 120);
	assert_int_equal(next_real(core).type, NO_ACTION);
	assert_true(vf_core_pair_status(core, 0, &st));
	assert_int_equal(st.state, VF_PAIR_ACTIVE);
	assert_string_equal(st.degraded, "eth1 has an address, as a port");
	/* Later, again, with no event needed: a timer. */
	assert_int_equal(vf_core_next_deadline(core),
			 T0 + 100 + VF_CLEAR_EVERY_MS);
	vf_core_tick(core, T0 + 100 + VF_CLEAR_EVERY_MS);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_CLEAR_PORT);
	v.has_ip = false;
	vf_core_link_update(core, &v, T0 + 200 + VF_CLEAR_EVERY_MS);
	vf_core_action_done(core, &act, 0, T0 + 200 + VF_CLEAR_EVERY_MS);
	assert_int_equal(next_real(core).type, NO_ACTION);
	assert_true(vf_core_pair_status(core, 0, &st));
	assert_string_equal(st.degraded, "");
	vf_core_free(core);
}

/*
 * A port someone took down (a network manager giving a NIC up, say)
 * leaves the master without it: degraded, with the reason.
 */
static void
port_down_is_degraded(void **state)
{
	struct vf_core *core = active_pair();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_pair_status st;

	s.master = 9;
	s.up = false;
	s.carrier = false;
	vf_core_link_update(core, &s, T0 + 100);
	assert_true(vf_core_pair_status(core, 0, &st));
	assert_int_equal(st.state, VF_PAIR_ACTIVE);
	assert_string_equal(st.degraded, "eth0 is down, as a port");
	s.up = true;
	s.carrier = true;
	vf_core_link_update(core, &s, T0 + 200);
	assert_true(vf_core_pair_status(core, 0, &st));
	assert_string_equal(st.degraded, "");
	vf_core_free(core);
}

/*
 * A migration: the VF first leaves the master, then disappears. The
 * step that rejoins it fails for want of it; that is the VF gone, not a
 * failure (seen on a real kernel right after a restart).
 */
static void
vf_gone_during_its_step_is_no_failure(void **state)
{
	struct vf_core *core = active_pair();
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_action act;

	hook_log[0] = '\0';
	v.up = true;
	vf_core_link_update(core, &v, T0 + 100); /* released: master 0 */
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_ENSLAVE_VF);
	vf_core_link_remove(core, 3, T0 + 101); /* gone while it ran */
	vf_core_action_done(core, &act, ENODEV, T0 + 102);
	assert_int_equal(state_of(core, 2), VF_PAIR_VF_GONE);
	assert_null(strstr(hook_log, "failed"));
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

static void
pairs_virtio_with_same_mac_vf(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_action act;

	vf_core_link_update(core, &s, T0);
	assert_int_equal(state_of(core, 2), VF_PAIR_SOLO);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_link_update(core, &v, T0);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_BUILD_MASTER);
	assert_int_equal(act.synthetic, 2);
	assert_int_equal(act.vf, 3);
	assert_string_equal(act.master_name, "vfb001000");
	assert_string_equal(act.alias, "vfbond:" MAC_A);
	vf_core_free(core);
}

static void
hv_netvsc_is_synthetic_and_others_are_not(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link hn = mk_link(2, "eth0", "hv_netvsc", "", MAC_A);
	struct vf_link mlx = mk_link(3, "enP1s1", "mlx5_core", "", MAC_A);

	vf_core_link_update(core, &mlx, T0);
	assert_int_equal(vf_core_pair_count(core), 0);
	vf_core_link_update(core, &hn, T0);
	assert_int_equal(vf_core_pair_count(core), 1);
	assert_int_equal(next_real(core).type, VF_ACT_BUILD_MASTER);
	vf_core_free(core);
}

static void
excluded_kinds_and_other_macs_are_not_vfs(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link br = mk_link(5, "br0", "bridge", "bridge", MAC_A);
	struct vf_link vlan =
	    mk_link(6, "eth0.7", "802.1Q VLAN", "vlan", MAC_A);
	struct vf_link veth = mk_link(7, "veth0", "veth", "veth", MAC_A);
	struct vf_link other = mk_vf(8, "eth2", MAC_B);
	struct vf_link notether = mk_vf(10, "ib0", MAC_A);

	notether.ether = false;
	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &br, T0);
	vf_core_link_update(core, &vlan, T0);
	vf_core_link_update(core, &veth, T0);
	vf_core_link_update(core, &other, T0);
	vf_core_link_update(core, &notether, T0);
	assert_int_equal(next_real(core).type, NO_ACTION);
	assert_int_equal(state_of(core, 2), VF_PAIR_SOLO);
	vf_core_free(core);
}

static void
stand_ins_pair_by_name_pattern(void **state)
{
	struct vf_core *core;
	struct vf_link s = mk_link(2, "syn0", "veth", "veth", MAC_A);
	struct vf_link v = mk_link(3, "vf0", "veth", "veth", MAC_A);

	vf_words_set(&conf.synthetic_names, "syn*");
	vf_words_set(&conf.vf_exclude_kinds, "bond bridge");
	core = new_core();
	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	assert_int_equal(vf_core_pair_count(core), 1);
	assert_int_equal(next_real(core).vf, 3);
	vf_core_free(core);
}

/* Only bus devices are VFs by default: a dummy or macsec is not one. */
static void
software_links_are_not_vfs_by_default(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link dummy = mk_link(5, "dummy0", "", "dummy", MAC_A);
	struct vf_link macsec = mk_link(6, "macsec0", "", "macsec", MAC_A);

	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &dummy, T0);
	vf_core_link_update(core, &macsec, T0);
	assert_int_equal(next_real(core).type, NO_ACTION);
	assert_int_equal(state_of(core, 2), VF_PAIR_SOLO);
	vf_core_free(core);
	/* A config that changes the list lets the kinds it omits in. */
	vf_words_set(&conf.vf_exclude_kinds, "bond bridge vlan");
	core = new_core();
	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &dummy, T0);
	assert_int_equal(next_real(core).vf, 5);
	vf_core_free(core);
}

/* syn 2 + VF 3 in master 9 (marked), as a restart finds them. */
static struct vf_core *
restart_with_master(struct vf_link *m)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);

	v.master = 9;
	s.master = 9;
	vf_core_link_update(core, m, T0);
	vf_core_link_update(core, &v, T0);
	vf_core_link_update(core, &s, T0);
	return core;
}

static void
master_not_active_backup_is_not_adopted(void **state)
{
	struct vf_link m = mk_master(9, "vfb100000", MAC_A);
	struct vf_core *core;

	m.active_backup = false;
	core = restart_with_master(&m);
	assert_int_equal(state_of(core, 2), VF_PAIR_CONFLICT);
	assert_string_equal(status_of(core, 2).conflict,
			    "its marked master is not active-backup");
	assert_int_equal(status_of(core, 2).master, 0);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

static void
master_with_other_ports_is_not_adopted(void **state)
{
	struct vf_link m = mk_master(9, "vfb100000", MAC_A);
	struct vf_link other = mk_vf(5, "eth5", MAC_B);
	struct vf_core *core = restart_with_master(&m);

	assert_int_equal(state_of(core, 2), VF_PAIR_ACTIVE);
	other.master = 9;
	vf_core_link_update(core, &other, T0 + 1);
	vf_core_link_update(core, &m, T0 + 1);
	assert_int_equal(state_of(core, 2), VF_PAIR_CONFLICT);
	assert_string_equal(status_of(core, 2).conflict,
			    "its marked master has other ports");
	assert_int_equal(next_real(core).type, NO_ACTION);
	/* Once it is gone, the master is ours again. */
	vf_core_link_remove(core, 5, T0 + 2);
	assert_int_equal(state_of(core, 2), VF_PAIR_ACTIVE);
	assert_null(status_of(core, 2).conflict);
	vf_core_free(core);
}

static void
two_masters_claiming_a_mac_are_an_error(void **state)
{
	struct vf_link m = mk_master(9, "vfb100000", MAC_A);
	struct vf_link m2 = mk_master(11, "vfb2", MAC_A);
	struct vf_core *core = restart_with_master(&m);

	vf_core_link_update(core, &m2, T0 + 1);
	assert_int_equal(state_of(core, 2), VF_PAIR_CONFLICT);
	assert_string_equal(status_of(core, 2).conflict,
			    "two masters claim its MAC");
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

static void
transparent_netvsc_is_left_alone(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link hn = mk_link(2, "eth0", "hv_netvsc", "", MAC_A);
	struct vf_link vf = mk_link(3, "enP1s1", "mlx5_core", "", MAC_A);

	vf.master = 2; /* modern hv_netvsc takes its VF as lower device */
	vf.kernel_pair = 2;
	vf.kernel_failover = true;
	vf_core_link_update(core, &hn, T0);
	vf_core_link_update(core, &vf, T0);
	assert_int_equal(state_of(core, 2), VF_PAIR_TRANSPARENT);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

/* FreeBSD's dev.hn.N.vf with hw.hn.vf_transparent set: hands off. */
static void
pairing_the_kernel_runs_is_left_alone(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link hn = mk_link(2, "hn0", "hv_netvsc", "", MAC_A);
	struct vf_link vf = mk_link(3, "mce0", "mlx5_core", "", MAC_A);

	hn.kernel_pair = 3;
	hn.kernel_failover = true;
	vf_core_link_update(core, &hn, T0);
	vf_core_link_update(core, &vf, T0);
	assert_int_equal(state_of(core, 2), VF_PAIR_TRANSPARENT);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

/*
 * Non-transparent FreeBSD: dev.hn.N.vf names the VF and leaves the
 * failover to us. That VF is paired, not another link with the MAC.
 */
static void
pairing_the_kernel_declares_is_used(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link hn = mk_link(2, "hn0", "hv_netvsc", "", MAC_A);
	struct vf_link other = mk_vf(3, "mce9", MAC_A);
	struct vf_link vf = mk_vf(4, "mce0", MAC_A);
	struct vf_action act;

	hn.kernel_pair = 4;
	hn.kernel_failover = false; /* hw.hn.vf_transparent=0 */
	hn.carrier = true;
	vf_core_link_update(core, &hn, T0);
	vf_core_link_update(core, &other, T0);
	vf_core_link_update(core, &vf, T0);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_BUILD_MASTER);
	assert_int_equal(act.synthetic, 2);
	assert_int_equal(act.vf, 4);
	vf_core_free(core);
}

static void
transparent_net_failover_is_left_alone(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link fo = mk_link(4, "eth0", "net_failover", "", MAC_A);
	struct vf_link sby = mk_syn(2, "eth0nsby", MAC_A);
	struct vf_link pri = mk_vf(3, "eth1", MAC_A);

	sby.master = 4;
	pri.master = 4;
	vf_core_link_update(core, &fo, T0);
	vf_core_link_update(core, &sby, T0);
	vf_core_link_update(core, &pri, T0);
	assert_int_equal(vf_core_pair_count(core), 1);
	assert_int_equal(state_of(core, 2), VF_PAIR_TRANSPARENT);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

static void
foreign_master_is_left_alone(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link bond = mk_link(4, "bond0", "bonding", "bond", MAC_A);
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);

	s.master = 4; /* an operator's own bond, not marked as ours */
	vf_core_link_update(core, &bond, T0);
	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	assert_int_equal(state_of(core, 2), VF_PAIR_FOREIGN);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

static void
vf_delay_is_a_timer(void **state)
{
	struct vf_core *core;
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);

	conf.vf_delay_ms = 2000;
	core = new_core();
	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	assert_int_equal(state_of(core, 2), VF_PAIR_VF_DELAY);
	assert_int_equal(next_real(core).type, NO_ACTION);
	assert_int_equal(vf_core_next_deadline(core), T0 + 2000);
	vf_core_tick(core, T0 + 1999);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_tick(core, T0 + 2000);
	assert_int_equal(next_real(core).type, VF_ACT_BUILD_MASTER);
	vf_core_free(core);
}

static void
iface_section_delay_wins(void **state)
{
	struct vf_core *core;
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);

	conf.vf_delay_ms = 2000;
	conf.n_ifaces = 1;
	snprintf(conf.ifaces[0].match, sizeof(conf.ifaces[0].match), "eth0");
	conf.ifaces[0].vf_delay_ms = 120000;
	core = new_core();
	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	assert_int_equal(vf_core_next_deadline(core), T0 + 120000);
	vf_core_free(core);
}

static void
vf_leaving_during_delay_builds_nothing(void **state)
{
	struct vf_core *core;
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);

	conf.vf_delay_ms = 2000;
	core = new_core();
	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	vf_core_link_remove(core, 3, T0 + 500);
	assert_int_equal(state_of(core, 2), VF_PAIR_SOLO);
	assert_int_equal(vf_core_next_deadline(core), 0);
	vf_core_tick(core, T0 + 5000);
	assert_int_equal(next_real(core).type, NO_ACTION);
	assert_true(vf_core_settled(core));
	vf_core_free(core);
}

static void
waits_for_udev_before_delay(void **state)
{
	struct vf_core *core;
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);

	conf.vf_delay_ms = 1000;
	core = new_core();
	v.ready = false;
	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	assert_int_equal(state_of(core, 2), VF_PAIR_VF_DELAY);
	assert_int_equal(vf_core_next_deadline(core), 0);
	assert_false(vf_core_settled(core));
	/* Renamed by udev, now ready: the delay counts from here. */
	v.ready = true;
	strcpy(v.name, "enp0s4");
	vf_core_link_update(core, &v, T0 + 300);
	assert_int_equal(vf_core_next_deadline(core), T0 + 1300);
	vf_core_tick(core, T0 + 1300);
	assert_string_equal(next_real(core).vf_name, "enp0s4");
	vf_core_free(core);
}

static void
synthetic_not_ready_waits(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);

	s.ready = false;
	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	assert_int_equal(next_real(core).type, NO_ACTION);
	s.ready = true;
	vf_core_link_update(core, &s, T0 + 5);
	assert_int_equal(next_real(core).type, VF_ACT_BUILD_MASTER);
	vf_core_free(core);
}

static void
takeover_waits_for_master_carrier(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_link m;
	struct vf_action act;

	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	act = next_real(core);
	kernel_built(core, &act, false);
	assert_string_equal(next_hook(core), "master-built");
	assert_int_equal(state_of(core, 2), VF_PAIR_VF_WAIT);
	assert_int_equal(next_real(core).type, NO_ACTION);
	assert_int_equal(vf_core_next_deadline(core),
			 T0 + 10 + conf.carrier_wait_ms);
	/* The VF gets its link; the bond makes it active. */
	m = mk_master(9, "vfb001000", MAC_A);
	m.carrier = true;
	m.active_slave = 3;
	vf_core_link_update(core, &m, T0 + 2500);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_TAKEOVER);
	assert_int_equal(act.master, 9);
	assert_string_equal(act.master_name, "vfb001000");
	vf_core_free(core);
}

/* Status events have their own queue: actions are only kernel work. */
static void
hook_events_do_not_travel_with_actions(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_hook_event ev;
	struct vf_action act;

	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	assert_true(vf_core_next_action(core, &act));
	kernel_built(core, &act, false);
	assert_false(vf_core_settled(core));
	assert_false(vf_core_next_action(core, &act));
	assert_true(vf_core_next_hook(core, &ev));
	assert_string_equal(ev.event, "master-built");
	assert_int_equal(ev.master, 9);
	assert_string_equal(ev.vf_name, "eth1");
	assert_false(vf_core_next_hook(core, &ev));
	vf_core_free(core);
}

static void
takeover_happens_anyway_after_carrier_wait(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_action act;

	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	act = next_real(core);
	kernel_built(core, &act, false);
	vf_core_tick(core, T0 + 10 + conf.carrier_wait_ms - 1);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_tick(core, T0 + 10 + conf.carrier_wait_ms);
	assert_int_equal(next_real(core).type, VF_ACT_TAKEOVER);
	vf_core_free(core);
}

static void
own_notifications_during_action_are_not_work(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_link m = mk_master(9, "vfb001000", MAC_A);
	struct vf_action act;

	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_BUILD_MASTER);
	assert_int_equal(act.synthetic, 2);
	assert_int_equal(act.vf, 3);
	/* While the build runs, the kernel reports half-done states. */
	vf_core_link_update(core, &m, T0 + 1);
	v.up = false;
	vf_core_link_update(core, &v, T0 + 1);
	assert_int_equal(next_real(core).type, NO_ACTION);
	assert_false(vf_core_settled(core));
	/* Done: the half-done states were not taken for a new task. */
	m.carrier = false;
	m.active_slave = 3;
	v.master = 9;
	vf_core_link_update(core, &m, T0 + 2);
	vf_core_link_update(core, &v, T0 + 2);
	act.master = 9;
	vf_core_action_done(core, &act, 0, T0 + 2);
	assert_int_equal(state_of(core, 2), VF_PAIR_VF_WAIT);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

static void
full_cycle_with_migration(void **state)
{
	struct vf_core *core = active_pair();
	struct vf_link v2 = mk_vf(4, "eth1", MAC_A);
	struct vf_link m = mk_master(9, "vfb001000", MAC_A);
	struct vf_pair_status st;
	struct vf_action act;

	assert_int_equal(next_real(core).type, NO_ACTION);
	assert_string_equal(hook_log, "master-built takeover ");
	/* Live migration: the VF is pulled; the bond fails over. */
	m.carrier = true;
	m.active_slave = 3;
	vf_core_link_update(core, &m, T0 + 100);
	vf_core_link_remove(core, 3, T0 + 1000);
	m.active_slave = 2;
	vf_core_link_update(core, &m, T0 + 1001);
	assert_int_equal(state_of(core, 2), VF_PAIR_VF_GONE);
	assert_string_equal(next_hook(core), "vf-lost");
	assert_int_equal(next_real(core).type, NO_ACTION);
	/* It comes back under a new ifindex. */
	vf_core_link_update(core, &v2, T0 + 5000);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_ENSLAVE_VF);
	assert_int_equal(act.vf, 4);
	assert_int_equal(act.master, 9);
	v2.master = 9;
	vf_core_link_update(core, &v2, T0 + 5001);
	vf_core_action_done(core, &act, 0, T0 + 5001);
	assert_string_equal(next_hook(core), "vf-joined");
	m.active_slave = 4;
	vf_core_link_update(core, &m, T0 + 7000);
	st = status_of(core, 2);
	assert_int_equal(st.state, VF_PAIR_ACTIVE);
	assert_int_equal(st.failovers, 2);
	assert_int_equal(st.vf_losses, 1);
	assert_int_equal(st.vf_arrivals, 2);
	assert_int_equal(st.active, 4);
	assert_string_equal(st.active_name, "eth1");
	assert_int_equal(st.vf_lost_ms, T0 + 1000);
	assert_true(vf_core_settled(core));
	vf_core_free(core);
}

static void
returning_vf_honours_delay(void **state)
{
	struct vf_core *core;
	struct vf_link m = mk_master(9, "vfb001000", MAC_A);
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(4, "eth1", MAC_A);

	conf.vf_delay_ms = 1500;
	core = new_core();
	s.master = 9;
	vf_core_link_update(core, &m, T0);
	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0 + 100);
	assert_int_equal(state_of(core, 2), VF_PAIR_VF_DELAY);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_tick(core, T0 + 1600);
	assert_int_equal(next_real(core).type, VF_ACT_ENSLAVE_VF);
	vf_core_free(core);
}

static void
failure_is_not_retried_for_the_same_vf(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_link v2 = mk_vf(4, "eth1", MAC_A);
	struct vf_pair_status st;
	struct vf_action act;

	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	act = next_real(core);
	vf_core_action_done(core, &act, 95 /* EOPNOTSUPP */, T0 + 1);
	st = status_of(core, 2);
	assert_int_equal(st.state, VF_PAIR_FAILED);
	assert_int_equal(st.last_error, 95);
	assert_string_equal(st.last_failed, "build-master");
	assert_string_equal(next_hook(core), "failed");
	vf_core_link_update(core, &s, T0 + 2);
	vf_core_link_update(core, &v, T0 + 2);
	vf_core_tick(core, T0 + 100000);
	assert_int_equal(next_real(core).type, NO_ACTION);
	/* A new VF (re-plugged after a migration) is worth a new try. */
	vf_core_link_remove(core, 3, T0 + 3);
	vf_core_link_update(core, &v2, T0 + 4);
	assert_int_equal(next_real(core).type, VF_ACT_BUILD_MASTER);
	vf_core_free(core);
}

/* Fails the next action with error at t; returns it. */
static struct vf_action
fail_next(struct vf_core *core, enum vf_action_type type, int error, uint64_t t)
{
	struct vf_action act = next_real(core);

	assert_int_equal(act.type, type);
	vf_core_action_done(core, &act, error, t);
	return act;
}

static struct vf_core *
pair_with_vf(struct vf_link *s, struct vf_link *v)
{
	struct vf_core *core = new_core();

	*s = mk_syn(2, "eth0", MAC_A);
	*v = mk_vf(3, "eth1", MAC_A);
	vf_core_link_update(core, s, T0);
	vf_core_link_update(core, v, T0);
	return core;
}

static void
errors_split_transient_from_permanent(void **state)
{
	static const int transient[] = { ETIMEDOUT, EINTR, EBUSY, ENOBUFS,
					 EAGAIN };
	static const int permanent[] = { EINVAL, EOPNOTSUPP, ENETUNREACH,
					 EEXIST, EPERM,	     ENODEV,
					 ENOENT, ERANGE,     0 };

	for (size_t i = 0; i < sizeof(transient) / sizeof(int); i++)
		assert_true(vf_error_transient(transient[i]));
	for (size_t i = 0; i < sizeof(permanent) / sizeof(int); i++)
		assert_false(vf_error_transient(permanent[i]));
}

static void
backoff_doubles_and_is_capped(void **state)
{
	static const uint64_t want[] = { 1000,	2000,  4000, 8000,
					 16000, 16000, 16000 };

	for (unsigned n = 1; n <= 7; n++)
		assert_int_equal(vf_retry_delay_ms(n), want[n - 1]);
	assert_int_equal(vf_retry_delay_ms(1000), VF_RETRY_CAP_MS);
}

static void
transient_failure_is_retried_then_active(void **state)
{
	struct vf_link s, v;
	struct vf_core *core = pair_with_vf(&s, &v);
	struct vf_pair_status st;
	struct vf_action act;

	fail_next(core, VF_ACT_BUILD_MASTER, ETIMEDOUT, T0 + 5);
	st = status_of(core, 2);
	assert_int_equal(st.state, VF_PAIR_RETRYING);
	assert_int_equal(st.last_error, ETIMEDOUT);
	assert_string_equal(st.last_failed, "build-master");
	assert_int_equal(st.retries, 1);
	assert_int_equal(st.retry_at_ms, T0 + 5 + 1000);
	assert_int_equal(vf_core_next_deadline(core), T0 + 5 + 1000);
	assert_false(vf_core_settled(core));
	assert_null(next_hook(core)); /* not "failed": it is not over */
	/* Link changes meanwhile do not jump the timer. */
	vf_core_link_update(core, &v, T0 + 500);
	vf_core_tick(core, T0 + 5 + 999);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_tick(core, T0 + 5 + 1000);
	assert_int_equal(vf_core_next_deadline(core), 0);
	/* Twice: the wait doubles. */
	fail_next(core, VF_ACT_BUILD_MASTER, EBUSY, T0 + 2000);
	assert_int_equal(status_of(core, 2).retry_at_ms, T0 + 2000 + 2000);
	vf_core_tick(core, T0 + 3999);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_tick(core, T0 + 4000);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_BUILD_MASTER);
	kernel_built(core, &act, true);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_TAKEOVER);
	s.master = 9;
	vf_core_link_update(core, &s, T0 + 20);
	vf_core_action_done(core, &act, 0, T0 + 20);
	st = status_of(core, 2);
	assert_int_equal(st.state, VF_PAIR_ACTIVE);
	assert_int_equal(st.last_error, 0);
	assert_int_equal(st.retries, 0);
	assert_int_equal(st.retry_at_ms, 0);
	assert_int_equal(next_real(core).type, NO_ACTION);
	assert_true(vf_core_settled(core));
	assert_null(strstr(hook_log, "failed"));
	vf_core_free(core);
}

static void
transient_takeover_failure_is_retried(void **state)
{
	struct vf_link s, v;
	struct vf_core *core = pair_with_vf(&s, &v);
	struct vf_action act = next_real(core);

	kernel_built(core, &act, true);
	fail_next(core, VF_ACT_TAKEOVER, ENOBUFS, T0 + 30);
	assert_int_equal(state_of(core, 2), VF_PAIR_RETRYING);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_tick(core, T0 + 1030);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_TAKEOVER);
	s.master = 9;
	vf_core_link_update(core, &s, T0 + 1040);
	vf_core_action_done(core, &act, 0, T0 + 1040);
	assert_int_equal(state_of(core, 2), VF_PAIR_ACTIVE);
	vf_core_free(core);
}

static void
retries_are_bounded(void **state)
{
	struct vf_link s, v;
	struct vf_core *core = pair_with_vf(&s, &v);
	uint64_t t = T0 + 1;
	struct vf_pair_status st;

	fail_next(core, VF_ACT_BUILD_MASTER, EAGAIN, t);
	for (unsigned n = 1; n <= VF_RETRY_TRIES; n++) {
		st = status_of(core, 2);
		assert_int_equal(st.state, VF_PAIR_RETRYING);
		assert_int_equal(st.retries, n);
		assert_int_equal(st.retry_at_ms, t + vf_retry_delay_ms(n));
		t += vf_retry_delay_ms(n);
		vf_core_tick(core, t);
		fail_next(core, VF_ACT_BUILD_MASTER, EAGAIN, t);
	}
	/* 1+2+4+8+16 s waited: now it is failed, like a permanent error. */
	assert_int_equal(t, T0 + 1 + 31000);
	st = status_of(core, 2);
	assert_int_equal(st.state, VF_PAIR_FAILED);
	assert_int_equal(st.retries, VF_RETRY_TRIES);
	assert_int_equal(st.retry_at_ms, 0);
	assert_string_equal(next_hook(core), "failed");
	assert_int_equal(vf_core_next_deadline(core), 0);
	vf_core_tick(core, t + 1000000);
	vf_core_link_update(core, &v, t + 1000001);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

static void
permanent_failure_is_not_retried(void **state)
{
	struct vf_link s, v;
	struct vf_core *core = pair_with_vf(&s, &v);
	struct vf_action act = next_real(core);
	struct vf_pair_status st;

	kernel_built(core, &act, true);
	/* The case: copying the default route, no way there. */
	fail_next(core, VF_ACT_TAKEOVER, ENETUNREACH, T0 + 30);
	st = status_of(core, 2);
	assert_int_equal(st.state, VF_PAIR_FAILED);
	assert_int_equal(st.retries, 0);
	assert_int_equal(st.retry_at_ms, 0);
	assert_int_equal(vf_core_next_deadline(core), 0);
	assert_string_equal(next_hook(core), "failed");
	/* The build's copies come off the master; nothing is retried. */
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_WITHDRAW);
	vf_core_action_done(core, &act, 0, T0 + 31);
	assert_int_equal(status_of(core, 2).state, VF_PAIR_FAILED);
	vf_core_tick(core, T0 + 1000000);
	vf_core_link_update(core, &v, T0 + 1000001);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

static void
failed_resync_is_retried_with_backoff(void **state)
{
	struct vf_core *core = new_core();
	static const uint64_t waits[] = { 1000,	 2000,	4000, 8000,
					  16000, 16000, 16000 };
	uint64_t t = T0;

	assert_false(vf_core_resync_due(core, T0));
	for (size_t i = 0; i < sizeof(waits) / sizeof(waits[0]); i++) {
		vf_core_resync_failed(core, t);
		assert_int_equal(vf_core_next_deadline(core), t + waits[i]);
		assert_false(vf_core_settled(core));
		assert_false(vf_core_resync_due(core, t + waits[i] - 1));
		assert_true(vf_core_resync_due(core, t + waits[i]));
		t += waits[i];
	}
	vf_core_resync_done(core);
	assert_int_equal(vf_core_next_deadline(core), 0);
	assert_false(vf_core_resync_due(core, t + 100000));
	assert_true(vf_core_settled(core));
	/* After a success the backoff starts over. */
	vf_core_resync_failed(core, t);
	assert_int_equal(vf_core_resync_at(core), t + 1000);
	vf_core_free(core);
}

/* An undone takeover leaves the build's copies: they are withdrawn. */
static void
failed_takeover_withdraws_the_copies(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_pair_status st;
	struct vf_action act;

	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	act = next_real(core);
	kernel_built(core, &act, true);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_TAKEOVER);
	vf_core_action_done(core, &act, 101 /* ENETUNREACH */, T0 + 20);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_WITHDRAW);
	assert_int_equal(act.master, 9);
	assert_false(vf_core_settled(core));
	vf_core_action_done(core, &act, 0, T0 + 21);
	st = status_of(core, 2);
	assert_int_equal(st.state, VF_PAIR_FAILED);
	assert_string_equal(st.last_failed, "takeover");
	assert_int_equal(st.last_error, 101);
	assert_int_equal(next_real(core).type, NO_ACTION);
	assert_true(vf_core_settled(core));
	vf_core_free(core);
}

/* A new VF that came during the withdraw is seen once it is done. */
static void
new_vf_during_withdraw_is_tried(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_link v2 = mk_vf(4, "eth2", MAC_A);
	struct vf_action act;

	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	act = next_real(core);
	kernel_built(core, &act, true);
	act = next_real(core);
	vf_core_action_done(core, &act, 101, T0 + 20);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_WITHDRAW);
	vf_core_link_remove(core, 3, T0 + 21);
	vf_core_link_update(core, &v2, T0 + 21);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_action_done(core, &act, 0, T0 + 22);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_BUILD_MASTER);
	assert_int_equal(act.vf, 4);
	assert_int_equal(act.master, 9);
	vf_core_free(core);
}

static void
restart_adopts_existing_master(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link m = mk_master(9, "vfb001000", MAC_A);
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);

	m.carrier = true;
	m.active_slave = 3;
	s.master = 9;
	v.master = 9;
	/* Dump order is not ours to choose: master last. */
	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	vf_core_link_update(core, &m, T0);
	assert_int_equal(state_of(core, 2), VF_PAIR_ACTIVE);
	assert_int_equal(next_real(core).type, NO_ACTION);
	assert_int_equal(status_of(core, 2).master, 9);
	vf_core_free(core);
}

static void
restart_finishes_interrupted_takeover(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link m = mk_master(9, "vfb001000", MAC_A);
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_action act;

	m.carrier = true;
	v.master = 9; /* killed after the build, before the takeover */
	vf_core_link_update(core, &m, T0);
	vf_core_link_update(core, &v, T0);
	vf_core_link_update(core, &s, T0);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_TAKEOVER);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

static void
restart_with_vf_gone_is_vf_gone(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link m = mk_master(9, "vfb001000", MAC_A);
	struct vf_link s = mk_syn(2, "eth0", MAC_A);

	s.master = 9;
	vf_core_link_update(core, &m, T0);
	vf_core_link_update(core, &s, T0);
	assert_int_equal(state_of(core, 2), VF_PAIR_VF_GONE);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

/* syn 2 and VF 3 as a restart finds them beside master m. */
static struct vf_core *
restart_beside(const struct vf_link *m, int vf_master, int syn_master)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);

	v.master = vf_master;
	v.up = vf_master != 0;
	s.master = syn_master;
	vf_core_link_update(core, m, T0);
	vf_core_link_update(core, &v, T0);
	vf_core_link_update(core, &s, T0);
	return core;
}

/* Killed between creating the master and marking it. */
static void
restart_adopts_unmarked_master_by_name(void **state)
{
	struct vf_link m = mk_master(11, "vfb001000", MAC_A);
	struct vf_core *core;
	struct vf_action act;

	m.alias[0] = '\0';
	m.up = false;
	core = restart_beside(&m, 0, 0);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_BUILD_MASTER);
	assert_int_equal(act.master, 11);
	vf_core_free(core);
	/* Not ours: another name, another mode, or a foreign port. */
	snprintf(m.name, sizeof(m.name), "bond0");
	core = restart_beside(&m, 0, 0);
	assert_int_equal(next_real(core).master, 0);
	vf_core_free(core);
	snprintf(m.name, sizeof(m.name), "vfb001000");
	m.active_backup = false;
	core = restart_beside(&m, 0, 0);
	assert_int_equal(next_real(core).master, 0);
	vf_core_free(core);
}

/* Marked, but down or without the VF: finish the build, no takeover. */
static void
restart_finishes_half_built_master(void **state)
{
	struct vf_link m = mk_master(9, "vfb001000", MAC_A);
	struct vf_core *core;
	struct vf_action act;

	m.up = false; /* killed before it was set up */
	core = restart_beside(&m, 9, 0);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_BUILD_MASTER);
	assert_int_equal(act.master, 9);
	assert_string_equal(act.master_name, "vfb001000");
	vf_core_free(core);
	m.up = true; /* killed before the VF joined */
	core = restart_beside(&m, 0, 0);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_BUILD_MASTER);
	assert_int_equal(act.master, 9);
	vf_core_free(core);
	m.primary = 0; /* killed before the VF was made primary */
	core = restart_beside(&m, 9, 0);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_BUILD_MASTER);
	/* Done, though the kernel said nothing of the primary: believed. */
	act.master = 9;
	vf_core_action_done(core, &act, 0, T0 + 1);
	assert_int_equal(state_of(core, 2), VF_PAIR_VF_WAIT);
	assert_int_equal(next_real(core).type, NO_ACTION);
	m.primary = 3; /* built: on to the takeover */
	vf_core_free(core);
	m.carrier = true;
	core = restart_beside(&m, 9, 0);
	assert_int_equal(next_real(core).type, VF_ACT_TAKEOVER);
	vf_core_free(core);
}

/* A VF in the master that is not its primary is made primary. */
static void
vf_enslaved_but_not_primary_is_finished(void **state)
{
	struct vf_link m = mk_master(9, "vfb001000", MAC_A);
	struct vf_core *core;
	struct vf_action act;

	m.primary = 0;
	core = restart_beside(&m, 9, 9);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_ENSLAVE_VF);
	assert_int_equal(act.vf, 3);
	vf_core_action_done(core, &act, 0, T0 + 1);
	assert_int_equal(state_of(core, 2), VF_PAIR_ACTIVE);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
	/* A returning VF (a new ifindex) the kernel enslaved elsewhere
	 * than as primary, e.g. before a crash: the same. */
	m.primary = 3;
	core = restart_beside(&m, 9, 9);
	assert_int_equal(state_of(core, 2), VF_PAIR_ACTIVE);
	{
		struct vf_link v2 = mk_vf(4, "eth1", MAC_A);

		vf_core_link_remove(core, 3, T0 + 1);
		v2.master = 9;
		vf_core_link_update(core, &v2, T0 + 2);
	}
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_ENSLAVE_VF);
	assert_int_equal(act.vf, 4);
	vf_core_free(core);
	/* Master down with both ports: the enslave step sets it up. */
	m.up = false;
	core = restart_beside(&m, 9, 9);
	assert_int_equal(next_real(core).type, VF_ACT_ENSLAVE_VF);
	vf_core_free(core);
}

static void
two_pairs_are_independent(void **state)
{
	struct vf_core *core;
	struct vf_link s1 = mk_syn(2, "eth0", MAC_A);
	struct vf_link v1 = mk_vf(3, "eth1", MAC_A);
	struct vf_link s2 = mk_syn(12, "eth2", MAC_B);
	struct vf_link v2 = mk_vf(13, "eth3", MAC_B);
	struct vf_action a, b;

	conf.n_ifaces = 1;
	snprintf(conf.ifaces[0].match, sizeof(conf.ifaces[0].match), MAC_B);
	conf.ifaces[0].vf_delay_ms = 3000;
	core = new_core();
	vf_core_link_update(core, &s1, T0);
	vf_core_link_update(core, &s2, T0);
	vf_core_link_update(core, &v2, T0);
	vf_core_link_update(core, &v1, T0);
	a = next_real(core);
	assert_int_equal(a.synthetic, 2);
	assert_string_equal(a.master_name, "vfb001000");
	assert_int_equal(state_of(core, 12), VF_PAIR_VF_DELAY);
	vf_core_tick(core, T0 + 3000);
	b = next_real(core);
	assert_int_equal(b.synthetic, 12);
	assert_string_equal(b.master_name, "vfb001001");
	vf_core_free(core);
}

static void
ignored_pairs_are_not_touched(void **state)
{
	struct vf_core *core;
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);

	conf.n_ifaces = 1;
	snprintf(conf.ifaces[0].match, sizeof(conf.ifaces[0].match), "eth0");
	conf.ifaces[0].vf_delay_ms = -1;
	conf.ifaces[0].ignore = true;
	core = new_core();
	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	assert_int_equal(state_of(core, 2), VF_PAIR_IGNORED);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

static void
only_limits_to_one_pair(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s1 = mk_syn(2, "eth0", MAC_A);
	struct vf_link v1 = mk_vf(3, "eth1", MAC_A);
	struct vf_link s2 = mk_syn(12, "eth2", MAC_B);
	struct vf_link v2 = mk_vf(13, "eth3", MAC_B);
	struct vf_action act;

	vf_core_only(core, 12);
	vf_core_link_update(core, &s1, T0);
	vf_core_link_update(core, &v1, T0);
	vf_core_link_update(core, &s2, T0);
	vf_core_link_update(core, &v2, T0);
	act = next_real(core);
	assert_int_equal(act.synthetic, 12);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

static void
synthetic_removed_drops_pair(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);

	struct vf_link s2 = mk_syn(4, "eth2", MAC_B);
	struct vf_pair_status st;

	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &s2, T0);
	assert_int_equal(vf_core_pair_count(core), 2);
	vf_core_link_remove(core, 2, T0 + 1);
	assert_int_equal(vf_core_pair_count(core), 1);
	assert_null(vf_core_link(core, 2));
	/* An unknown ifindex changes nothing. */
	vf_core_link_remove(core, 77, T0 + 1);
	assert_int_equal(vf_core_pair_count(core), 1);
	assert_int_equal(vf_core_link_count(core), 1);
	assert_true(vf_core_pair_status(core, 0, &st));
	assert_int_equal(st.synthetic, 4);
	assert_int_equal(st.state, VF_PAIR_SOLO);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

static void
mac_change_moves_vf_between_pairs(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_B);

	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_mac_parse(MAC_A, v.mac);
	vf_core_link_update(core, &v, T0 + 1);
	assert_int_equal(next_real(core).type, VF_ACT_BUILD_MASTER);
	vf_core_free(core);
}

static void
storm_of_pairs_loses_no_action(void **state)
{
	struct vf_core *core = new_core();
	struct vf_action act;
	int builds = 0;

	/* All links of 300 pairs arrive before the first action is taken. */
	for (int i = 0; i < 300; i++) {
		char mac[VF_MACSTRLEN], name[VF_IFNAMSIZ];
		struct vf_link s, v;

		snprintf(mac, sizeof(mac), "52:54:01:00:%02x:%02x", i >> 8,
			 i & 255);
		snprintf(name, sizeof(name), "syn%d", i);
		s = mk_syn(1000 + i, name, mac);
		snprintf(name, sizeof(name), "vf%d", i);
		v = mk_vf(2000 + i, name, mac);
		vf_core_link_update(core, &s, T0);
		vf_core_link_update(core, &v, T0);
	}
	while (vf_core_next_action(core, &act))
		builds += act.type == VF_ACT_BUILD_MASTER;
	assert_int_equal(builds, 300);
	/* Removal moves links around: every lookup must still be right. */
	for (int i = 0; i < 300; i += 2)
		vf_core_link_remove(core, 2000 + i, T0 + 1);
	for (int i = 0; i < 300; i++) {
		const struct vf_link *v = vf_core_link(core, 2000 + i);

		if (i % 2 == 0)
			assert_null(v);
		else
			assert_int_equal(v->ifindex, 2000 + i);
		assert_int_equal(vf_core_link(core, 1000 + i)->ifindex,
				 1000 + i);
	}
	assert_int_equal(vf_core_link_count(core), 450);
	vf_core_free(core);
}

static void
master_name_template(void **state)
{
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	char out[VF_IFNAMSIZ];

	assert_true(vf_master_name("vfb%m", &s, out));
	assert_string_equal(out, "vfb001000");
	assert_true(vf_master_name("bond-%n", &s, out));
	assert_string_equal(out, "bond-eth0");
	assert_true(vf_master_name("a%%b", &s, out));
	assert_string_equal(out, "a%b");
	assert_false(vf_master_name("", &s, out));
	/* %u: the name's unit; a name without one makes no master name. */
	snprintf(s.name, sizeof(s.name), "hn12");
	assert_true(vf_master_name("lagg%u", &s, out));
	assert_string_equal(out, "lagg12");
	snprintf(s.name, sizeof(s.name), "hn");
	assert_false(vf_master_name("lagg%u", &s, out));
	assert_false(vf_master_name("%x", &s, out));
	assert_false(vf_master_name("averyverylongname%m", &s, out));
	assert_false(vf_master_name("bad/name", &s, out));
	assert_false(vf_master_name("bad:name", &s, out));
}

static void
mac_text_round_trip(void **state)
{
	uint8_t mac[VF_MACLEN];
	char text[VF_MACSTRLEN];

	assert_true(vf_mac_parse("52:54:00:AB:cd:0F", mac));
	vf_mac_format(mac, text);
	assert_string_equal(text, "52:54:00:ab:cd:0f");
	assert_false(vf_mac_parse("52:54:00:ab:cd", mac));
	assert_false(vf_mac_parse("52:54:00:ab:cd:0f:", mac));
	assert_false(vf_mac_parse("52-54-00-ab-cd-0f", mac));
	assert_false(vf_mac_parse("zz:54:00:ab:cd:0f", mac));
}

/* READY=1 waits for the synthetic NICs udev has not finished. */
static void
unready_synthetic_nic_is_told(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);

	assert_true(vf_core_boot_ready(core));
	s.ready = false;
	v.ready = false; /* a VF is no reason to wait */
	vf_core_link_update(core, &v, T0);
	assert_true(vf_core_boot_ready(core));
	vf_core_link_update(core, &s, T0);
	assert_false(vf_core_boot_ready(core));
	s.ready = true;
	vf_core_link_update(core, &s, T0 + 10);
	/* master_before_vf off: nothing more to wait for. */
	assert_true(vf_core_boot_ready(core));
	vf_core_free(core);
}

/* ... and, with master_before_vf, for each NIC to be in its master. */
static void
boot_ready_once_the_nic_is_in_its_master(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_link m = mk_master(9, "vfb001000", MAC_A);
	struct vf_action act;

	vf_core_link_update(core, &v, T0);
	vf_core_link_update(core, &s, T0);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_BUILD_MASTER);
	assert_false(vf_core_boot_ready(core)); /* the build runs */
	kernel_built(core, &act, false);
	/* Built, waiting for the VF's carrier: not yet. */
	assert_int_equal(state_of(core, 2), VF_PAIR_VF_WAIT);
	assert_false(vf_core_boot_ready(core));
	m.carrier = true;
	m.active_slave = 3;
	vf_core_link_update(core, &m, T0 + 15);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_TAKEOVER);
	s.master = 9;
	vf_core_link_update(core, &s, T0 + 20);
	vf_core_action_done(core, &act, 0, T0 + 20);
	assert_true(vf_core_boot_ready(core));
	vf_core_free(core);
}

/* An address on a port is a fault that status shows and the log tells. */
static void
address_on_a_port_is_degraded(void **state)
{
	struct vf_core *core = active_pair();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_pair_status st;
	size_t cursor = 0;

	while (vf_core_next_change(core, &cursor, &st))
		;
	assert_true(vf_core_pair_status(core, 0, &st));
	assert_string_equal(st.degraded, "");
	s.master = 9;
	s.has_ip = true;
	vf_core_link_update(core, &s, T0 + 100);
	assert_true(vf_core_pair_status(core, 0, &st));
	assert_string_equal(st.degraded, "eth0 has an address, as a port");
	assert_int_equal(st.state, VF_PAIR_ACTIVE);
	cursor = 0;
	assert_true(vf_core_next_change(core, &cursor, &st));
	assert_string_equal(st.degraded, "eth0 has an address, as a port");
	/* Gone: a change again, and the status is clean. */
	s.has_ip = false;
	vf_core_link_update(core, &s, T0 + 200);
	cursor = 0;
	assert_true(vf_core_next_change(core, &cursor, &st));
	assert_string_equal(st.degraded, "");
	vf_core_free(core);
}

/*
 * master_before_vf: the master is built over the synthetic NIC alone,
 * the synthetic NIC taken over at once, and the VF joins when it comes.
 */
static void
master_before_vf_is_built_over_the_synthetic_nic(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link m = mk_master(9, "vfb001000", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_action act;

	vf_core_link_update(core, &s, T0);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_BUILD_MASTER);
	assert_int_equal(act.vf, 0);
	assert_string_equal(act.master_name, "vfb001000");
	m.carrier = false;
	vf_core_link_update(core, &m, T0 + 10);
	act.master = 9;
	vf_core_action_done(core, &act, 0, T0 + 10);
	/* No VF to wait for: no carrier comes before the takeover. */
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_TAKEOVER);
	s.master = 9;
	vf_core_link_update(core, &s, T0 + 20);
	vf_core_action_done(core, &act, 0, T0 + 20);
	assert_int_equal(state_of(core, 2), VF_PAIR_VF_GONE);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_link_update(core, &v, T0 + 30);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_ENSLAVE_VF);
	assert_int_equal(act.vf, 3);
	vf_core_free(core);
}

/* At boot the VF is there but udev is not done with it: no waiting. */
static void
master_before_vf_does_not_wait_for_an_unready_vf(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link m = mk_master(9, "vfb001000", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_action act;

	v.ready = false;
	vf_core_link_update(core, &v, T0);
	vf_core_link_update(core, &s, T0);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_BUILD_MASTER);
	assert_int_equal(act.vf, 0);
	assert_string_equal(act.vf_name, "");
	m.carrier = false;
	vf_core_link_update(core, &m, T0 + 10);
	act.master = 9;
	vf_core_action_done(core, &act, 0, T0 + 10);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_TAKEOVER);
	s.master = 9;
	vf_core_link_update(core, &s, T0 + 20);
	vf_core_action_done(core, &act, 0, T0 + 20);
	assert_int_equal(next_real(core).type, NO_ACTION);
	/* udev done: the VF joins the master. */
	v.ready = true;
	vf_core_link_update(core, &v, T0 + 30);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_ENSLAVE_VF);
	assert_int_equal(act.vf, 3);
	vf_core_free(core);
}

/*
 * At a start the synthetic NIC is read first: the VF read just after,
 * ready, goes into the same build, and is known as the pair's VF.
 */
static void
master_before_vf_build_takes_a_vf_read_meanwhile(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_action act;
	size_t i = 9;

	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	assert_true(vf_core_pair_of_vf(core, 3, &i));
	assert_int_equal(i, 0);
	assert_false(vf_core_pair_of_vf(core, 2, &i));
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_BUILD_MASTER);
	assert_int_equal(act.vf, 3);
	assert_string_equal(act.vf_name, "eth1");
	vf_core_free(core);
}

/* hv_netvsc's kind: the kernel will pair a VF itself, so no master. */
static void
master_before_vf_not_where_the_kernel_pairs(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);

	s.kernel_failover = true;
	vf_core_link_update(core, &s, T0);
	assert_int_equal(state_of(core, 2), VF_PAIR_SOLO);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

static int
setup_manager(void **state)
{
	setup_early(state);
	conf.manager_builds_master = true;
	return 0;
}

/* The manager's bond, as NetworkManager builds it: no mark of ours. */
static struct vf_link
managers_master(void)
{
	struct vf_link m = mk_master(9, "vfb001000", MAC_A);

	m.alias[0] = '\0';
	m.carrier = true;
	m.primary = 0;
	return m;
}

/*
 * Where the manager builds the master, the engine builds nothing, and
 * is ready for the manager at once: it starts after us.
 */
static void
manager_built_master_is_waited_for(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);

	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	vf_core_tick(core, T0 + 60000);
	assert_int_equal(next_real(core).type, NO_ACTION);
	assert_int_equal(state_of(core, 2), VF_PAIR_SOLO);
	assert_true(vf_core_boot_ready(core));
	assert_int_equal(vf_core_next_deadline(core), 0);
	vf_core_free(core);
}

/*
 * The manager's bond is adopted once it holds the NIC; the VF it
 * enslaves is only made primary. No build, takeover or enslave, and
 * no timer: the VF is the manager's to enslave.
 */
static void
manager_built_master_is_adopted(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_link m = managers_master();
	struct vf_action act;

	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &m, T0 + 10);
	assert_int_equal(state_of(core, 2), VF_PAIR_SOLO);
	s.master = 9;
	vf_core_link_update(core, &s, T0 + 20);
	assert_int_equal(next_real(core).type, NO_ACTION);
	assert_int_equal(state_of(core, 2), VF_PAIR_VF_GONE);
	/* A VF not yet in it: the manager's to enslave, no deadline. */
	vf_core_link_update(core, &v, T0 + 30);
	assert_int_equal(next_real(core).type, NO_ACTION);
	assert_int_equal(state_of(core, 2), VF_PAIR_VF_DELAY);
	assert_int_equal(vf_core_next_deadline(core), 0);
	v.master = 9;
	v.up = true;
	v.carrier = true;
	vf_core_link_update(core, &v, T0 + 2000);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_ENSLAVE_VF);
	assert_int_equal(act.vf, 3);
	assert_int_equal(act.master, 9);
	m.primary = 3;
	m.active_slave = 3;
	vf_core_link_update(core, &m, T0 + 2010);
	vf_core_action_done(core, &act, 0, T0 + 2010);
	assert_int_equal(state_of(core, 2), VF_PAIR_ACTIVE);
	assert_int_equal(next_real(core).type, NO_ACTION);
	/* The VF leaves: vf-gone, and nothing to do. */
	vf_core_link_remove(core, 3, T0 + 3000);
	assert_int_equal(state_of(core, 2), VF_PAIR_VF_GONE);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

/*
 * A NIC that udev renames, or finishes with, is a change to tell: the
 * manager's files are written from its name, once it is ready.
 */
static void
rename_and_readiness_are_changes(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_pair_status st;
	size_t cursor = 0;

	s.ready = false;
	vf_core_link_update(core, &s, T0);
	assert_true(vf_core_next_change(core, &cursor, &st));
	assert_false(vf_core_next_change(core, &cursor, &st));
	snprintf(s.name, sizeof(s.name), "ens4");
	vf_core_link_update(core, &s, T0 + 10);
	cursor = 0;
	assert_true(vf_core_next_change(core, &cursor, &st));
	assert_string_equal(st.synthetic_name, "ens4");
	s.ready = true;
	vf_core_link_update(core, &s, T0 + 20);
	cursor = 0;
	assert_true(vf_core_next_change(core, &cursor, &st));
	assert_int_equal(st.state, VF_PAIR_SOLO);
	cursor = 0;
	assert_false(vf_core_next_change(core, &cursor, &st));
	vf_core_free(core);
}

/* Not any bond: another name, or other ports, is somebody else's. */
static void
manager_mode_adopts_only_the_named_master(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link m = managers_master();

	snprintf(m.name, sizeof(m.name), "bond0");
	s.master = 9;
	vf_core_link_update(core, &m, T0);
	vf_core_link_update(core, &s, T0);
	assert_int_equal(state_of(core, 2), VF_PAIR_FOREIGN);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

/* Without the mode, an unmarked master holding the NIC is foreign. */
static void
unmarked_master_is_foreign_without_manager_mode(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link m = managers_master();

	s.master = 9;
	vf_core_link_update(core, &m, T0);
	vf_core_link_update(core, &s, T0);
	assert_int_equal(state_of(core, 2), VF_PAIR_FOREIGN);
	vf_core_free(core);
}

/* A build that fails for good is not tried again and again. */
static void
master_before_vf_failure_is_held(void **state)
{
	struct vf_core *core = new_core();
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_action act;

	vf_core_link_update(core, &s, T0);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_BUILD_MASTER);
	vf_core_action_done(core, &act, EOPNOTSUPP, T0 + 10);
	assert_int_equal(state_of(core, 2), VF_PAIR_FAILED);
	vf_core_link_update(core, &s, T0 + 20);
	assert_int_equal(next_real(core).type, NO_ACTION);
	vf_core_free(core);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(pairs_virtio_with_same_mac_vf, setup),
		cmocka_unit_test_setup(
		    hv_netvsc_is_synthetic_and_others_are_not, setup),
		cmocka_unit_test_setup(
		    excluded_kinds_and_other_macs_are_not_vfs, setup),
		cmocka_unit_test_setup(stand_ins_pair_by_name_pattern, setup),
		cmocka_unit_test_setup(software_links_are_not_vfs_by_default,
				       setup),
		cmocka_unit_test_setup(master_not_active_backup_is_not_adopted,
				       setup),
		cmocka_unit_test_setup(master_with_other_ports_is_not_adopted,
				       setup),
		cmocka_unit_test_setup(two_masters_claiming_a_mac_are_an_error,
				       setup),
		cmocka_unit_test_setup(transparent_netvsc_is_left_alone, setup),
		cmocka_unit_test_setup(pairing_the_kernel_runs_is_left_alone,
				       setup),
		cmocka_unit_test_setup(pairing_the_kernel_declares_is_used,
				       setup),
		cmocka_unit_test_setup(hook_events_do_not_travel_with_actions,
				       setup),
		cmocka_unit_test_setup(transparent_net_failover_is_left_alone,
				       setup),
		cmocka_unit_test_setup(foreign_master_is_left_alone, setup),
		cmocka_unit_test_setup(vf_delay_is_a_timer, setup),
		cmocka_unit_test_setup(iface_section_delay_wins, setup),
		cmocka_unit_test_setup(vf_leaving_during_delay_builds_nothing,
				       setup),
		cmocka_unit_test_setup(waits_for_udev_before_delay, setup),
		cmocka_unit_test_setup(synthetic_not_ready_waits, setup),
		cmocka_unit_test_setup(takeover_waits_for_master_carrier,
				       setup),
		cmocka_unit_test_setup(
		    takeover_happens_anyway_after_carrier_wait, setup),
		cmocka_unit_test_setup(
		    own_notifications_during_action_are_not_work, setup),
		cmocka_unit_test_setup(full_cycle_with_migration, setup),
		cmocka_unit_test_setup(returning_vf_honours_delay, setup),
		cmocka_unit_test_setup(failure_is_not_retried_for_the_same_vf,
				       setup),
		cmocka_unit_test(errors_split_transient_from_permanent),
		cmocka_unit_test(backoff_doubles_and_is_capped),
		cmocka_unit_test_setup(transient_failure_is_retried_then_active,
				       setup),
		cmocka_unit_test_setup(transient_takeover_failure_is_retried,
				       setup),
		cmocka_unit_test_setup(retries_are_bounded, setup),
		cmocka_unit_test_setup(permanent_failure_is_not_retried, setup),
		cmocka_unit_test_setup(failed_resync_is_retried_with_backoff,
				       setup),
		cmocka_unit_test_setup(failed_takeover_withdraws_the_copies,
				       setup),
		cmocka_unit_test_setup(new_vf_during_withdraw_is_tried, setup),
		cmocka_unit_test_setup(restart_adopts_existing_master, setup),
		cmocka_unit_test_setup(vf_gone_during_its_step_is_no_failure,
				       setup),
		cmocka_unit_test_setup(restart_finishes_interrupted_takeover,
				       setup),
		cmocka_unit_test_setup(restart_with_vf_gone_is_vf_gone, setup),
		cmocka_unit_test_setup(restart_adopts_unmarked_master_by_name,
				       setup),
		cmocka_unit_test_setup(restart_finishes_half_built_master,
				       setup),
		cmocka_unit_test_setup(vf_enslaved_but_not_primary_is_finished,
				       setup),
		cmocka_unit_test_setup(two_pairs_are_independent, setup),
		cmocka_unit_test_setup(address_on_a_port_is_degraded, setup),
		cmocka_unit_test_setup(port_down_is_degraded, setup),
		cmocka_unit_test_setup(address_on_a_port_is_cleared, setup),
		cmocka_unit_test_setup(unready_synthetic_nic_is_told, setup),
		cmocka_unit_test_setup(boot_ready_once_the_nic_is_in_its_master,
				       setup_early),
		cmocka_unit_test_setup(
		    master_before_vf_is_built_over_the_synthetic_nic,
		    setup_early),
		cmocka_unit_test_setup(
		    master_before_vf_not_where_the_kernel_pairs, setup_early),
		cmocka_unit_test_setup(
		    master_before_vf_does_not_wait_for_an_unready_vf,
		    setup_early),
		cmocka_unit_test_setup(
		    master_before_vf_build_takes_a_vf_read_meanwhile,
		    setup_early),
		cmocka_unit_test_setup(master_before_vf_failure_is_held,
				       setup_early),
		cmocka_unit_test_setup(ignored_pairs_are_not_touched, setup),
		cmocka_unit_test_setup(only_limits_to_one_pair, setup),
		cmocka_unit_test_setup(synthetic_removed_drops_pair, setup),
		cmocka_unit_test_setup(mac_change_moves_vf_between_pairs,
				       setup),
		cmocka_unit_test_setup(storm_of_pairs_loses_no_action, setup),
		cmocka_unit_test_setup(manager_built_master_is_waited_for,
				       setup_manager),
		cmocka_unit_test_setup(manager_built_master_is_adopted,
				       setup_manager),
		cmocka_unit_test_setup(
		    manager_mode_adopts_only_the_named_master, setup_manager),
		cmocka_unit_test_setup(rename_and_readiness_are_changes,
				       setup_manager),
		cmocka_unit_test_setup(
		    unmarked_master_is_foreign_without_manager_mode,
		    setup_early),
		cmocka_unit_test(master_name_template),
		cmocka_unit_test(mac_text_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
