/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the devd(8) record parser: whatever the bytes, vf_devd_parse
 * answers 0 with a consistent event or an error with the event zeroed,
 * and never reads outside the record. Built as a libFuzzer target (make
 * fuzz) or, with replay.c, as a test replaying fuzz/corpus-devd.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os/freebsd/devd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_ok(const struct vf_devd_event *ev)
{
	size_t n = strlen(ev->ifname);

	if (n > 0 && !vf_fbsd_ifname_valid(ev->ifname, n))
		__builtin_trap();
	if (ev->msg != VF_DEVD_MSG_NOTIFY &&
	    (ev->kind != VF_DEVD_OTHER || ev->system[0] != '\0'))
		__builtin_trap(); /* only notifications carry fields */
	if (ev->msg == VF_DEVD_MSG_NOTIFY &&
	    (ev->system[0] == '\0' || ev->subsystem[0] == '\0' ||
	     ev->type[0] == '\0'))
		__builtin_trap();
	if (ev->kind != VF_DEVD_OTHER && n == 0)
		__builtin_trap(); /* an event vfbond uses names its interface */
	if (strcmp(vf_devd_kind_name(ev->kind), "?") == 0)
		__builtin_trap();
}

/* Written back as a plain record, an accepted notification parses to the
 * same event: the quoting and the extra pairs changed nothing. */
static void
check_roundtrip(const struct vf_devd_event *ev)
{
	struct vf_devd_event again;
	char line[4 * VF_DEVD_FIELDSIZ];
	int n;

	if (ev->msg != VF_DEVD_MSG_NOTIFY)
		return;
	if (strchr(ev->system, '"') != NULL ||
	    strchr(ev->subsystem, '"') != NULL || strchr(ev->type, '"') != NULL)
		return; /* an unquoted value may hold a quote; not writable */
	n = snprintf(line, sizeof(line),
		     "!system=\"%s\" subsystem=\"%s\" "
		     "type=\"%s\"\n",
		     ev->system, ev->subsystem, ev->type);
	if (vf_devd_parse(line, (size_t)n, &again) != VF_DEVD_OK ||
	    memcmp(&again, ev, sizeof(again)) != 0)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct vf_devd_event zero;
	struct vf_devd_event ev;
	/* A copy of exactly size bytes, so ASan sees any overread even when
	 * replay.c hands a larger buffer. */
	char *copy = malloc(size > 0 ? size : 1);
	int err;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	err = vf_devd_parse(copy, size, &ev);
	if (err == VF_DEVD_OK) {
		check_ok(&ev);
		check_roundtrip(&ev);
	} else if (memcmp(&ev, &zero, sizeof(ev)) != 0 ||
		   strcmp(vf_devd_strerror(err), "unknown error") == 0)
		__builtin_trap();
	free(copy);
	return 0;
}
