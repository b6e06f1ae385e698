/* SPDX-License-Identifier: MIT */
/*
 * The engine and the plans together over the fake backend, as the daemon
 * runs them: a bring-up killed at any call (nothing after it happens, as
 * with SIGKILL), then a restart (a fresh engine fed the links as the fake
 * kernel shows them) must end in the one right state. Ifindexes: 2 =
 * synthetic, 3 = VF, 10 and up = masters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/plan.h"
#include "daemon/fault.h"
#include "fake-os.h"
#include "os/defaults.h"
#include "os/linux/if-linux.h"

#define MAC_A "52:54:00:00:10:00"

static struct fake_os fake;
static struct vf_config conf;
static int vf_index = 3; /* the VF the end state must hold */

static const char *const moving_addrs[] = { "198.18.0.2/24", "198.18.0.3/24",
					    "2001:db8::2/64" };
static const char *const moving_routes[] = { "default via 198.18.0.1",
					     "198.19.0.0/24" };

/* syn0 with addresses and routes, vf0 down, no master. */
static void
fake_setup(void)
{
	struct vf_link *s, *v;
	struct vf_route *r;

	memset(&fake, 0, sizeof(fake));
	fake.next_ifindex = 10;
	s = fake_add_link(&fake, 2, "syn0", true);
	v = fake_add_link(&fake, 3, "vf0", false);
	snprintf(s->driver, sizeof(s->driver), "virtio_net");
	snprintf(v->driver, sizeof(v->driver), "e1000e");
	vf_mac_parse(MAC_A, s->mac);
	vf_mac_parse(MAC_A, v->mac);
	s->ether = v->ether = s->ready = v->ready = true;
	v->carrier = true;
	fake_add_addr(&fake, 2, 4, "198.18.0.2/24", true);
	fake_add_addr(&fake, 2, 4, "198.18.0.3/24", true);
	fake_add_addr(&fake, 2, 6, "2001:db8::2/64", true);
	fake_add_addr(&fake, 2, 6, "fe80::1/64", true);
	fake_add_route(&fake, 2, "default via 198.18.0.1", true);
	fake_add_route(&fake, 2, "198.19.0.0/24", false);
	r = fake_add_route(&fake, 2, "198.18.0.0/24 proto kernel", false);
	r->kernel_made = true;
}

/* A link as the kernel reports it: a master has link through a port. */
static struct vf_link
seen(int i)
{
	struct vf_link l = fake.links[i];

	if (l.cls != VF_LINK_FAILOVER)
		return l;
	l.primary = fake.primary[i];
	for (int j = 0; j < fake.n_links; j++)
		if (fake.links[j].master == l.ifindex && fake.links[j].up &&
		    fake.links[j].carrier)
			l.carrier = true;
	return l;
}

static void
feed(struct vf_core *core, uint64_t now)
{
	struct vf_hook_event ev;

	for (int i = 0; i < fake.n_links; i++) {
		struct vf_link l = seen(i);

		vf_core_link_update(core, &l, now);
	}
	while (vf_core_next_hook(core, &ev))
		;
}

/*
 * The daemon's loop over the fake kernel through prims (on os), until
 * nothing is left to do.
 */
static void
drive_with(const struct vf_prims *prims, void *os)
{
	struct vf_core *core = vf_core_new(&conf);
	uint64_t now = 1000000;

	assert_non_null(core);
	feed(core, now);
	for (int round = 0; round < 16; round++) {
		struct vf_plan_env env = { prims, os, NULL, NULL, "" };
		struct vf_action act;
		int rc;

		if (!vf_core_next_action(core, &act)) {
			now += 60000; /* past any delay or carrier wait */
			vf_core_tick(core, now);
			if (!vf_core_next_action(core, &act))
				break;
		}
		rc = vf_plan_run(&env, &act);
		feed(core, now);
		vf_core_action_done(core, &act, -rc, now);
		feed(core, now);
	}
	vf_core_free(core);
}

