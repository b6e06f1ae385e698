/* SPDX-License-Identifier: MIT */
/*
 * Fault injection over any backend's primitives (see fault.h). Only the
 * calls that change state are counted: reads repeat as often as the
 * kernel's answers say, changes are what a crash can cut in half.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"

static const struct {
	const char *name;
	int err;
} errnos[] = {
	{ "EBUSY", EBUSY },	      { "EIO", EIO },
	{ "ETIMEDOUT", ETIMEDOUT },   { "EINTR", EINTR },
	{ "ENOBUFS", ENOBUFS },	      { "EAGAIN", EAGAIN },
	{ "EPERM", EPERM },	      { "EINVAL", EINVAL },
	{ "EEXIST", EEXIST },	      { "ENODEV", ENODEV },
	{ "ENOMEM", ENOMEM },	      { "ENETUNREACH", ENETUNREACH },
	{ "EOPNOTSUPP", EOPNOTSUPP },
};

const char *
vf_fault_errno_name(int err)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].err == err)
			return errnos[i].name;
	return NULL;
}

static int
errno_parse(const char *s)
{
	char *end;
	long v;

	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (strcmp(errnos[i].name, s) == 0)
			return errnos[i].err;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || v <= 0 || v > 4095)
		return 0;
	return (int)v;
}

static unsigned
count_parse(const char *s, char **end)
{
	unsigned long v;

	if (*s < '1' || *s > '9')
		return 0;
	v = strtoul(s, end, 10);
	return v > 1000000 ? 0 : (unsigned)v;
}

/* One "kill:N" or "errno:N:NAME", NUL-terminated. */
static int
rule_parse(struct vf_fault_rule *r, char *s)
{
	char *end;

	if (strncmp(s, "kill:", 5) == 0) {
		r->err = 0;
		r->at = count_parse(s + 5, &end);
		return r->at != 0 && *end == '\0' ? 0 : -EINVAL;
	}
	if (strncmp(s, "errno:", 6) != 0)
		return -EINVAL;
	r->at = count_parse(s + 6, &end);
	if (r->at == 0 || *end != ':')
		return -EINVAL;
	r->err = errno_parse(end + 1);
	return r->err != 0 ? 0 : -EINVAL;
}

int
vf_fault_parse(struct vf_fault *f, const char *spec, char *err, size_t errlen)
{
	char buf[256], *next;

	f->n_rules = 0;
	if (strcmp(spec, "count") == 0)
		return 0;
	if (strlen(spec) >= sizeof(buf))
		goto bad;
	snprintf(buf, sizeof(buf), "%s", spec);
	/* Not strtok: an empty rule is an error, not nothing. */
	for (char *tok = buf; tok != NULL; tok = next) {
		if ((next = strchr(tok, ',')) != NULL)
			*next++ = '\0';
		if (f->n_rules == VF_FAULT_MAX ||
		    rule_parse(&f->rules[f->n_rules], tok) < 0)
			goto bad;
		f->n_rules++;
	}
	if (f->n_rules > 0)
		return 0;
bad:
	snprintf(err, errlen,
		 "VFBOND_FAULT=%.64s: expected count, or up to %d of "
		 "kill:N and errno:N:NAME separated by commas",
		 spec, VF_FAULT_MAX);
	return -EINVAL;
}

static int
dead(struct vf_fault *f, const char *what)
{
	f->injected = true;
	snprintf(f->err, sizeof(f->err), "%s: the process was killed", what);
	return -EIO;
}

/* Counts a change about to be made: 0 to make it, or -errno. */
static int
gate(struct vf_fault *f, const char *what)
{
	int err = -1;

	if (f->dead)
		return dead(f, what);
	f->injected = false;
	f->calls++;
	for (size_t i = 0; i < f->n_rules && err < 0; i++)
		if (f->rules[i].at == f->calls)
			err = f->rules[i].err;
	if (f->note != NULL)
		f->note(f->arg, f->calls, what, err < 0 ? 0 : err, err == 0);
	if (err == 0) {
		f->die(f->arg);
		f->dead = true;
		return dead(f, what);
	}
	if (err < 0)
		return 0;
	f->injected = true;
	snprintf(f->err, sizeof(f->err), "%s: injected fault at request %u: %s",
		 what, f->calls, strerror(err));
	return -err;
}

static int
f_link_get(void *os, int ifindex, struct vf_link *out)
{
	struct vf_fault *f = os;

	if (f->dead)
		return dead(f, "read link");
	f->injected = false;
	return f->inner->link_get(f->os, ifindex, out);
}

