/* SPDX-License-Identifier: MIT */
/*
 * The daemon shell: kernel events and the clock go into the engine, its
 * actions go to the OS backend, hooks and the control socket hang off the
 * same loop. Nothing here decides anything.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "core/plan.h"
#include "daemon.h"
#include "describe.h"
#include "eloop.h"
#include "fault.h"
#include "hooks.h"
#include "log.h"
#include "netconf/netconf.h"
#include "netconf/reload.h"
#include "notify.h"
#include "os/if.h"
#include "os/privs.h"
#include "statusjson.h"

/* The longest READY=1 waits for every synthetic NIC to be in its master. */
#define READY_WAIT_MS 10000

struct daemon {
	const struct vf_daemon_opts *opts;
	const struct vf_config *conf;
	struct vf_core *core;
	struct vf_if *ifs;
	const struct vf_prims *prims; /* the backend's, or faulty ones */
	void *prims_os;
	struct vf_fault fault;
	struct eloop *loop;
	struct hooks *hooks;
	struct control *ctl;
	struct vf_netconf netconf;
	bool manager_builds; /* decided once, at start: the engine's too */
	uint64_t give_up_at;
	/*
	 * READY=1 waits (until then at most) for every synthetic NIC to be
	 * in its master: the network manager starts once we are ready, and
	 * must find it there.
	 */
	uint64_t ready_by;
	struct vf_counters counters;
};

static void
on_link(void *arg, const struct vf_link *link)
{
	struct daemon *d = arg;

	d->counters.events++;
	vf_core_link_update(d->core, link, eloop_now_ms());
}

static void
on_gone(void *arg, int ifindex)
{
	struct daemon *d = arg;

	d->counters.events++;
	vf_core_link_remove(d->core, ifindex, eloop_now_ms());
}

/* After lost events: dump again and forget links the dump did not show. */
static void
resync(struct daemon *d, const char *why)
{
	size_t n = vf_core_link_count(d->core);
	int *known = calloc(n + 1, sizeof(*known));

	d->counters.resyncs++;
	vf_log(LOG_WARNING, "%s; reading all links again", why);
	for (size_t i = 0; known != NULL && i < n; i++)
		known[i] = vf_core_link_at(d->core, i)->ifindex;
	if (vf_if_dump(d->ifs, on_link, d) < 0) {
		/* Still blind: the engine says when to read again. */
		vf_core_resync_failed(d->core, eloop_now_ms());
		vf_log(LOG_ERR, "%s; again in %llu ms", vf_if_error(d->ifs),
		       (unsigned long long)(vf_core_resync_at(d->core) -
					    eloop_now_ms()));
		free(known);
		return;
	}
	vf_core_resync_done(d->core);
	for (size_t i = 0; known != NULL && i < n; i++) {
		int ifindex = known[i];

		if (vf_if_refresh(d->ifs, ifindex, on_link, on_gone, d) < 0)
			vf_log(LOG_DEBUG, "%s", vf_if_error(d->ifs));
	}
	free(known);
}

static void
drain_events(struct daemon *d)
{
	int ret = vf_if_read_events(d->ifs, on_link, on_gone, d);

	if (ret == -ENOBUFS)
		resync(d, "kernel events were lost");
	else if (ret < 0)
		vf_log(LOG_ERR, "%s", vf_if_error(d->ifs));
}

/* What a plan leaves alone and why: worth a line, not a failure. */
static void
on_note(void *arg, const char *line)
{
	const struct vf_action *act = arg;

	vf_log(LOG_WARNING, "%s: %s", act->synthetic_name, line);
}

/*
 * A master only where the manager will configure it, not the NIC; and
 * the manager learns how before the master appears.
 */
static int
before_build(struct daemon *d, const struct vf_action *act, char *err,
	     size_t errlen)
{
	const struct vf_link *s = vf_core_link(d->core, act->synthetic);
	char why[VF_PATHSIZ + 128];
	int rc;

	if (act->type != VF_ACT_BUILD_MASTER || s == NULL)
		return 0;
	if ((rc = vf_netconf_check(&d->netconf, s, err, errlen)) < 0)
		return rc;
	if (act->master != 0 || d->opts->dry_run)
		return 0;
	if (vf_netconf_prepare(&d->netconf, s, act->master_name, why,
			       sizeof(why)) < 0)
		vf_log(LOG_WARNING,
		       "%s: the network manager is not ready "
		       "for %s: %s",
		       s->name, act->master_name, why);
	return 0;
}

