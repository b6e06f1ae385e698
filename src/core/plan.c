/* SPDX-License-Identifier: MIT */
/*
 * The steps. Each change is journaled before it is made; a failure
 * rolls the journal back, newest first, before it is reported.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "plan.h"

struct plan {
	struct vf_plan_env *env;
	const struct vf_prims *p;
	void *os;
	struct vf_journal j;
};

static void set_err(struct plan *pl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_err(struct plan *pl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(pl->env->err, sizeof(pl->env->err), fmt, ap);
	va_end(ap);
}

/* A primitive failed: its own message is the error. */
static int
prim_failed(struct plan *pl, int rc)
{
	if (rc < 0)
		set_err(pl, "%s", pl->p->error(pl->os));
	return rc;
}

/*
 * Records the undo, makes the change, and drops the undo when the change
 * did not happen. A change that finds its work done (okerr) is no error.
 */
static int
journaled(struct plan *pl, const struct vf_step *change,
	  const struct vf_step *undo, int okerr)
{
	int rc = vf_journal_push(&pl->j, undo);

	if (rc < 0) {
		set_err(pl, "record how to undo a change: %s", strerror(-rc));
		return rc;
	}
	rc = vf_step_run(pl->p, pl->os, change);
	if (rc < 0)
		vf_journal_pop(&pl->j);
	if (rc < 0 && rc == okerr)
		return 0;
	return prim_failed(pl, rc);
}

static int
step_updown(struct plan *pl, const struct vf_link *l, bool up)
{
	struct vf_step change = { .op = VF_STEP_UPDOWN, .link = *l, .up = up };
	struct vf_step undo = change;

	if (l->up == up)
		return 0;
	undo.up = !up;
	return journaled(pl, &change, &undo, 0);
}

/* A failover master takes a port that is down: down first. */
static int
step_enslave(struct plan *pl, const struct vf_link *port,
	     const struct vf_link *master)
{
	struct vf_step change = { .op = VF_STEP_PORT, .link = *port };
	struct vf_step undo = change;
	int rc;

	if (port->master == master->ifindex)
		return 0;
	if ((rc = step_updown(pl, port, false)) < 0)
		return rc;
	change.other = *master;
	/* Undo moves it back to its old master; the name is for messages. */
	undo.other = *master;
	undo.other.ifindex = port->master;
	return journaled(pl, &change, &undo, 0);
}

