/* SPDX-License-Identifier: MIT */
/*
 * Opening the backend and its events. Link events come on their own
 * socket, so that a dump never interleaves with them; udev's multicast
 * group is joined only as a "look again" signal for links udev had not
 * finished with, and its messages are never parsed. The daemon's loop
 * watches both descriptors (vf_if_fds).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/linux/linux.h"

#define EV_RCVBUF     (64 * 1024 * 1024) /* a 500-link storm fits */
#define UEV_RCVBUF    (8 * 1024 * 1024)
#define REQ_TIMEOUT_S 10
#define DISCARD_MAX   100000
#define UDEV_CONTROL  "/run/udev/control"
#define UDEV_GROUP    2 /* libudev: sent when udev is done */

static void
set_rcvbuf(int fd, int size)
{
	/* FORCE passes net.core.rmem_max, but needs CAP_NET_ADMIN. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

static int
open_req(struct vf_if *ifs)
{
	struct timeval tv = { .tv_sec = REQ_TIMEOUT_S };
	int one = 1, fd;

	ifs->req = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (ifs->req == NULL ||
	    mnl_socket_bind(ifs->req, 0, MNL_SOCKET_AUTOPID) < 0) {
		set_err(ifs, "open rtnetlink socket: %s", strerror(errno));
		return -1;
	}
	fd = mnl_socket_get_fd(ifs->req);
	/* Both are optional: old kernels give plain errors, full echoes. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return 0;
}

static int
open_events(struct vf_if *ifs)
{
	/* Addresses too: one on a port of a master is a fault to see. */
	unsigned int groups[] = { RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
				  RTNLGRP_IPV6_IFADDR };
	size_t i = 0;

	ifs->ev = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (ifs->ev != NULL &&
	    mnl_socket_bind(ifs->ev, 0, MNL_SOCKET_AUTOPID) == 0)
		for (; i < sizeof(groups) / sizeof(groups[0]); i++)
			if (mnl_socket_setsockopt(
				ifs->ev, NETLINK_ADD_MEMBERSHIP, &groups[i],
				sizeof(groups[i])) < 0)
				break;
	if (ifs->ev == NULL || i < sizeof(groups) / sizeof(groups[0])) {
		set_err(ifs, "open rtnetlink event socket: %s",
			strerror(errno));
		return -1;
	}
	set_rcvbuf(mnl_socket_get_fd(ifs->ev), EV_RCVBUF);
	return 0;
}

static int
open_uevents(struct vf_if *ifs)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = UDEV_GROUP };

	ifs->uev = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			  NETLINK_KOBJECT_UEVENT);
	if (ifs->uev < 0 ||
	    bind(ifs->uev, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		set_err(ifs, "open udev event socket: %s", strerror(errno));
		return -1;
	}
	set_rcvbuf(ifs->uev, UEV_RCVBUF);
	return 0;
}

