/* SPDX-License-Identifier: MIT */
/*
 * The engine. Each pair is reconciled from the link table: what the kernel
 * shows decides the next step, so a restart, a lost event or a link that
 * vanished half-way all lead to the same place. The state kept per pair is
 * only what the kernel cannot show: timers, counters, failures, and the
 * action in flight.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

struct pair {
	int synthetic;
	enum vf_pair_state state;
	int vf;			/* VF last seen, 0 if none */
	int master;		/* our master, 0 if none */
	int last_active;	/* master's active port, for failovers */
	uint8_t mac[VF_MACLEN]; /* the synthetic NIC's, to find related links */
	bool told_degraded;
	bool told_ready;	     /* the synthetic NIC's, and its name: */
	char told_name[VF_IFNAMSIZ]; /* a manager's files follow them */
	bool told;		     /* told_* hold what was last reported */
	enum vf_pair_state told_state;
	int told_active, told_vf;
	int delayed_vf;	      /* the VF vf_delay runs for */
	uint64_t delay_until; /* VF_DELAY deadline, 0 while not ready */
	uint64_t wait_until;  /* VF_WAIT deadline */
	int failed_vf;	      /* no retry until the VF changes */
	int done_vf;	      /* the VF the last build or enslave finished */
	bool pending;	      /* an action is queued or running */
	unsigned failovers, vf_arrivals, vf_losses;
	uint64_t since_ms, vf_seen_ms, vf_lost_ms;
	int last_error;
	enum vf_action_type last_failed;
	unsigned retries;     /* transient failures since the last success */
	int retry_vf;	      /* the VF they count for */
	uint64_t retry_at;    /* RETRYING deadline; 0 once due */
	uint64_t cleared_at;  /* last CLEAR_PORT; 0: never */
	char why[256];	      /* the last failure in the backend's words */
	const char *conflict; /* why the pair is in CONFLICT */
};

struct vf_core {
	struct vf_config conf;
	struct vf_link *links; /* in no order: removal swaps the last in */
	size_t n_links, cap_links;
	uint32_t *index;  /* open addressing, ifindex -> position + 1 */
	size_t index_cap; /* a power of two, at least twice n_links */
	struct pair *pairs;
	size_t n_pairs, cap_pairs;
	struct vf_action *queue; /* taken from q_head; reset when empty */
	size_t q_head, q_len, q_cap;
	struct vf_hook_event *hooks; /* likewise, from h_head */
	size_t h_head, h_len, h_cap;
	int only;
	uint64_t now;
	unsigned resync_fails; /* in a row */
	uint64_t resync_at;    /* next resync after a failed one; 0: none */
	bool software_vfs;     /* the config lets software links be VFs */
};

static const char *const state_names[] = {
	[VF_PAIR_SOLO] = "solo",	 [VF_PAIR_VF_DELAY] = "vf-delay",
	[VF_PAIR_VF_WAIT] = "vf-wait",	 [VF_PAIR_ACTIVE] = "active",
	[VF_PAIR_VF_GONE] = "vf-gone",	 [VF_PAIR_TRANSPARENT] = "transparent",
	[VF_PAIR_FOREIGN] = "foreign",	 [VF_PAIR_IGNORED] = "ignored",
	[VF_PAIR_FAILED] = "failed",	 [VF_PAIR_RETRYING] = "retrying",
	[VF_PAIR_CONFLICT] = "conflict",
};

static const char *const action_names[] = {
	[VF_ACT_BUILD_MASTER] = "build-master", [VF_ACT_TAKEOVER] = "takeover",
	[VF_ACT_ENSLAVE_VF] = "enslave-vf",	[VF_ACT_WITHDRAW] = "withdraw",
	[VF_ACT_CLEAR_PORT] = "clear-port",
};

const char *
vf_pair_state_name(enum vf_pair_state state)
{
	return state_names[state];
}

const char *
vf_action_name(enum vf_action_type type)
{
	return action_names[type];
}

struct vf_core *
vf_core_new(const struct vf_config *conf)
{
	struct vf_core *core = calloc(1, sizeof(*core));

	if (core == NULL)
		return NULL;
	core->conf = *conf;
	core->software_vfs =
	    !vf_words_same(&conf->vf_exclude_kinds, &conf->vf_exclude_default);
	return core;
}

void
vf_core_free(struct vf_core *core)
{
	if (core == NULL)
		return;
	free(core->links);
	free(core->index);
	free(core->pairs);
	free(core->queue);
	free(core->hooks);
	free(core);
}

void
vf_core_only(struct vf_core *core, int synthetic_ifindex)
{
	core->only = synthetic_ifindex;
}

/* Grows an array by doubling; false when memory runs out. */
static bool
grow(void **array, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p;

	if (need <= *cap)
		return true;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*array, ncap * size);
	if (p == NULL)
		return false;
	*array = p;
	*cap = ncap;
	return true;
}

static size_t
index_home(const struct vf_core *core, int ifindex)
{
	return ((uint32_t)ifindex * 2654435761u) & (core->index_cap - 1);
}

/* Every event looks links up by ifindex: a scan per lookup was O(n^2). */
static struct vf_link *
find_link(const struct vf_core *core, int ifindex)
{
	if (core->index_cap == 0)
		return NULL;
	for (size_t h = index_home(core, ifindex); core->index[h] != 0;
	     h = (h + 1) & (core->index_cap - 1)) {
		struct vf_link *link = &core->links[core->index[h] - 1];

		if (link->ifindex == ifindex)
			return link;
	}
	return NULL;
}

static void
index_put(struct vf_core *core, size_t pos)
{
	size_t h = index_home(core, core->links[pos].ifindex);

	while (core->index[h] != 0)
		h = (h + 1) & (core->index_cap - 1);
	core->index[h] = (uint32_t)pos + 1;
}

