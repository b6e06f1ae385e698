/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "log.h"
#include "peercred.h"

/* A client gets this long, from connect to the end of the answer. */
#define CONTROL_CLIENT_MS   1000
#define CONTROL_MAX_CLIENTS 8

struct control;

struct client {
	int fd; /* -1: a free slot */
	struct control *ctl;
	uint64_t deadline;
	char req[128];
	size_t used;
	char *answer;
	size_t len, off;
};

struct control {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct eloop *loop;
	control_answer_cb *cb;
	void *arg;
	struct client clients[CONTROL_MAX_CLIENTS];
};

static int
make_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	strcpy(sun->sun_path, path);
	return 0;
}

/* Client side: blocking, with a receive timeout. */
static void
send_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static struct client *
client_slot(struct control *ctl)
{
	for (int i = 0; i < CONTROL_MAX_CLIENTS; i++)
		if (ctl->clients[i].fd < 0)
			return &ctl->clients[i];
	return NULL;
}

static void expire(void *arg);
static uint64_t next_deadline(const struct control *ctl);

static void
client_close(struct control *ctl, struct client *c)
{
	eloop_del(ctl->loop, c->fd);
	close(c->fd);
	free(c->answer);
	*c = (struct client){ .fd = -1 };
	/* The last client gone: no deadline left to wake up for. */
	eloop_timer(ctl->loop, next_deadline(ctl), expire, ctl);
}

static void client_write(void *arg);

/* From reading the request to writing the answer. */
static void
client_answer(struct control *ctl, struct client *c)
{
	char *answer = ctl->cb(ctl->arg, c->req);

	c->answer =
	    answer != NULL ? answer : strdup("error: unknown request\n");
	c->len = c->answer != NULL ? strlen(c->answer) : 0;
	c->off = 0;
	eloop_del(ctl->loop, c->fd);
	if (c->answer == NULL ||
	    eloop_add_writable(ctl->loop, c->fd, client_write, c) < 0)
		client_close(ctl, c);
}

/*
 * Reads up to the newline: closing with request bytes unread would make
 * the kernel reset the connection and lose our answer.
 */
static void
client_read(void *arg)
{
	struct client *c = arg;
	struct control *ctl = c->ctl;
	ssize_t n;

	n = recv(c->fd, c->req + c->used, sizeof(c->req) - 1 - c->used, 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		client_close(ctl, c);
		return;
	}
	c->used += (size_t)n;
	c->req[c->used] = '\0';
	if (n > 0 && strchr(c->req, '\n') == NULL &&
	    c->used < sizeof(c->req) - 1)
		return;
	c->req[strcspn(c->req, "\r\n")] = '\0';
	client_answer(ctl, c);
}

static void
client_write(void *arg)
{
	struct client *c = arg;
	ssize_t n;

	n = send(c->fd, c->answer + c->off, c->len - c->off, MSG_NOSIGNAL);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0)
		c->off += (size_t)n;
	if (n <= 0 || c->off == c->len)
		client_close(c->ctl, c);
}

/* Never blocks: every client is served a piece at a time, to a deadline. */
static void
serve(void *arg)
{
	struct control *ctl = arg;
	struct client *c;
	uid_t uid;
	int fd = accept4(ctl->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	if (peer_uid(fd, &uid) < 0 || uid != 0) {
		send(fd, "error: root only\n", 17, MSG_NOSIGNAL);
		close(fd);
		return;
	}
	if ((c = client_slot(ctl)) == NULL) {
		send(fd, "error: busy\n", 12, MSG_NOSIGNAL);
		close(fd);
		return;
	}
	*c = (struct client){ .fd = fd, .ctl = ctl };
	c->deadline = eloop_now_ms() + CONTROL_CLIENT_MS;
	if (eloop_add(ctl->loop, fd, client_read, c) < 0) {
		close(fd);
		c->fd = -1;
		return;
	}
	eloop_timer(ctl->loop, next_deadline(ctl), expire, ctl);
}

static uint64_t
next_deadline(const struct control *ctl)
{
	uint64_t next = 0;

	for (int i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		const struct client *c = &ctl->clients[i];

		if (c->fd >= 0 && (next == 0 || c->deadline < next))
			next = c->deadline;
	}
	return next;
}

/* Drops the clients past their deadline; client_close re-arms. */
static void
expire(void *arg)
{
	struct control *ctl = arg;
	uint64_t now = eloop_now_ms();

	for (int i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		struct client *c = &ctl->clients[i];

		if (c->fd >= 0 && now >= c->deadline) {
			vf_log(LOG_WARNING, "control client too slow: dropped");
			client_close(ctl, c);
		}
	}
}

/* A socket nobody answers on is stale; a live one means a daemon runs. */
static int
claim_path(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0)
		ret = -EADDRINUSE;
	else if (errno == ECONNREFUSED)
		unlink(sun->sun_path);
	close(fd);
	return ret;
}