static int
open_all(struct vf_if *ifs, bool monitor)
{
	ifs->buf = malloc(RXBUFSIZ);
	ifs->evbuf = malloc(monitor ? (size_t)EV_BATCH * RXBUFSIZ : RXBUFSIZ);
	if (ifs->buf == NULL || ifs->evbuf == NULL) {
		set_err(ifs, "open: %s", strerror(errno));
		return -1;
	}
	if ((ifs->ctl = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
		set_err(ifs, "open: %s", strerror(errno));
		return -1;
	}
	if (open_req(ifs) < 0)
		return -1;
	if (!monitor)
		return 0;
	if (open_events(ifs) < 0)
		return -1;
	if (!ifs->udev)
		return 0;
	if (open_uevents(ifs) < 0)
		return -1;
	return 0;
}

/*
 * udev runs in the initial network namespace and never sees the links of
 * another one, whose ifindexes are the namespace's own: there its
 * database says nothing about our links. Unknown (no /proc): trust it.
 */
static bool
udev_sees_our_links(void)
{
	struct stat self, init;

	if (access(UDEV_CONTROL, F_OK) != 0)
		return false;
	if (stat("/proc/self/ns/net", &self) != 0 ||
	    stat("/proc/1/ns/net", &init) != 0)
		return true;
	return self.st_dev == init.st_dev && self.st_ino == init.st_ino;
}

struct vf_if *
vf_if_open(const struct vf_config *conf, bool monitor, char *err, size_t errlen)
{
	struct vf_config defaults;
	struct vf_if *ifs;
	int e;

	if ((ifs = calloc(1, sizeof(*ifs))) == NULL) {
		snprintf(err, errlen, "open: %s", strerror(errno));
		return NULL;
	}
	if (conf == NULL) {
		vf_config_defaults(&defaults);
		vf_if_defaults(&defaults);
		conf = &defaults;
	}
	ifs->miimon_ms = conf->link_check_ms;
	ifs->uev = ifs->ctl = -1;
	ifs->udev = udev_sees_our_links();
	if (open_all(ifs, monitor) < 0) {
		e = errno;
		snprintf(err, errlen, "%s", ifs->err);
		vf_if_close(ifs);
		errno = e;
		return NULL;
	}
	return ifs;
}

void
vf_if_close(struct vf_if *ifs)
{
	if (ifs == NULL)
		return;
	if (ifs->req != NULL)
		mnl_socket_close(ifs->req);
	if (ifs->ev != NULL)
		mnl_socket_close(ifs->ev);
	if (ifs->uev >= 0)
		close(ifs->uev);
	if (ifs->ctl >= 0)
		close(ifs->ctl);
	drv_free_all(ifs);
	free(ifs->unready.v);
	free(ifs->addr_moved.v);
	free(ifs->has_ip.v);
	free(ifs->buf);
	free(ifs->evbuf);
	free(ifs);
}

const char *
vf_if_error(const struct vf_if *ifs)
{
	return ifs != NULL ? ifs->err : "";
}

/* Linux has no host-wide verdict: each pair says what it is. */
const char *
vf_if_note(const struct vf_if *ifs)
{
	(void)ifs;
	return "";
}

size_t
vf_if_fds(const struct vf_if *ifs, int fds[VF_IF_MAXFDS])
{
	size_t n = 0;

	if (ifs->ev != NULL)
		fds[n++] = mnl_socket_get_fd(ifs->ev);
	if (ifs->uev >= 0)
		fds[n++] = ifs->uev;
	return n;
}

/* ---- public: events ---- */

static void
event_msg(struct vf_if *ifs, const struct nlmsghdr *nlh, struct report *r)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	int moved;

	if (nlh->nlmsg_type == RTM_NEWLINK) {
		report_cb(ifs, nlh, r);
		return;
	}
	if ((moved = addr_msg_ifindex(nlh)) > 0) {
		iset_add(&ifs->addr_moved, moved);
		return;
	}
	if (nlh->nlmsg_type != RTM_DELLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi) ||
	    ifi->ifi_index <= 0)
		return;
	/* A port leaving a bridge is an AF_BRIDGE deletion: not gone. */
	if (ifi->ifi_family != AF_UNSPEC && ifi->ifi_family != AF_PACKET)
		return;
	link_forget(ifs, ifi->ifi_index);
	if (r->gone != NULL)
		r->gone(r->arg, ifi->ifi_index);
}

static void
events_batch(struct vf_if *ifs, const struct mmsghdr *mm, int n,
	     struct report *r)
{
	for (int i = 0; i < n; i++) {
		const struct nlmsghdr *nlh = mm[i].msg_hdr.msg_iov->iov_base;
		int left = (int)mm[i].msg_len;

		for (; msg_whole(nlh, (size_t)left);
		     nlh = mnl_nlmsg_next(nlh, &left))
			event_msg(ifs, nlh, r);
	}
}

