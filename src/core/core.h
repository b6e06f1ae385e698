/* SPDX-License-Identifier: MIT */
/*
 * The vfbond engine: pairs synthetic NICs with their VFs and decides, per
 * pair, what the OS backend must do. It is fed events (link changes, the
 * clock, results of its own actions) and hands out actions; it makes no
 * system call, so every decision can be replayed from a trace.
 */
#ifndef VFBOND_CORE_H
#define VFBOND_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "link.h"

/* Prefix of the alias vfbond writes on its masters: "vfbond:<MAC>". */
#define VF_ALIAS_PREFIX "vfbond:"

enum vf_pair_state {
	VF_PAIR_SOLO,	     /* synthetic NIC alone, no master yet */
	VF_PAIR_VF_DELAY,    /* VF seen; waiting out vf_delay */
	VF_PAIR_VF_WAIT,     /* master built on the VF; waiting for link */
	VF_PAIR_ACTIVE,	     /* master holds the VF and the synthetic NIC */
	VF_PAIR_VF_GONE,     /* master runs on the synthetic NIC alone */
	VF_PAIR_TRANSPARENT, /* the kernel pairs them itself */
	VF_PAIR_FOREIGN,     /* enslaved to a master that is not ours */
	VF_PAIR_IGNORED,     /* the config says hands off */
	VF_PAIR_FAILED,	     /* an action failed; waits for a new VF */
	VF_PAIR_RETRYING,    /* an action failed for now; retried at a time */
	VF_PAIR_CONFLICT,    /* a master marked ours that we cannot adopt */
};

const char *vf_pair_state_name(enum vf_pair_state state);

/*
 * A step that fails for now is retried after 1 s, 2 s, 4 s, 8 s, 16 s:
 * five retries, about half a minute, then it is failed like any other.
 */
#define VF_RETRY_FIRST_MS 1000
#define VF_RETRY_CAP_MS	  16000
#define VF_RETRY_TRIES	  5

/* Whether an error (a positive errno) is of the moment, not the request. */
bool vf_error_transient(int error);
/* The wait before the nth retry (from 1): doubling, capped. */
uint64_t vf_retry_delay_ms(unsigned n);

enum vf_action_type {
	/* Create the master, enslave the VF as primary, copy addresses. */
	VF_ACT_BUILD_MASTER,
	/* Routes to the master, config off the synthetic NIC, enslave it. */
	VF_ACT_TAKEOVER,
	/* A VF came back: enslave it, make it primary and active. */
	VF_ACT_ENSLAVE_VF,
	/*
	 * A takeover failed: the build's copies of the synthetic NIC's
	 * addresses come off the master, so that each is on one NIC.
	 */
	VF_ACT_WITHDRAW,
	/*
	 * What a manager left on a port (addresses, routes through it)
	 * comes off: dead there, and such routes send replies where the
	 * bond does not listen. Nothing of it is the pair's: no hook.
	 */
	VF_ACT_CLEAR_PORT,
};

/* A port is cleared at most this often: never in a loop with a manager. */
#define VF_CLEAR_EVERY_MS 10000

const char *vf_action_name(enum vf_action_type type);

struct vf_action {
	enum vf_action_type type;
	int synthetic; /* ifindexes; 0 where not relevant */
	int vf;
	int master;
	char master_name[VF_IFNAMSIZ];
	char alias[VF_ALIASSIZ];
	/* Names at decision time, for messages. */
	char synthetic_name[VF_IFNAMSIZ];
	char vf_name[VF_IFNAMSIZ];
	int port; /* CLEAR_PORT: which */
	char port_name[VF_IFNAMSIZ];
};

/* A pair's status event, for its hook: the engine never waits for it. */
struct vf_hook_event {
	const char *event; /* "master-built", "takeover", "vf-lost", ... */
	int synthetic, vf, master;
	char synthetic_name[VF_IFNAMSIZ];
	char vf_name[VF_IFNAMSIZ];
	char master_name[VF_IFNAMSIZ];
};

