/* SPDX-License-Identifier: MIT */
/*
 * What eloop.c needs from the OS: wait for descriptors and signals with
 * a timeout. eloop-epoll.c (epoll, signalfd) and eloop-kqueue.c
 * (kqueue, EVFILT_SIGNAL) implement it; the build picks one.
 */
#ifndef VFBOND_ELOOP_POLLER_H
#define VFBOND_ELOOP_POLLER_H

#include <signal.h>
#include <stdbool.h>

struct poller;

/* Most events one wait hands out. */
#define POLLER_BATCH 32

/* One thing ready: a descriptor (its tag) or a signal (tag NULL). */
struct poller_event {
	void *tag;
	int signo;
};

struct poller *poller_new(void);
void poller_free(struct poller *p);
/* Readable, or (writable) able to take a write. */
int poller_add(struct poller *p, int fd, bool writable, void *tag);
void poller_del(struct poller *p, int fd);
/* Takes the (already blocked) signals of set as events. 0 or -errno. */
int poller_signals(struct poller *p, const sigset_t *set);
/*
 * Waits up to timeout_ms (-1: no limit) and fills at most max events.
 * Returns how many (0: timed out or interrupted), or -errno.
 */
int poller_wait(struct poller *p, int timeout_ms, struct poller_event *out,
		int max);

#endif
