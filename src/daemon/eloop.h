/* SPDX-License-Identifier: MIT */
/*
 * A small event loop: descriptors on epoll, one timerfd armed at the
 * earliest deadline the owner asks for. No deadline, no wake-up.
 */
#ifndef VFBOND_ELOOP_H
#define VFBOND_ELOOP_H

#include <stdint.h>

typedef void eloop_cb(void *arg);

struct eloop;

struct eloop *eloop_new(void);
void eloop_free(struct eloop *loop);
int eloop_add(struct eloop *loop, int fd, eloop_cb *cb, void *arg);
void eloop_del(struct eloop *loop, int fd);
/* Arms the timer at a CLOCK_MONOTONIC millisecond; 0 disarms. */
int eloop_timer(struct eloop *loop, uint64_t deadline_ms, eloop_cb *cb,
		void *arg);
/* Runs until eloop_exit; returns its code, or -1 on a loop failure. */
int eloop_run(struct eloop *loop);
void eloop_exit(struct eloop *loop, int code);

uint64_t eloop_now_ms(void);

#endif
