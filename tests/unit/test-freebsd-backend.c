/* SPDX-License-Identifier: MIT */
/*
 * The FreeBSD backend on the fake FreeBSD kernel, driven through the real
 * core and plans the way the daemon drives them: devd and routing socket
 * events in, lagg(4), address, route and dhclient calls out. Each test
 * is a trace: what the kernel and devd do, and what must follow.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/core.h"
#include "core/plan.h"
#include "fake-fbsd.h"
#include "os/defaults.h"
#include "os/freebsd/fbsd.h"

static const uint8_t MAC[VF_MACLEN] = { 0x00, 0x15, 0x5d, 0x00, 0x10, 0x00 };

struct rig {
	struct fake_fbsd f;
	struct vf_config conf;
	struct vf_core *core;
	struct vf_if *ifs;
	int hn;
	char last_err[512];
	int actions;
};

static void
on_link(void *arg, const struct vf_link *l)
{
	struct rig *r = arg;

	vf_core_link_update(r->core, l, r->f.now);
}

static void
on_gone(void *arg, int ifindex)
{
	struct rig *r = arg;

	vf_core_link_remove(r->core, ifindex, r->f.now);
}

/* The daemon's start: engine, backend, first dump. */
static void
rig_start(struct rig *r)
{
	char err[256] = "";

	vf_config_defaults(&r->conf);
	vf_if_defaults(&r->conf);
	r->core = vf_core_new(&r->conf);
	assert_non_null(r->core);
	r->ifs =
	    vf_fbsd_open(fk_sys(), &r->f, &r->conf, true, err, sizeof(err));
	if (r->ifs == NULL)
		fail_msg("open: %s", err);
	assert_int_equal(vf_if_dump(r->ifs, on_link, r), 0);
}

static void
rig_stop(struct rig *r)
{
	struct vf_hook_event ev;

	while (vf_core_next_hook(r->core, &ev))
		;
	vf_core_free(r->core);
	/* A crash: the fake kernel stays as it was left, pipe and all. */
	free(r->ifs);
	r->ifs = NULL;
	r->core = NULL;
}

static void
apply(struct rig *r, struct vf_action *act)
{
	struct vf_plan_env env = { vf_if_prims(), r->ifs, NULL, NULL, "" };
	int rc = vf_plan_run(&env, act);

	r->actions++;
	if (rc < 0)
		snprintf(r->last_err, sizeof(r->last_err), "%s", env.err);
	vf_if_read_events(r->ifs, on_link, on_gone, r);
	vf_core_action_done(r->core, act, rc < 0 ? -rc : 0, r->f.now);
}

/* The daemon's loop over ms of fake time, in 100 ms steps. */
static void
run_for(struct rig *r, uint64_t ms)
{
	uint64_t end = r->f.now + ms;
	struct vf_hook_event ev;
	struct vf_action act;

	for (;;) {
		assert_true(vf_if_read_events(r->ifs, on_link, on_gone, r) >=
			    0);
		vf_core_tick(r->core, r->f.now);
		while (vf_core_next_action(r->core, &act))
			apply(r, &act);
		while (vf_core_next_hook(r->core, &ev))
			;
		if (r->f.now >= end)
			return;
		r->f.now += 100;
	}
}

static enum vf_pair_state
pair_state(struct rig *r)
{
	struct vf_pair_status st;

	for (size_t i = 0; vf_core_pair_status(r->core, i, &st); i++)
		if (st.synthetic == r->hn)
			return st.state;
	fail_msg("no pair for hn0");
	return VF_PAIR_SOLO;
}

/* hn0 with rc.conf's static address, a default route and IPv6. */
static void
setup_hn(struct rig *r, const char *rcconf)
{
	fk_init(&r->f);
	r->hn = fk_add_if(&r->f, "hn0", "hn", MAC, true);
	fk_add_addr4(&r->f, r->hn, "10.0.0.5", 24);
	fk_add_addr6(&r->f, r->hn, "2001:db8::5", 64);
	fk_add_route4(&r->f, r->hn, "0.0.0.0", 0, "10.0.0.1");
	fk_add_route6(&r->f, r->hn, "::", 0, "2001:db8::1");
	if (rcconf != NULL)
		fk_write_file(&r->f, "/etc/rc.conf", rcconf);
}