static void
apply(struct daemon *d, struct vf_action *act)
{
	struct vf_plan_env env = { d->prims, d->prims_os, on_note, act, "" };
	char what[128];
	int ret;

	vf_describe_action(act, VF_DESCRIBE_LOG, d->conf, what, sizeof(what));
	d->counters.actions++;
	ret = before_build(d, act, env.err, sizeof(env.err));
	if (ret < 0) {
		vf_log(LOG_WARNING, "%s: %s", act->synthetic_name, env.err);
		vf_core_action_done(d->core, act, -ret, eloop_now_ms());
		vf_core_action_why(d->core, act, env.err);
		return;
	}
	if (d->opts->dry_run) {
		vf_log(LOG_INFO, "%s: would be %s", act->synthetic_name, what);
		/* A pair's steps: it stays pending, one recorded each. A
		 * clear is not one: the pair goes on being followed. */
		if (act->type == VF_ACT_CLEAR_PORT)
			vf_core_action_done(d->core, act, 0, eloop_now_ms());
		return;
	}
	vf_log(LOG_INFO, "%s: %s", act->synthetic_name, what);
	ret = vf_plan_run(&env, act);
	if (ret < 0)
		vf_log(LOG_ERR, "%s: %s", act->synthetic_name, env.err);
	/* Our own changes are queued before the ack: take them in now. */
	drain_events(d);
	vf_core_action_done(d->core, act, ret < 0 ? -ret : 0, eloop_now_ms());
	if (ret < 0)
		vf_core_action_why(d->core, act, env.err);
}

/* Whether the link is a port of a master of that name. */
static bool
in_master_named(struct daemon *d, const struct vf_link *l, const char *name)
{
	const struct vf_link *m =
	    l != NULL ? vf_core_link(d->core, l->master) : NULL;

	return m != NULL && strcmp(m->name, name) == 0;
}

/*
 * Where the manager builds the master, it learns how as soon as the
 * NIC is seen (at boot, before it starts) and a NIC it configures
 * itself moves into the master. Checked on every change of the pair.
 */
static void
hand_over(struct daemon *d, const struct vf_pair_status *st,
	  const struct vf_link *s)
{
	const struct vf_link *vf = vf_core_link(d->core, st->vf);
	char err[VF_PATHSIZ + 128], name[VF_IFNAMSIZ];
	int rc;

	/* Its name may change until udev is done: profiles follow it. */
	if (!s->ready || !vf_master_name(d->conf->master_name, s, name))
		return;
	/* Foreign only while NM is half-way, into a bond of our name. */
	if (st->state == VF_PAIR_FOREIGN && !in_master_named(d, s, name) &&
	    !in_master_named(d, vf, name))
		return;
	if (st->state != VF_PAIR_SOLO && st->state != VF_PAIR_VF_DELAY &&
	    st->state != VF_PAIR_ACTIVE && st->state != VF_PAIR_VF_GONE &&
	    st->state != VF_PAIR_FOREIGN)
		return;
	rc = vf_netconf_hand_over(&d->netconf, s, vf, name, err, sizeof(err));
	if (rc < 0)
		vf_log(LOG_ERR, "%s: NetworkManager does not build %s: %s",
		       s->name, name, err);
	else if (rc > 0)
		vf_log(LOG_INFO, "%s: NetworkManager builds %s over it",
		       s->name, name);
}

/*
 * A master that holds the synthetic NIC stands for it: the network
 * manager's configuration goes there. Checked on every change of the
 * pair (a restart adopting it is one), cheap when all is in place.
 */
static void
follow_master(struct daemon *d, const struct vf_pair_status *st)
{
	const struct vf_link *s = vf_core_link(d->core, st->synthetic);
	const struct vf_link *m = vf_core_link(d->core, st->master);
	char err[VF_PATHSIZ + 128];
	int rc;

	if (d->opts->dry_run || s == NULL)
		return;
	if (d->manager_builds) {
		hand_over(d, st, s);
		return;
	}
	if (m == NULL ||
	    (st->state != VF_PAIR_ACTIVE && st->state != VF_PAIR_VF_GONE))
		return;
	rc = vf_netconf_follow(&d->netconf, s, m, err, sizeof(err));
	if (rc < 0)
		vf_log(LOG_ERR,
		       "%s: the network manager does not follow %s: %s",
		       s->name, m->name, err);
	else if (rc > 0)
		vf_log(LOG_INFO, "%s: the network manager now configures %s",
		       s->name, m->name);
}

