/* SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "describe.h"

static void
describe_log(const struct vf_action *act, char *buf, size_t len)
{
	switch (act->type) {
	case VF_ACT_BUILD_MASTER:
		snprintf(buf, len, "building master %s over VF %s",
			 act->master_name, act->vf_name);
		return;
	case VF_ACT_TAKEOVER:
		snprintf(buf, len, "moving addresses and routes to %s",
			 act->master_name);
		return;
	case VF_ACT_ENSLAVE_VF:
		snprintf(buf, len, "VF %s is back: joining it to %s",
			 act->vf_name, act->master_name);
		return;
	case VF_ACT_WITHDRAW:
		snprintf(buf, len, "taking address copies off %s",
			 act->master_name);
		return;
	case VF_ACT_CLEAR_PORT:
		snprintf(buf, len,
			 "taking addresses and routes off %s, a port of %s",
			 act->port_name, act->master_name);
		return;
	}
	snprintf(buf, len, "action %d", (int)act->type);
}

static void
describe_plan(const struct vf_action *act, const struct vf_config *conf,
	      char *buf, size_t len)
{
	const char *name = vf_action_name(act->type);

	switch (act->type) {
	case VF_ACT_BUILD_MASTER:
		snprintf(
		    buf, len, "%s %s (active-backup, primary %s, miimon %d ms)",
		    name, act->master_name, act->vf_name, conf->link_check_ms);
		return;
	case VF_ACT_TAKEOVER:
		snprintf(buf, len, "%s onto %s", name, act->master_name);
		return;
	case VF_ACT_ENSLAVE_VF:
		snprintf(buf, len, "%s %s into %s", name, act->vf_name,
			 act->master_name);
		return;
	case VF_ACT_WITHDRAW:
		snprintf(buf, len, "%s address copies from %s", name,
			 act->master_name);
		return;
	case VF_ACT_CLEAR_PORT:
		snprintf(buf, len, "%s %s of %s", name, act->port_name,
			 act->master_name);
		return;
	}
	snprintf(buf, len, "%s", name);
}

void
vf_describe_action(const struct vf_action *act, enum vf_describe_style style,
		   const struct vf_config *conf, char *buf, size_t len)
{
	if (style == VF_DESCRIBE_PLAN)
		describe_plan(act, conf, buf, len);
	else
		describe_log(act, buf, len);
}

void
vf_describe_pair(const struct vf_pair_status *st, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s%s%s%s%s", vf_pair_state_name(st->state),
		 st->vf ? ", VF " : "", st->vf ? st->vf_name : "",
		 st->master ? ", master " : "",
		 st->master ? st->master_name : "",
		 st->active ? ", traffic on " : "",
		 st->active ? st->active_name : "",
		 st->degraded[0] ? "; degraded: " : "", st->degraded);
}
