/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"

#define LOCK_POLL_MS 50

static void
beside(const char *socket_path, const char *ext, char *out, size_t len)
{
	size_t n = strlen(socket_path);

	if (n > 5 && strcmp(socket_path + n - 5, ".sock") == 0)
		n -= 5;
	snprintf(out, len, "%.*s%s", (int)n, socket_path, ext);
}

void
vf_lock_path(const char *socket_path, char *out, size_t len)
{
	beside(socket_path, ".lock", out, len);
}

void
vf_hook_state_path(const char *socket_path, char *out, size_t len)
{
	beside(socket_path, ".hooks", out, len);
}

static void
nap(int ms)
{
	struct timespec ts = { 0, (long)ms * 1000000 };

	nanosleep(&ts, NULL);
}

/* A POSIX record lock on the whole file: fcntl(2) is the same everywhere. */
static int
try_lock(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	return fcntl(fd, F_SETLK, &fl);
}

int
vf_lock_take(const char *path, int wait_ms)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	int waited = 0;

	if (fd < 0)
		return -errno;
	/* Polled, not blocking: a bounded wait needs no signal juggling. */
	while (try_lock(fd) < 0) {
		int e = errno;

		if ((e != EAGAIN && e != EACCES && e != EINTR) ||
		    waited >= wait_ms) {
			close(fd);
			return e == EACCES ? -EWOULDBLOCK : -e;
		}
		nap(LOCK_POLL_MS);
		waited += LOCK_POLL_MS;
	}
	return fd;
}
