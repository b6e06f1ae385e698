/* SPDX-License-Identifier: MIT */
#include "notify.h"

#ifdef HAVE_SYSTEMD
#include <stdbool.h>
#include <systemd/sd-daemon.h>

#include "log.h"

static int watchdog_probed;
static uint64_t ping_every_ms; /* 0: no watchdog asked for */
static uint64_t next_ping;

/* sd_notify says 0 without NOTIFY_SOCKET. Watchdog pings go unlogged. */
static void
tell(const char *state, bool quiet)
{
	int rc = sd_notify(0, state);

	if (rc < 0)
		vf_log(LOG_WARNING, "cannot notify the service manager (%s)",
		       state);
	else if (rc > 0 && !quiet)
		vf_log(LOG_DEBUG, "told the service manager %s", state);
}

void
notify_ready(void)
{
	tell("READY=1", false);
}

void
notify_stopping(void)
{
	tell("STOPPING=1", false);
}

uint64_t
notify_watchdog(uint64_t now, uint64_t deadline)
{
	if (!watchdog_probed) {
		uint64_t usec = 0;

		watchdog_probed = 1;
		/* Only when WATCHDOG_PID, if set, is this process. */
		if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
			ping_every_ms = usec / 2000;
			if (ping_every_ms == 0)
				ping_every_ms = 1;
			vf_log(LOG_DEBUG, "watchdog: a ping every %llu ms",
			       (unsigned long long)ping_every_ms);
		}
	}
	if (ping_every_ms == 0)
		return deadline;
	if (now >= next_ping) {
		tell("WATCHDOG=1", true);
		next_ping = now + ping_every_ms;
	}
	return deadline == 0 || next_ping < deadline ? next_ping : deadline;
}

#else

void
notify_ready(void)
{
}

void
notify_stopping(void)
{
}

uint64_t
notify_watchdog(uint64_t now, uint64_t deadline)
{
	return deadline;
}

#endif