static int
f_master_create(void *os, const char *name, const struct vf_link *synthetic,
		struct vf_link *out)
{
	struct vf_fault *f = os;
	int rc = gate(f, "master_create");

	return rc < 0 ? rc
		      : f->inner->master_create(f->os, name, synthetic, out);
}

static int
f_master_destroy(void *os, const struct vf_link *master)
{
	struct vf_fault *f = os;
	int rc = gate(f, "master_destroy");

	return rc < 0 ? rc : f->inner->master_destroy(f->os, master);
}

static int
f_master_mark(void *os, const struct vf_link *master, const char *alias)
{
	struct vf_fault *f = os;
	int rc = gate(f, "master_mark");

	return rc < 0 ? rc : f->inner->master_mark(f->os, master, alias);
}

static int
f_master_primary(void *os, const struct vf_link *master,
		 const struct vf_link *port)
{
	struct vf_fault *f = os;
	int rc = gate(f, "master_primary");

	return rc < 0 ? rc : f->inner->master_primary(f->os, master, port);
}

static int
f_master_active(void *os, const struct vf_link *master,
		const struct vf_link *port)
{
	struct vf_fault *f = os;
	int rc = gate(f, "master_active");

	return rc < 0 ? rc : f->inner->master_active(f->os, master, port);
}

static int
f_port_set(void *os, const struct vf_link *port, const struct vf_link *master)
{
	struct vf_fault *f = os;
	int rc = gate(f, "port_set");

	return rc < 0 ? rc : f->inner->port_set(f->os, port, master);
}

static int
f_set_up(void *os, const struct vf_link *link, bool up)
{
	struct vf_fault *f = os;
	int rc = gate(f, "set_up");

	return rc < 0 ? rc : f->inner->set_up(f->os, link, up);
}

static int
f_dad_off(void *os, const struct vf_link *link)
{
	struct vf_fault *f = os;
	int rc = gate(f, "dad_off");

	return rc < 0 ? rc : f->inner->dad_off(f->os, link);
}

static int
f_addr_list(void *os, const struct vf_link *link, struct vf_addr_list *out)
{
	struct vf_fault *f = os;

	if (f->dead)
		return dead(f, "list addresses");
	f->injected = false;
	return f->inner->addr_list(f->os, link, out);
}

static int
f_addr_add(void *os, const struct vf_link *to, const struct vf_link *from,
	   const struct vf_addr *a)
{
	struct vf_fault *f = os;
	int rc = gate(f, "addr_add");

	return rc < 0 ? rc : f->inner->addr_add(f->os, to, from, a);
}

static int
f_addr_del(void *os, const struct vf_link *on, const struct vf_addr *a,
	   bool copy)
{
	struct vf_fault *f = os;
	int rc = gate(f, "addr_del");

	return rc < 0 ? rc : f->inner->addr_del(f->os, on, a, copy);
}

static int
f_route_list(void *os, const struct vf_link *link, struct vf_route_list *out)
{
	struct vf_fault *f = os;

	if (f->dead)
		return dead(f, "list routes");
	f->injected = false;
	return f->inner->route_list(f->os, link, out);
}

static int
f_route_add(void *os, const struct vf_link *on, const struct vf_route *r)
{
	struct vf_fault *f = os;
	int rc = gate(f, "route_add");

	return rc < 0 ? rc : f->inner->route_add(f->os, on, r);
}

static int
f_route_del(void *os, const struct vf_link *on, const struct vf_route *r)
{
	struct vf_fault *f = os;
	int rc = gate(f, "route_del");

	return rc < 0 ? rc : f->inner->route_del(f->os, on, r);
}

static const char *
f_error(void *os)
{
	struct vf_fault *f = os;

	return f->injected ? f->err : f->inner->error(f->os);
}

static const struct vf_prims fault_prims = {
	.link_get = f_link_get,
	.master_create = f_master_create,
	.master_destroy = f_master_destroy,
	.master_mark = f_master_mark,
	.master_primary = f_master_primary,
	.master_active = f_master_active,
	.port_set = f_port_set,
	.set_up = f_set_up,
	.dad_off = f_dad_off,
	.addr_list = f_addr_list,
	.addr_add = f_addr_add,
	.addr_del = f_addr_del,
	.route_list = f_route_list,
	.route_add = f_route_add,
	.route_del = f_route_del,
	.error = f_error,
};

const struct vf_prims *
vf_fault_prims(void)
{
	return &fault_prims;
}