/* Sized for n_links; false when memory runs out. */
static bool
index_rebuild(struct vf_core *core)
{
	size_t cap = 64;
	uint32_t *index;

	while (cap < core->n_links * 2)
		cap *= 2;
	index = calloc(cap, sizeof(*index));
	if (index == NULL)
		return false;
	free(core->index);
	core->index = index;
	core->index_cap = cap;
	for (size_t i = 0; i < core->n_links; i++)
		index_put(core, i);
	return true;
}

const struct vf_link *
vf_core_link(const struct vf_core *core, int ifindex)
{
	return ifindex > 0 ? find_link(core, ifindex) : NULL;
}

size_t
vf_core_link_count(const struct vf_core *core)
{
	return core->n_links;
}

const struct vf_link *
vf_core_link_at(const struct vf_core *core, size_t i)
{
	return i < core->n_links ? &core->links[i] : NULL;
}

static struct pair *
find_pair(const struct vf_core *core, int synthetic)
{
	for (size_t i = 0; i < core->n_pairs; i++)
		if (core->pairs[i].synthetic == synthetic)
			return &core->pairs[i];
	return NULL;
}

static bool
same_mac(const struct vf_link *a, const struct vf_link *b)
{
	return memcmp(a->mac, b->mac, VF_MACLEN) == 0;
}

static bool
is_own_master(const struct vf_link *link)
{
	/* alias[0] first: this runs for every link on every event. */
	return link->alias[0] == VF_ALIAS_PREFIX[0] &&
	       link->cls == VF_LINK_FAILOVER &&
	       strncmp(link->alias, VF_ALIAS_PREFIX, strlen(VF_ALIAS_PREFIX)) ==
		   0;
}

static bool
is_synthetic(const struct vf_core *core, const struct vf_link *link)
{
	const struct vf_words *names = &core->conf.synthetic_names;

	if (!link->ether || is_own_master(link))
		return false;
	if (vf_words_has(&core->conf.synthetic_drivers, link->driver))
		return true;
	for (int i = 0; i < names->count; i++)
		if (fnmatch(names->word[i], link->name, 0) == 0)
			return true;
	return false;
}

/* A failover master the kernel runs itself, over both NICs. */
static bool
is_kernel_failover(const struct vf_link *master)
{
	return master->cls == VF_LINK_KERNEL_FAILOVER;
}

/* The kernel declares them a pair (FreeBSD's dev.hn.N.vf, say). */
static bool
kernel_paired(const struct vf_link *s, const struct vf_link *vf)
{
	return vf->kernel_pair == s->ifindex || s->kernel_pair == vf->ifindex;
}

/* ... and runs their failover itself, with no master in between. */
static bool
kernel_runs_failover(const struct vf_link *s, const struct vf_link *vf)
{
	return kernel_paired(s, vf) &&
	       (s->kernel_failover || vf->kernel_failover);
}

static bool
is_vf_candidate(const struct vf_core *core, const struct vf_link *synthetic,
		const struct vf_link *link)
{
	/* The MAC first: it rules out nearly every link, and cheaply. */
	if (!same_mac(link, synthetic) || link->ifindex == synthetic->ifindex ||
	    !link->ether || is_synthetic(core, link))
		return false;
	if (vf_words_has(&core->conf.vf_exclude_kinds, link->kind))
		return false;
	/* Where the kernel names the synthetic NIC's VF, only that one. */
	if (synthetic->kernel_pair != 0 &&
	    synthetic->kernel_pair != link->ifindex)
		return false;
	/* A dummy with the MAC is no VF: only a config that changed the
	 * excluded kinds lets software links stand in (tests). */
	if (link->cls == VF_LINK_VIRTUAL)
		return core->software_vfs;
	return link->cls == VF_LINK_DEVICE;
}

static void
own_alias(const struct vf_link *synthetic, char out[VF_ALIASSIZ])
{
	char mac[VF_MACSTRLEN];

	vf_mac_format(synthetic->mac, mac);
	snprintf(out, VF_ALIASSIZ, "%s%s", VF_ALIAS_PREFIX, mac);
}

/* Its ports are the synthetic NIC and VFs of the pair, nothing else. */
static bool
ports_are_the_pairs(const struct vf_core *core, const struct vf_link *s,
		    const struct vf_link *master)
{
	for (size_t i = 0; i < core->n_links; i++) {
		const struct vf_link *link = &core->links[i];

		if (link->master != master->ifindex ||
		    link->ifindex == s->ifindex)
			continue;
		if (!is_vf_candidate(core, s, link))
			return false;
	}
	return true;
}

/*
 * Our masters are found by alias, so names and restarts do not matter.
 * An alias is only a claim: the master is adopted when it is the one
 * claiming the MAC, in active-backup mode, over the pair's links alone.
 * Otherwise *why says what is wrong and none is returned.
 */
static const struct vf_link *
find_own_master(const struct vf_core *core, const struct vf_link *synthetic,
		const char **why)
{
	const struct vf_link *found = NULL;
	char alias[VF_ALIASSIZ];

	*why = NULL;
	own_alias(synthetic, alias);
	for (size_t i = 0; i < core->n_links; i++) {
		const struct vf_link *link = &core->links[i];

		if (!is_own_master(link) || strcmp(link->alias, alias) != 0)
			continue;
		if (found != NULL) {
			*why = "two masters claim its MAC";
			return NULL;
		}
		found = link;
	}
	if (found != NULL && !found->active_backup)
		*why = "its marked master is not active-backup";
	else if (found != NULL && !ports_are_the_pairs(core, synthetic, found))
		*why = "its marked master has other ports";
	return *why != NULL ? NULL : found;
}

/*
 * A master the network manager built (manager_builds_master): the name
 * we would give it, holding the synthetic NIC, the pair's MAC, in
 * active-backup mode, over the pair's links alone. Not ours to mark.
 */
static const struct vf_link *
find_managers_master(const struct vf_core *core, const struct vf_link *s)
{
	const struct vf_link *m = find_link(core, s->master);
	char name[VF_IFNAMSIZ];

	if (m == NULL || m->cls != VF_LINK_FAILOVER || m->alias[0] != '\0' ||
	    !vf_master_name(core->conf.master_name, s, name) ||
	    strcmp(m->name, name) != 0 || !same_mac(m, s) ||
	    !m->active_backup || !ports_are_the_pairs(core, s, m))
		return NULL;
	return m;
}