/* One line per change a person watching the log cares about. */
static void
report_changes(struct daemon *d)
{
	struct vf_pair_status st;
	size_t cursor = 0;
	char line[256];

	while (vf_core_next_change(d->core, &cursor, &st)) {
		vf_describe_pair(&st, line, sizeof(line));
		vf_log(LOG_INFO, "%s: %s", st.synthetic_name, line);
		follow_master(d, &st);
	}
}

/* Hooks never wait, and are not run in a dry run. */
static void
run_hooks(struct daemon *d)
{
	struct vf_hook_event ev;

	while (vf_core_next_hook(d->core, &ev))
		if (!d->opts->dry_run)
			hooks_run(d->hooks, &ev, eloop_now_ms());
}

static void on_timer(void *arg);

static void
step(struct daemon *d)
{
	struct vf_action act;
	uint64_t next, h;

	/* Each action's hooks start before the next action is made. */
	for (;;) {
		run_hooks(d);
		if (!vf_core_next_action(d->core, &act))
			break;
		apply(d, &act);
	}
	report_changes(d);
	if (d->ready_by != 0 &&
	    (d->opts->dry_run || vf_core_boot_ready(d->core) ||
	     eloop_now_ms() >= d->ready_by)) {
		d->ready_by = 0;
		notify_ready();
	}
	if (d->opts->exit_when_settled && vf_core_settled(d->core) &&
	    hooks_running(d->hooks) == 0) {
		eloop_exit(d->loop, 0);
		return;
	}
	next = vf_core_next_deadline(d->core);
	h = hooks_next_deadline(d->hooks);
	if (h != 0 && (next == 0 || h < next))
		next = h;
	if (d->give_up_at != 0 && (next == 0 || d->give_up_at < next))
		next = d->give_up_at;
	if (d->ready_by != 0 && (next == 0 || d->ready_by < next))
		next = d->ready_by;
	next = notify_watchdog(eloop_now_ms(), next);
	eloop_timer(d->loop, next, on_timer, d);
}

static void
on_timer(void *arg)
{
	struct daemon *d = arg;
	uint64_t now = eloop_now_ms();

	if (d->give_up_at != 0 && now >= d->give_up_at) {
		vf_log(LOG_ERR, "gave up waiting for the pair to settle");
		eloop_exit(d->loop, 1);
		return;
	}
	hooks_reap(d->hooks, now);
	if (vf_core_resync_due(d->core, now))
		resync(d, "the last reading failed");
	vf_core_tick(d->core, now);
	step(d);
}

static void
on_netlink(void *arg)
{
	struct daemon *d = arg;

	drain_events(d);
	step(d);
}

static void
on_signal(void *arg, int signo)
{
	struct daemon *d = arg;

	switch (signo) {
	case SIGCHLD:
		hooks_reap(d->hooks, eloop_now_ms());
		break;
	case SIGHUP:
		vf_log(LOG_WARNING, "SIGHUP: a new config needs a restart; the "
				    "network is kept");
		break;
	default:
		/* The network stays as it is: masters keep running. */
		vf_log(LOG_INFO, "signal %d: exiting, network left as it is",
		       signo);
		eloop_exit(d->loop, 0);
		return;
	}
	step(d);
}

static char *
answer(void *arg, const char *request)
{
	struct daemon *d = arg;

	if (strcmp(request, "status") != 0)
		return NULL;
	return vf_status_json(d->core, eloop_now_ms(), "daemon", &d->counters);
}

#ifdef VFBOND_FAULT_INJECTION
/* Every counted request is logged: tests learn N from a clean run. */
static void
fault_note(void *arg, unsigned n, const char *what, int err, bool die)
{
	(void)arg;
	if (die)
		vf_log(LOG_WARNING, "fault injection: request %u (%s): SIGKILL",
		       n, what);
	else if (err != 0)
		vf_log(LOG_WARNING, "fault injection: request %u (%s): %s", n,
		       what, strerror(err));
	else
		vf_log(LOG_INFO, "fault injection: request %u (%s)", n, what);
}

static void
fault_die(void *arg)
{
	(void)arg;
	raise(SIGKILL);
}

