/* SPDX-License-Identifier: MIT */
/* The poller on Linux: epoll, with signals through a signalfd. */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "eloop-poller.h"

struct poller {
	int epfd;
	int sigfd;
};

/* The signalfd's epoll tag: no watch has this address. */
static char signal_tag;

struct poller *
poller_new(void)
{
	struct poller *p = malloc(sizeof(*p));

	if (p == NULL)
		return NULL;
	p->sigfd = -1;
	if ((p->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
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
	close(p->epfd);
	if (p->sigfd >= 0)
		close(p->sigfd);
	free(p);
}

int
poller_add(struct poller *p, int fd, bool writable, void *tag)
{
	struct epoll_event ev = { .events = writable ? EPOLLOUT : EPOLLIN,
				  .data.ptr = tag };

	return epoll_ctl(p->epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

void
poller_del(struct poller *p, int fd)
{
	epoll_ctl(p->epfd, EPOLL_CTL_DEL, fd, NULL);
}

int
poller_signals(struct poller *p, const sigset_t *set)
{
	int fd = signalfd(p->sigfd, set, SFD_NONBLOCK | SFD_CLOEXEC);
	int rc;

	if (fd < 0)
		return -errno;
	if (p->sigfd < 0 && (rc = poller_add(p, fd, false, &signal_tag)) < 0) {
		close(fd);
		return rc;
	}
	p->sigfd = fd;
	return 0;
}

/* Each pending signal becomes an event, as many as fit. */
static int
read_signals(struct poller *p, struct poller_event *out, int max)
{
	struct signalfd_siginfo si;
	int n = 0;

	while (n < max && read(p->sigfd, &si, sizeof(si)) == sizeof(si))
		out[n++] = (struct poller_event){ NULL, (int)si.ssi_signo };
	return n;
}

int
poller_wait(struct poller *p, int timeout_ms, struct poller_event *out, int max)
{
	struct epoll_event evs[POLLER_BATCH];
	int n, got = 0;

	if (max > POLLER_BATCH)
		max = POLLER_BATCH;
	n = epoll_wait(p->epfd, evs, max, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n && got < max; i++) {
		if (evs[i].data.ptr == &signal_tag)
			got += read_signals(p, out + got, max - got);
		else
			out[got++] =
			    (struct poller_event){ evs[i].data.ptr, 0 };
	}
	return got;
}
