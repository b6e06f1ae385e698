/* SPDX-License-Identifier: MIT */
/*
 * Asks a running networkd to read its files again, over D-Bus. A
 * networkd that is not running is never started from here: at boot we
 * run before it (it reads our files when it starts), and bus activation
 * then would wait for us.
 */
#include <errno.h>
#include <systemd/sd-bus.h>

#include "netconf/reload.h"

#define NETWORKD_BUS "org.freedesktop.network1"

static int
networkd_running(sd_bus *bus)
{
	sd_bus_message *reply = NULL;
	int running = 0, r;

	r = sd_bus_call_method(bus, "org.freedesktop.DBus",
			       "/org/freedesktop/DBus", "org.freedesktop.DBus",
			       "NameHasOwner", NULL, &reply, "s", NETWORKD_BUS);
	if (r >= 0)
		r = sd_bus_message_read(reply, "b", &running);
	sd_bus_message_unref(reply);
	return r < 0 ? r : running;
}

int
vf_networkd_reload(void *arg)
{
	sd_bus *bus = NULL;
	int r;

	(void)arg;
	/* No system bus: no networkd to tell either. */
	if (sd_bus_open_system(&bus) < 0)
		return 0;
	sd_bus_set_method_call_timeout(bus, 5 * 1000 * 1000);
	r = networkd_running(bus);
	if (r > 0)
		r = sd_bus_call_method(bus, NETWORKD_BUS,
				       "/org/freedesktop/network1",
				       "org.freedesktop.network1.Manager",
				       "Reload", NULL, NULL, "");
	sd_bus_flush_close_unref(bus);
	return r < 0 ? r : 0;
}
