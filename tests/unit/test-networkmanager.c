/* SPDX-License-Identifier: MIT */
/*
 * The NetworkManager adapter: which profile configured the NIC, the
 * profiles that make NM build the master, and hand-over and release
 * over a scratch root tree, with NM's bus faked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netconf/netconf.h"
#include "netconf/networkmanager.h"
#include "scratch.h"

#define MAC "52:54:00:5e:00:02"

static uint8_t mac[VF_MACLEN];

static int
setup(void **state)
{
	(void)state;
	vf_mac_parse(MAC, mac);
	return 0;
}

static void
selection(void **state)
{
	(void)state;
	/* By name, by MAC (any case), or any Ethernet device. */
	assert_true(vf_nm_profile_selects(
	    "[connection]\nid=a\ntype=ethernet\ninterface-name=ens3\n", "ens3",
	    mac));
	assert_true(vf_nm_profile_selects(
	    "[connection]\ntype=802-3-ethernet\n[ethernet]\n"
	    "mac-address=52:54:00:5E:00:02\n",
	    "ens3", mac));
	assert_true(vf_nm_profile_selects("[connection]\ntype=ethernet\n",
					  "ens3", mac));
	/* Another device's, a port's, one that never starts, no Ethernet. */
	assert_false(vf_nm_profile_selects(
	    "[connection]\ntype=ethernet\ninterface-name=ens4\n", "ens3", mac));
	assert_false(
	    vf_nm_profile_selects("[connection]\ntype=ethernet\n[ethernet]\n"
				  "mac-address=52:54:00:5e:00:03\n",
				  "ens3", mac));
	assert_false(vf_nm_profile_selects(
	    "[connection]\ntype=ethernet\nmaster=bond0\nslave-type=bond\n",
	    "ens3", mac));
	assert_false(vf_nm_profile_selects(
	    "[connection]\ntype=ethernet\nautoconnect=false\n", "ens3", mac));
	assert_false(
	    vf_nm_profile_selects("[connection]\ntype=wifi\n", "ens3", mac));
}

static void
uuids(void **state)
{
	char a[37], b[37], c[37];

	(void)state;
	vf_nm_uuid("vfb5e0002", "bond", a);
	vf_nm_uuid("vfb5e0002", "bond", b);
	vf_nm_uuid("vfb5e0002", "ports", c);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_int_equal(strlen(a), 36);
	assert_int_equal(a[8], '-');
	assert_int_equal(a[14], '4');
	assert_non_null(strchr("89ab", a[19]));
}

static void
bond_profile_defaults_to_dhcp(void **state)
{
	char uuid[37];
	char *t = vf_nm_bond_profile(NULL, "vfb5e0002", mac, 100);

	(void)state;
	assert_non_null(t);
	vf_nm_uuid("vfb5e0002", "bond", uuid);
	assert_non_null(strstr(t, "\ntype=bond\ninterface-name=vfb5e0002\n"));
	assert_non_null(strstr(t, uuid));
	assert_non_null(strstr(t, "mode=active-backup\nmiimon=100\n"));
	assert_non_null(strstr(t, "all_slaves_active=1\n"));
	assert_non_null(strstr(t, "[ethernet]\ncloned-mac-address=" MAC "\n"));
	assert_non_null(
	    strstr(t, "[ipv4]\nmethod=auto\ndhcp-timeout=2147483647\n"));
	assert_non_null(strstr(t, "[ipv6]\nmethod=auto\n"));
	free(t);
}

/* An explicit profile's addressing goes over as it is. */
static void
bond_profile_copies_the_nics(void **state)
{
	const char *origin =
	    "[connection]\nid=static\ntype=ethernet\ninterface-name=ens3\n"
	    "[ethernet]\nmtu=1400\n"
	    "[ipv4]\nmethod=manual\naddress1=198.18.0.10/24,198.18.0.1\n"
	    "[ipv6]\n# no IPv6\nmethod=disabled\n";
	char *t = vf_nm_bond_profile(origin, "vfb5e0002", mac, 50);

	(void)state;
	assert_non_null(t);
	assert_non_null(strstr(t, "[ipv4]\nmethod=manual\n"
				  "address1=198.18.0.10/24,198.18.0.1\n"
				  "dhcp-timeout=2147483647\n"));
	assert_non_null(strstr(t, "[ipv6]\nmethod=disabled\n"));
	assert_null(strstr(t, "mtu=1400"));
	assert_null(strstr(t, "id=static"));
	assert_non_null(strstr(t, "miimon=50\n"));
	free(t);
	/* A timeout of its own is kept, not doubled. */
	t = vf_nm_bond_profile("[ipv4]\nmethod=auto\ndhcp-timeout=90\n", "m",
			       mac, 100);
	assert_non_null(t);
	assert_non_null(strstr(t, "dhcp-timeout=90\n"));
	assert_null(strstr(t, "2147483647"));
	free(t);
}

