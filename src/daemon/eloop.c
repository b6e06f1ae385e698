/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "eloop-poller.h"
#include "eloop.h"

/* The backend's sockets, the control socket and its clients. */
#define ELOOP_MAX_WATCH 32

struct watch {
	int fd;
	eloop_cb *cb;
	void *arg;
};

/* One per owner: the daemon's, the control socket's. */
#define ELOOP_MAX_TIMER 4

struct timer {
	uint64_t deadline; /* 0: a free slot */
	eloop_cb *cb;
	void *arg;
};

struct eloop {
	struct poller *poller;
	struct watch watches[ELOOP_MAX_WATCH];
	struct timer timers[ELOOP_MAX_TIMER];
	eloop_signal_cb *signal_cb;
	void *signal_arg;
	bool done;
	int code;
};

uint64_t
eloop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct eloop *
eloop_new(void)
{
	struct eloop *loop = calloc(1, sizeof(*loop));

	if (loop == NULL)
		return NULL;
	for (int i = 0; i < ELOOP_MAX_WATCH; i++)
		loop->watches[i].fd = -1;
	if ((loop->poller = poller_new()) == NULL) {
		free(loop);
		return NULL;
	}
	return loop;
}

void
eloop_free(struct eloop *loop)
{
	if (loop == NULL)
		return;
	poller_free(loop->poller);
	free(loop);
}

static int
watch_add(struct eloop *loop, int fd, bool writable, eloop_cb *cb, void *arg)
{
	int rc;

	for (int i = 0; i < ELOOP_MAX_WATCH; i++) {
		struct watch *w = &loop->watches[i];

		if (w->fd >= 0)
			continue;
		if ((rc = poller_add(loop->poller, fd, writable, w)) < 0)
			return rc;
		*w = (struct watch){ fd, cb, arg };
		return 0;
	}
	return -ENOSPC;
}

int
eloop_add(struct eloop *loop, int fd, eloop_cb *cb, void *arg)
{
	return watch_add(loop, fd, false, cb, arg);
}

int
eloop_add_writable(struct eloop *loop, int fd, eloop_cb *cb, void *arg)
{
	return watch_add(loop, fd, true, cb, arg);
}

void
eloop_del(struct eloop *loop, int fd)
{
	for (int i = 0; i < ELOOP_MAX_WATCH; i++) {
		if (loop->watches[i].fd != fd)
			continue;
		poller_del(loop->poller, fd);
		loop->watches[i].fd = -1;
	}
}

static struct timer *
timer_find(struct eloop *loop, eloop_cb *cb, void *arg)
{
	struct timer *free_slot = NULL;

	for (int i = 0; i < ELOOP_MAX_TIMER; i++) {
		struct timer *t = &loop->timers[i];

		if (t->deadline != 0 && t->cb == cb && t->arg == arg)
			return t;
		if (t->deadline == 0 && free_slot == NULL)
			free_slot = t;
	}
	return free_slot;
}

int
eloop_timer(struct eloop *loop, uint64_t deadline_ms, eloop_cb *cb, void *arg)
{
	struct timer *t = timer_find(loop, cb, arg);

	if (t == NULL)
		return deadline_ms == 0 ? 0 : -ENOSPC;
	*t = (struct timer){ deadline_ms, cb, arg };
	return 0;
}

int
eloop_signals(struct eloop *loop, const int *signos, size_t n,
	      eloop_signal_cb *cb, void *arg)
{
	sigset_t set;
	int rc;

	sigemptyset(&set);
	for (size_t i = 0; i < n; i++)
		sigaddset(&set, signos[i]);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	if ((rc = poller_signals(loop->poller, &set)) < 0)
		return rc;
	loop->signal_cb = cb;
	loop->signal_arg = arg;
	return 0;
}

void
eloop_exit(struct eloop *loop, int code)
{
	loop->done = true;
	loop->code = code;
}

/* Milliseconds to wait for the earliest timer: -1 forever, 0 if due. */
static int
wait_ms(const struct eloop *loop, uint64_t now)
{
	uint64_t next = 0;

	for (int i = 0; i < ELOOP_MAX_TIMER; i++) {
		uint64_t d = loop->timers[i].deadline;

		if (d != 0 && (next == 0 || d < next))
			next = d;
	}
	if (next == 0)
		return -1;
	if (next <= now)
		return 0;
	if (next - now > INT_MAX)
		return INT_MAX;
	return (int)(next - now);
}

static void
dispatch(struct eloop *loop, const struct poller_event *ev)
{
	struct watch *w = ev->tag;

	if (w == NULL) {
		if (loop->signal_cb != NULL)
			loop->signal_cb(loop->signal_arg, ev->signo);
		return;
	}
	/* A callback earlier in the batch may have removed it. */
	if (w->fd >= 0 && w->cb != NULL)
		w->cb(w->arg);
}

/* One-shot: disarmed before it runs, so the callback may re-arm it. */
static void
fire_timers(struct eloop *loop)
{
	uint64_t now = eloop_now_ms();

	for (int i = 0; i < ELOOP_MAX_TIMER && !loop->done; i++) {
		struct timer *t = &loop->timers[i];
		struct timer due = *t;

		if (t->deadline == 0 || now < t->deadline)
			continue;
		t->deadline = 0;
		if (due.cb != NULL)
			due.cb(due.arg);
	}
}

int
eloop_run(struct eloop *loop)
{
	struct poller_event events[POLLER_BATCH];
	int n;

	while (!loop->done) {
		n = poller_wait(loop->poller, wait_ms(loop, eloop_now_ms()),
				events, POLLER_BATCH);
		if (n < 0)
			return -1;
		for (int i = 0; i < n && !loop->done; i++)
			dispatch(loop, &events[i]);
		fire_timers(loop);
	}
	/* An exit asked for before the run still ends it; this one is used. */
	loop->done = false;
	return loop->code;
}
