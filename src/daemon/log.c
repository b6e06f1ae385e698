/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"

static bool use_syslog;
static int log_max = LOG_INFO;

void
vf_log_open(bool to_syslog, int max_level)
{
	use_syslog = to_syslog;
	log_max = max_level;
	if (use_syslog)
		openlog("vfbond", LOG_PID, LOG_DAEMON);
}

void
vf_log(int level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	struct timespec ts;
	struct tm tm;
	size_t len;
	int n;

	if (level > log_max)
		return;
	va_start(ap, fmt);
	if (use_syslog) {
		vsyslog(level, fmt, ap);
		va_end(ap);
		return;
	}
	/* Milliseconds: the demo and benchmarks line events up by them. */
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	n = snprintf(line, sizeof(line),
		     "%02d:%02d:%02d.%03ld vfbond: ", tm.tm_hour, tm.tm_min,
		     tm.tm_sec, ts.tv_nsec / 1000000);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	/* One write a line: stderr is unbuffered, and a storm logs a lot. */
	len = strlen(line);
	line[len] = '\n';
	fwrite(line, 1, len + 1, stderr);
}