static void
port_profile_takes_every_device_with_the_mac(void **state)
{
	char bond[37];
	char *t = vf_nm_port_profile("vfb5e0002", mac);

	(void)state;
	assert_non_null(t);
	vf_nm_uuid("vfb5e0002", "bond", bond);
	assert_non_null(strstr(t, "\ntype=ethernet\n"));
	assert_non_null(strstr(t, bond));
	assert_non_null(strstr(t, "slave-type=bond\n"));
	assert_non_null(strstr(t, "multi-connect=3\n"));
	assert_non_null(strstr(t, "autoconnect-priority=999\n"));
	assert_non_null(strstr(t, "[ethernet]\nmac-address=" MAC "\n"));
	assert_null(strstr(t, "interface-name"));
	free(t);
	t = vf_nm_conf(mac);
	assert_non_null(t);
	assert_non_null(strstr(t, "[main]\nno-auto-default+=mac:" MAC "\n"));
	free(t);
}

/* What the fake bus was asked. */
static struct {
	int calls, files;
	char uuid[40], ifname[16];
	bool give_back;
	int rc;
} bus;

static int
fake_reload(bool files, const char *uuid, const char *ifname, bool give_back,
	    char *err, size_t errlen)
{
	bus.calls++;
	bus.files += files;
	bus.give_back = give_back;
	snprintf(bus.uuid, sizeof(bus.uuid), "%s", uuid ? uuid : "");
	snprintf(bus.ifname, sizeof(bus.ifname), "%s", ifname ? ifname : "");
	if (bus.rc < 0)
		snprintf(err, errlen, "no bus");
	return bus.rc;
}

static struct vf_netconf
netconf(void)
{
	struct vf_netconf nc;

	vf_netconf_init(&nc, VF_NETCONF_NETWORKMANAGER);
	snprintf(nc.root, sizeof(nc.root), "%s", root);
	nc.nm_reload = fake_reload;
	memset(&bus, 0, sizeof(bus));
	return nc;
}

static struct vf_link
ens3(void)
{
	struct vf_link l = { .ifindex = 2, .name = "ens3" };

	memcpy(l.mac, mac, VF_MACLEN);
	return l;
}

static mode_t
mode_of(const char *rel)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

#define BOND  "/run/NetworkManager/system-connections/vfbond-vfb5e0002"
#define PORTS BOND "-ports.nmconnection"
#define CONF  "/run/NetworkManager/conf.d/vfbond-vfb5e0002.conf"