/* Ours by its mark or, where the manager builds it, by what it is. */
static const struct vf_link *
find_master(const struct vf_core *core, const struct vf_link *s,
	    const char **why)
{
	const struct vf_link *m = find_own_master(core, s, why);

	if (m != NULL || *why != NULL || !core->conf.manager_builds_master)
		return m;
	return find_managers_master(core, s);
}

/* The VF in the master wins; else the lowest ifindex, for stable picks. */
static const struct vf_link *
find_vf(const struct vf_core *core, const struct vf_link *synthetic,
	const struct vf_link *master)
{
	const struct vf_link *best = NULL;

	for (size_t i = 0; i < core->n_links; i++) {
		const struct vf_link *link = &core->links[i];

		if (!is_vf_candidate(core, synthetic, link))
			continue;
		if (master != NULL && link->master == master->ifindex)
			return link;
		if (best == NULL || link->ifindex < best->ifindex)
			best = link;
	}
	return best;
}

static int
vf_delay_ms(const struct vf_core *core, const struct vf_link *synthetic,
	    const struct vf_link *vf)
{
	const struct vf_iface_conf *ic = vf_config_iface(&core->conf, vf);

	if (ic == NULL || ic->vf_delay_ms < 0)
		ic = vf_config_iface(&core->conf, synthetic);
	if (ic != NULL && ic->vf_delay_ms >= 0)
		return ic->vf_delay_ms;
	return core->conf.vf_delay_ms;
}

static void
set_state(struct vf_core *core, struct pair *pair, enum vf_pair_state state)
{
	if (pair->state == state)
		return;
	pair->state = state;
	pair->since_ms = core->now;
}

/* The pair's links and their names, as they are now. */
static void
fill_action(struct vf_core *core, struct pair *pair, enum vf_action_type type,
	    struct vf_action *act)
{
	const struct vf_link *s = find_link(core, pair->synthetic);
	const struct vf_link *v = vf_core_link(core, pair->vf);

	memset(act, 0, sizeof(*act));
	act->type = type;
	act->synthetic = pair->synthetic;
	act->vf = pair->vf;
	act->master = pair->master;
	if (s != NULL) {
		snprintf(act->synthetic_name, VF_IFNAMSIZ, "%s", s->name);
		own_alias(s, act->alias);
	}
	if (v != NULL)
		snprintf(act->vf_name, VF_IFNAMSIZ, "%s", v->name);
	if (pair->master != 0) {
		const struct vf_link *m = find_link(core, pair->master);

		if (m != NULL)
			snprintf(act->master_name, VF_IFNAMSIZ, "%s", m->name);
	}
}

static struct vf_action *
enqueue(struct vf_core *core, struct pair *pair, enum vf_action_type type)
{
	struct vf_action *act;

	/* Unbounded: a storm of new pairs must not lose actions. */
	if (!grow((void **)&core->queue, &core->q_cap, core->q_len + 1,
		  sizeof(*core->queue)))
		return NULL;
	act = &core->queue[core->q_len++];
	fill_action(core, pair, type, act);
	return act;
}

static void
queue_action(struct vf_core *core, struct pair *pair, enum vf_action_type type)
{
	const struct vf_link *s = find_link(core, pair->synthetic);
	struct vf_action *act = enqueue(core, pair, type);

	if (act == NULL)
		return;
	if (type == VF_ACT_BUILD_MASTER &&
	    !vf_master_name(core->conf.master_name, s, act->master_name)) {
		/* The config was checked at load; only %n can fail here. */
		core->q_len--;
		pair->last_error = EINVAL;
		pair->last_failed = type;
		pair->failed_vf = pair->vf;
		set_state(core, pair, VF_PAIR_FAILED);
		return;
	}
	pair->pending = true;
}

/* A build that finishes the given master (0: creates one). */
static void
queue_build(struct vf_core *core, struct pair *pair,
	    const struct vf_link *master)
{
	struct vf_action *act;

	queue_action(core, pair, VF_ACT_BUILD_MASTER);
	if (!pair->pending || master == NULL)
		return;
	act = &core->queue[core->q_len - 1];
	act->master = master->ifindex;
	snprintf(act->master_name, VF_IFNAMSIZ, "%s", master->name);
}

static void
queue_hook(struct vf_core *core, struct pair *pair, const char *event)
{
	struct vf_action act;
	struct vf_hook_event *ev;

	fill_action(core, pair, VF_ACT_BUILD_MASTER, &act);
	if (!grow((void **)&core->hooks, &core->h_cap, core->h_len + 1,
		  sizeof(*core->hooks)))
		return;
	ev = &core->hooks[core->h_len++];
	ev->event = event;
	ev->synthetic = act.synthetic;
	ev->vf = act.vf;
	ev->master = act.master;
	memcpy(ev->synthetic_name, act.synthetic_name, VF_IFNAMSIZ);
	memcpy(ev->vf_name, act.vf_name, VF_IFNAMSIZ);
	memcpy(ev->master_name, act.master_name, VF_IFNAMSIZ);
}

/* Bookkeeping of what the kernel shows: VFs coming and going, failovers. */
static void
observe(struct vf_core *core, struct pair *pair, const struct vf_link *vf,
	const struct vf_link *master)
{
	int vf_index = vf != NULL ? vf->ifindex : 0;

	if (vf_index != 0 && pair->vf == 0) {
		pair->vf_arrivals++;
		pair->vf_seen_ms = core->now;
	} else if (vf_index == 0 && pair->vf != 0) {
		pair->vf_losses++;
		pair->vf_lost_ms = core->now;
		if (pair->master != 0)
			queue_hook(core, pair, "vf-lost");
	}
	pair->vf = vf_index;
	pair->master = master != NULL ? master->ifindex : 0;
	if (master == NULL || master->active_slave == 0)
		return;
	if (pair->last_active != 0 && master->active_slave != pair->last_active)
		pair->failovers++;
	pair->last_active = master->active_slave;
}