static void
drive(void)
{
	drive_with(&fake_prims, &fake);
}

static int
count(int ifindex, const char *addr)
{
	int n = 0;

	for (int i = 0; i < fake.n_addrs; i++)
		n += fake.addrs[i].ifindex == ifindex &&
		     strcmp(fake.addrs[i].a.text, addr) == 0;
	return n;
}

static int
count_routes(int ifindex, const char *route)
{
	int n = 0;

	for (int i = 0; i < fake.n_routes; i++)
		n += fake.routes[i].ifindex == ifindex &&
		     strcmp(fake.routes[i].r.text, route) == 0;
	return n;
}

/*
 * One master, up, marked; the VF in it, up and primary (so active, as
 * it has carrier); syn0 in it and up; the addresses and routes that move
 * on the master exactly once and on neither port (routes: below). NULL,
 * or what is not.
 */
static const char *
not_converged_but_routes(void)
{
	struct vf_link *m = NULL, *s = fake_link(&fake, 2);
	struct vf_link *v = fake_link(&fake, vf_index);
	int masters = 0;

	for (int i = 0; i < fake.n_links; i++)
		if (fake.links[i].cls == VF_LINK_FAILOVER) {
			m = &fake.links[i];
			masters++;
		}
	if (masters != 1)
		return "not one master";
	if (!m->up || strcmp(m->alias, "vfbond:" MAC_A) != 0)
		return "master down or unmarked";
	if (v == NULL || fake.primary[m - fake.links] != vf_index ||
	    v->master != m->ifindex || !v->up)
		return "VF not in the master, up and primary";
	if (s->master != m->ifindex || !s->up)
		return "synthetic NIC not in the master and up";
	for (size_t i = 0; i < 3; i++)
		if (count(m->ifindex, moving_addrs[i]) != 1 ||
		    count(2, moving_addrs[i]) != 0 ||
		    count(vf_index, moving_addrs[i]) != 0)
			return "an address misplaced";
	return NULL;
}

static const char *
not_converged(void)
{
	const char *why = not_converged_but_routes();
	struct vf_link *s = fake_link(&fake, 2);

	if (why != NULL)
		return why;
	for (size_t i = 0; i < 2; i++)
		if (count_routes(s->master, moving_routes[i]) != 1 ||
		    count_routes(2, moving_routes[i]) != 0)
			return "a route misplaced";
	return NULL;
}

static void
assert_converged(int n)
{
	const char *why = not_converged();

	if (why != NULL)
		fail_msg("killed at %d: %s", n, why);
}

static int
setup(void **state)
{
	(void)state;
	vf_index = 3;
	vf_config_defaults(&conf);
	vf_if_defaults(&conf);
	conf.master_before_vf = false;
	return 0;
}

/* The bring-up's mutating calls, undisturbed. */
static int
clean_calls(void)
{
	fake_setup();
	drive();
	assert_converged(0);
	return fake.calls;
}

static void
bring_up_converges(void **state)
{
	(void)state;
	assert_true(clean_calls() > 10);
}

/* Killed at each call of the bring-up, then restarted. */
static void
restart_after_kill_at_every_call_converges(void **state)
{
	int calls = clean_calls();

	char bad[1024] = "";

	(void)state;
	for (int n = 1; n <= calls; n++) {
		const char *why;

		fake_setup();
		fake.kill_at = n;
		drive();
		fake.kill_at = 0;
		drive();
		if ((why = not_converged()) != NULL)
			snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad),
				 " %d (%s)", n, why);
	}
	if (bad[0] != '\0')
		fail_msg("of %d calls, killed at:%s", calls, bad);
}

static int
on_masters(const char *addr)
{
	int n = 0;

	for (int i = 0; i < fake.n_links; i++)
		if (fake.links[i].cls == VF_LINK_FAILOVER)
			n += count(fake.links[i].ifindex, addr);
	return n;
}

