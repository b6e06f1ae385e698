/* SPDX-License-Identifier: MIT */
/* Actions and pairs in words, the same for the log and for plan. */
#ifndef VFBOND_DESCRIBE_H
#define VFBOND_DESCRIBE_H

#include <stddef.h>

#include "core/core.h"

enum vf_describe_style {
	VF_DESCRIBE_LOG,  /* "building master vfb0 over VF eth1" */
	VF_DESCRIBE_PLAN, /* "build-master vfb0 (active-backup, ...)" */
};

void vf_describe_action(const struct vf_action *act,
			enum vf_describe_style style,
			const struct vf_config *conf, char *buf, size_t len);
/* "active, VF eth1, master vfb0, traffic on eth1" */
void vf_describe_pair(const struct vf_pair_status *st, char *buf, size_t len);

#endif