struct vf_pair_status {
	enum vf_pair_state state;
	int synthetic, vf, master, active;
	char synthetic_name[VF_IFNAMSIZ];
	char vf_name[VF_IFNAMSIZ];
	char master_name[VF_IFNAMSIZ];
	char active_name[VF_IFNAMSIZ];
	uint8_t mac[VF_MACLEN];
	unsigned failovers;   /* active port changes seen */
	unsigned vf_arrivals; /* VFs seen joining */
	unsigned vf_losses;   /* VFs seen leaving */
	uint64_t since_ms;    /* monotonic time of the last state change */
	uint64_t vf_seen_ms, vf_lost_ms; /* 0: never */
	int last_error;			 /* errno of the last failed action */
	char last_failed[24];		 /* its action name */
	char last_why[256];		 /* the backend's words for it */
	unsigned retries;		 /* of the step that failed for now */
	uint64_t retry_at_ms;		 /* when it is tried again; 0: not */
	const char *conflict; /* CONFLICT: why, one phrase; else NULL */
	/* A port holds an address the master should: which, or "". */
	char degraded[64];
};

struct vf_core;

struct vf_core *vf_core_new(const struct vf_config *conf);
void vf_core_free(struct vf_core *core);

/* Kernel view: a link appeared or changed, or went away. */
void vf_core_link_update(struct vf_core *core, const struct vf_link *link,
			 uint64_t now_ms);
void vf_core_link_remove(struct vf_core *core, int ifindex, uint64_t now_ms);
const struct vf_link *vf_core_link(const struct vf_core *core, int ifindex);
/* All known links, for resynchronising after lost events. */
size_t vf_core_link_count(const struct vf_core *core);
const struct vf_link *vf_core_link_at(const struct vf_core *core, size_t i);

/* Clock: fires due timers. next_deadline is 0 when nothing is armed. */
void vf_core_tick(struct vf_core *core, uint64_t now_ms);
uint64_t vf_core_next_deadline(const struct vf_core *core);

/*
 * Actions come out in order. The caller carries each out, feeds the
 * kernel's notifications of it through link_update (the pair ignores
 * them while its action is in flight, so half-done states do not look
 * like work to do), then reports with action_done: 0 or a positive errno.
 */
bool vf_core_next_action(struct vf_core *core, struct vf_action *out);
/* Status events come out in order too, apart from the kernel work. */
bool vf_core_next_hook(struct vf_core *core, struct vf_hook_event *out);
void vf_core_action_done(struct vf_core *core, const struct vf_action *act,
			 int error, uint64_t now_ms);
/* After a failed action_done: the backend's words for it, for status. */
void vf_core_action_why(struct vf_core *core, const struct vf_action *act,
			const char *why);

/*
 * Re-reading every link after lost events failed: it is retried with the
 * steps' backoff, capped but without end (running blind is no option).
 * The time is one more deadline; due says when to read again.
 */
void vf_core_resync_failed(struct vf_core *core, uint64_t now_ms);
void vf_core_resync_done(struct vf_core *core);
bool vf_core_resync_due(const struct vf_core *core, uint64_t now_ms);
uint64_t vf_core_resync_at(const struct vf_core *core); /* 0: none */

/* Limits the engine to one synthetic NIC (the one-shot commands). */
void vf_core_only(struct vf_core *core, int synthetic_ifindex);

size_t vf_core_pair_count(const struct vf_core *core);
/*
 * The pair (its index) whose VF the link is or would be: its step may
 * not have seen it yet. False when it is no pair's VF.
 */
bool vf_core_pair_of_vf(const struct vf_core *core, int vf_ifindex,
			size_t *index);
bool vf_core_pair_status(const struct vf_core *core, size_t i,
			 struct vf_pair_status *out);
/*
 * Pairs whose state, VF, active port, faults, or synthetic NIC's name
 * or readiness changed since they were last handed out here; *cursor
 * starts at 0. For logging only what changed, and for the network
 * manager's files, which follow the NIC's name.
 */
bool vf_core_next_change(struct vf_core *core, size_t *cursor,
			 struct vf_pair_status *out);
/*
 * Whether the network manager may start: no synthetic NIC waits for
 * udev (its name may change) and, with master_before_vf, each is in
 * the master it is to be in, or its pair will have none.
 */
bool vf_core_boot_ready(const struct vf_core *core);
/* True when no pair waits for a timer, an action or a link. */
bool vf_core_settled(const struct vf_core *core);

#endif
