/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"

int
vf_step_run(const struct vf_prims *p, void *os, const struct vf_step *s)
{
	switch (s->op) {
	case VF_STEP_DESTROY:
		return p->master_destroy(os, &s->link);
	case VF_STEP_UPDOWN:
		return p->set_up(os, &s->link, s->up);
	case VF_STEP_PORT:
		return p->port_set(os, &s->link, &s->other);
	case VF_STEP_ADDR_ADD:
		return p->addr_add(os, &s->link, s->copy ? &s->other : NULL,
				   &s->addr);
	case VF_STEP_ADDR_DEL:
		return p->addr_del(os, &s->link, &s->addr, s->copy);
	case VF_STEP_ROUTE_ADD:
		return p->route_add(os, &s->link, &s->route);
	case VF_STEP_ROUTE_DEL:
		return p->route_del(os, &s->link, &s->route);
	}
	return -EINVAL;
}

/* The step's own copy of the backend record it names, if any. */
static bool
own_record(struct vf_step *s)
{
	void **os = NULL;
	size_t len = 0;
	void *copy;

	if (s->op == VF_STEP_ADDR_ADD || s->op == VF_STEP_ADDR_DEL) {
		os = &s->addr.os;
		len = s->addr.os_len;
	} else if (s->op == VF_STEP_ROUTE_ADD || s->op == VF_STEP_ROUTE_DEL) {
		os = &s->route.os;
		len = s->route.os_len;
	}
	if (os == NULL || len == 0)
		return true;
	if ((copy = malloc(len)) == NULL)
		return false;
	memcpy(copy, *os, len);
	*os = copy;
	return true;
}

static void
free_record(struct vf_step *s)
{
	if (s->op == VF_STEP_ADDR_ADD || s->op == VF_STEP_ADDR_DEL)
		free(s->addr.os);
	else if (s->op == VF_STEP_ROUTE_ADD || s->op == VF_STEP_ROUTE_DEL)
		free(s->route.os);
}

int
vf_journal_push(struct vf_journal *j, const struct vf_step *undo)
{
	if (j->n == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 16;
		struct vf_step *s = realloc(j->steps, cap * sizeof(*s));

		if (s == NULL)
			return -ENOMEM;
		j->steps = s;
		j->cap = cap;
	}
	j->steps[j->n] = *undo;
	if (!own_record(&j->steps[j->n]))
		return -ENOMEM;
	j->n++;
	return 0;
}

void
vf_journal_pop(struct vf_journal *j)
{
	if (j->n > 0)
		free_record(&j->steps[--j->n]);
}

/* A link that is gone has nothing left to revert either. */
static bool
nothing_left(const struct vf_step *undo, int rc)
{
	return rc == 0 || rc == undo->ignore || rc == -ENODEV;
}

static bool
same_addr(const struct vf_addr *a, const struct vf_addr *b)
{
	return a->family == b->family && a->prefixlen == b->prefixlen &&
	       memcmp(a->addr, b->addr, VF_ADDRLEN) == 0 &&
	       strcmp(a->text, b->text) == 0;
}

/*
 * An address could not be put back where it was: its copy stays, or it
 * would be on neither link. Drops the older undos that remove copies.
 */
static void
keep_copies(struct vf_journal *j, const struct vf_addr *a)
{
	size_t kept = 0;

	for (size_t i = 0; i < j->n; i++) {
		struct vf_step *s = &j->steps[i];

		if (s->op == VF_STEP_ADDR_DEL && s->copy &&
		    same_addr(&s->addr, a)) {
			free_record(s);
			continue;
		}
		j->steps[kept++] = *s;
	}
	j->n = kept;
}

/* Likewise a route not put back: its copy on the other link stays. */
static void
keep_route_copies(struct vf_journal *j, const struct vf_step *failed)
{
	size_t kept = 0;

	for (size_t i = 0; i < j->n; i++) {
		struct vf_step *s = &j->steps[i];

		if (s->op == VF_STEP_ROUTE_DEL &&
		    s->link.ifindex != failed->link.ifindex &&
		    s->route.family == failed->route.family &&
		    strcmp(s->route.text, failed->route.text) == 0) {
			free_record(s);
			continue;
		}
		j->steps[kept++] = *s;
	}
	j->n = kept;
}

void
vf_journal_rollback(struct vf_journal *j, char *note, size_t len)
{
	note[0] = '\0';
	while (j->n > 0) {
		struct vf_step *undo = &j->steps[j->n - 1];
		int rc = vf_step_run(j->prims, j->os, undo);

		if (nothing_left(undo, rc)) {
			vf_journal_pop(j);
			continue;
		}
		if (note[0] == '\0')
			snprintf(note, len, "%s", j->prims->error(j->os));
		if (undo->op == VF_STEP_ADDR_ADD && !undo->copy) {
			struct vf_step failed = *undo;

			j->n--; /* its record goes after the scan */
			keep_copies(j, &failed.addr);
			free_record(&failed);
			continue;
		}
		if (undo->op == VF_STEP_ROUTE_ADD) {
			struct vf_step failed = *undo;

			j->n--;
			keep_route_copies(j, &failed);
			free_record(&failed);
			continue;
		}
		vf_journal_pop(j);
	}
}

void
vf_journal_free(struct vf_journal *j)
{
	while (j->n > 0)
		vf_journal_pop(j);
	free(j->steps);
	j->steps = NULL;
	j->n = j->cap = 0;
}
