/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the reading of a request's replies: acks, NLMSG_ERROR with and
 * without an extended ack (capped or not), NLMSG_DONE with its error,
 * several messages in one datagram. Any bytes: no crash, no read past
 * the buffer, an errno-shaped result, the kernel's message one line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "os/linux/if-linux.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, aligned as netlink wants. */
	void *buf = malloc(size ? size : 1);
	char extack[64];
	int rc;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	memset(extack, 'x', sizeof(extack));
	rc = vf_linux_parse_reply(buf, size, extack, sizeof(extack));
	if (rc > 1 || memchr(extack, '\0', sizeof(extack)) == NULL ||
	    strchr(extack, '\n') != NULL)
		__builtin_trap();
	free(buf);
	return 0;
}