static int
lagg0(struct rig *r)
{
	struct fk_if *l = fk_if_named(&r->f, "lagg0");

	return l != NULL ? l->ifindex : 0;
}

/* What the seed built, and more: the end state after a VF came. */
static void
assert_built(struct rig *r, int vf)
{
	struct fk_if *l = fk_if_named(&r->f, "lagg0");

	assert_non_null(l);
	assert_string_equal(l->descr, "vfbond:00:15:5d:00:10:00");
	assert_true(l->failover);
	assert_int_equal(l->nports, 2);
	/* The VF is primary: traffic stays on it while it has link. */
	assert_int_equal(l->primary, vf);
	assert_int_equal(fk_active_port(&r->f, l->ifindex), vf);
	assert_int_equal(fk_if(&r->f, r->hn)->lagg, l->ifindex);
	assert_true(fk_has_addr(&r->f, l->ifindex, "10.0.0.5"));
	assert_true(fk_has_addr(&r->f, l->ifindex, "2001:db8::5"));
	assert_false(fk_has_addr(&r->f, r->hn, "10.0.0.5"));
	assert_false(fk_has_addr(&r->f, r->hn, "2001:db8::5"));
	assert_true(fk_has_route4(&r->f, l->ifindex, "0.0.0.0", 0));
	assert_false(fk_has_route4(&r->f, r->hn, "0.0.0.0", 0));
	assert_true(fk_has_route6(&r->f, l->ifindex, "::", 0));
	assert_false(fk_has_route6(&r->f, r->hn, "::", 0));
	assert_int_equal(fk_sysctl_int(&r->f, "net.link.lagg.failover_rx_all"),
			 1);
	assert_int_equal(pair_state(r), VF_PAIR_ACTIVE);
}

static int
attach_and_build(struct rig *r, const char *rcconf)
{
	int vf;

	setup_hn(r, rcconf);
	rig_start(r);
	run_for(r, 1000);
	assert_int_equal(lagg0(r), 0);
	vf = fk_vf_attach(&r->f, r->hn, "mce0");
	run_for(r, 5000);
	return vf;
}

