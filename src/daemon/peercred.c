/* SPDX-License-Identifier: MIT */
#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <unistd.h>

#include "peercred.h"

#ifdef SO_PEERCRED
int
peer_uid(int fd, uid_t *uid)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return -errno;
	*uid = cred.uid;
	return 0;
}
#else
int
peer_uid(int fd, uid_t *uid)
{
	gid_t gid;

	return getpeereid(fd, uid, &gid) < 0 ? -errno : 0;
}
#endif
