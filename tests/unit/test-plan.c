/* SPDX-License-Identifier: MIT */
/*
 * The plans over a fake backend: what each step does, in what order,
 * and that a failure at any call leaves the network exactly as it was.
 * Ifindexes: 2 = synthetic, 3 = VF, 10 = the master the plan creates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/plan.h"
#include "fake-os.h"

static struct fake_os fake;
static char notes[512];

static void
note(void *arg, const char *line)
{
	size_t len = strlen(notes);

	(void)arg;
	snprintf(notes + len, sizeof(notes) - len, "%s\n", line);
}

/* syn0 with addresses and routes, vf0 down; no master yet. */
static void
fake_reset(void)
{
	struct vf_route *r;

	memset(&fake, 0, sizeof(fake));
	notes[0] = '\0';
	fake.next_ifindex = 10;
	fake_add_link(&fake, 2, "syn0", true);
	fake_add_link(&fake, 3, "vf0", false);
	fake_add_addr(&fake, 2, 4, "198.18.0.2/24", true);
	fake_add_addr(&fake, 2, 4, "198.18.0.3/24", true);
	fake_add_addr(&fake, 2, 6, "2001:db8::2/64", true);
	fake_add_addr(&fake, 2, 6, "fe80::1/64", true);
	fake_add_addr(&fake, 2, 4, "127.0.0.2/8", false);
	fake_add_route(&fake, 2, "default via 198.18.0.1", true);
	fake_add_route(&fake, 2, "198.19.0.0/24", false);
	r = fake_add_route(&fake, 2, "198.18.0.0/24 proto kernel", false);
	r->kernel_made = true;
	r = fake_add_route(&fake, 2, "10.0.0.0/8 multipath", true);
	r->multipath = true;
}

/* The state after a build: master 10 holds vf0, syn0 not yet. */
static void
fake_built(void)
{
	struct vf_link *m;

	fake_reset();
	m = fake_add_link(&fake, 10, "vfb0", true);
	m->cls = VF_LINK_FAILOVER;
	m->active_backup = true;
	fake.primary[2] = 3;
	fake_link(&fake, 3)->master = 10;
	fake_add_addr(&fake, 10, 4, "198.18.0.2/24", true);
	fake.next_ifindex = 11;
}

static struct vf_action
action(enum vf_action_type type)
{
	struct vf_action act = { .type = type, .synthetic = 2, .vf = 3 };

	if (type != VF_ACT_BUILD_MASTER)
		act.master = 10;
	snprintf(act.master_name, sizeof(act.master_name), "vfb0");
	snprintf(act.alias, sizeof(act.alias), "vfbond:52:54:00:00:10:00");
	snprintf(act.synthetic_name, sizeof(act.synthetic_name), "syn0");
	snprintf(act.vf_name, sizeof(act.vf_name), "vf0");
	return act;
}

static int
run(struct vf_action *act, char *err, size_t errlen)
{
	struct vf_plan_env env = { &fake_prims, &fake, note, NULL, "" };
	int rc = vf_plan_run(&env, act);

	snprintf(err, errlen, "%s", env.err);
	return rc;
}

static void
build_master_copies_addresses_and_keeps_them(void **state)
{
	struct vf_action act = action(VF_ACT_BUILD_MASTER);
	char err[512];

	fake_reset();
	assert_int_equal(run(&act, err, sizeof(err)), 0);
	assert_int_equal(act.master, 10);
	assert_string_equal(fake.log,
			    "create vfb0; mark vfb0; dad-off vfb0; "
			    "port vf0 10; primary vfb0 vf0; vfb0 up; "
			    "add vfb0 198.18.0.2/24; add vfb0 198.18.0.3/24; "
			    "add vfb0 2001:db8::2/64; ");
	assert_string_equal(fake_link(&fake, 10)->alias,
			    "vfbond:52:54:00:00:10:00");
	/* The synthetic NIC still has all of them: it carries traffic. */
	assert_int_equal(fake.n_addrs, 5 + 3);
}

static void
takeover_moves_routes_gateways_last_and_reports_multipath(void **state)
{
	struct vf_action act = action(VF_ACT_TAKEOVER);
	char err[512];

	fake_built();
	assert_int_equal(run(&act, err, sizeof(err)), 0);
	assert_string_equal(fake.log,
			    "add vfb0 198.18.0.2/24; add vfb0 198.18.0.3/24; "
			    "add vfb0 2001:db8::2/64; "
			    "route-add vfb0 198.19.0.0/24; "
			    "route-add vfb0 default via 198.18.0.1; "
			    "route-del syn0 default via 198.18.0.1; "
			    "route-del syn0 198.19.0.0/24; "
			    "del syn0 2001:db8::2/64; del syn0 198.18.0.3/24; "
			    "del syn0 198.18.0.2/24; "
			    "syn0 down; port syn0 10; ");
	assert_string_equal(notes, "route 10.0.0.0/8 multipath stays on "
				   "syn0: it has several next hops\n");
	assert_int_equal(fake_link(&fake, 2)->master, 10);
}

