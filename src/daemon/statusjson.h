/* SPDX-License-Identifier: MIT */
#ifndef VFBOND_STATUSJSON_H
#define VFBOND_STATUSJSON_H

#include <stdint.h>

#include "core/core.h"

struct vf_counters {
	unsigned long events;  /* link events taken in */
	unsigned long actions; /* actions carried out (or recorded) */
	unsigned long resyncs; /* full dumps after lost events */
	const char *backend;   /* vf_if_note: whether it acts here, why */
};

/* The status document; malloc'd. source: "daemon" or "kernel". */
char *vf_status_json(const struct vf_core *core, uint64_t now_ms,
		     const char *source, const struct vf_counters *counters);

#endif
