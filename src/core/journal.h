/* SPDX-License-Identifier: MIT */
/*
 * What the core asks of an OS backend (its primitives), and the journal
 * that undoes a failed step: before each change the plan records the
 * change that reverts it; on failure the journal replays them newest
 * first, so the network is left as it was found.
 */
#ifndef VFBOND_JOURNAL_H
#define VFBOND_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "link.h"

/*
 * Each returns 0 or -errno, and on failure leaves a one-line message
 * naming the link and the operation for error(). os is the backend.
 */
struct vf_prims {
	/* The link as it is now: names, ports and flags may have moved. */
	int (*link_get)(void *os, int ifindex, struct vf_link *out);
	/* A failover master with the synthetic NIC's MAC and MTU. */
	int (*master_create)(void *os, const char *name,
			     const struct vf_link *synthetic,
			     struct vf_link *out);
	int (*master_destroy)(void *os, const struct vf_link *master);
	/* Writes the alias the core finds its masters by. */
	int (*master_mark)(void *os, const struct vf_link *master,
			   const char *alias);
	int (*master_primary)(void *os, const struct vf_link *master,
			      const struct vf_link *port);
	int (*master_active)(void *os, const struct vf_link *master,
			     const struct vf_link *port);
	/* Makes port a port of master; a master of ifindex 0 releases it. */
	int (*port_set)(void *os, const struct vf_link *port,
			const struct vf_link *master);
	int (*set_up)(void *os, const struct vf_link *link, bool up);
	/* The master holds the synthetic NIC's addresses: no DAD there. */
	int (*dad_off)(void *os, const struct vf_link *link);
	int (*addr_list)(void *os, const struct vf_link *link,
			 struct vf_addr_list *out);
	/*
	 * Adds a; from is the link it is copied from (its label follows
	 * it), or NULL when it goes back where it was. -EEXIST: there.
	 */
	int (*addr_add)(void *os, const struct vf_link *to,
			const struct vf_link *from, const struct vf_addr *a);
	/* copy: a was added by addr_add from another link. -EADDRNOTAVAIL. */
	int (*addr_del)(void *os, const struct vf_link *on,
			const struct vf_addr *a, bool copy);
	int (*route_list)(void *os, const struct vf_link *link,
			  struct vf_route_list *out);
	/* Next to any route to the same place: -EEXIST when there. */
	int (*route_add)(void *os, const struct vf_link *on,
			 const struct vf_route *r);
	/* -ESRCH when it is not there. */
	int (*route_del)(void *os, const struct vf_link *on,
			 const struct vf_route *r);
	const char *(*error)(void *os);
};

enum vf_step_op {
	VF_STEP_DESTROY, /* link: the master */
	VF_STEP_UPDOWN,	 /* link, up */
	VF_STEP_PORT,	 /* link joins other (ifindex 0: leaves) */
	VF_STEP_ADDR_ADD,
	VF_STEP_ADDR_DEL,
	VF_STEP_ROUTE_ADD,
	VF_STEP_ROUTE_DEL,
};

/* One primitive call as data: a change, or the one that reverts it. */
struct vf_step {
	enum vf_step_op op;
	struct vf_link link;   /* the link changed */
	struct vf_link other;  /* PORT: the master; ADDR_ADD: the source */
	bool up;	       /* UPDOWN */
	bool copy;	       /* ADDR_DEL: of a copy; ADDR_ADD: from other */
	struct vf_addr addr;   /* ADDR_*: the journal owns its os copy */
	struct vf_route route; /* ROUTE_*: likewise */
	int ignore; /* as an undo: -errno meaning nothing left to revert */
};

struct vf_journal {
	const struct vf_prims *prims;
	void *os;
	struct vf_step *steps;
	size_t n, cap;
};

int vf_step_run(const struct vf_prims *prims, void *os,
		const struct vf_step *step);

/*
 * Records how to revert a change, before it is made, with a copy of its
 * address or route. -ENOMEM.
 */
int vf_journal_push(struct vf_journal *j, const struct vf_step *undo);
/* The change did not happen: nothing to revert. */
void vf_journal_pop(struct vf_journal *j);
/*
 * Reverts everything, newest first. The first undo that fails is
 * described in note (empty if none); the rest is still tried.
 */
void vf_journal_rollback(struct vf_journal *j, char *note, size_t len);
void vf_journal_free(struct vf_journal *j);

#endif
