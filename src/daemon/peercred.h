/* SPDX-License-Identifier: MIT */
#ifndef VFBOND_PEERCRED_H
#define VFBOND_PEERCRED_H

#include <sys/types.h>

/* The uid of a Unix socket's peer: SO_PEERCRED or getpeereid(). 0/-errno. */
int peer_uid(int fd, uid_t *uid);

#endif