/*
 * vf_delay starts once the VF is ready (udev done). True while it runs.
 * A VF that leaves meanwhile simply stops being found: nothing was built.
 */
static bool
delaying(struct vf_core *core, struct pair *pair, const struct vf_link *s,
	 const struct vf_link *vf)
{
	if (!vf->ready) {
		pair->delayed_vf = 0;
		pair->delay_until = 0;
		set_state(core, pair, VF_PAIR_VF_DELAY);
		return true;
	}
	if (pair->delayed_vf != vf->ifindex) {
		pair->delayed_vf = vf->ifindex;
		pair->delay_until = core->now + vf_delay_ms(core, s, vf);
	}
	if (core->now >= pair->delay_until)
		return false;
	set_state(core, pair, VF_PAIR_VF_DELAY);
	return true;
}

/* Kernel-run pairing, or somebody else's master: hands off. */
static bool
hands_off(struct vf_core *core, struct pair *pair, const struct vf_link *s,
	  const struct vf_link *vf, const struct vf_link *master)
{
	const struct vf_link *other = NULL;

	if (s->master != 0 && (master == NULL || s->master != master->ifindex))
		other = find_link(core, s->master);
	else if (vf != NULL && kernel_runs_failover(s, vf)) {
		set_state(core, pair, VF_PAIR_TRANSPARENT);
		return true;
	} else if (vf != NULL && vf->master != 0 &&
		   (master == NULL || vf->master != master->ifindex))
		other = find_link(core, vf->master);
	else
		return false;
	if (other != NULL && is_kernel_failover(other))
		set_state(core, pair, VF_PAIR_TRANSPARENT);
	else
		set_state(core, pair, VF_PAIR_FOREIGN);
	return true;
}

/*
 * A failed step is not retried for the same VF: it would fail again. One
 * that failed for now waits for its retry time, whatever links do.
 */
static bool
held_by_failure(const struct pair *pair, const struct vf_link *vf)
{
	if (pair->state == VF_PAIR_RETRYING)
		return pair->retry_at != 0;
	return pair->state == VF_PAIR_FAILED &&
	       (vf != NULL ? vf->ifindex : 0) == pair->failed_vf;
}

/*
 * A master created but not yet marked (a crash between the two): the
 * name we would give it, the pair's MAC, active-backup, the pair's
 * ports alone. The build adopts it: creating it again fails for good.
 */
static const struct vf_link *
find_unmarked_master(const struct vf_core *core, const struct vf_link *s)
{
	char name[VF_IFNAMSIZ];

	if (!vf_master_name(core->conf.master_name, s, name))
		return NULL;
	for (size_t i = 0; i < core->n_links; i++) {
		const struct vf_link *link = &core->links[i];

		if (link->cls == VF_LINK_FAILOVER && link->alias[0] == '\0' &&
		    strcmp(link->name, name) == 0 && same_mac(link, s) &&
		    link->active_backup && ports_are_the_pairs(core, s, link))
			return link;
	}
	return NULL;
}

/*
 * Without a VF, a master over the synthetic NIC alone, if the config
 * asks: the VF joins it when it comes. Not where the kernel will run
 * the failover itself once a VF comes.
 */
static void
reconcile_without_vf(struct vf_core *core, struct pair *pair,
		     const struct vf_link *s)
{
	pair->delayed_vf = 0;
	if (!core->conf.master_before_vf || s->kernel_failover) {
		set_state(core, pair, VF_PAIR_SOLO);
		return;
	}
	if (held_by_failure(pair, NULL))
		return;
	queue_build(core, pair, find_unmarked_master(core, s));
}

/* A build over the synthetic NIC alone, the VF left for later. */
static void
queue_build_alone(struct vf_core *core, struct pair *pair,
		  const struct vf_link *s)
{
	struct vf_action *act;

	if (!core->conf.master_before_vf || s->kernel_failover)
		return;
	queue_build(core, pair, find_unmarked_master(core, s));
	if (!pair->pending)
		return;
	act = &core->queue[core->q_len - 1];
	act->vf = 0;
	act->vf_name[0] = '\0';
}

static void
reconcile_without_master(struct vf_core *core, struct pair *pair,
			 const struct vf_link *s, const struct vf_link *vf)
{
	/* Nothing to do until the manager has built it. */
	if (core->conf.manager_builds_master) {
		pair->delayed_vf = 0;
		set_state(core, pair, VF_PAIR_SOLO);
		return;
	}
	if (vf == NULL) {
		reconcile_without_vf(core, pair, s);
		return;
	}
	if (held_by_failure(pair, vf))
		return;
	/* At boot the VF is often there but not ready: the master must
	 * not wait for it, the network manager is about to start. */
	if (delaying(core, pair, s, vf)) {
		queue_build_alone(core, pair, s);
		return;
	}
	queue_build(core, pair, find_unmarked_master(core, s));
}

/* The preferred port is the VF, or the backend cannot tell. */
static bool
vf_is_primary(const struct vf_link *master, const struct vf_link *vf)
{
	return master->primary == VF_PRIMARY_UNKNOWN ||
	       master->primary == vf->ifindex;
}

/*
 * The build is whole: the master is up, holds the VF and prefers it.
 * A step that has just finished it is believed, so that a notification
 * the kernel does not send cannot make it run again and again.
 */
static bool
built(const struct pair *pair, const struct vf_link *master,
      const struct vf_link *vf)
{
	if (vf->master != master->ifindex)
		return false;
	return pair->done_vf == vf->ifindex ||
	       (master->up && vf_is_primary(master, vf));
}

/* A port of the pair's master that holds an address, or NULL. */
static const struct vf_link *
port_with_address(const struct vf_core *core, const struct pair *pair)
{
	const int ports[] = { pair->synthetic, pair->vf };

	for (size_t i = 0; pair->master != 0 && i < 2; i++) {
		const struct vf_link *p = vf_core_link(core, ports[i]);

		if (p != NULL && p->master == pair->master && p->has_ip)
			return p;
	}
	return NULL;
}

