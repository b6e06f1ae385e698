/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "eloop-poller.h"
#include "eloop.h"

#define ELOOP_MAX_WATCH 16

struct watch {
	int fd;
	eloop_cb *cb;
	void *arg;
};

struct eloop {
	struct poller *poller;
	struct watch watches[ELOOP_MAX_WATCH];
	uint64_t deadline; /* 0: no timer */
	eloop_cb *timer_cb;
	void *timer_arg;
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

int
eloop_add(struct eloop *loop, int fd, eloop_cb *cb, void *arg)
{
	int rc;

	for (int i = 0; i < ELOOP_MAX_WATCH; i++) {
		struct watch *w = &loop->watches[i];

		if (w->fd >= 0)
			continue;
		if ((rc = poller_add(loop->poller, fd, w)) < 0)
			return rc;
		*w = (struct watch){ fd, cb, arg };
		return 0;
	}
	return -ENOSPC;
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

int
eloop_timer(struct eloop *loop, uint64_t deadline_ms, eloop_cb *cb, void *arg)
{
	loop->deadline = deadline_ms;
	loop->timer_cb = cb;
	loop->timer_arg = arg;
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

/* Milliseconds to wait for the timer: -1 forever, 0 when it is due. */
static int
wait_ms(const struct eloop *loop, uint64_t now)
{
	if (loop->deadline == 0)
		return -1;
	if (loop->deadline <= now)
		return 0;
	if (loop->deadline - now > INT_MAX)
		return INT_MAX;
	return (int)(loop->deadline - now);
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
fire_timer(struct eloop *loop)
{
	if (loop->deadline == 0 || eloop_now_ms() < loop->deadline)
		return;
	loop->deadline = 0;
	if (loop->timer_cb != NULL)
		loop->timer_cb(loop->timer_arg);
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
		if (!loop->done)
			fire_timer(loop);
	}
	/* An exit asked for before the run still ends it; this one is used. */
	loop->done = false;
	return loop->code;
}