struct control *
control_open(const char *path, struct eloop *loop, control_answer_cb *cb,
	     void *arg, char *err, size_t errlen)
{
	struct control *ctl = calloc(1, sizeof(*ctl));
	struct sockaddr_un sun;
	int ret = make_addr(path, &sun);
	mode_t old;

	if (ctl == NULL)
		return NULL;
	ctl->fd = -1;
	for (int i = 0; i < CONTROL_MAX_CLIENTS; i++)
		ctl->clients[i].fd = -1;
	if (ret == 0)
		ret = claim_path(&sun);
	if (ret == -EADDRINUSE) {
		snprintf(err, errlen, "%s: another vfbond is running", path);
		free(ctl);
		return NULL;
	}
	ctl->fd =
	    socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	old = umask(077); /* root only, from the moment it exists */
	if (ret == 0 && (ctl->fd < 0 ||
			 bind(ctl->fd, (struct sockaddr *)&sun, sizeof(sun)) ||
			 listen(ctl->fd, 16)))
		ret = -errno;
	umask(old);
	if (ret == 0)
		ret = eloop_add(loop, ctl->fd, serve, ctl);
	if (ret != 0) {
		snprintf(err, errlen, "control socket %s: %s", path,
			 strerror(-ret));
		if (ctl->fd >= 0)
			close(ctl->fd);
		free(ctl);
		return NULL;
	}
	snprintf(ctl->path, sizeof(ctl->path), "%s", path);
	ctl->loop = loop;
	ctl->cb = cb;
	ctl->arg = arg;
	return ctl;
}

void
control_close(struct control *ctl)
{
	if (ctl == NULL)
		return;
	for (int i = 0; i < CONTROL_MAX_CLIENTS; i++)
		if (ctl->clients[i].fd >= 0)
			client_close(ctl, &ctl->clients[i]);
	eloop_timer(ctl->loop, 0, expire, ctl);
	eloop_del(ctl->loop, ctl->fd);
	close(ctl->fd);
	unlink(ctl->path);
	free(ctl);
}

static int
read_all(int fd, char **answer)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);

	if (buf == NULL)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len + 1 == cap) {
			char *p = realloc(buf, cap *= 2);

			if (p == NULL) {
				free(buf);
				return -ENOMEM;
			}
			buf = p;
		}
		n = recv(fd, buf + len, cap - len - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*answer = buf;
	return 0;
}

/* One write, newline included, so the daemon reads it whole. */
static int
send_request(int fd, const char *request)
{
	char line[128];
	int len = snprintf(line, sizeof(line), "%s\n", request);

	if (len < 0 || (size_t)len >= sizeof(line))
		return -EINVAL;
	send_all(fd, line, (size_t)len);
	return 0;
}

int
control_request(const char *path, const char *request, char **answer)
{
	struct sockaddr_un sun;
	struct timeval tv = { .tv_sec = 5 };
	int fd, ret = make_addr(path, &sun);

	if (ret != 0)
		return ret;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* A connect to a full backlog waits as long, not for ever. */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	ret = send_request(fd, request);
	if (ret == 0)
		ret = read_all(fd, answer);
	close(fd);
	return ret;
}