static void
enslave_vf_makes_it_primary_and_active(void **state)
{
	struct vf_action act = action(VF_ACT_ENSLAVE_VF);
	char err[512];

	fake_built();
	fake_link(&fake, 3)->master = 0;
	fake_link(&fake, 3)->carrier = true;
	fake.primary[2] = 0;
	assert_int_equal(run(&act, err, sizeof(err)), 0);
	assert_string_equal(fake.log, "port vf0 10; primary vfb0 vf0; "
				      "active vfb0 vf0; ");
	assert_int_equal(fake_link(&fake, 10)->active_slave, 3);
}

/*
 * Fails the plan at each of its mutating calls in turn: every time,
 * the failure is reported and the network is exactly as before.
 */
/* No VF yet: an empty master, up; no address moves before the takeover. */
static void
build_master_without_vf_is_empty_and_up(void **state)
{
	struct vf_action act = action(VF_ACT_BUILD_MASTER);
	char err[512];

	fake_reset();
	act.vf = 0;
	act.vf_name[0] = '\0';
	assert_int_equal(run(&act, err, sizeof(err)), 0);
	assert_int_equal(act.master, 10);
	assert_string_equal(fake.log,
			    "create vfb0; mark vfb0; dad-off vfb0; vfb0 up; ");
	assert_int_equal(fake.n_addrs, 5);
	/* Undone at every call as a build with a VF is. */
	for (int k = 1; k <= 4; k++) {
		char before[2048], after[2048];

		fake_reset();
		fake_snapshot(&fake, before, sizeof(before));
		fake.fail_at[0] = k;
		act = action(VF_ACT_BUILD_MASTER);
		act.vf = 0;
		assert_int_equal(run(&act, err, sizeof(err)), -EIO);
		assert_int_equal(act.master, 0);
		fake_snapshot(&fake, after, sizeof(after));
		assert_string_equal(after, before);
	}
}

static void
rollback_at_every_call(enum vf_action_type type, void (*prepare)(void))
{
	char before[2048], after[2048], err[512];
	struct vf_action act;
	int calls;

	prepare();
	act = action(type);
	assert_int_equal(run(&act, err, sizeof(err)), 0);
	calls = fake.calls;
	assert_true(calls > 3);
	for (int k = 1; k <= calls; k++) {
		prepare();
		fake_snapshot(&fake, before, sizeof(before));
		fake.fail_at[0] = k;
		act = action(type);
		assert_int_equal(run(&act, err, sizeof(err)), -EIO);
		assert_non_null(strstr(err, "fake failure"));
		assert_null(strstr(err, "undo incomplete"));
		if (type == VF_ACT_BUILD_MASTER)
			assert_int_equal(act.master, 0);
		fake_snapshot(&fake, after, sizeof(after));
		assert_string_equal(after, before);
	}
}

static void
build_master_rolls_back_at_every_call(void **state)
{
	rollback_at_every_call(VF_ACT_BUILD_MASTER, fake_reset);
}

static void
takeover_rolls_back_at_every_call(void **state)
{
	rollback_at_every_call(VF_ACT_TAKEOVER, fake_built);
}

static void
enslave_vf_setup(void)
{
	fake_built();
	fake_link(&fake, 3)->master = 0;
	fake_link(&fake, 3)->up = true;
	fake.primary[2] = 0;
}

static void
enslave_vf_rolls_back_at_every_call(void **state)
{
	char before[2048], after[2048], err[512];
	struct vf_action act;

	/* vf0 down, into vfb0, primary; active is best effort. */
	for (int k = 1; k <= 3; k++) {
		enslave_vf_setup();
		fake_snapshot(&fake, before, sizeof(before));
		fake.fail_at[0] = k;
		act = action(VF_ACT_ENSLAVE_VF);
		assert_int_equal(run(&act, err, sizeof(err)), -EIO);
		fake_snapshot(&fake, after, sizeof(after));
		assert_string_equal(after, before);
	}
}

static int
count_on(int ifindex)
{
	int n = 0;

	for (int i = 0; i < fake.n_addrs; i++)
		n += fake.addrs[i].ifindex == ifindex;
	return n;
}

static int
routes_on(int ifindex, const char *text)
{
	int n = 0;

	for (int i = 0; i < fake.n_routes; i++)
		n += fake.routes[i].ifindex == ifindex &&
		     strcmp(fake.routes[i].r.text, text) == 0;
	return n;
}

