/* SPDX-License-Identifier: MIT */
#ifndef VFBOND_CONF_H
#define VFBOND_CONF_H

#include <stddef.h>

#include "core/config.h"

/* FreeBSD keeps what is not the base system's under /usr/local/etc. */
#ifdef __FreeBSD__
#define VF_CONF_DEFAULT "/usr/local/etc/vfbond.conf"
#else
#define VF_CONF_DEFAULT "/etc/vfbond.conf"
#endif
#define VF_EX_CONFIG 78 /* sysexits.h EX_CONFIG */

/*
 * Loads defaults, then the file over them. A missing file is an error
 * only when required. On error, err holds "file:line: what is wrong".
 */
int vf_conf_load(const char *path, bool required, struct vf_config *conf,
		 char *err, size_t errlen);

/* Parses "2", "0.5", "500ms" or "2s" into milliseconds; -1 if bad. */
int vf_conf_duration_ms(const char *text);

#endif