/* Adds the synthetic NIC's addresses to the master, if not there yet. */
static int
addrs_copy(struct plan *pl, const struct vf_addr_list *addrs,
	   const struct vf_link *s, const struct vf_link *m)
{
	for (size_t i = 0; i < addrs->n; i++) {
		struct vf_step change = { .op = VF_STEP_ADDR_ADD,
					  .link = *m,
					  .other = *s,
					  .copy = true,
					  .addr = addrs->v[i] };
		struct vf_step undo = { .op = VF_STEP_ADDR_DEL,
					.link = *m,
					.copy = true,
					.addr = addrs->v[i],
					.ignore = -EADDRNOTAVAIL };
		int rc = journaled(pl, &change, &undo, -EEXIST);

		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * Newest first: IPv4 lists primaries before secondaries, and deleting
 * a primary first would take its secondaries along.
 */
static int
addrs_remove(struct plan *pl, const struct vf_addr_list *addrs,
	     const struct vf_link *s)
{
	for (size_t i = addrs->n; i-- > 0;) {
		struct vf_step change = { .op = VF_STEP_ADDR_DEL,
					  .link = *s,
					  .addr = addrs->v[i] };
		struct vf_step undo = { .op = VF_STEP_ADDR_ADD,
					.link = *s,
					.addr = addrs->v[i],
					.ignore = -EEXIST };
		int rc = journaled(pl, &change, &undo, -EADDRNOTAVAIL);

		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Next to the synthetic NIC's: it keeps carrying traffic meanwhile. */
static int
routes_copy(struct plan *pl, const struct vf_route_list *routes,
	    const struct vf_link *m)
{
	for (size_t i = 0; i < routes->n; i++) {
		struct vf_step change = { .op = VF_STEP_ROUTE_ADD,
					  .link = *m,
					  .route = routes->v[i] };
		struct vf_step undo = { .op = VF_STEP_ROUTE_DEL,
					.link = *m,
					.route = routes->v[i],
					.ignore = -ESRCH };
		int rc = journaled(pl, &change, &undo, -EEXIST);

		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Backwards, so that their restoration runs forwards (gateways last). */
static int
routes_remove(struct plan *pl, const struct vf_route_list *routes,
	      const struct vf_link *s)
{
	for (size_t i = routes->n; i-- > 0;) {
		struct vf_step change = { .op = VF_STEP_ROUTE_DEL,
					  .link = *s,
					  .route = routes->v[i] };
		struct vf_step undo = { .op = VF_STEP_ROUTE_ADD,
					.link = *s,
					.route = routes->v[i],
					.ignore = -EEXIST };
		int rc = journaled(pl, &change, &undo, -ESRCH);

		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The addresses of s that pick takes, in the order the backend lists. */
static int
read_addrs_if(struct plan *pl, const struct vf_link *s,
	      bool (*pick)(const struct vf_addr *), struct vf_addr_list *out)
{
	struct vf_addr_list all = { 0 };
	int rc = prim_failed(pl, pl->p->addr_list(pl->os, s, &all));

	for (size_t i = 0; rc == 0 && i < all.n; i++) {
		const struct vf_addr *a = &all.v[i];

		if (pick(a) && !vf_addr_list_add(out, a, a->os, a->os_len)) {
			set_err(pl, "read addresses of %s: %s", s->name,
				strerror(ENOMEM));
			rc = -ENOMEM;
		}
	}
	vf_addr_list_free(&all);
	return rc;
}

/* The addresses of s that go over. */
static int
read_addrs(struct plan *pl, const struct vf_link *s, struct vf_addr_list *out)
{
	return read_addrs_if(pl, s, vf_addr_moves, out);
}

static void
note_unmoved(struct plan *pl, const struct vf_link *s, const struct vf_route *r)
{
	char line[VF_ROUTETEXTSIZ + 96];

	if (pl->env->note == NULL)
		return;
	snprintf(line, sizeof(line), "route %s stays on %s: %s", r->text,
		 s->name, vf_route_unmoved_why(r));
	pl->env->note(pl->env->note_arg, line);
}

/* The routes of s that go over, gateways last; the rest is reported. */
static int
read_routes(struct plan *pl, const struct vf_link *s, struct vf_route_list *out)
{
	struct vf_route_list all = { 0 };
	int rc = prim_failed(pl, pl->p->route_list(pl->os, s, &all));

	for (size_t i = 0; rc == 0 && i < all.n; i++) {
		const struct vf_route *r = &all.v[i];
		enum vf_route_verdict v = vf_route_moves(r, s->ifindex);

		if (v == VF_ROUTE_UNMOVED)
			note_unmoved(pl, s, r);
		if (v == VF_ROUTE_MOVES &&
		    !vf_route_list_add(out, r, r->os, r->os_len)) {
			set_err(pl, "read routes of %s: %s", s->name,
				strerror(ENOMEM));
			rc = -ENOMEM;
		}
	}
	vf_route_list_free(&all);
	if (rc == 0)
		vf_routes_sort(out);
	return rc;
}

/* A decision-time name for messages; "?" when the core gave none. */
static const char *
nm(const char *name)
{
	return name[0] != '\0' ? name : "?";
}

/* Reads a link the action needs, fresh: names and state may have moved. */
static int
need_link(struct plan *pl, const char *op, const char *role, int ifindex,
	  const char *name, struct vf_link *out)
{
	int rc;

	if (ifindex <= 0) {
		set_err(pl, "%s: no %s given", op, role);
		return -EINVAL;
	}
	if ((rc = pl->p->link_get(pl->os, ifindex, out)) == 0)
		return 0;
	if (rc == -ENODEV)
		set_err(pl, "%s: %s %s (ifindex %d) is gone", op, role,
			nm(name), ifindex);
	else
		set_err(pl, "%s: read %s %s (ifindex %d): %s", op, role,
			nm(name), ifindex, strerror(-rc));
	return rc;
}

static bool
field_ok(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	return n > 0 && n < size;
}

/* Creates the master; its destruction opens the journal. */
static int
master_create(struct plan *pl, struct vf_action *act, const struct vf_link *s,
	      struct vf_link *m)
{
	struct vf_step undo = { .op = VF_STEP_DESTROY };
	int rc;

	rc = pl->p->master_create(pl->os, act->master_name, s, m);
	if (rc < 0)
		return prim_failed(pl, rc);
	undo.link = *m;
	if ((rc = vf_journal_push(&pl->j, &undo)) < 0) {
		pl->p->master_destroy(pl->os, m);
		set_err(pl, "record how to undo a change: %s", strerror(-rc));
		return rc;
	}
	act->master = m->ifindex;
	return 0;
}

/*
 * A master found half-built (a crash before its build was done) is
 * finished, not created again: it is marked if it is not yet. It stays
 * if the build fails: it was there before.
 */
static int
master_adopt(struct plan *pl, const char *op, struct vf_action *act,
	     const struct vf_link *s, struct vf_link *m)
{
	int rc = need_link(pl, op, "master", act->master, act->master_name, m);

	if (rc < 0)
		return rc;
	if (m->cls == VF_LINK_FAILOVER && strcmp(m->alias, act->alias) == 0)
		return 0;
	/* Unmarked, it is ours only with the pair's MAC, as the core saw. */
	if (m->cls != VF_LINK_FAILOVER || m->alias[0] != '\0' ||
	    memcmp(m->mac, s->mac, VF_MACLEN) != 0) {
		set_err(pl, "%s: %s is not a master of the pair", op, m->name);
		return -EINVAL;
	}
	return prim_failed(pl, pl->p->master_mark(pl->os, m, act->alias));
}

/* Creates or adopts the pair's master and marks it. */
static int
master_make(struct plan *pl, const char *op, struct vf_action *act,
	    const struct vf_link *s, struct vf_link *m, int found)
{
	int rc;

	if (found != 0) {
		act->master = found;
		return master_adopt(pl, op, act, s, m);
	}
	if ((rc = master_create(pl, act, s, m)) < 0)
		return rc;
	return prim_failed(pl, pl->p->master_mark(pl->os, m, act->alias));
}

/*
 * No VF yet: an empty master, up, that the takeover puts the synthetic
 * NIC in. Addresses move then, with the routes, in one step.
 */
static int
build_master_alone(struct plan *pl, struct vf_action *act,
		   const struct vf_link *s, int found)
{
	struct vf_link m;
	char op[48];
	int rc;

	snprintf(op, sizeof(op), "build master %s", act->master_name);
	if ((rc = master_make(pl, op, act, s, &m, found)) < 0 ||
	    (rc = prim_failed(pl, pl->p->dad_off(pl->os, &m))) < 0)
		return rc;
	return step_updown(pl, &m, true);
}

/*
 * Builds the master on the VF alone: the synthetic NIC keeps its
 * addresses and carries traffic until the takeover.
 */
static int
build_master(struct plan *pl, struct vf_action *act)
{
	struct vf_addr_list addrs = { 0 };
	struct vf_link s, v, m;
	int found = act->master;
	char op[48];
	int rc;

	act->master = 0;
	if (!field_ok(act->master_name, sizeof(act->master_name)) ||
	    strnlen(act->alias, sizeof(act->alias)) == sizeof(act->alias)) {
		set_err(pl, "build master: invalid name or alias");
		return -EINVAL;
	}
	snprintf(op, sizeof(op), "build master %s", act->master_name);
	if ((rc = need_link(pl, op, "synthetic NIC", act->synthetic,
			    act->synthetic_name, &s)) < 0)
		return rc;
	if (act->vf == 0)
		return build_master_alone(pl, act, &s, found);
	if ((rc = need_link(pl, op, "VF", act->vf, act->vf_name, &v)) < 0)
		return rc;
	if (v.master != 0 && v.master != found) {
		set_err(pl, "%s: VF %s is a port of ifindex %d", op, v.name,
			v.master);
		return -EBUSY;
	}
	if ((rc = master_make(pl, op, act, &s, &m, found)) < 0 ||
	    (rc = prim_failed(pl, pl->p->dad_off(pl->os, &m))) < 0 ||
	    (rc = step_enslave(pl, &v, &m)) < 0 ||
	    (rc = prim_failed(pl, pl->p->master_primary(pl->os, &m, &v))) < 0 ||
	    (rc = step_updown(pl, &m, true)) < 0)
		return rc;
	if ((rc = read_addrs(pl, &s, &addrs)) == 0)
		rc = addrs_copy(pl, &addrs, &s, &m);
	vf_addr_list_free(&addrs);
	return rc;
}

/*
 * Addresses that appeared since the build go over too; routes are taken
 * off explicitly so that a rollback can put them back. The synthetic NIC
 * joins last, once traffic can flow through the master.
 */
static int
move_over(struct plan *pl, const struct vf_link *s, const struct vf_link *m)
{
	struct vf_addr_list addrs = { 0 };
	struct vf_route_list routes = { 0 };
	int rc;

	/* A master left down (a crash, an operator) carries nothing. */
	if ((rc = step_updown(pl, m, true)) < 0)
		return rc;
	if ((rc = read_addrs(pl, s, &addrs)) == 0 &&
	    (rc = read_routes(pl, s, &routes)) == 0 &&
	    (rc = addrs_copy(pl, &addrs, s, m)) == 0 &&
	    (rc = routes_copy(pl, &routes, m)) == 0 &&
	    (rc = routes_remove(pl, &routes, s)) == 0 &&
	    (rc = addrs_remove(pl, &addrs, s)) == 0)
		rc = step_enslave(pl, s, m);
	vf_addr_list_free(&addrs);
	vf_route_list_free(&routes);
	return rc;
}

static int
takeover(struct plan *pl, struct vf_action *act)
{
	struct vf_link s, m;
	char op[48];
	int rc;

	snprintf(op, sizeof(op), "take over %s", nm(act->synthetic_name));
	if ((rc = need_link(pl, op, "synthetic NIC", act->synthetic,
			    act->synthetic_name, &s)) < 0 ||
	    (rc = need_link(pl, op, "master", act->master, act->master_name,
			    &m)) < 0)
		return rc;
	if (s.master == m.ifindex)
		return 0; /* done already */
	if (s.master != 0) {
		set_err(pl, "take over %s: it is a port of ifindex %d already",
			s.name, s.master);
		return -EBUSY;
	}
	return move_over(pl, &s, &m);
}

static int
enslave_vf(struct plan *pl, struct vf_action *act)
{
	struct vf_link v, m;
	char op[48];
	int rc;

	snprintf(op, sizeof(op), "enslave VF %s", nm(act->vf_name));
	if ((rc = need_link(pl, op, "master", act->master, act->master_name,
			    &m)) < 0 ||
	    (rc = need_link(pl, op, "VF", act->vf, act->vf_name, &v)) < 0)
		return rc;
	if (v.master != 0 && v.master != m.ifindex) {
		set_err(pl, "enslave %s to %s: it is a port of ifindex %d",
			v.name, m.name, v.master);
		return -EBUSY;
	}
	if ((rc = step_updown(pl, &m, true)) < 0 ||
	    (rc = step_enslave(pl, &v, &m)) < 0 ||
	    (rc = prim_failed(pl, pl->p->master_primary(pl->os, &m, &v))) < 0)
		return rc;
	/*
	 * With carrier it can be active now; otherwise the master switches
	 * to it when carrier comes, as the primary. A refusal is no failure.
	 */
	if (pl->p->link_get(pl->os, v.ifindex, &v) == 0 && v.carrier)
		pl->p->master_active(pl->os, &m, &v);
	return 0;
}

/*
 * Routes a rollback could not put back stayed on the master: they go
 * back to the synthetic NIC before the addresses their gateways need
 * leave the master. A failure here is undone like any: nothing lost.
 */
static int
routes_back(struct plan *pl, const struct vf_link *s, const struct vf_link *m)
{
	struct vf_route_list routes = { 0 };
	int rc = read_routes(pl, m, &routes);

	if (rc == 0)
		rc = routes_copy(pl, &routes, s);
	if (rc == 0)
		rc = routes_remove(pl, &routes, m);
	vf_route_list_free(&routes);
	return rc;
}

/*
 * Takes the copies of the synthetic NIC's addresses off the master,
 * newest first (an IPv4 primary takes its secondaries along), while the
 * synthetic NIC is not in it: they are on one NIC again. Routes first.
 */
static int
withdraw(struct plan *pl, struct vf_action *act)
{
	struct vf_addr_list addrs = { 0 };
	struct vf_link s, m;
	char op[48];
	int rc;

	snprintf(op, sizeof(op), "withdraw from %s", nm(act->master_name));
	if ((rc = need_link(pl, op, "synthetic NIC", act->synthetic,
			    act->synthetic_name, &s)) < 0 ||
	    (rc = need_link(pl, op, "master", act->master, act->master_name,
			    &m)) < 0)
		return rc;
	if (s.master == m.ifindex)
		return 0; /* taken over after all: the master holds them */
	if ((rc = routes_back(pl, &s, &m)) < 0)
		return rc;
	rc = read_addrs(pl, &s, &addrs);
	for (size_t i = addrs.n; rc == 0 && i-- > 0;) {
		struct vf_step change = { .op = VF_STEP_ADDR_DEL,
					  .link = m,
					  .copy = true,
					  .addr = addrs.v[i] };
		struct vf_step undo = { .op = VF_STEP_ADDR_ADD,
					.link = m,
					.other = s,
					.copy = true,
					.addr = addrs.v[i],
					.ignore = -EEXIST };

		rc = journaled(pl, &change, &undo, -EADDRNOTAVAIL);
	}
	vf_addr_list_free(&addrs);
	return rc;
}

/*
 * Takes what a manager left on a port off it: routes through it first,
 * then its addresses (the link-local one stays). Journaled like the
 * rest: a failure puts back what this step took.
 */
static int
clear_port(struct plan *pl, struct vf_action *act)
{
	struct vf_route_list routes = { 0 };
	struct vf_addr_list addrs = { 0 };
	struct vf_link p;
	char op[48];
	int rc;

	snprintf(op, sizeof(op), "clear port %s", nm(act->port_name));
	rc = need_link(pl, op, "port", act->port, act->port_name, &p);
	if (rc == -ENODEV)
		return 0; /* gone meanwhile: nothing is left on it */
	if (rc < 0)
		return rc;
	if (p.master == 0 || p.master != act->master)
		return 0; /* no longer a port of the master */
	if ((rc = read_routes(pl, &p, &routes)) == 0)
		rc = routes_remove(pl, &routes, &p);
	if (rc == 0 &&
	    (rc = read_addrs_if(pl, &p, vf_addr_off_port, &addrs)) == 0)
		rc = addrs_remove(pl, &addrs, &p);
	vf_route_list_free(&routes);
	vf_addr_list_free(&addrs);
	return rc;
}

static int
run(struct plan *pl, struct vf_action *act)
{
	switch (act->type) {
	case VF_ACT_BUILD_MASTER:
		return build_master(pl, act);
	case VF_ACT_TAKEOVER:
		return takeover(pl, act);
	case VF_ACT_ENSLAVE_VF:
		return enslave_vf(pl, act);
	case VF_ACT_WITHDRAW:
		return withdraw(pl, act);
	case VF_ACT_CLEAR_PORT:
		return clear_port(pl, act);
	default:
		set_err(pl, "unknown action %d", (int)act->type);
		return -EINVAL;
	}
}

int
vf_plan_run(struct vf_plan_env *env, struct vf_action *act)
{
	struct plan pl = { env, env->prims, env->os, { 0 } };
	char note[256];
	size_t len;
	int rc;

	pl.j.prims = env->prims;
	pl.j.os = env->os;
	env->err[0] = '\0';
	rc = run(&pl, act);
	if (rc < 0) {
		vf_journal_rollback(&pl.j, note, sizeof(note));
		len = strlen(env->err);
		if (note[0] != '\0')
			snprintf(env->err + len, sizeof(env->err) - len,
				 "; undo incomplete: %s", note);
		if (act->type == VF_ACT_BUILD_MASTER)
			act->master = 0;
	}
	vf_journal_free(&pl.j);
	return rc;
}