static void
hand_over_and_release(void **state)
{
	struct vf_netconf nc;
	struct vf_link s = ens3(), vf;
	char err[256], ports[37];

	(void)state;
	scratch_make("nm");
	nc = netconf();
	put("/etc/NetworkManager/system-connections/a.nmconnection",
	    "[connection]\ntype=ethernet\ninterface-name=ens4\n"
	    "[ipv4]\nmethod=manual\naddress1=10.0.0.1/8\n");
	put("/etc/NetworkManager/system-connections/b.nmconnection",
	    "[connection]\ntype=ethernet\ninterface-name=ens3\n"
	    "[ipv4]\nmethod=manual\naddress1=198.18.0.10/24\n");
	assert_true(vf_netconf_manager_builds(&nc));
	assert_false(vf_netconf_owns(&nc, "vfb5e0002"));
	assert_int_equal(
	    vf_netconf_hand_over(&nc, &s, NULL, "vfb5e0002", err, sizeof(err)),
	    1);
	assert_true(vf_netconf_owns(&nc, "vfb5e0002"));
	assert_non_null(
	    strstr(get(BOND ".nmconnection"), "address1=198.18.0.10/24\n"));
	assert_non_null(get(PORTS));
	assert_non_null(get(CONF));
	/* NM reads no keyfile that others may read. */
	assert_int_equal(mode_of(BOND ".nmconnection"), 0600);
	assert_int_equal(mode_of(PORTS), 0600);
	/* Told to read them, and to move ens3 into the bond. */
	vf_nm_uuid("vfb5e0002", "ports", ports);
	assert_int_equal(bus.calls, 1);
	assert_int_equal(bus.files, 1);
	assert_string_equal(bus.uuid, ports);
	assert_string_equal(bus.ifname, "ens3");
	assert_false(bus.give_back);
	/* Again: nothing to read, the NIC checked all the same, and a VF
	 * (NM may run a profile of its own on it too). */
	vf = ens3();
	vf.ifindex = 3;
	snprintf(vf.name, sizeof(vf.name), "ens5");
	assert_int_equal(
	    vf_netconf_hand_over(&nc, &s, &vf, "vfb5e0002", err, sizeof(err)),
	    0);
	assert_int_equal(bus.calls, 3);
	assert_int_equal(bus.files, 1);
	assert_string_equal(bus.uuid, ports);
	assert_string_equal(bus.ifname, "ens5");
	/* Our own profiles are never taken for the NIC's. */
	unlink(strcat(strcpy(err, root),
		      "/etc/NetworkManager/system-connections/b.nmconnection"));
	assert_int_equal(
	    vf_netconf_hand_over(&nc, &s, NULL, "vfb5e0002", err, sizeof(err)),
	    1);
	assert_non_null(
	    strstr(get(BOND ".nmconnection"), "[ipv4]\nmethod=auto\n"));
	/* In /etc NM reads keyfiles without the suffix too. */
	put("/etc/NetworkManager/system-connections/Wired connection 1",
	    "[connection]\ntype=ethernet\ninterface-name=ens3\n"
	    "[ipv4]\nmethod=manual\naddress1=198.18.0.11/24\n");
	put("/etc/NetworkManager/system-connections/Wired connection 1~",
	    "[connection]\ntype=ethernet\n[ipv4]\nmethod=disabled\n");
	assert_int_equal(
	    vf_netconf_hand_over(&nc, &s, NULL, "vfb5e0002", err, sizeof(err)),
	    1);
	assert_non_null(
	    strstr(get(BOND ".nmconnection"), "address1=198.18.0.11/24\n"));
	unlink(strcat(strcpy(err, root),
		      "/etc/NetworkManager/"
		      "system-connections/Wired connection 1"));
	/* A bus that fails is an error, with its words. */
	bus.rc = -EIO;
	assert_int_equal(
	    vf_netconf_hand_over(&nc, &s, NULL, "vfb5e0002", err, sizeof(err)),
	    -EIO);
	assert_string_equal(err, "no bus");
	bus.rc = 0;
	/* Release: all three go, NM reads again; then nothing to do. */
	bus.calls = bus.files = 0;
	assert_int_equal(
	    vf_netconf_release(&nc, "vfb5e0002", "ens3", err, sizeof(err)), 1);
	assert_null(get(BOND ".nmconnection"));
	assert_null(get(PORTS));
	assert_null(get(CONF));
	assert_int_equal(bus.files, 1);
	assert_true(bus.give_back);
	assert_string_equal(bus.uuid, ports);
	assert_string_equal(bus.ifname, "ens3");
	assert_false(vf_netconf_owns(&nc, "vfb5e0002"));
	assert_int_equal(
	    vf_netconf_release(&nc, "vfb5e0002", "ens3", err, sizeof(err)), 0);
	/* Files left of masters that are gone: all of them, and no NIC to
	 * give back. */
	assert_int_equal(
	    vf_netconf_hand_over(&nc, &s, NULL, "vfb5e0002", err, sizeof(err)),
	    1);
	s.mac[5] = 3;
	assert_int_equal(
	    vf_netconf_hand_over(&nc, &s, NULL, "vfb5e0003", err, sizeof(err)),
	    1);
	assert_int_equal(vf_netconf_release_stale(&nc, err, sizeof(err)), 2);
	assert_null(get(BOND ".nmconnection"));
	assert_null(get(CONF));
	assert_string_equal(bus.ifname, "");
	assert_int_equal(vf_netconf_release_stale(&nc, err, sizeof(err)), 0);
	assert_int_equal(scratch_remove(), 0);
}

/* Detected: NM in use and networkd not; forced; or not at all. */
static void
who_builds(void **state)
{
	struct vf_netconf nc;
	char path[256];

	(void)state;
	scratch_make("nmdetect");
	nc = netconf();
	nc.kind = VF_NETCONF_AUTO;
	assert_false(vf_netconf_manager_builds(&nc));
	put("/run/NetworkManager/devices/2", "");
	assert_true(vf_netconf_manager_builds(&nc));
	/* ifupdown beside it, as Debian has it: lo alone changes nothing;
	 * a NIC of its own, which NM leaves to it, does. */
	put("/run/network/ifstate", "lo=lo\n");
	put("/etc/network/interfaces", "auto lo\niface lo inet loopback\n"
				       "source interfaces.d/*\n");
	assert_true(vf_netconf_manager_builds(&nc));
	put("/etc/network/interfaces.d/ens4", "iface ens4 inet dhcp\n");
	assert_false(vf_netconf_manager_builds(&nc));
	unlink(strcat(strcpy(path, root), "/etc/network/interfaces.d/ens4"));
	assert_true(vf_netconf_manager_builds(&nc));
	put("/run/systemd/netif/state", "");
	assert_false(vf_netconf_manager_builds(&nc));
	nc.kind = VF_NETCONF_NETWORKMANAGER;
	assert_true(vf_netconf_manager_builds(&nc));
	nc.kind = VF_NETCONF_NONE;
	assert_false(vf_netconf_manager_builds(&nc));
	assert_int_equal(scratch_remove(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(selection),
		cmocka_unit_test(uuids),
		cmocka_unit_test(bond_profile_defaults_to_dhcp),
		cmocka_unit_test(bond_profile_copies_the_nics),
		cmocka_unit_test(port_profile_takes_every_device_with_the_mac),
		cmocka_unit_test(hand_over_and_release),
		cmocka_unit_test(who_builds),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
