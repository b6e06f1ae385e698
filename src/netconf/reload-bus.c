/* SPDX-License-Identifier: MIT */
/*
 * Asks a running manager to read its files again, over D-Bus. One that
 * is not running is never started from here: at boot we run before it
 * (it reads our files when it starts), and bus activation then would
 * wait for us.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include "netconf/reload.h"

#define NETWORKD_BUS   "org.freedesktop.network1"
#define NM_BUS	       "org.freedesktop.NetworkManager"
#define NM_PATH	       "/org/freedesktop/NetworkManager"
#define NM_SETTINGS    NM_PATH "/Settings"
#define NM_RELOAD_CONF 0x1 /* NM_MANAGER_RELOAD_FLAG_CONF */

static int
running(sd_bus *bus, const char *name)
{
	sd_bus_message *reply = NULL;
	int running = 0, r;

	r = sd_bus_call_method(bus, "org.freedesktop.DBus",
			       "/org/freedesktop/DBus", "org.freedesktop.DBus",
			       "NameHasOwner", NULL, &reply, "s", name);
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
	r = running(bus, NETWORKD_BUS);
	if (r > 0)
		r = sd_bus_call_method(bus, NETWORKD_BUS,
				       "/org/freedesktop/network1",
				       "org.freedesktop.network1.Manager",
				       "Reload", NULL, NULL, "");
	sd_bus_flush_close_unref(bus);
	return r < 0 ? r : 0;
}

static int
failed(sd_bus_error *e, int r, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "NetworkManager: %s: %s", what,
		 e->message != NULL ? e->message : strerror(-r));
	sd_bus_error_free(e);
	return r;
}

/* An object path that a method returns, copied out. */
static int
call_path(sd_bus *bus, const char *path, const char *iface, const char *member,
	  const char *arg, char *out, size_t len, sd_bus_error *e)
{
	sd_bus_message *reply = NULL;
	const char *got;
	int r = sd_bus_call_method(bus, NM_BUS, path, iface, member, e, &reply,
				   "s", arg);

	if (r >= 0 && (r = sd_bus_message_read(reply, "o", &got)) >= 0)
		snprintf(out, len, "%s", got);
	sd_bus_message_unref(reply);
	return r;
}

/* The UUID of the profile active on the device, or "". */
static int
active_uuid(sd_bus *bus, const char *dev, char *out, size_t len,
	    sd_bus_error *e)
{
	sd_bus_message *reply = NULL;
	const char *ac;
	char *uuid = NULL;
	int r;

	out[0] = '\0';
	r = sd_bus_get_property(bus, NM_BUS, dev, NM_BUS ".Device",
				"ActiveConnection", e, &reply, "o");
	if (r >= 0)
		r = sd_bus_message_read(reply, "o", &ac);
	/* An active connection that went meanwhile is none. */
	if (r >= 0 && strcmp(ac, "/") != 0 &&
	    sd_bus_get_property_string(bus, NM_BUS, ac,
				       NM_BUS ".Connection.Active", "Uuid",
				       NULL, &uuid) >= 0)
		snprintf(out, len, "%s", uuid);
	sd_bus_message_unref(reply);
	free(uuid);
	return r < 0 ? r : 0;
}

/* The device's NM object path for ifname. */
static int
device(sd_bus *bus, const char *ifname, char *dev, size_t len, char *err,
       size_t errlen)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r = call_path(bus, NM_PATH, NM_BUS, "GetDeviceByIpIface", ifname,
			  dev, len, &e);

	return r < 0 ? failed(&e, r, ifname, err, errlen) : 0;
}

