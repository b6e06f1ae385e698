/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the rtnetlink link-message parser: the kernel is trusted, but a
 * parser that only works on what the kernel sends today is a crash
 * waiting for tomorrow's attributes. Any bytes: no crash, no read past
 * the buffer, names always terminated.
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
	struct vf_link link;

	if (msg == NULL)
		return 0;
	memcpy(msg, data, size);
	if (vf_linux_parse_link(msg, size, &link) == 0 &&
	    (memchr(link.name, '\0', sizeof(link.name)) == NULL ||
	     memchr(link.kind, '\0', sizeof(link.kind)) == NULL ||
	     memchr(link.alias, '\0', sizeof(link.alias)) == NULL))
		__builtin_trap();
	free(msg);
	return 0;
}
