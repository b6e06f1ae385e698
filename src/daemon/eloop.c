/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "eloop.h"

#define MAX_WATCH 16

struct watch {
	int fd;
	eloop_cb *cb;
	void *arg;
};

struct eloop {
	int epfd;
	int timerfd;
	struct watch watches[MAX_WATCH];
	struct watch timer;
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
	struct epoll_event ev = { .events = EPOLLIN };

	if (loop == NULL)
		return NULL;
	for (int i = 0; i < MAX_WATCH; i++)
		loop->watches[i].fd = -1;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	loop->timerfd =
	    timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	ev.data.ptr = &loop->timer;
	if (loop->epfd < 0 || loop->timerfd < 0 ||
	    epoll_ctl(loop->epfd, EPOLL_CTL_ADD, loop->timerfd, &ev) < 0) {
		eloop_free(loop);
		return NULL;
	}
	loop->timer.fd = loop->timerfd;
	return loop;
}

void
eloop_free(struct eloop *loop)
{
	if (loop == NULL)
		return;
	if (loop->epfd >= 0)
		close(loop->epfd);
	if (loop->timerfd >= 0)
		close(loop->timerfd);
	free(loop);
}

int
eloop_add(struct eloop *loop, int fd, eloop_cb *cb, void *arg)
{
	struct epoll_event ev = { .events = EPOLLIN };

	for (int i = 0; i < MAX_WATCH; i++) {
		struct watch *w = &loop->watches[i];

		if (w->fd >= 0)
			continue;
		ev.data.ptr = w;
		if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
			return -errno;
		*w = (struct watch){ fd, cb, arg };
		return 0;
	}
	return -ENOSPC;
}

void
eloop_del(struct eloop *loop, int fd)
{
	for (int i = 0; i < MAX_WATCH; i++) {
		if (loop->watches[i].fd != fd)
			continue;
		epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
		loop->watches[i].fd = -1;
	}
}

int
eloop_timer(struct eloop *loop, uint64_t deadline_ms, eloop_cb *cb, void *arg)
{
	struct itimerspec its = { 0 };

	loop->timer.cb = cb;
	loop->timer.arg = arg;
	if (deadline_ms != 0) {
		/* 0 would disarm: a deadline already due fires at once. */
		its.it_value.tv_sec = (time_t)(deadline_ms / 1000);
		its.it_value.tv_nsec = (long)(deadline_ms % 1000) * 1000000;
		if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
			its.it_value.tv_nsec = 1;
	}
	if (timerfd_settime(loop->timerfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		return -errno;
	return 0;
}

void
eloop_exit(struct eloop *loop, int code)
{
	loop->done = true;
	loop->code = code;
}

static void
dispatch(struct eloop *loop, struct watch *w)
{
	if (w == &loop->timer) {
		uint64_t expirations;

		/* Drain it, or epoll keeps reporting the same expiry. */
		if (read(loop->timerfd, &expirations, sizeof(expirations)) < 0)
			return;
	}
	if (w->fd >= 0 && w->cb != NULL)
		w->cb(w->arg);
}

int
eloop_run(struct eloop *loop)
{
	struct epoll_event events[MAX_WATCH + 1];

	while (!loop->done) {
		int n = epoll_wait(loop->epfd, events, MAX_WATCH + 1, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		for (int i = 0; i < n && !loop->done; i++)
			dispatch(loop, events[i].data.ptr);
	}
	return loop->code;
}
