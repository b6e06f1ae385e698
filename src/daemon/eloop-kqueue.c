/* SPDX-License-Identifier: MIT */
/* The poller on the BSDs: kqueue, with signals through EVFILT_SIGNAL. */
#include <sys/event.h>
#include <sys/time.h>
#include <sys/types.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "eloop-poller.h"

struct poller {
	int kq;
};

struct poller *
poller_new(void)
{
	struct poller *p = malloc(sizeof(*p));

	if (p == NULL)
		return NULL;
	if ((p->kq = kqueue()) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

void
poller_free(struct poller *p)
{
	if (p == NULL)
		return;
	close(p->kq);
	free(p);
}

static int
change(struct poller *p, uintptr_t ident, short filter, unsigned short flags,
       void *tag)
{
	struct kevent kev;

	EV_SET(&kev, ident, filter, flags, 0, 0, tag);
	return kevent(p->kq, &kev, 1, NULL, 0, NULL) < 0 ? -errno : 0;
}

int
poller_add(struct poller *p, int fd, bool writable, void *tag)
{
	short filter = writable ? EVFILT_WRITE : EVFILT_READ;

	return change(p, (uintptr_t)fd, filter, EV_ADD, tag);
}

/* The fd is in one of the two filters: the other answers ENOENT. */
void
poller_del(struct poller *p, int fd)
{
	change(p, (uintptr_t)fd, EVFILT_READ, EV_DELETE, NULL);
	change(p, (uintptr_t)fd, EVFILT_WRITE, EV_DELETE, NULL);
}

/*
 * kqueue records a signal when it is sent, blocked or not, so the
 * blocked ones eloop.c asks for still arrive here.
 */
int
poller_signals(struct poller *p, const sigset_t *set)
{
	int rc;

	for (int sig = 1; sig < NSIG; sig++) {
		if (sigismember(set, sig) != 1)
			continue;
		if ((rc = change(p, (uintptr_t)sig, EVFILT_SIGNAL, EV_ADD,
				 NULL)) < 0)
			return rc;
	}
	return 0;
}

int
poller_wait(struct poller *p, int timeout_ms, struct poller_event *out, int max)
{
	struct kevent evs[POLLER_BATCH];
	struct timespec ts, *tsp = NULL;
	int n;

	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000;
		tsp = &ts;
	}
	if (max > POLLER_BATCH)
		max = POLLER_BATCH;
	n = kevent(p->kq, NULL, 0, evs, max, tsp);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		if (evs[i].filter == EVFILT_SIGNAL)
			out[i] =
			    (struct poller_event){ NULL, (int)evs[i].ident };
		else
			out[i] = (struct poller_event){ evs[i].udata, 0 };
	}
	return n;
}