static int
fault_setup(struct daemon *d)
{
	const char *spec = getenv("VFBOND_FAULT");
	char err[160];

	if (spec == NULL || *spec == '\0')
		return 0;
	if (vf_fault_parse(&d->fault, spec, err, sizeof(err)) < 0) {
		vf_log(LOG_ERR, "%s", err);
		return -1;
	}
	d->fault.inner = d->prims;
	d->fault.os = d->prims_os;
	d->fault.note = fault_note;
	d->fault.die = fault_die;
	d->prims = vf_fault_prims();
	d->prims_os = &d->fault;
	vf_log(LOG_WARNING, "fault injection: VFBOND_FAULT=%s", spec);
	return 0;
}
#else
/* A release build never fails on purpose, whatever it is told. */
static int
fault_setup(struct daemon *d)
{
	(void)d;
	if (getenv("VFBOND_FAULT") != NULL)
		vf_log(LOG_WARNING, "VFBOND_FAULT ignored: built without "
				    "fault injection");
	return 0;
}
#endif

static const int handled_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGCHLD };

/* The backend's descriptors join the loop; any of them means "read". */
static int
watch_backend(struct daemon *d)
{
	int fds[VF_IF_MAXFDS];
	size_t n = vf_if_fds(d->ifs, fds);

	for (size_t i = 0; i < n; i++)
		if (eloop_add(d->loop, fds[i], on_netlink, d) < 0)
			return -1;
	return 0;
}

void
vf_daemon_netconf(struct vf_netconf *nc, const struct vf_config *conf)
{
	enum vf_netconf_kind kind = VF_NETCONF_AUTO;

	vf_netconf_parse_kind(conf->network_manager, &kind);
	vf_netconf_init(nc, kind);
	nc->link_check_ms = conf->link_check_ms;
#ifdef HAVE_SYSTEMD
	nc->reload = vf_networkd_reload;
	nc->nm_reload = vf_nm_bus_reload;
#endif
}

/* The engine's settings: the config, and who builds the masters. */
static struct vf_config
engine_config(const struct vf_config *conf, const struct vf_netconf *nc)
{
	struct vf_config engine = *conf;

	engine.manager_builds_master = vf_netconf_manager_builds(nc);
	return engine;
}

static int
setup(struct daemon *d, const struct vf_config *conf)
{
	struct vf_config engine;
	char err[256] = "";

	vf_daemon_netconf(&d->netconf, conf);
	engine = engine_config(conf, &d->netconf);
	d->manager_builds = engine.manager_builds_master;
	if (d->manager_builds)
		vf_log(LOG_NOTICE, "NetworkManager builds the masters");
	d->core = vf_core_new(&engine);
	d->loop = eloop_new();
	d->hooks = hooks_new(conf->hooks_dir, conf->hook_timeout_ms);
	signal(SIGPIPE, SIG_IGN);
	if (d->core == NULL || d->loop == NULL || d->hooks == NULL ||
	    eloop_signals(d->loop, handled_signals,
			  sizeof(handled_signals) / sizeof(handled_signals[0]),
			  on_signal, d) < 0) {
		vf_log(LOG_ERR, "cannot start: %s", strerror(errno));
		return -1;
	}
	vf_core_only(d->core, d->opts->only_ifindex);
	d->ifs = vf_if_open(conf, true, err, sizeof(err));
	if (d->ifs == NULL) {
		vf_log(LOG_ERR, "%s", err);
		return -1;
	}
	/* FreeBSD: whether it acts here at all (Hyper-V, transparent). */
	d->counters.backend = vf_if_note(d->ifs);
	if (d->counters.backend[0] != '\0')
		vf_log(LOG_NOTICE, "%s", d->counters.backend);
	d->prims = vf_if_prims();
	d->prims_os = d->ifs;
	if (fault_setup(d) < 0)
		return -1;
	if (d->opts->socket_path != NULL) {
		d->ctl = control_open(d->opts->socket_path, d->loop, answer, d,
				      err, sizeof(err));
		if (d->ctl == NULL) {
			vf_log(LOG_ERR, "%s", err);
			return -1;
		}
	}
	if (watch_backend(d) < 0) {
		vf_log(LOG_ERR, "cannot start the event loop");
		return -1;
	}
	/* All is open: what is left to do needs CAP_NET_ADMIN alone. */
	if (vf_privs_keep(&conf->hook_privileges, err, sizeof(err)) < 0) {
		vf_log(LOG_ERR, "%s", err);
		return -1;
	}
	if (vf_if_dump(d->ifs, on_link, d) < 0) {
		vf_log(LOG_ERR, "%s", vf_if_error(d->ifs));
		return -1;
	}
	return 0;
}