/*
 * After a failed step every moving address is on syn0 or a master:
 * never on neither (the step is undone, a copy not restored stays);
 * never on syn0 once it is in the master. With one_nic, never on both
 * either (a failed takeover withdraws the build's copies): for failures
 * whose undo ran.
 */
static const char *
addresses_misplaced(bool one_nic)
{
	const struct vf_link *s = fake_link(&fake, 2);

	for (size_t i = 0; i < 3; i++) {
		int on_s = count(2, moving_addrs[i]);
		int on_m = on_masters(moving_addrs[i]);

		if (on_s + on_m == 0)
			return "an address on neither NIC";
		if (s->master != 0 && on_s != 0)
			return "an address on syn0 after the takeover";
		if (one_nic && on_s + on_m > 1)
			return "an address on both NICs";
	}
	return NULL;
}

/* Every moving route on syn0 or a master, at least once. */
static const char *
routes_nowhere(void)
{
	for (size_t i = 0; i < 2; i++) {
		int n = count_routes(2, moving_routes[i]);

		for (int l = 0; l < fake.n_links; l++)
			if (fake.links[l].cls == VF_LINK_FAILOVER)
				n += count_routes(fake.links[l].ifindex,
						  moving_routes[i]);
		if (n == 0)
			return "a route on neither NIC";
	}
	return NULL;
}

/*
 * A call fails (the step is undone), or a call fails and the undo is
 * killed part-way: the addresses are where they may be, and a restart
 * converges.
 */
static void
failure_at_every_call_then_restart_converges(void **state)
{
	int calls = clean_calls();
	char bad[2048] = "";

	(void)state;
	for (int k = 1; k <= calls; k++) {
		for (int n = 0; n <= 8; n++) {
			const char *why;

			fake_setup();
			fake.fail_at[0] = k;
			fake.kill_at = n != 0 ? k + n : 0;
			drive();
			why = n == 0 ? addresses_misplaced(true) : NULL;
			fake.kill_at = 0;
			fake.fail_at[0] = 0;
			drive();
			if (why == NULL)
				why = not_converged();
			if (why != NULL && strlen(bad) < sizeof(bad) - 64)
				snprintf(bad + strlen(bad),
					 sizeof(bad) - strlen(bad),
					 " %d+%d (%s)", k, n, why);
		}
	}
	if (bad[0] != '\0')
		fail_msg("of %d calls, failed at k, killed at k+n:%s", calls,
			 bad);
}

/*
 * A call fails and so does one of the undos after it: no address or
 * route ends on neither NIC (a copy whose original could not be
 * restored stays), and a restart converges.
 */
static void
failed_undo_never_leaves_an_address_nowhere(void **state)
{
	int calls = clean_calls();
	char bad[2048] = "";

	(void)state;
	for (int k = 1; k <= calls; k++) {
		for (int u = k + 1; u <= k + 16; u++) {
			const char *why;

			fake_setup();
			fake.fail_at[0] = k;
			fake.fail_at[1] = u;
			drive();
			why = addresses_misplaced(false);
			if (why == NULL)
				why = routes_nowhere();
			fake.fail_at[0] = fake.fail_at[1] = 0;
			drive();
			if (why == NULL)
				why = not_converged();
			if (why != NULL && strlen(bad) < sizeof(bad) - 64)
				snprintf(bad + strlen(bad),
					 sizeof(bad) - strlen(bad),
					 " %d,%d (%s)", k, u, why);
		}
	}
	if (bad[0] != '\0')
		fail_msg("of %d calls, failed at k and u:%s", calls, bad);
}