/* An undo that fails is said, and the rest of the journal still runs. */
static void
failed_undo_is_reported_and_the_rest_undone(void **state)
{
	struct vf_action act = action(VF_ACT_TAKEOVER);
	char err[512];

	fake_built();
	/* 3 address and 2 route calls, the default route off syn0, then
	 * the 2nd route off syn0 fails, and so does putting the 1st back. */
	fake.fail_at[0] = 7;
	fake.fail_at[1] = 8;
	assert_int_equal(run(&act, err, sizeof(err)), -EIO);
	assert_string_equal(err, "route-del: fake failure 7; undo incomplete: "
				 "route-add: fake failure 8");
	/* The rest was undone: the copies came off the master (the address
	 * it had before stays), but for the default route, which syn0 did
	 * not take back: it stays on the master, not on neither link. */
	assert_int_equal(count_on(10), 1);
	assert_int_equal(fake.n_routes, 4);
	assert_int_equal(routes_on(10, "default via 198.18.0.1"), 1);
	assert_int_equal(routes_on(2, "default via 198.18.0.1"), 0);
	assert_int_equal(routes_on(2, "198.19.0.0/24"), 1);
}

/* Killed after the create: an unmarked, empty master is there. */
static void
fake_created(void)
{
	struct vf_link *m;

	fake_reset();
	m = fake_add_link(&fake, 10, "vfb0", false);
	m->cls = VF_LINK_FAILOVER;
	m->active_backup = true;
	fake.next_ifindex = 11;
}