/* Such a port is cleared, now and then (observe set pair's links). */
static void
clear_ports(struct vf_core *core, struct pair *pair)
{
	const struct vf_link *p = port_with_address(core, pair);
	struct vf_action *act;

	if (p == NULL || (pair->cleared_at != 0 &&
			  core->now < pair->cleared_at + VF_CLEAR_EVERY_MS))
		return;
	queue_action(core, pair, VF_ACT_CLEAR_PORT);
	if (!pair->pending)
		return;
	act = &core->queue[core->q_len - 1];
	act->port = p->ifindex;
	snprintf(act->port_name, VF_IFNAMSIZ, "%s", p->name);
	pair->cleared_at = core->now;
}

/* When a port still holding an address is to be cleared again; 0: not. */
static uint64_t
clear_due(const struct vf_core *core, const struct pair *pair)
{
	if (pair->cleared_at == 0 ||
	    (pair->state != VF_PAIR_ACTIVE && pair->state != VF_PAIR_VF_GONE))
		return 0;
	if (port_with_address(core, pair) == NULL)
		return 0;
	return pair->cleared_at + VF_CLEAR_EVERY_MS;
}

static void
reconcile_with_master(struct vf_core *core, struct pair *pair,
		      const struct vf_link *s, const struct vf_link *vf,
		      const struct vf_link *master)
{
	bool vf_in_master = vf != NULL && vf->master == master->ifindex;

	if (s->master != master->ifindex) {
		if (held_by_failure(pair, vf))
			return;
		/* Half-built (a crash, a VF that changed): finish the build
		 * first; addresses never go to a master without the VF. */
		if (vf != NULL && !built(pair, master, vf)) {
			if (!delaying(core, pair, s, vf))
				queue_build(core, pair, master);
			else if (core->conf.master_before_vf &&
				 vf->master != master->ifindex)
				/* Built alone: take the NIC in, the VF
				 * joins once its delay is over. */
				queue_action(core, pair, VF_ACT_TAKEOVER);
			return;
		}
		/* Built, not taken over: wait (bounded) for the VF's link. */
		if (pair->state != VF_PAIR_VF_WAIT) {
			pair->wait_until =
			    core->now + (uint64_t)core->conf.carrier_wait_ms;
			set_state(core, pair, VF_PAIR_VF_WAIT);
		}
		if (master->carrier || !vf_in_master ||
		    core->now >= pair->wait_until)
			queue_action(core, pair, VF_ACT_TAKEOVER);
		return;
	}
	if (vf == NULL) {
		pair->delayed_vf = 0;
		set_state(core, pair, VF_PAIR_VF_GONE);
		clear_ports(core, pair);
		return;
	}
	if (vf_in_master && built(pair, master, vf)) {
		set_state(core, pair, VF_PAIR_ACTIVE);
		clear_ports(core, pair);
		return;
	}
	/* The manager enslaves the VF of a master it built; the engine
	 * only makes it primary once it is in. No deadline: it is the
	 * manager's to do. */
	if (!vf_in_master && core->conf.manager_builds_master &&
	    master->alias[0] == '\0') {
		pair->delayed_vf = 0;
		pair->delay_until = 0;
		set_state(core, pair, VF_PAIR_VF_DELAY);
		return;
	}
	/* A VF in the master but not preferred, or the master down: the
	 * enslave step finishes it; it is not a new VF to wait for. */
	if (held_by_failure(pair, vf) ||
	    (!vf_in_master && delaying(core, pair, s, vf)))
		return;
	queue_action(core, pair, VF_ACT_ENSLAVE_VF);
}

static void
reconcile(struct vf_core *core, struct pair *pair)
{
	const struct vf_link *s = find_link(core, pair->synthetic);
	const struct vf_link *master, *vf;
	const struct vf_iface_conf *ic;
	const char *why;

	if (s == NULL || pair->pending)
		return;
	if (core->only != 0 && core->only != pair->synthetic)
		return;
	master = find_master(core, s, &why);
	vf = find_vf(core, s, master);
	observe(core, pair, vf, master);
	ic = vf_config_iface(&core->conf, s);
	if (ic != NULL && ic->ignore) {
		set_state(core, pair, VF_PAIR_IGNORED);
		return;
	}
	/* Not "first wins": an error to show until the claims are settled. */
	pair->conflict = why;
	if (why != NULL) {
		set_state(core, pair, VF_PAIR_CONFLICT);
		return;
	}
	if (!s->ready || hands_off(core, pair, s, vf, master))
		return;
	if (master == NULL)
		reconcile_without_master(core, pair, s, vf);
	else
		reconcile_with_master(core, pair, s, vf, master);
}

static void
add_pair(struct vf_core *core, const struct vf_link *link)
{
	struct pair *pair;

	if (!grow((void **)&core->pairs, &core->cap_pairs, core->n_pairs + 1,
		  sizeof(*core->pairs)))
		return;
	pair = &core->pairs[core->n_pairs++];
	memset(pair, 0, sizeof(*pair));
	pair->synthetic = link->ifindex;
	memcpy(pair->mac, link->mac, VF_MACLEN);
	pair->state = VF_PAIR_SOLO;
	pair->since_ms = core->now;
}

static void
remove_pair(struct vf_core *core, struct pair *pair)
{
	size_t i = (size_t)(pair - core->pairs);

	memmove(pair, pair + 1, (core->n_pairs - i - 1) * sizeof(*pair));
	core->n_pairs--;
}

/*
 * Which pairs a change of this link can concern: its own, any whose
 * synthetic NIC shares its MAC or is its master's port, and any whose
 * MAC its master has (a port of a master we may adopt came or went).
 */