/* The profile of that UUID on the device, unless it runs it already. */
static int
activate(sd_bus *bus, const char *uuid, const char *ifname, char *err,
	 size_t errlen)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	char dev[256], conn[256], now[64];
	int r;

	if ((r = device(bus, ifname, dev, sizeof(dev), err, errlen)) < 0)
		return r;
	if ((r = active_uuid(bus, dev, now, sizeof(now), &e)) < 0)
		return failed(&e, r, ifname, err, errlen);
	/* None: NM's autoconnect picks ours, the higher priority. */
	if (now[0] == '\0' || strcmp(now, uuid) == 0)
		return 0;
	r = call_path(bus, NM_SETTINGS, NM_BUS ".Settings",
		      "GetConnectionByUuid", uuid, conn, sizeof(conn), &e);
	if (r < 0)
		return failed(&e, r, uuid, err, errlen);
	r = sd_bus_call_method(bus, NM_BUS, NM_PATH, NM_BUS,
			       "ActivateConnection", &e, NULL, "ooo", conn, dev,
			       "/");
	return r < 0 ? failed(&e, r, "activate", err, errlen) : 1;
}

/*
 * Our profiles gone, the NIC is NM's again: once NM has taken it off
 * ours (of UUID leaving), the best profile it has for it, or else a
 * default one in memory, as NM makes for a new device (it makes none
 * for a device it had already seen).
 */
static int
reconnect(sd_bus *bus, const char *ifname, const char *leaving, char *err,
	  size_t errlen)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *m = NULL;
	char dev[256], now[64];
	int r;

	if ((r = device(bus, ifname, dev, sizeof(dev), err, errlen)) < 0)
		return r;
	for (int i = 0; i < 50; i++) {
		if ((r = active_uuid(bus, dev, now, sizeof(now), &e)) < 0)
			return failed(&e, r, ifname, err, errlen);
		if (strcmp(now, leaving) != 0)
			break;
		usleep(100 * 1000);
	}
	if (strcmp(now, leaving) == 0) {
		snprintf(err, errlen, "NetworkManager still runs %s on %s",
			 leaving, ifname);
		return -ETIMEDOUT;
	}
	if (now[0] != '\0')
		return 0; /* NM has given it one of its own already */
	r = sd_bus_call_method(bus, NM_BUS, NM_PATH, NM_BUS,
			       "ActivateConnection", &e, NULL, "ooo", "/", dev,
			       "/");
	if (r >= 0)
		return 0;
	sd_bus_error_free(&e);
	r = sd_bus_message_new_method_call(bus, &m, NM_BUS, NM_PATH, NM_BUS,
					   "AddAndActivateConnection2");
	if (r >= 0)
		r = sd_bus_message_append(m, "a{sa{sv}}oo", 0, dev, "/");
	if (r >= 0)
		r = sd_bus_message_append(m, "a{sv}", 1, "persist", "s",
					  "memory");
	if (r >= 0)
		r = sd_bus_call(bus, m, 0, &e, NULL);
	sd_bus_message_unref(m);
	return r < 0 ? failed(&e, r, "connect", err, errlen) : 0;
}

int
vf_nm_bus_reload(bool files, const char *uuid, const char *ifname,
		 bool give_back, char *err, size_t errlen)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus *bus = NULL;
	int r;

	if (sd_bus_open_system(&bus) < 0)
		return 0;
	/* Short: the daemon's loop waits meanwhile. */
	sd_bus_set_method_call_timeout(bus, 3 * 1000 * 1000);
	if ((r = running(bus, NM_BUS)) <= 0) {
		if (r < 0)
			snprintf(err, errlen, "the system bus: %s",
				 strerror(-r));
		goto out;
	}
	if (files) {
		r = sd_bus_call_method(bus, NM_BUS, NM_PATH, NM_BUS, "Reload",
				       &e, NULL, "u", NM_RELOAD_CONF);
		if (r >= 0)
			r = sd_bus_call_method(
			    bus, NM_BUS, NM_SETTINGS, NM_BUS ".Settings",
			    "ReloadConnections", &e, NULL, "");
		if (r < 0) {
			r = failed(&e, r, "reload", err, errlen);
			goto out;
		}
	}
	if (uuid != NULL && ifname != NULL)
		r = give_back ? reconnect(bus, ifname, uuid, err, errlen)
			      : activate(bus, uuid, ifname, err, errlen);
out:
	sd_bus_flush_close_unref(bus);
	return r < 0 ? r : 0;
}