/* The VF is pulled (its primary goes with it) and another comes back. */
static void
fake_vf_returns(void)
{
	struct vf_link *old = fake_link(&fake, 3), *v;
	int i = (int)(old - fake.links);

	for (int j = 0; j < fake.n_links; j++)
		if (fake.primary[j] == 3)
			fake.primary[j] = 0;
	fake.links[i] = fake.links[--fake.n_links];
	fake.primary[i] = fake.primary[fake.n_links];
	fake.primary[fake.n_links] = 0;
	v = fake_add_link(&fake, 4, "vf1", false);
	snprintf(v->driver, sizeof(v->driver), "e1000e");
	vf_mac_parse(MAC_A, v->mac);
	v->ether = v->ready = v->carrier = true;
}

/* enslave-vf killed at each of its calls, then restarted. */
static void
returning_vf_killed_at_every_call_converges(void **state)
{
	char bad[1024] = "";
	int calls;

	(void)state;
	clean_calls();
	fake_vf_returns();
	fake.calls = 0;
	vf_index = 4;
	drive();
	assert_null(not_converged());
	calls = fake.calls;
	assert_true(calls >= 2);
	for (int n = 1; n <= calls; n++) {
		const char *why;

		vf_index = 3;
		clean_calls();
		fake_vf_returns();
		vf_index = 4;
		fake.calls = 0;
		fake.kill_at = n;
		drive();
		fake.kill_at = 0;
		drive();
		if ((why = not_converged()) != NULL)
			snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad),
				 " %d (%s)", n, why);
	}
	if (bad[0] != '\0')
		fail_msg("of %d calls, killed at:%s", calls, bad);
}

/* ---- the same through the fault switch the daemon uses (VFBOND_FAULT) */

static struct vf_fault fault;

/* The test's SIGKILL: the wrapper lets nothing through after it. */
static void
fault_died(void *arg)
{
	(void)arg;
}

/* A bring-up (or with vf_returns, a returning VF's) under spec. */
static void
drive_faulty(const char *spec)
{
	char err[160];

	memset(&fault, 0, sizeof(fault));
	assert_int_equal(vf_fault_parse(&fault, spec, err, sizeof(err)), 0);
	fault.inner = &fake_prims;
	fault.os = &fake;
	fault.die = fault_died;
	drive_with(vf_fault_prims(), &fault);
}

static void
fault_spec_is_checked(void **state)
{
	static const char *const bad[] = {
		"",
		"kill",
		"kill:0",
		"kill:x",
		"kill:3x",
		"errno:3",
		"errno:3:",
		"errno:3:EWHAT",
		"errno:0:5",
		"errno:3:-5",
		"oops:3",
		"kill:1,",
		"kill:1,kill:2,kill:3,kill:4,kill:5",
	};
	char err[160];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (vf_fault_parse(&fault, bad[i], err, sizeof(err)) == 0)
			fail_msg("accepted VFBOND_FAULT=%s", bad[i]);
	assert_int_equal(vf_fault_parse(&fault, "count", err, sizeof(err)), 0);
	assert_int_equal(fault.n_rules, 0);
	assert_int_equal(vf_fault_parse(&fault,
					"errno:2:EBUSY,kill:7,errno:9:16", err,
					sizeof(err)),
			 0);
	assert_int_equal(fault.n_rules, 3);
	assert_int_equal(fault.rules[0].at, 2);
	assert_int_equal(fault.rules[0].err, EBUSY);
	assert_int_equal(fault.rules[1].at, 7);
	assert_int_equal(fault.rules[1].err, 0);
	assert_int_equal(fault.rules[2].err, 16);
}

/* It counts exactly the calls that change something. */
static void
fault_counts_the_changes(void **state)
{
	(void)state;
	fake_setup();
	drive_faulty("count");
	assert_null(not_converged());
	assert_int_equal(fault.calls, fake.calls);
	assert_false(fault.dead);
}

/*
 * kill:N for every N of the bring-up (build-master, takeover) and of a
 * returning VF's enslave-vf: the process dies there, and a restart (a
 * fresh engine, no fault) converges.
 */
