/* SPDX-License-Identifier: MIT */
/*
 * FreeBSD's event sources and processes: devd's seqpacket socket and a
 * PF_ROUTE socket behind one kqueue (the descriptor the daemon watches;
 * a timer on it for devd's reconnect and dhclient checks), files, kill,
 * posix_spawn. And vf_if_open: the backend over these calls.
 */
#include <sys/event.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "os/freebsd/fbsd.h"
#include "os/freebsd/spawn.h"
#include "os/freebsd/sys-fbsd.h"

#define DEVD_PIPE "/var/run/devd.seqpacket.pipe"
#define TIMER_ID  1

static uint64_t
s_now(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void
s_close(void *ctx)
{
	struct sysctx *c = ctx;

	close_fd(&c->devd);
	close_fd(&c->rt);
	close_fd(&c->kq);
	close_fd(&c->rtw);
	close_fd(&c->s6);
	close_fd(&c->s4);
	free(c);
}

static int
s_fd(void *ctx)
{
	return ((struct sysctx *)ctx)->kq;
}

/* kqueue keeps an event until it is taken: take them all. */
static void
s_ack(void *ctx)
{
	struct sysctx *c = ctx;
	struct timespec zero = { 0, 0 };
	struct kevent ev[8];

	while (c->kq >= 0 && kevent(c->kq, NULL, 0, ev, 8, &zero) == 8)
		;
}

static int
watch(struct sysctx *c, int fd)
{
	struct kevent ev;

	EV_SET(&ev, fd, EVFILT_READ, EV_ADD, 0, 0, NULL);
	return kevent(c->kq, &ev, 1, NULL, 0, NULL) < 0 ? -errno : 0;
}

static int
s_devd_connect(void *ctx)
{
	struct sysctx *c = ctx;
	struct sockaddr_un addr;
	int fd, rc;

	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", DEVD_PIPE);
	fd = socket(PF_LOCAL, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	if ((rc = watch(c, fd)) < 0) {
		close(fd);
		return rc;
	}
	c->devd = fd;
	return 0;
}

static int
s_devd_read(void *ctx, char *buf, size_t len)
{
	struct sysctx *c = ctx;
	ssize_t n;

	if (c->devd < 0)
		return 0;
	n = recv(c->devd, buf, len, 0);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? -EAGAIN : -errno;
	return (int)n;
}

static void
s_devd_close(void *ctx)
{
	close_fd(&((struct sysctx *)ctx)->devd);
}

static int
s_rt_read(void *ctx, struct vf_fbsd_rtev *ev)
{
	struct sysctx *c = ctx;
	union {
		struct rt_msghdr h;
		char buf[2048];
	} m;
	ssize_t n;

	for (;;) {
		n = recv(c->rt, m.buf, sizeof(m.buf), 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n < 0)
			return errno == ENOBUFS ? -ENOBUFS : -errno;
		if (sys_rt_event(m.buf, (size_t)n, ev))
			return 1;
	}
}

static void
s_wake_at(void *ctx, uint64_t ms)
{
	struct sysctx *c = ctx;
	uint64_t now = s_now(ctx);
	struct kevent ev;

	EV_SET(&ev, TIMER_ID, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0,
	       ms > now ? (intptr_t)(ms - now) : 1, NULL);
	kevent(c->kq, &ev, 1, NULL, 0, NULL);
}

static int
s_file_read(void *ctx, const char *path, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;
	int fd;

	(void)ctx;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	while (got < len && (n = read(fd, buf + got, len - got)) > 0)
		got += (size_t)n;
	close(fd);
	/* A file that does not fit is refused, not cut. */
	return got == len ? -EFBIG : (int)got;
}

static int
s_kill(void *ctx, int pid, int sig)
{
	(void)ctx;
	return kill(pid, sig) < 0 ? -errno : 0;
}

static int
s_spawn(void *ctx, const char *const argv[])
{
	(void)ctx;
	return vf_spawn_clean(argv);
}

static int
s_reap(void *ctx, int pid)
{
	int status;
	pid_t r;

	(void)ctx;
	r = waitpid(pid, &status, WNOHANG);
	if (r < 0)
		return -errno;
	return r > 0 ? 1 : 0;
}

static const struct vf_fbsd_sys fbsd_sys = {
	.now_ms = s_now,
	.close = s_close,
	.sysctl_str = sys_sysctl_str,
	.sysctl_int = sys_sysctl_int,
	.sysctl_set_int = sys_sysctl_set_int,
	.if_list = sys_if_list,
	.descr_get = sys_descr_get,
	.descr_set = sys_descr_set,
	.lagg_get = sys_lagg_get,
	.lagg_create = sys_lagg_create,
	.if_rename = sys_if_rename,
	.if_destroy = sys_if_destroy,
	.lagg_failover = sys_lagg_failover,
	.lagg_port = sys_lagg_port,
	.if_updown = sys_if_updown,
	.if_mtu = sys_if_mtu,
	.nd6_flags = sys_nd6_flags,
	.nd6_get = sys_nd6_get,
	.addr_list = sys_addr_list,
	.addr_add = sys_addr_add,
	.addr_del = sys_addr_del,
	.route_list = sys_route_list,
	.route_add = sys_route_add,
	.route_del = sys_route_del,
	.fd = s_fd,
	.ack = s_ack,
	.devd_connect = s_devd_connect,
	.devd_read = s_devd_read,
	.devd_close = s_devd_close,
	.rt_read = s_rt_read,
	.wake_at = s_wake_at,
	.file_read = s_file_read,
	.kill = s_kill,
	.spawn = s_spawn,
	.reap = s_reap,
};

static int
open_monitor(struct sysctx *c)
{
	if ((c->kq = kqueue()) < 0)
		return -errno;
	c->rt = socket(PF_ROUTE, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->rt < 0)
		return -errno;
	/* FreeBSD has no ROUTE_MSGFILTER: sys_rt_event drops the rest. */
	return watch(c, c->rt);
}

static int
open_sockets(struct sysctx *c, bool monitor)
{
	c->s4 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (c->s4 < 0)
		return -errno;
	/* A kernel without INET6: IPv6 calls say so, the rest works. */
	c->s6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	c->rtw = socket(PF_ROUTE, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (c->rtw < 0)
		return -errno;
	/* Writes only (errors come back from write): no copy of every
	 * routing message left to pile up unread. */
	shutdown(c->rtw, SHUT_RD);
	return monitor ? open_monitor(c) : 0;
}

struct vf_if *
vf_if_open(const struct vf_config *conf, bool monitor, char *err, size_t errlen)
{
	struct sysctx *c = calloc(1, sizeof(*c));
	int rc;

	if (c == NULL) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		errno = ENOMEM;
		return NULL;
	}
	c->s4 = c->s6 = c->rtw = c->kq = c->rt = c->devd = -1;
	if ((rc = open_sockets(c, monitor)) < 0) {
		snprintf(err, errlen, "open kernel sockets: %s", strerror(-rc));
		s_close(c);
		errno = -rc;
		return NULL;
	}
	return vf_fbsd_open(&fbsd_sys, c, conf, monitor, err, errlen);
}
