/* SPDX-License-Identifier: MIT */
/*
 * The steps of the engine's actions as sequences of backend primitives:
 * what moves, in what order, and how a failure is undone.
 */
#ifndef VFBOND_PLAN_H
#define VFBOND_PLAN_H

#include "core.h"
#include "journal.h"

typedef void vf_note_fn(void *arg, const char *line);

struct vf_plan_env {
	const struct vf_prims *prims;
	void *os;
	vf_note_fn *note; /* what is left alone, and why; may be NULL */
	void *note_arg;
	char err[512]; /* the failure, one line, after one */
};

/*
 * Carries out a kernel action. The master of VF_ACT_BUILD_MASTER is
 * returned in act->master. On failure what was done is undone, the
 * error is in env->err, and -errno is returned.
 */
int vf_plan_run(struct vf_plan_env *env, struct vf_action *act);

#endif