static void
reconcile_related(struct vf_core *core, const struct vf_link *link,
		  const uint8_t mac[VF_MACLEN])
{
	const struct vf_link *up = vf_core_link(core, link->master);

	for (size_t i = 0; i < core->n_pairs; i++) {
		struct pair *pair = &core->pairs[i];

		if (pair->synthetic == link->ifindex ||
		    pair->vf == link->ifindex ||
		    pair->master == link->ifindex ||
		    memcmp(pair->mac, mac, VF_MACLEN) == 0 ||
		    (up != NULL && memcmp(pair->mac, up->mac, VF_MACLEN) == 0))
			reconcile(core, pair);
	}
}

void
vf_core_link_update(struct vf_core *core, const struct vf_link *link,
		    uint64_t now_ms)
{
	struct vf_link *slot = find_link(core, link->ifindex);
	struct pair *pair;
	uint8_t old_mac[VF_MACLEN];

	core->now = now_ms;
	if (slot == NULL) {
		if (!grow((void **)&core->links, &core->cap_links,
			  core->n_links + 1, sizeof(*core->links)))
			return;
		slot = &core->links[core->n_links++];
		*slot = *link;
		if (core->n_links * 2 > core->index_cap) {
			if (!index_rebuild(core)) {
				core->n_links--;
				return;
			}
		} else {
			index_put(core, core->n_links - 1);
		}
		memcpy(old_mac, link->mac, VF_MACLEN);
	} else {
		memcpy(old_mac, slot->mac, VF_MACLEN);
	}
	*slot = *link;
	slot->name[VF_IFNAMSIZ - 1] = '\0';
	pair = find_pair(core, link->ifindex);
	if (pair == NULL && is_synthetic(core, slot))
		add_pair(core, slot);
	else if (pair != NULL && !is_synthetic(core, slot))
		remove_pair(core, pair);
	else if (pair != NULL)
		memcpy(pair->mac, slot->mac, VF_MACLEN);
	reconcile_related(core, slot, slot->mac);
	if (memcmp(old_mac, slot->mac, VF_MACLEN) != 0)
		reconcile_related(core, slot, old_mac);
}

void
vf_core_link_remove(struct vf_core *core, int ifindex, uint64_t now_ms)
{
	struct vf_link *slot = find_link(core, ifindex);
	struct pair *pair = find_pair(core, ifindex);
	struct vf_link gone;

	core->now = now_ms;
	if (slot == NULL)
		return;
	gone = *slot;
	*slot = core->links[--core->n_links];
	/* Same size or smaller: rebuilding in place cannot fail. */
	memset(core->index, 0, core->index_cap * sizeof(*core->index));
	for (size_t i = 0; i < core->n_links; i++)
		index_put(core, i);
	if (pair != NULL)
		remove_pair(core, pair);
	reconcile_related(core, &gone, gone.mac);
}

void
vf_core_tick(struct vf_core *core, uint64_t now_ms)
{
	core->now = now_ms;
	for (size_t i = 0; i < core->n_pairs; i++) {
		struct pair *pair = &core->pairs[i];
		bool due =
		    (pair->state == VF_PAIR_VF_DELAY &&
		     pair->delay_until != 0 && now_ms >= pair->delay_until) ||
		    (pair->state == VF_PAIR_VF_WAIT &&
		     now_ms >= pair->wait_until) ||
		    (pair->state == VF_PAIR_RETRYING && pair->retry_at != 0 &&
		     now_ms >= pair->retry_at);
		uint64_t clear_at = clear_due(core, pair);

		due = due || (clear_at != 0 && now_ms >= clear_at);

		if (due && pair->state == VF_PAIR_RETRYING)
			pair->retry_at = 0;
		if (due)
			reconcile(core, pair);
	}
}

void
vf_core_resync_failed(struct vf_core *core, uint64_t now_ms)
{
	core->now = now_ms;
	if (core->resync_fails < VF_RETRY_TRIES)
		core->resync_fails++;
	core->resync_at = now_ms + vf_retry_delay_ms(core->resync_fails);
}

void
vf_core_resync_done(struct vf_core *core)
{
	core->resync_fails = 0;
	core->resync_at = 0;
}

bool
vf_core_resync_due(const struct vf_core *core, uint64_t now_ms)
{
	return core->resync_at != 0 && now_ms >= core->resync_at;
}

uint64_t
vf_core_resync_at(const struct vf_core *core)
{
	return core->resync_at;
}

uint64_t
vf_core_next_deadline(const struct vf_core *core)
{
	uint64_t next = core->resync_at;

	for (size_t i = 0; i < core->n_pairs; i++) {
		const struct pair *pair = &core->pairs[i];
		uint64_t t = 0;

		if (pair->pending)
			continue;
		if (pair->state == VF_PAIR_VF_DELAY)
			t = pair->delay_until;
		else if (pair->state == VF_PAIR_VF_WAIT)
			t = pair->wait_until;
		else if (pair->state == VF_PAIR_RETRYING)
			t = pair->retry_at;
		else
			t = clear_due(core, pair);
		if (t != 0 && (next == 0 || t < next))
			next = t;
	}
	return next;
}

/*
 * Links come in one at a time, a dump in no order of ours: a build
 * decided before the master it must finish was seen is pointed at it
 * when handed out, rather than creating a second one.
 */
/*
 * A build decided without a VF (the synthetic NIC was read first, at a
 * start) takes one that is there and ready by the time it is handed
 * out: one step, not a master built twice.
 */
static void
take_ready_vf(const struct vf_core *core, const struct vf_link *s,
	      struct vf_action *act)
{
	const struct vf_link *vf;

	if (act->vf != 0 || act->master != 0)
		return;
	vf = find_vf(core, s, NULL);
	if (vf == NULL || !vf->ready || vf->master != 0 ||
	    vf_delay_ms(core, s, vf) > 0 || kernel_runs_failover(s, vf))
		return;
	act->vf = vf->ifindex;
	snprintf(act->vf_name, VF_IFNAMSIZ, "%s", vf->name);
}

