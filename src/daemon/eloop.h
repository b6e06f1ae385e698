/* SPDX-License-Identifier: MIT */
/*
 * The one event loop: descriptors, a timer per owner at the deadline it
 * asks for, and signals as events. No deadline, no wake-up.
 * The waiting is the poller's (eloop-epoll.c or eloop-kqueue.c); what
 * is dispatched and when is decided here, the same on every OS.
 */
#ifndef VFBOND_ELOOP_H
#define VFBOND_ELOOP_H

#include <stddef.h>
#include <stdint.h>

typedef void eloop_cb(void *arg);
typedef void eloop_signal_cb(void *arg, int signo);

struct eloop;

struct eloop *eloop_new(void);
void eloop_free(struct eloop *loop);
/* 0 or -errno; -ENOSPC past ELOOP_MAX_WATCH descriptors. */
int eloop_add(struct eloop *loop, int fd, eloop_cb *cb, void *arg);
/* The same for a descriptor that can take writes (one watch per fd). */
int eloop_add_writable(struct eloop *loop, int fd, eloop_cb *cb, void *arg);
void eloop_del(struct eloop *loop, int fd);
/*
 * Arms a one-shot timer at a CLOCK_MONOTONIC millisecond; 0 disarms. A
 * timer is its callback and argument: each owner keeps one and moves it.
 */
int eloop_timer(struct eloop *loop, uint64_t deadline_ms, eloop_cb *cb,
		void *arg);
/*
 * Blocks signos and hands them to cb from the loop instead: a handler
 * never runs in the middle of our work. Once per loop. 0 or -errno.
 */
int eloop_signals(struct eloop *loop, const int *signos, size_t n,
		  eloop_signal_cb *cb, void *arg);
/*
 * Runs until eloop_exit (one asked for before the run ends it at once);
 * returns its code, or -1 on a loop failure.
 */
int eloop_run(struct eloop *loop);
void eloop_exit(struct eloop *loop, int code);

uint64_t eloop_now_ms(void);

#endif