static void
fault_kill_at_every_request_then_restart_converges(void **state)
{
	int calls = clean_calls(), vf_calls;
	char bad[1024] = "", spec[32];

	(void)state;
	fake_vf_returns();
	fake.calls = 0;
	vf_index = 4;
	drive();
	vf_calls = fake.calls;
	for (int n = 1; n <= calls + vf_calls; n++) {
		bool returning = n > calls;
		const char *why;

		vf_index = 3;
		fake_setup();
		if (returning) {
			drive();
			fake_vf_returns();
			vf_index = 4;
		}
		snprintf(spec, sizeof(spec), "kill:%d",
			 returning ? n - calls : n);
		drive_faulty(spec);
		if (!fault.dead)
			fail_msg("%s: never reached", spec);
		drive();
		if ((why = not_converged()) != NULL)
			snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad),
				 " %s%s (%s)", spec,
				 returning ? " of enslave-vf" : "", why);
	}
	if (bad[0] != '\0')
		fail_msg("of %d + %d requests:%s", calls, vf_calls, bad);
}

/*
 * errno:K:EPERM makes the step fail and roll back; kill:K+N kills the
 * rollback at each of its requests. Without the kill the addresses are
 * each on one NIC; either way a restart converges.
 */
static void
fault_kill_in_every_rollback_then_restart_converges(void **state)
{
	int calls = clean_calls();
	char bad[2048] = "", spec[64];

	(void)state;
	for (int k = 1; k <= calls; k++) {
		for (int n = 0; n <= 8; n++) {
			const char *why;

			fake_setup();
			if (n == 0)
				snprintf(spec, sizeof(spec), "errno:%d:EPERM",
					 k);
			else
				snprintf(spec, sizeof(spec),
					 "errno:%d:EPERM,kill:%d", k, k + n);
			drive_faulty(spec);
			why = n == 0 ? addresses_misplaced(true) : NULL;
			drive();
			if (why == NULL)
				why = not_converged();
			if (why != NULL && strlen(bad) < sizeof(bad) - 64)
				snprintf(bad + strlen(bad),
					 sizeof(bad) - strlen(bad), " %s (%s)",
					 spec, why);
		}
	}
	if (bad[0] != '\0')
		fail_msg("of %d requests:%s", calls, bad);
}

/* A transient errno at any request is retried to the end, no restart. */
static void
fault_transient_at_every_request_is_retried(void **state)
{
	static const char *const transient[] = { "EBUSY", "ETIMEDOUT",
						 "ENOBUFS", "EINTR" };
	int calls = clean_calls();
	char bad[2048] = "", spec[64];

	(void)state;
	for (int k = 1; k <= calls; k++) {
		const char *name = transient[k % 4], *why;

		fake_setup();
		snprintf(spec, sizeof(spec), "errno:%d:%s", k, name);
		drive_faulty(spec);
		if (fault.calls <= (unsigned)calls)
			why = "not retried";
		else
			why = not_converged();
		if (why != NULL && strlen(bad) < sizeof(bad) - 64)
			snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad),
				 " %s (%s)", spec, why);
	}
	if (bad[0] != '\0')
		fail_msg("of %d requests:%s", calls, bad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(bring_up_converges, setup),
		cmocka_unit_test_setup(
		    restart_after_kill_at_every_call_converges, setup),
		cmocka_unit_test_setup(
		    failure_at_every_call_then_restart_converges, setup),
		cmocka_unit_test_setup(
		    failed_undo_never_leaves_an_address_nowhere, setup),
		cmocka_unit_test_setup(
		    returning_vf_killed_at_every_call_converges, setup),
		cmocka_unit_test_setup(fault_spec_is_checked, setup),
		cmocka_unit_test_setup(fault_counts_the_changes, setup),
		cmocka_unit_test_setup(
		    fault_kill_at_every_request_then_restart_converges, setup),
		cmocka_unit_test_setup(
		    fault_kill_in_every_rollback_then_restart_converges, setup),
		cmocka_unit_test_setup(
		    fault_transient_at_every_request_is_retried, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
