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

struct control {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct eloop *loop;
	control_answer_cb *cb;
	void *arg;
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

/*
 * Reads up to the newline: closing with request bytes unread would make
 * the kernel reset the connection and lose our answer.
 */
static ssize_t
read_request(int fd, char *req, size_t size)
{
	size_t len = 0;

	while (len < size - 1) {
		ssize_t n = recv(fd, req + len, size - 1 - len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (memchr(req, '\n', len) != NULL)
			break;
	}
	req[len] = '\0';
	req[strcspn(req, "\r\n")] = '\0';
	return (ssize_t)len;
}

/* The answers are small and local: serve each client to the end. */
static void
serve(void *arg)
{
	struct control *ctl = arg;
	uid_t uid;
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	char req[128];
	char *answer = NULL;
	ssize_t n;
	int fd = accept4(ctl->fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	/* A client that never writes must not stall the daemon. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (peer_uid(fd, &uid) < 0 || uid != 0) {
		send_all(fd, "error: root only\n", 17);
		close(fd);
		return;
	}
	n = read_request(fd, req, sizeof(req));
	if (n > 0)
		answer = ctl->cb(ctl->arg, req);
	if (answer != NULL)
		send_all(fd, answer, strlen(answer));
	else
		send_all(fd, "error: unknown request\n", 23);
	free(answer);
	close(fd);
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
