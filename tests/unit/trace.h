/* SPDX-License-Identifier: MIT */
/* Helpers to write scripted event traces against the engine. */
#ifndef VFBOND_TEST_TRACE_H
#define VFBOND_TEST_TRACE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"
#include "os/defaults.h"
#include "os/linux/if-linux.h"

#define MAC_A "52:54:00:00:10:00"
#define MAC_B "52:54:00:00:10:01"

static inline struct vf_link
mk_link(int ifindex, const char *name, const char *driver, const char *kind,
	const char *mac)
{
	struct vf_link l;

	memset(&l, 0, sizeof(l));
	l.ifindex = ifindex;
	snprintf(l.name, sizeof(l.name), "%s", name);
	snprintf(l.driver, sizeof(l.driver), "%s", driver);
	snprintf(l.kind, sizeof(l.kind), "%s", kind);
	vf_mac_parse(mac, l.mac);
	l.ether = true;
	l.ready = true;
	l.up = true;
	vf_linux_classify(&l); /* the names are Linux's */
	return l;
}

static inline struct vf_link
mk_syn(int ifindex, const char *name, const char *mac)
{
	struct vf_link l = mk_link(ifindex, name, "virtio_net", "", mac);

	l.carrier = true;
	return l;
}

static inline struct vf_link
mk_vf(int ifindex, const char *name, const char *mac)
{
	struct vf_link l = mk_link(ifindex, name, "e1000e", "", mac);

	l.up = false;
	return l;
}

static inline struct vf_link
mk_master(int ifindex, const char *name, const char *mac)
{
	struct vf_link l = mk_link(ifindex, name, "bonding", "bond", mac);

	snprintf(l.alias, sizeof(l.alias), "%s%s", VF_ALIAS_PREFIX, mac);
	l.active_backup = true;
	l.primary = VF_PRIMARY_UNKNOWN; /* traces that do not say */
	return l;
}

#define NO_ACTION 99

/* Every hook event handed out, space-separated, for later asserts. */
static char hook_log[1024];

static inline void
log_hook(const struct vf_hook_event *ev)
{
	size_t len = strlen(hook_log);

	snprintf(hook_log + len, sizeof(hook_log) - len, "%s ", ev->event);
}

/* Next action, or NO_ACTION; pending hook events go to hook_log. */
static inline struct vf_action
next_real(struct vf_core *core)
{
	struct vf_hook_event ev;
	struct vf_action act;

	while (vf_core_next_hook(core, &ev))
		log_hook(&ev);
	if (vf_core_next_action(core, &act))
		return act;
	memset(&act, 0, sizeof(act));
	act.type = (enum vf_action_type)NO_ACTION;
	return act;
}

/* Next hook event name, or NULL. Leaves the actions alone. */
static inline const char *
next_hook(struct vf_core *core)
{
	struct vf_hook_event ev;

	if (!vf_core_next_hook(core, &ev))
		return NULL;
	log_hook(&ev);
	return ev.event;
}

static inline enum vf_pair_state
state_of(struct vf_core *core, int synthetic)
{
	struct vf_pair_status st;

	for (size_t i = 0; vf_core_pair_status(core, i, &st); i++)
		if (st.synthetic == synthetic)
			return st.state;
	fail_msg("no pair for ifindex %d", synthetic);
	return VF_PAIR_FAILED;
}

static inline struct vf_pair_status
status_of(struct vf_core *core, int synthetic)
{
	struct vf_pair_status st;

	for (size_t i = 0; vf_core_pair_status(core, i, &st); i++)
		if (st.synthetic == synthetic)
			return st;
	fail_msg("no pair for ifindex %d", synthetic);
	return st;
}

#endif