static void
teardown(struct daemon *d)
{
	control_close(d->ctl);
	if (d->ifs != NULL)
		vf_if_close(d->ifs);
	hooks_free(d->hooks);
	eloop_free(d->loop);
	vf_core_free(d->core);
}

static void
replay_one(struct daemon *d, struct vf_hook_event *ev)
{
	struct vf_pair_status st;

	for (size_t i = 0; vf_core_pair_status(d->core, i, &st); i++) {
		if (st.synthetic != ev->synthetic ||
		    strcmp(st.synthetic_name, ev->synthetic_name) != 0)
			continue;
		ev->vf = st.vf;
		ev->master = st.master;
		memcpy(ev->vf_name, st.vf_name, sizeof(ev->vf_name));
		memcpy(ev->master_name, st.master_name,
		       sizeof(ev->master_name));
		vf_log(LOG_INFO,
		       "%s: hook %s not completed before a restart: "
		       "running it again",
		       ev->synthetic_name, ev->event);
		hooks_run(d->hooks, ev, eloop_now_ms());
		return;
	}
	vf_log(LOG_INFO,
	       "%s: hook %s not completed before a restart; the "
	       "pair is gone",
	       ev->synthetic_name, ev->event);
}

/* What a crash left undone runs first, for the pairs found again. */
static void
replay_hooks(struct daemon *d)
{
	struct vf_hook_event left[HOOKS_PENDING_MAX];
	size_t n;

	if (d->opts->hook_state == NULL || d->opts->dry_run)
		return;
	n = hooks_keep_state(d->hooks, d->opts->hook_state, left);
	for (size_t i = 0; i < n; i++)
		replay_one(d, &left[i]);
}

static bool
any_failed(const struct vf_core *core, int only)
{
	struct vf_pair_status st;

	for (size_t i = 0; vf_core_pair_status(core, i, &st); i++)
		if ((only == 0 || st.synthetic == only) &&
		    (st.state == VF_PAIR_FAILED ||
		     st.state == VF_PAIR_CONFLICT))
			return true;
	return false;
}

int
vf_daemon_run(const struct vf_config *conf, const struct vf_daemon_opts *opts)
{
	struct daemon d = { .opts = opts, .conf = conf };
	int ret = 1;

	if (setup(&d, conf) == 0) {
		if (opts->timeout_ms > 0)
			d.give_up_at =
			    eloop_now_ms() + (uint64_t)opts->timeout_ms;
		vf_log(LOG_INFO, "started: %zu synthetic NIC(s)%s",
		       vf_core_pair_count(d.core),
		       opts->dry_run ? ", dry run" : "");
		d.ready_by = eloop_now_ms() + READY_WAIT_MS;
		replay_hooks(&d);
		step(&d);
		ret = eloop_run(d.loop);
		notify_stopping();
		if (ret == 0 && opts->exit_when_settled &&
		    any_failed(d.core, opts->only_ifindex))
			ret = 1;
	}
	teardown(&d);
	return ret < 0 ? 1 : ret;
}

static void
snap_link(void *arg, const struct vf_link *link)
{
	vf_core_link_update(arg, link, eloop_now_ms());
}

struct vf_core *
vf_daemon_snapshot(const struct vf_config *conf, char *err, size_t errlen)
{
	struct vf_netconf nc;
	struct vf_config engine;
	struct vf_core *core;
	struct vf_if *ifs;

	/* As the daemon would see it: NM's bond is no foreign one. */
	vf_daemon_netconf(&nc, conf);
	engine = engine_config(conf, &nc);
	core = vf_core_new(&engine);
	if (core == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ifs = vf_if_open(conf, false, err, errlen);
	if (ifs == NULL) {
		vf_core_free(core);
		return NULL;
	}
	if (vf_if_dump(ifs, snap_link, core) < 0) {
		snprintf(err, errlen, "%s", vf_if_error(ifs));
		vf_if_close(ifs);
		vf_core_free(core);
		return NULL;
	}
	vf_if_close(ifs);
	return core;
}