static void
refresh_build(const struct vf_core *core, struct vf_action *act)
{
	const struct vf_link *s = find_link(core, act->synthetic);
	const struct vf_link *m;
	const char *why;

	if (act->type != VF_ACT_BUILD_MASTER || s == NULL)
		return;
	take_ready_vf(core, s, act);
	if (act->master != 0)
		return;
	m = find_own_master(core, s, &why);
	if (m == NULL && why == NULL)
		m = find_unmarked_master(core, s);
	if (m == NULL)
		return;
	act->master = m->ifindex;
	snprintf(act->master_name, VF_IFNAMSIZ, "%s", m->name);
}

bool
vf_core_next_action(struct vf_core *core, struct vf_action *out)
{
	if (core->q_head == core->q_len) {
		core->q_head = core->q_len = 0;
		return false;
	}
	*out = core->queue[core->q_head++];
	refresh_build(core, out);
	return true;
}

bool
vf_core_next_hook(struct vf_core *core, struct vf_hook_event *out)
{
	if (core->h_head == core->h_len) {
		core->h_head = core->h_len = 0;
		return false;
	}
	*out = core->hooks[core->h_head++];
	return true;
}

static const char *
success_hook(enum vf_action_type type)
{
	switch (type) {
	case VF_ACT_BUILD_MASTER:
		return "master-built";
	case VF_ACT_TAKEOVER:
		return "takeover";
	case VF_ACT_ENSLAVE_VF:
		return "vf-joined";
	default:
		return NULL;
	}
}

/*
 * Errors of the moment, not of the request: no ack in time (ETIMEDOUT),
 * a dump changed under us or a call interrupted (EINTR), a device or the
 * kernel busy (EBUSY, EAGAIN), buffers short (ENOBUFS). Anything else
 * (EINVAL, EOPNOTSUPP, ENETUNREACH, EPERM...) says the request itself
 * cannot be done as things are: a retry would fail the same way.
 */
bool
vf_error_transient(int error)
{
	switch (error) {
	case ETIMEDOUT:
	case EINTR:
	case EBUSY:
	case ENOBUFS:
	case EAGAIN:
		return true;
	default:
		return false;
	}
}

uint64_t
vf_retry_delay_ms(unsigned n)
{
	uint64_t ms = VF_RETRY_FIRST_MS;

	for (; n > 1 && ms < VF_RETRY_CAP_MS; n--)
		ms *= 2;
	return ms < VF_RETRY_CAP_MS ? ms : VF_RETRY_CAP_MS;
}

/* Retried at a time if the error is of the moment and tries are left. */
static void
fail_or_retry(struct vf_core *core, struct pair *pair,
	      const struct vf_action *act, int error)
{
	pair->last_error = error;
	pair->last_failed = act->type;
	if (pair->retry_vf != pair->vf) {
		pair->retries = 0;
		pair->retry_vf = pair->vf;
	}
	if (vf_error_transient(error) && pair->retries < VF_RETRY_TRIES) {
		pair->retries++;
		pair->retry_at = core->now + vf_retry_delay_ms(pair->retries);
		set_state(core, pair, VF_PAIR_RETRYING);
		return;
	}
	pair->retry_at = 0;
	pair->failed_vf = pair->vf;
	set_state(core, pair, VF_PAIR_FAILED);
	queue_hook(core, pair, "failed");
	/* Undone, the takeover leaves the build's copies: both NICs would
	 * hold the addresses until a restart. */
	if (act->type == VF_ACT_TAKEOVER && pair->master != 0)
		queue_action(core, pair, VF_ACT_WITHDRAW);
}

void
vf_core_action_done(struct vf_core *core, const struct vf_action *act,
		    int error, uint64_t now_ms)
{
	struct pair *pair = find_pair(core, act->synthetic);

	core->now = now_ms;
	if (pair == NULL)
		return;
	pair->pending = false;
	/* Not the pair's step: its failure is logged, the pair stays. */
	if (act->type == VF_ACT_CLEAR_PORT) {
		reconcile(core, pair);
		return;
	}
	if (act->type == VF_ACT_WITHDRAW) {
		/* Still failed, for the takeover; the log has the rest. A
		 * new VF seen meanwhile is worth a new try. */
		reconcile(core, pair);
		return;
	}
	/* The VF left while its step ran: gone, as the seed says, not a
	 * failure to hold the pair in. */
	if (error != 0 && act->vf != 0 && find_link(core, act->vf) == NULL) {
		reconcile(core, pair);
		return;
	}
	if (error != 0) {
		fail_or_retry(core, pair, act, error);
		return;
	}
	pair->last_error = 0;
	pair->retries = 0;
	pair->why[0] = '\0';
	if (act->type == VF_ACT_BUILD_MASTER)
		pair->master = act->master;
	if (act->type != VF_ACT_TAKEOVER)
		pair->done_vf = act->vf;
	queue_hook(core, pair, success_hook(act->type));
	reconcile(core, pair);
}

void
vf_core_action_why(struct vf_core *core, const struct vf_action *act,
		   const char *why)
{
	struct pair *pair = find_pair(core, act->synthetic);

	/* A clear is not the pair's step: its words are the log's. */
	if (act->type == VF_ACT_CLEAR_PORT)
		return;
	if (pair != NULL && pair->last_error != 0)
		snprintf(pair->why, sizeof(pair->why), "%s", why);
}

size_t
vf_core_pair_count(const struct vf_core *core)
{
	return core->n_pairs;
}

static void
copy_name(const struct vf_core *core, int ifindex, char out[VF_IFNAMSIZ])
{
	const struct vf_link *link = vf_core_link(core, ifindex);

	snprintf(out, VF_IFNAMSIZ, "%s", link != NULL ? link->name : "");
}

bool
vf_core_pair_of_vf(const struct vf_core *core, int vf_ifindex, size_t *index)
{
	for (size_t i = 0; i < core->n_pairs; i++) {
		const struct vf_link *s =
		    find_link(core, core->pairs[i].synthetic);
		const char *why;
		const struct vf_link *vf;

		if (s == NULL)
			continue;
		vf = find_vf(core, s, find_master(core, s, &why));
		if (vf != NULL && vf->ifindex == vf_ifindex) {
			*index = i;
			return true;
		}
	}
	return false;
}

