/* SPDX-License-Identifier: MIT */
/*
 * Fault injection, for tests: the primitives that change state are
 * counted, and at the Nth one the process dies (as with SIGKILL) or the
 * request fails with a chosen errno. The daemon honours VFBOND_FAULT
 * only when built with -Dfault_injection=true; the unit tests drive the
 * same wrapper over the fake backend.
 */
#ifndef VFBOND_FAULT_H
#define VFBOND_FAULT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/journal.h"

#define VF_FAULT_MAX 4

struct vf_fault_rule {
	unsigned at; /* the Nth state-changing request, from 1 */
	int err;     /* 0: die; else fail with -err */
};

struct vf_fault {
	const struct vf_prims *inner;
	void *os;
	struct vf_fault_rule rules[VF_FAULT_MAX];
	size_t n_rules;
	unsigned calls; /* state-changing requests so far */
	bool dead;	/* died, and die() returned (tests) */
	bool injected;	/* the last failure was ours: error() says so */
	/* Each counted request, before it is made; NULL: silent. */
	void (*note)(void *arg, unsigned n, const char *what, int err,
		     bool die);
	/* Ends the process; a test's may return, then nothing has effect. */
	void (*die)(void *arg);
	void *arg;
	char err[128];
};

/*
 * spec: "count" (only count), or rules separated by commas: "kill:N",
 * "errno:N:NAME" (NAME as EBUSY, or a number). 0, or -EINVAL with a
 * message in err.
 */
int vf_fault_parse(struct vf_fault *f, const char *spec, char *err,
		   size_t errlen);

/* The inner primitives, counted and failed as f says; os is f. */
const struct vf_prims *vf_fault_prims(void);

/* "EBUSY" for EBUSY, NULL for an errno the table does not know. */
const char *vf_fault_errno_name(int err);

#endif