static void
vf_attach_builds_lagg(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	int vf = attach_and_build(r, NULL);

	assert_built(r, vf);
	assert_non_null(strstr(r->f.log, "nd6 lagg0 mask 5 flags 1"));
	/* Built on the VF first: hn0 joined last, once the VF had link. */
	assert_true(strstr(r->f.log, "laggport lagg0 mce0") <
		    strstr(r->f.log, "laggport lagg0 hn0"));
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* hyperv_vf_delay's minimum: nothing before 2 s, the lagg after. The
 * VF stays down meanwhile: hn steers traffic to a VF that is up, and
 * the addresses are still on hn. */
static void
vf_delay_honoured(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	int vf;

	setup_hn(r, NULL);
	rig_start(r);
	vf = fk_vf_attach(&r->f, r->hn, "mce0");
	run_for(r, 1500);
	assert_int_equal(lagg0(r), 0);
	assert_false(fk_if(&r->f, vf)->up);
	run_for(r, 2000);
	assert_int_not_equal(lagg0(r), 0);
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* A live migration: the VF goes, hn carries on, a new VF comes back. */
static void
vf_detach_and_return(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	int vf = attach_and_build(r, NULL), vf2;
	int l = lagg0(r);

	fk_detach(&r->f, vf);
	run_for(r, 1000);
	assert_int_equal(pair_state(r), VF_PAIR_VF_GONE);
	assert_int_equal(fk_active_port(&r->f, l), r->hn);
	assert_true(fk_has_addr(&r->f, l, "10.0.0.5"));
	assert_int_equal(fk_if_named(&r->f, "lagg0")->primary, r->hn);

	r->f.log[0] = '\0';
	vf2 = fk_vf_attach(&r->f, r->hn, "mce1");
	run_for(r, 5000);
	/* Re-seated: hn out and back in, so the VF is primary again. */
	assert_non_null(strstr(r->f.log, "-laggport lagg0 hn0"));
	assert_int_equal(fk_if_named(&r->f, "lagg0")->primary, vf2);
	assert_int_equal(fk_active_port(&r->f, l), vf2);
	assert_int_equal(fk_if(&r->f, r->hn)->lagg, l);
	assert_int_equal(pair_state(r), VF_PAIR_ACTIVE);
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* hn lets go of its VF (dev.hn.0.vf empty) a moment before the VF's
 * ifnet leaves, as if_detach runs: nothing is undone meanwhile. */
static void
vf_unpaired_before_it_leaves(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	int vf = attach_and_build(r, NULL), l = lagg0(r);

	fk_if(&r->f, r->hn)->vf = 0;
	fk_set_up(&r->f, vf, false);
	r->f.log[0] = '\0';
	run_for(r, 500);
	assert_int_not_equal(pair_state(r), VF_PAIR_CONFLICT);
	fk_detach(&r->f, vf);
	run_for(r, 1000);
	assert_null(strstr(r->f.log, "addr"));
	assert_null(strstr(r->f.log, "destroy"));
	assert_true(fk_has_addr(&r->f, l, "10.0.0.5"));
	assert_int_equal(fk_if(&r->f, r->hn)->lagg, l);
	assert_int_equal(pair_state(r), VF_PAIR_VF_GONE);
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* VF_DOWN without detach: lagg fails over to hn, and back. */
static void
vf_down_and_up(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	int vf = attach_and_build(r, NULL);
	int l = lagg0(r);

	fk_set_up(&r->f, vf, false);
	run_for(r, 1000);
	assert_int_equal(fk_active_port(&r->f, l), r->hn);
	assert_true(fk_has_addr(&r->f, l, "10.0.0.5"));
	fk_set_up(&r->f, vf, true);
	run_for(r, 1000);
	assert_int_equal(fk_active_port(&r->f, l), vf);
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* A restart finds its lagg by description and creates nothing. */
static void
restart_adopts_lagg(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	int vf = attach_and_build(r, NULL);

	rig_stop(r);
	r->f.log[0] = '\0';
	rig_start(r);
	run_for(r, 3000);
	assert_null(strstr(r->f.log, "create"));
	assert_null(strstr(r->f.log, "laggport"));
	assert_built(r, vf);
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* Two hn with a VF each: lagg0 over hn0, lagg1 over hn1, by unit. */
static void
two_pairs_by_unit(void **state)
{
	static const uint8_t MAC1[VF_MACLEN] = { 0x00, 0x15, 0x5d, 0, 0x10, 1 };
	struct rig *r = calloc(1, sizeof(*r));
	int hn1, vf0, vf1;

	setup_hn(r, NULL);
	hn1 = fk_add_if(&r->f, "hn1", "hn", MAC1, true);
	fk_add_addr4(&r->f, hn1, "10.1.0.5", 24);
	rig_start(r);
	vf1 = fk_vf_attach(&r->f, hn1, "mce0");
	vf0 = fk_vf_attach(&r->f, r->hn, "mce1");
	run_for(r, 5000);
	assert_int_equal(fk_if_named(&r->f, "lagg0")->primary, vf0);
	assert_int_equal(fk_if_named(&r->f, "lagg1")->primary, vf1);
	assert_int_equal(fk_if(&r->f, hn1)->lagg,
			 fk_if_named(&r->f, "lagg1")->ifindex);
	assert_true(fk_has_addr(&r->f, fk_if_named(&r->f, "lagg1")->ifindex,
				"10.1.0.5"));
	assert_string_equal(fk_if_named(&r->f, "lagg1")->descr,
			    "vfbond:00:15:5d:00:10:01");
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* A restart while the VF is away: the lagg on hn alone is adopted. */
static void
restart_with_vf_gone(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	int vf = attach_and_build(r, NULL), l = lagg0(r);

	fk_detach(&r->f, vf);
	run_for(r, 1000);
	rig_stop(r);
	r->f.log[0] = '\0';
	rig_start(r);
	run_for(r, 2000);
	assert_null(strstr(r->f.log, "create"));
	assert_int_equal(pair_state(r), VF_PAIR_VF_GONE);
	assert_true(fk_has_addr(&r->f, l, "10.0.0.5"));
	vf = fk_vf_attach(&r->f, r->hn, "mce7");
	run_for(r, 5000);
	assert_int_equal(fk_if_named(&r->f, "lagg0")->primary, vf);
	assert_int_equal(pair_state(r), VF_PAIR_ACTIVE);
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* A lagg with somebody else's description is not ours to use. */
static void
restart_leaves_foreign_lagg(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));

	attach_and_build(r, NULL);
	rig_stop(r);
	snprintf(fk_if_named(&r->f, "lagg0")->descr, 64, "uplink");
	r->f.log[0] = '\0';
	rig_start(r);
	run_for(r, 3000);
	assert_null(strstr(r->f.log, "descr"));
	assert_null(strstr(r->f.log, "laggport"));
	assert_int_not_equal(pair_state(r), VF_PAIR_ACTIVE);
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* The VF leaves during its delay: nothing is built. */
static void
vf_gone_before_its_turn(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	int vf;

	setup_hn(r, NULL);
	rig_start(r);
	vf = fk_vf_attach(&r->f, r->hn, "mce0");
	run_for(r, 500);
	fk_detach(&r->f, vf);
	run_for(r, 5000);
	assert_int_equal(lagg0(r), 0);
	assert_null(strstr(r->f.log, "create"));
	assert_true(fk_has_addr(&r->f, r->hn, "10.0.0.5"));
	assert_int_equal(pair_state(r), VF_PAIR_SOLO);
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* The VF leaves as it is added: the half-built lagg is destroyed. */
static void
vf_gone_mid_build(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	int vf;

	setup_hn(r, NULL);
	rig_start(r);
	vf = fk_vf_attach(&r->f, r->hn, "mce0");
	r->f.vanish_on_add = vf;
	run_for(r, 5000);
	assert_non_null(strstr(r->f.log, "create lagg0"));
	assert_non_null(strstr(r->f.log, "destroy lagg0"));
	assert_int_equal(lagg0(r), 0);
	assert_true(fk_has_addr(&r->f, r->hn, "10.0.0.5"));
	assert_true(fk_has_route4(&r->f, r->hn, "0.0.0.0", 0));
	assert_int_not_equal(pair_state(r), VF_PAIR_ACTIVE);
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* hw.hn.vf_transparent=1: the kernel pairs them; vfbond says so. */
static void
transparent_stands_aside(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));

	setup_hn(r, NULL);
	fk_set_sysctl_int(&r->f, "hw.hn.vf_transparent", 1);
	rig_start(r);
	fk_vf_attach(&r->f, r->hn, "mce0");
	run_for(r, 5000);
	assert_int_equal(lagg0(r), 0);
	assert_int_equal(r->actions, 0);
	assert_int_equal(pair_state(r), VF_PAIR_TRANSPARENT);
	assert_non_null(strstr(vf_if_note(r->ifs), "vf_transparent=1"));
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* Not Hyper-V: the same MAC on two NICs is no pair of vfbond's. */
static void
not_hyperv_stands_aside(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));

	setup_hn(r, NULL);
	fk_set_sysctl_str(&r->f, "kern.vm_guest", "kvm");
	rig_start(r);
	fk_vf_attach(&r->f, r->hn, "mce0");
	run_for(r, 5000);
	assert_int_equal(lagg0(r), 0);
	assert_int_equal(r->actions, 0);
	assert_non_null(strstr(vf_if_note(r->ifs), "not a Hyper-V guest"));
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* Pairing is the kernel's: a VF with hn's MAC but not dev.hn.0.vf. */
static void
pairs_only_from_dev_hn_vf(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));

	setup_hn(r, NULL);
	rig_start(r);
	fk_add_if(&r->f, "mce0", "mce", MAC, false);
	run_for(r, 5000);
	assert_int_equal(lagg0(r), 0);
	assert_int_equal(pair_state(r), VF_PAIR_SOLO);
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* ifconfig_hn0="DHCP": dhclient moves to lagg0 and stays there. */
static void
dhcp_follows_the_lagg(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	int hn_dhc, vf, l;
	char kill[32];

	setup_hn(r, "ifconfig_hn0=\"DHCP\"\n");
	hn_dhc = fk_start_dhclient(&r->f, "hn0");
	rig_start(r);
	vf = fk_vf_attach(&r->f, r->hn, "mce0");
	run_for(r, 5000);
	l = lagg0(r);
	assert_int_not_equal(l, 0);
	assert_null(fk_dhclient(&r->f, "hn0"));
	assert_non_null(fk_dhclient(&r->f, "lagg0"));
	/* hn's stopped first: never two dhclients on one lease. */
	snprintf(kill, sizeof(kill), "kill %d hn0", hn_dhc);
	assert_non_null(strstr(r->f.log, kill));
	assert_true(strstr(r->f.log, kill) <
		    strstr(r->f.log, "spawn /sbin/dhclient lagg0"));

	/* The VF leaves: hn's link comes up and devd restarts its
	 * dhclient a moment later. It is stopped again. */
	fk_detach(&r->f, vf);
	run_for(r, 300);
	fk_start_dhclient(&r->f, "hn0");
	run_for(r, 3000);
	assert_null(fk_dhclient(&r->f, "hn0"));

	/* lagg0 loses link, its dhclient exits; link back: restarted. */
	fk_set_link(&r->f, r->hn, false);
	run_for(r, 500);
	fk_dhclient(&r->f, "lagg0")->alive = false;
	fk_dhclient(&r->f, "lagg0");
	fk_set_link(&r->f, r->hn, true);
	run_for(r, 500);
	assert_non_null(fk_dhclient(&r->f, "lagg0"));
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* rc.conf edited after start counts from the next build; an edit that
 * is refused (a shell expansion) keeps the last good one. */
static void
rc_conf_edit_counts(void **state)
{
	static const uint8_t MAC1[VF_MACLEN] = { 0x00, 0x15, 0x5d, 0, 0x10, 1 };
	struct rig *r = calloc(1, sizeof(*r));
	int hn1;

	setup_hn(r, "ifconfig_hn0=\"inet 10.0.0.5/24\"\n");
	hn1 = fk_add_if(&r->f, "hn1", "hn", MAC1, true);
	fk_add_addr4(&r->f, hn1, "10.1.0.5", 24);
	rig_start(r);
	run_for(r, 500);
	fk_write_file(&r->f, "/etc/rc.conf",
		      "ifconfig_hn0=\"DHCP\"\n"
		      "ifconfig_hn0_ipv6=\"inet6 accept_rtadv\"\n"
		      "ifconfig_hn1=\"DHCP\"\n");
	fk_start_dhclient(&r->f, "hn0");
	fk_vf_attach(&r->f, r->hn, "mce0");
	run_for(r, 5000);
	assert_int_not_equal(lagg0(r), 0);
	assert_null(fk_dhclient(&r->f, "hn0"));
	assert_non_null(fk_dhclient(&r->f, "lagg0"));
	assert_non_null(strstr(r->f.log, "nd6 lagg0 mask 7 flags 3"));

	/* Refused now: hn1 is still DHCP at its build. */
	fk_write_file(&r->f, "/etc/rc.conf", "ifconfig_hn1=\"$x\"\n");
	fk_start_dhclient(&r->f, "hn1");
	fk_vf_attach(&r->f, hn1, "mce1");
	run_for(r, 5000);
	assert_int_equal(fk_if(&r->f, hn1)->lagg,
			 fk_if_named(&r->f, "lagg1")->ifindex);
	assert_null(fk_dhclient(&r->f, "hn1"));
	assert_non_null(fk_dhclient(&r->f, "lagg1"));
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* A static route through a link-local gateway (fe80::1%hn0) moves, the
 * gateway named in the lagg's zone: fe80::1%lagg0. */
static void
link_local_gateway_moves(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	int vf;

	setup_hn(r, NULL);
	fk_add_route6(&r->f, r->hn, "2001:db8:1::", 48, "fe80::1");
	rig_start(r);
	vf = fk_vf_attach(&r->f, r->hn, "mce0");
	run_for(r, 5000);
	assert_built(r, vf);
	assert_true(fk_has_route6(&r->f, lagg0(r), "2001:db8:1::", 48));
	assert_false(fk_has_route6(&r->f, r->hn, "2001:db8:1::", 48));
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* A lagg that comes with IPv6 disabled (ifdisabled) gets it on, as hn
 * has it; where hn has IPv6 off, the lagg keeps it off. */
static void
ipv6_on_off_as_on_hn(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	int vf;

	setup_hn(r, NULL);
	r->f.lagg_nd6 = VF_FBSD_ND6_IFDISABLED;
	rig_start(r);
	vf = fk_vf_attach(&r->f, r->hn, "mce0");
	run_for(r, 5000);
	assert_built(r, vf);
	assert_int_equal(fk_if(&r->f, lagg0(r))->nd6, VF_FBSD_ND6_NO_DAD);
	vf_if_close(r->ifs);
	vf_core_free(r->core);

	memset(r, 0, sizeof(*r));
	setup_hn(r, NULL);
	fk_if(&r->f, r->hn)->nd6 = VF_FBSD_ND6_IFDISABLED;
	rig_start(r);
	fk_vf_attach(&r->f, r->hn, "mce0");
	run_for(r, 5000);
	assert_int_equal(fk_if(&r->f, lagg0(r))->nd6,
			 VF_FBSD_ND6_NO_DAD | VF_FBSD_ND6_IFDISABLED);
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* An address change meanwhile sweeps at once, and the sweep due 2 s
 * after hn's LINK_UP still comes: devd's dhclient starts after both. */
static void
dhcp_sweep_after_address_change(void **state)
{
	static const uint8_t MAC1[VF_MACLEN] = { 0x00, 0x15, 0x5d, 0, 0x10, 1 };
	struct rig *r = calloc(1, sizeof(*r));
	int vf, other;

	setup_hn(r, "ifconfig_hn0=\"DHCP\"\n");
	other = fk_add_if(&r->f, "hn1", "hn", MAC1, true);
	rig_start(r);
	vf = fk_vf_attach(&r->f, r->hn, "mce0");
	run_for(r, 5000);
	assert_int_not_equal(lagg0(r), 0);

	fk_detach(&r->f, vf); /* hn's LINK_UP: a sweep in 2 s */
	run_for(r, 300);
	fk_add_addr4(&r->f, other, "10.9.0.1", 24); /* swept now */
	run_for(r, 300);
	fk_start_dhclient(&r->f, "hn0");
	run_for(r, 2000);
	assert_null(fk_dhclient(&r->f, "hn0"));
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* ifconfig_hn0_ipv6 with accept_rtadv: the lagg takes RAs in hn's place. */
static void
rtadv_follows_the_lagg(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));

	attach_and_build(r, "ifconfig_hn0_ipv6=\"inet6 accept_rtadv\"\n");
	assert_non_null(strstr(r->f.log, "nd6 lagg0 mask 7 flags 3"));
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* hn's jumbo MTU (rc.conf's "mtu 9000") stays: the VF takes it first. */
static void
jumbo_mtu_kept(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	int vf, vf2;

	setup_hn(r, NULL);
	fk_if(&r->f, r->hn)->mtu = 9000;
	rig_start(r);
	vf = fk_vf_attach(&r->f, r->hn, "mce0");
	run_for(r, 5000);
	assert_built(r, vf);
	assert_int_equal(fk_if_named(&r->f, "lagg0")->mtu, 9000);
	assert_int_equal(fk_if(&r->f, r->hn)->mtu, 9000);
	assert_int_equal(fk_if(&r->f, vf)->mtu, 9000);
	assert_null(strstr(r->f.log, "forced"));

	/* The VF of the next host comes at 1500 too; it is raised before
	 * it joins, not left to the kernel (which refuses before 13). */
	fk_detach(&r->f, vf);
	run_for(r, 1000);
	vf2 = fk_vf_attach(&r->f, r->hn, "mce1");
	run_for(r, 5000);
	assert_int_equal(fk_if(&r->f, vf2)->lagg, lagg0(r));
	assert_true(strstr(r->f.log, "mtu mce1 9000") <
		    strstr(r->f.log, "laggport lagg0 mce1"));
	assert_null(strstr(r->f.log, "forced"));
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* A VF that cannot take hn's MTU is not added: hn keeps its own. */
static void
mtu_refused_keeps_hn(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));

	setup_hn(r, NULL);
	fk_if(&r->f, r->hn)->mtu = 9000;
	r->f.fail_if_mtu = true;
	rig_start(r);
	fk_vf_attach(&r->f, r->hn, "mce0");
	run_for(r, 5000);
	assert_null(strstr(r->f.log, "laggport lagg0 mce0"));
	assert_non_null(strstr(r->last_err, "MTU of mce0"));
	assert_int_equal(fk_if(&r->f, r->hn)->mtu, 9000);
	assert_int_equal(fk_if(&r->f, r->hn)->lagg, 0);
	assert_true(fk_has_addr(&r->f, r->hn, "10.0.0.5"));
	assert_true(fk_has_route4(&r->f, r->hn, "0.0.0.0", 0));
	assert_int_equal(lagg0(r), 0); /* nothing half-built left */
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* A static rc.conf: the addresses move, no dhclient is touched. */
static void
static_config_no_dhclient(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	int vf = attach_and_build(r, "ifconfig_hn0=\"inet 10.0.0.5/24\"\n");

	assert_built(r, vf);
	assert_null(strstr(r->f.log, "spawn"));
	assert_null(strstr(r->f.log, "kill"));
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* devd goes away: reconnects at 1, 2, 4 s; then events flow again. */
static void
devd_reconnects_with_backoff(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	uint64_t t0;

	setup_hn(r, NULL);
	rig_start(r);
	assert_int_equal(r->f.devd_connects, 1);
	fk_devd_stop(&r->f);
	t0 = r->f.now;
	run_for(r, 0); /* EOF seen */
	run_for(r, 900);
	assert_int_equal(r->f.devd_connects, 1);
	run_for(r, 200); /* 1 s after: tried, refused */
	assert_int_equal(r->f.devd_connects, 2);
	assert_int_equal(r->f.wake, t0 + 1000 + 2000);
	run_for(r, 2000);
	assert_int_equal(r->f.devd_connects, 3);
	assert_int_equal(r->f.wake, t0 + 3000 + 4000);

	/* A VF comes while devd is away and the routing socket says
	 * nothing: only the re-read after reconnecting finds it. */
	fk_vf_attach(&r->f, r->hn, "mce0");
	r->f.rt_n = 0;
	run_for(r, 1000);
	assert_int_equal(lagg0(r), 0);
	fk_devd_start(&r->f);
	run_for(r, 8000);
	assert_int_equal(r->f.devd_connects, 4);
	assert_int_not_equal(lagg0(r), 0);
	/* Each read took the descriptor's wake-ups first (kqueue). */
	assert_true(r->f.acks > 0);
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* One timer for devd's reconnect and the dhclient sweep: the earliest
 * wins, whichever was asked for last, and a failed read's retry makes
 * a due sweep wait for it rather than spin. */
static void
one_timer_earliest_first(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	uint64_t t0;

	setup_hn(r, NULL);
	rig_start(r);
	run_for(r, 100);
	fk_set_link(&r->f, r->hn, false);
	run_for(r, 100);
	fk_set_link(&r->f, r->hn, true); /* devd: LINK_UP, a sweep in 2 s */
	run_for(r, 0);
	t0 = r->f.now;
	assert_int_equal(r->f.wake, t0 + 2000);
	fk_devd_stop(&r->f);
	run_for(r, 0); /* EOF: reconnect in 1 s, before the sweep */
	assert_int_equal(r->f.wake, t0 + 1000);
	run_for(r, 1000); /* refused: next in 2 s, after the sweep */
	assert_int_equal(r->f.wake, t0 + 2000);

	r->f.rt_overflow = true; /* must read, and the read fails */
	r->f.fail_if_list = 1;
	r->f.now = t0 + 2000;
	assert_int_equal(vf_if_read_events(r->ifs, on_link, on_gone, r),
			 -ENOMEM);
	assert_int_equal(r->f.wake, t0 + 3000);
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* Routing messages lost (ENOBUFS) with devd silent: all is read again. */
static void
lost_route_messages_reread(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));

	setup_hn(r, NULL);
	rig_start(r);
	run_for(r, 100); /* the read that follows devd's connection */
	fk_vf_attach(&r->f, r->hn, "mce0");
	r->f.rt_n = 0;
	r->f.devd_n = 0;
	run_for(r, 500);
	assert_int_equal(pair_state(r), VF_PAIR_SOLO);
	r->f.rt_overflow = true;
	run_for(r, 5000);
	assert_int_not_equal(lagg0(r), 0);
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* A read that fails after an event is tried again a second later. */
static void
failed_read_is_retried(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));

	setup_hn(r, NULL);
	rig_start(r);
	fk_vf_attach(&r->f, r->hn, "mce0");
	r->f.fail_if_list = 1;
	assert_int_equal(vf_if_read_events(r->ifs, on_link, on_gone, r),
			 -ENOMEM);
	assert_int_equal(r->f.wake, r->f.now + 1000);
	r->f.now += 1000;
	assert_int_equal(vf_if_read_events(r->ifs, on_link, on_gone, r), 0);
	run_for(r, 5000);
	assert_int_not_equal(lagg0(r), 0);
	vf_if_close(r->ifs);
	vf_core_free(r->core);
	free(r);
}

/* FreeBSD's defaults: laggN over hnN, hooks under /usr/local/etc. */
static void
freebsd_defaults(void **state)
{
	struct vf_config conf;

	vf_config_defaults(&conf);
	vf_if_defaults(&conf);
	assert_string_equal(conf.master_name, "lagg%u");
	assert_string_equal(conf.hooks_dir, "/usr/local/etc/vfbond/hooks");
	assert_true(vf_words_has(&conf.synthetic_drivers, "hn"));
	assert_false(conf.master_before_vf);
}

/* hyperv_vf_delay from rc.conf.local over rc.conf, with the seed's floor. */
static void
vf_delay_from_rc_conf(void **state)
{
	char a[] = "/tmp/vfbond-rc-XXXXXX", b[] = "/tmp/vfbond-rcl-XXXXXX";
	const char *files[] = { a, b };
	struct vf_config conf;
	int fa = mkstemp(a), fb = mkstemp(b);

	assert_true(fa >= 0 && fb >= 0);
	assert_int_equal(write(fa, "hyperv_vf_delay=120\n", 20), 20);
	vf_config_defaults(&conf);
	vf_fbsd_rc_defaults(&conf, files, 2);
	assert_int_equal(conf.vf_delay_ms, 120000);
	assert_int_equal(write(fb, "hyperv_vf_delay=1\n", 18), 18);
	vf_fbsd_rc_defaults(&conf, files, 2);
	assert_int_equal(conf.vf_delay_ms, 2000);
	unlink(b);
	unlink(a);
	vf_fbsd_rc_defaults(&conf, files, 2);
	assert_int_equal(conf.vf_delay_ms, 2000);
	close(fa);
	close(fb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vf_attach_builds_lagg),
		cmocka_unit_test(vf_delay_honoured),
		cmocka_unit_test(vf_detach_and_return),
		cmocka_unit_test(vf_down_and_up),
		cmocka_unit_test(vf_unpaired_before_it_leaves),
		cmocka_unit_test(restart_adopts_lagg),
		cmocka_unit_test(restart_leaves_foreign_lagg),
		cmocka_unit_test(two_pairs_by_unit),
		cmocka_unit_test(restart_with_vf_gone),
		cmocka_unit_test(vf_gone_before_its_turn),
		cmocka_unit_test(vf_gone_mid_build),
		cmocka_unit_test(transparent_stands_aside),
		cmocka_unit_test(not_hyperv_stands_aside),
		cmocka_unit_test(pairs_only_from_dev_hn_vf),
		cmocka_unit_test(dhcp_follows_the_lagg),
		cmocka_unit_test(dhcp_sweep_after_address_change),
		cmocka_unit_test(static_config_no_dhclient),
		cmocka_unit_test(rc_conf_edit_counts),
		cmocka_unit_test(jumbo_mtu_kept),
		cmocka_unit_test(mtu_refused_keeps_hn),
		cmocka_unit_test(rtadv_follows_the_lagg),
		cmocka_unit_test(ipv6_on_off_as_on_hn),
		cmocka_unit_test(link_local_gateway_moves),
		cmocka_unit_test(devd_reconnects_with_backoff),
		cmocka_unit_test(failed_read_is_retried),
		cmocka_unit_test(lost_route_messages_reread),
		cmocka_unit_test(one_timer_earliest_first),
		cmocka_unit_test(vf_delay_from_rc_conf),
		cmocka_unit_test(freebsd_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