/*
 * An address on a port of the master is dead: replies to it are taken
 * by the master. Whichever manager put it there is misconfigured. A
 * port taken down (by a manager giving the NIC up, say) leaves the
 * master without it. Only where both are settled ports.
 */
static const char *
port_fault_of(const struct pair *pair, const struct vf_link *p)
{
	if (p == NULL || p->master != pair->master)
		return NULL;
	if (p->has_ip)
		return "has an address";
	if (!p->up &&
	    (pair->state == VF_PAIR_ACTIVE || pair->state == VF_PAIR_VF_GONE))
		return "is down";
	return NULL;
}

static bool
port_fault(const struct vf_core *core, const struct pair *pair, char *why,
	   size_t len)
{
	const int ports[] = { pair->synthetic, pair->vf };

	if (pair->master == 0)
		return false;
	for (size_t i = 0; i < 2; i++) {
		const struct vf_link *p = vf_core_link(core, ports[i]);
		const char *fault = port_fault_of(pair, p);

		if (fault == NULL)
			continue;
		if (why != NULL)
			snprintf(why, len, "%s %s, as a port", p->name, fault);
		return true;
	}
	return false;
}

bool
vf_core_pair_status(const struct vf_core *core, size_t i,
		    struct vf_pair_status *out)
{
	const struct pair *pair;
	const struct vf_link *s, *m;

	if (i >= core->n_pairs)
		return false;
	pair = &core->pairs[i];
	s = find_link(core, pair->synthetic);
	m = vf_core_link(core, pair->master);
	memset(out, 0, sizeof(*out));
	out->state = pair->state;
	out->synthetic = pair->synthetic;
	out->vf = pair->vf;
	out->master = pair->master;
	out->active = m != NULL ? m->active_slave : 0;
	copy_name(core, out->synthetic, out->synthetic_name);
	copy_name(core, out->vf, out->vf_name);
	copy_name(core, out->master, out->master_name);
	copy_name(core, out->active, out->active_name);
	if (s != NULL)
		memcpy(out->mac, s->mac, VF_MACLEN);
	out->failovers = pair->failovers;
	out->vf_arrivals = pair->vf_arrivals;
	out->vf_losses = pair->vf_losses;
	out->since_ms = pair->since_ms;
	out->vf_seen_ms = pair->vf_seen_ms;
	out->vf_lost_ms = pair->vf_lost_ms;
	out->last_error = pair->last_error;
	memcpy(out->last_why, pair->why, sizeof(out->last_why));
	out->retries = pair->retries;
	if (pair->state == VF_PAIR_RETRYING)
		out->retry_at_ms = pair->retry_at;
	out->conflict = pair->state == VF_PAIR_CONFLICT ? pair->conflict : NULL;
	port_fault(core, pair, out->degraded, sizeof(out->degraded));
	if (pair->last_error != 0)
		snprintf(out->last_failed, sizeof(out->last_failed), "%s",
			 vf_action_name(pair->last_failed));
	return true;
}

bool
vf_core_next_change(struct vf_core *core, size_t *cursor,
		    struct vf_pair_status *out)
{
	for (; *cursor < core->n_pairs; (*cursor)++) {
		struct pair *pair = &core->pairs[*cursor];

		bool fault = port_fault(core, pair, NULL, 0);

		const struct vf_link *s = find_link(core, pair->synthetic);
		bool ready = s != NULL && s->ready;
		const char *name = s != NULL ? s->name : "";

		if (pair->told && pair->told_state == pair->state &&
		    pair->told_active == pair->last_active &&
		    pair->told_vf == pair->vf && pair->told_degraded == fault &&
		    pair->told_ready == ready &&
		    strcmp(pair->told_name, name) == 0)
			continue;
		pair->told = true;
		pair->told_degraded = fault;
		pair->told_ready = ready;
		snprintf(pair->told_name, sizeof(pair->told_name), "%s", name);
		pair->told_state = pair->state;
		pair->told_active = pair->last_active;
		pair->told_vf = pair->vf;
		return vf_core_pair_status(core, (*cursor)++, out);
	}
	return false;
}

/* The synthetic NIC is where the network manager must find it. */
static bool
placed(const struct vf_core *core, const struct pair *pair,
       const struct vf_link *s)
{
	if (pair->pending)
		return false;
	/* A manager that builds the master starts after us. */
	if (!core->conf.master_before_vf || core->conf.manager_builds_master)
		return true;
	switch (pair->state) {
	case VF_PAIR_SOLO: /* the kernel pairs it, or ignored */
	case VF_PAIR_TRANSPARENT:
	case VF_PAIR_FOREIGN:
	case VF_PAIR_IGNORED:
	case VF_PAIR_FAILED:
	case VF_PAIR_CONFLICT:
		return true;
	default:
		return pair->master != 0 && s->master == pair->master;
	}
}

bool
vf_core_boot_ready(const struct vf_core *core)
{
	for (size_t i = 0; i < core->n_pairs; i++) {
		const struct pair *pair = &core->pairs[i];
		const struct vf_link *s = vf_core_link(core, pair->synthetic);

		if (s == NULL ||
		    (core->only != 0 && pair->synthetic != core->only))
			continue;
		if (!s->ready || !placed(core, pair, s))
			return false;
	}
	return true;
}

bool
vf_core_settled(const struct vf_core *core)
{
	if (core->q_head != core->q_len || core->h_head != core->h_len ||
	    core->resync_at != 0)
		return false;
	for (size_t i = 0; i < core->n_pairs; i++) {
		const struct pair *pair = &core->pairs[i];

		if (core->only != 0 && pair->synthetic != core->only)
			continue;
		if (pair->pending || pair->state == VF_PAIR_VF_DELAY ||
		    pair->state == VF_PAIR_VF_WAIT ||
		    pair->state == VF_PAIR_RETRYING)
			return false;
	}
	return true;
}
