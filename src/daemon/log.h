/* SPDX-License-Identifier: MIT */
#ifndef VFBOND_LOG_H
#define VFBOND_LOG_H

#include <stdbool.h>
#include <syslog.h>

/* Levels are syslog's: LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG. */
void vf_log_open(bool to_syslog, int max_level);
__attribute__((format(printf, 2, 3))) void vf_log(int level, const char *fmt,
						  ...);

#endif