static void
build_master_finishes_a_found_master(void **state)
{
	struct vf_action act = action(VF_ACT_BUILD_MASTER);
	char err[512];

	fake_created();
	act.master = 10;
	assert_int_equal(run(&act, err, sizeof(err)), 0);
	assert_int_equal(act.master, 10);
	assert_string_equal(fake.log,
			    "mark vfb0; dad-off vfb0; "
			    "port vf0 10; primary vfb0 vf0; vfb0 up; "
			    "add vfb0 198.18.0.2/24; add vfb0 198.18.0.3/24; "
			    "add vfb0 2001:db8::2/64; ");
	assert_string_equal(fake_link(&fake, 10)->alias,
			    "vfbond:52:54:00:00:10:00");
	/* Marked already: not again. A failure leaves the master there. */
	fake_created();
	snprintf(fake_link(&fake, 10)->alias, VF_ALIASSIZ,
		 "vfbond:52:54:00:00:10:00");
	fake.fail_at[0] = 3;
	act = action(VF_ACT_BUILD_MASTER);
	act.master = 10;
	assert_int_equal(run(&act, err, sizeof(err)), -EIO);
	assert_string_equal(fake.log, "dad-off vfb0; port vf0 10; "
				      "primary vfb0 vf0; port vf0 0; ");
	assert_non_null(fake_link(&fake, 10));
	assert_int_equal(fake_link(&fake, 3)->master, 0);
	/* Somebody else's mark, or another MAC: not adopted. */
	fake_created();
	snprintf(fake_link(&fake, 10)->alias, VF_ALIASSIZ, "theirs");
	act = action(VF_ACT_BUILD_MASTER);
	act.master = 10;
	assert_int_equal(run(&act, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "build master vfb0: vfb0 is not a master of "
				 "the pair");
	assert_string_equal(fake.log, "");
}

/* A master left down is set up before addresses go to it. */
static void
takeover_sets_a_down_master_up_first(void **state)
{
	struct vf_action act = action(VF_ACT_TAKEOVER);
	char err[512];

	fake_built();
	fake_link(&fake, 10)->up = false;
	assert_int_equal(run(&act, err, sizeof(err)), 0);
	assert_int_equal(strncmp(fake.log, "vfb0 up; add vfb0", 17), 0);
	assert_true(fake_link(&fake, 10)->up);
}

static int
addr_on(int ifindex, const char *text)
{
	int n = 0;

	for (int i = 0; i < fake.n_addrs; i++)
		n += fake.addrs[i].ifindex == ifindex &&
		     strcmp(fake.addrs[i].a.text, text) == 0;
	return n;
}

/*
 * The takeover fails as syn0 joins (call 12), and putting
 * 2001:db8::2/64 back on syn0 fails too (call 16, after syn0 up and the
 * two IPv4 addresses): its copy on the master stays, the others go.
 */
static void
rollback_keeps_the_copy_of_an_address_not_restored(void **state)
{
	struct vf_action act = action(VF_ACT_TAKEOVER);
	char err[512];

	fake_built();
	fake.fail_at[0] = 12;
	fake.fail_at[1] = 16;
	assert_int_equal(run(&act, err, sizeof(err)), -EIO);
	assert_string_equal(err, "port: fake failure 12; undo incomplete: "
				 "addr-add: fake failure 16");
	assert_int_equal(addr_on(2, "2001:db8::2/64"), 0);
	assert_int_equal(addr_on(10, "2001:db8::2/64"), 1);
	assert_int_equal(addr_on(2, "198.18.0.3/24"), 1);
	assert_int_equal(addr_on(10, "198.18.0.3/24"), 0);
}

/* After an undone takeover: the build's copies come off the master. */
static void
withdraw_takes_the_copies_off_the_master(void **state)
{
	struct vf_action act = action(VF_ACT_WITHDRAW);
	char before[2048], after[2048], err[512];
	int calls;

	fake_built();
	assert_int_equal(run(&act, err, sizeof(err)), 0);
	assert_string_equal(fake.log, "del vfb0 2001:db8::2/64; "
				      "del vfb0 198.18.0.3/24; "
				      "del vfb0 198.18.0.2/24; ");
	assert_int_equal(addr_on(10, "198.18.0.2/24"), 0);
	assert_int_equal(addr_on(2, "198.18.0.2/24"), 1);
	calls = fake.calls;
	/* Only the one copy there is put back if a later call fails. */
	for (int k = 1; k <= calls; k++) {
		fake_built();
		fake_snapshot(&fake, before, sizeof(before));
		fake.fail_at[0] = k;
		act = action(VF_ACT_WITHDRAW);
		assert_int_equal(run(&act, err, sizeof(err)), -EIO);
		fake_snapshot(&fake, after, sizeof(after));
		assert_string_equal(after, before);
	}
	/* Taken over after all: nothing to do. */
	fake_built();
	fake_link(&fake, 2)->master = 10;
	act = action(VF_ACT_WITHDRAW);
	assert_int_equal(run(&act, err, sizeof(err)), 0);
	assert_string_equal(fake.log, "");
}

/* A manager's address and routes on a port come off it, routes first. */
static void
clear_port_takes_a_managers_leftovers_off(void **state)
{
	struct vf_action act = action(VF_ACT_CLEAR_PORT);
	char err[512];

	fake_built();
	fake_add_addr(&fake, 3, 4, "198.18.0.69/24", true);
	fake_add_addr(&fake, 3, 6, "fe80::2/64", true);
	/* Not one that moves, but one a port must not hold either. */
	fake_add_addr(&fake, 3, 4, "169.254.1.1/16", false);
	fake_add_route(&fake, 3, "default via 198.18.0.1", true);
	act.port = 3;
	snprintf(act.port_name, sizeof(act.port_name), "vf0");
	assert_int_equal(run(&act, err, sizeof(err)), 0);
	assert_string_equal(fake.log, "route-del vf0 default via 198.18.0.1; "
				      "del vf0 169.254.1.1/16; "
				      "del vf0 198.18.0.69/24; ");
	assert_int_equal(addr_on(3, "198.18.0.69/24"), 0);
	assert_int_equal(addr_on(3, "fe80::2/64"), 1);
	/* No longer a port of the master: not ours to touch. */
	fake_built();
	fake_add_addr(&fake, 3, 4, "198.18.0.69/24", true);
	fake_link(&fake, 3)->master = 0;
	act = action(VF_ACT_CLEAR_PORT);
	act.port = 3;
	assert_int_equal(run(&act, err, sizeof(err)), 0);
	assert_string_equal(fake.log, "");
	/* Gone meanwhile: nothing left to clear, no error. */
	act.port = 42;
	assert_int_equal(run(&act, err, sizeof(err)), 0);
}

static void
missing_link_is_named(void **state)
{
	struct vf_action act = action(VF_ACT_TAKEOVER);
	char err[512];

	fake_built();
	act.master = 42;
	assert_int_equal(run(&act, err, sizeof(err)), -ENODEV);
	assert_string_equal(err, "take over syn0: master vfb0 (ifindex 42) "
				 "is gone");
	assert_string_equal(fake.log, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(build_master_copies_addresses_and_keeps_them),
		cmocka_unit_test(build_master_without_vf_is_empty_and_up),
		cmocka_unit_test(
		    takeover_moves_routes_gateways_last_and_reports_multipath),
		cmocka_unit_test(enslave_vf_makes_it_primary_and_active),
		cmocka_unit_test(build_master_rolls_back_at_every_call),
		cmocka_unit_test(takeover_rolls_back_at_every_call),
		cmocka_unit_test(enslave_vf_rolls_back_at_every_call),
		cmocka_unit_test(failed_undo_is_reported_and_the_rest_undone),
		cmocka_unit_test(build_master_finishes_a_found_master),
		cmocka_unit_test(takeover_sets_a_down_master_up_first),
		cmocka_unit_test(
		    rollback_keeps_the_copy_of_an_address_not_restored),
		cmocka_unit_test(withdraw_takes_the_copies_off_the_master),
		cmocka_unit_test(clear_port_takes_a_managers_leftovers_off),
		cmocka_unit_test(missing_link_is_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
