/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the config parser: whatever the file holds, vf_conf_load answers
 * 0 or -1 with a message, and never reads or writes out of bounds.
 * Built as a libFuzzer target (make fuzz) or, with replay.c, as a test
 * that replays the corpus in fuzz/corpus-conf.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conf/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vf_config conf;
	char path[64], err[512];
	int fd = memfd_create("vfbond-fuzz", MFD_CLOEXEC);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		err[0] = '\0';
		if (vf_conf_load(path, true, &conf, err, sizeof(err)) != 0 &&
		    (err[0] == '\0' || strchr(err, '\n') != NULL))
			__builtin_trap(); /* errors are one non-empty line */
	}
	close(fd);
	return 0;
}