/* A storm arrives as thousands of datagrams: EV_BATCH per system call. */
static int
events_drain(struct vf_if *ifs, struct report *r)
{
	int fd = mnl_socket_get_fd(ifs->ev);
	struct mmsghdr mm[EV_BATCH];
	struct iovec iov[EV_BATCH];
	int n;

	memset(mm, 0, sizeof(mm));
	for (int i = 0; i < EV_BATCH; i++) {
		iov[i].iov_base = ifs->evbuf + (size_t)i * RXBUFSIZ;
		iov[i].iov_len = RXBUFSIZ;
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	for (;;) {
		n = recvmmsg(fd, mm, EV_BATCH, MSG_DONTWAIT, NULL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0)
			return errno == ENOSPC ? -ENOBUFS : -errno;
		/* Read on to EAGAIN: an overflow is reported after the
		 * datagrams that came before it. */
		events_batch(ifs, mm, n, r);
	}
}

/*
 * After lost events, what is still queued predates the loss: the dump
 * the caller makes next is newer, so the queue is thrown away.
 */
static void
events_discard(struct vf_if *ifs)
{
	int fd = mnl_socket_get_fd(ifs->ev);

	for (int i = 0; i < DISCARD_MAX; i++)
		if (recv(fd, ifs->evbuf, RXBUFSIZ, MSG_DONTWAIT) < 0 &&
		    errno != ENOBUFS && errno != EINTR)
			return;
}

/* Any libudev message means "udev finished something": true if one came. */
static bool
uevents_drain(struct vf_if *ifs)
{
	bool any = false;

	if (ifs->uev < 0)
		return false;
	for (;;) {
		if (recv(ifs->uev, ifs->evbuf, RXBUFSIZ, MSG_DONTWAIT) >= 0 ||
		    errno == ENOBUFS) {
			any = true;
			continue;
		}
		if (errno != EINTR)
			return any;
	}
}

/* Reports again the links whose addresses changed: a port's matter. */
static int
addr_recheck(struct vf_if *ifs, struct report *r)
{
	int rc = 0, e;

	for (size_t i = 0; i < ifs->addr_moved.n; i++) {
		e = addr_scan(ifs, ifs->addr_moved.v[i]);
		if (e == 0)
			e = vf_if_refresh(ifs, ifs->addr_moved.v[i], r->cb,
					  r->gone, r->arg);
		/* Gone meanwhile is said by its own event. */
		if (e < 0 && e != -ENODEV && rc == 0)
			rc = e;
	}
	ifs->addr_moved.n = 0;
	return rc;
}

/* Reports again the links whose udev database entry has appeared. */
static int
unready_recheck(struct vf_if *ifs, struct report *r)
{
	struct iset todo = { 0 };
	int rc = 0, e;

	for (size_t i = 0; i < ifs->unready.n; i++)
		if (link_ready(ifs, ifs->unready.v[i]))
			iset_add(&todo, ifs->unready.v[i]);
	for (size_t i = 0; i < todo.n; i++) {
		e = vf_if_refresh(ifs, todo.v[i], r->cb, r->gone, r->arg);
		if (e < 0 && rc == 0)
			rc = e;
	}
	free(todo.v);
	return rc;
}

int
vf_if_read_events(struct vf_if *ifs, vf_link_cb *cb, vf_gone_cb *gone,
		  void *arg)
{
	struct report r = { cb, gone, arg };
	bool udev_spoke;
	int rc;

	if (ifs->ev == NULL)
		return 0;
	udev_spoke = uevents_drain(ifs);
	if ((rc = events_drain(ifs, &r)) == -ENOBUFS) {
		events_discard(ifs);
		set_err(ifs, "link events were lost (receive buffer full)");
		return rc;
	}
	if (rc < 0) {
		set_err(ifs, "read link events: %s", strerror(-rc));
		return rc;
	}
	if ((rc = addr_recheck(ifs, &r)) < 0)
		return rc;
	return udev_spoke ? unready_recheck(ifs, &r) : 0;
}
