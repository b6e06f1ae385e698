/* SPDX-License-Identifier: MIT */
/*
 * The ifupdown adapter: the NIC's stanzas rewritten for the master,
 * "source" lines, ifupdown's state file, and follow/release over a
 * scratch root (the transient ifup unit is not started there).
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
#include <unistd.h>

#include "netconf/ifupdown.h"
#include "netconf/netconf.h"
#include "scratch.h"

static const char interfaces[] = "# The loopback network interface\n"
				 "auto lo\n"
				 "iface lo inet loopback\n"
				 "\n"
				 "allow-hotplug ens4\n"
				 "iface ens4 inet dhcp\n"
				 "    hostname guest\n"
				 "iface ens4 inet6 auto\n"
				 "\n"
				 "auto ens40\n"
				 "iface ens40 inet static\n"
				 "    address 10.0.0.1/24\n"
				 "source /etc/network/interfaces.d/*\n"
				 "source-directory more\n";

static void
stanzas_for_the_master(void **state)
{
	bool dhcp;
	char *out =
	    vf_ifupdown_master_stanzas(interfaces, "ens4", "vfb001000", &dhcp);

	assert_non_null(out);
	assert_string_equal(out, "iface vfb001000 inet dhcp\n"
				 "    hostname guest\n"
				 "iface vfb001000 inet6 auto\n");
	assert_true(dhcp);
	free(out);
	out = vf_ifupdown_master_stanzas(interfaces, "ens40", "m", &dhcp);
	assert_string_equal(out, "iface m inet static\n"
				 "    address 10.0.0.1/24\n");
	assert_false(dhcp);
	free(out);
	out = vf_ifupdown_master_stanzas(interfaces, "ens5", "m", &dhcp);
	assert_string_equal(out, "");
	free(out);
}

static char seen[256];

static void
note_source(void *arg, bool dir, const char *pattern)
{
	size_t len = strlen(seen);

	(void)arg;
	snprintf(seen + len, sizeof(seen) - len, "%s:%s;", dir ? "dir" : "glob",
		 pattern);
}

static void
sources_in_order(void **state)
{
	seen[0] = '\0';
	vf_ifupdown_sources(interfaces, note_source, NULL);
	assert_string_equal(seen, "glob:/etc/network/interfaces.d/*;dir:more;");
}

static void
state_file(void **state)
{
	const char *st = "lo=lo\nens4=ens4\n";
	char *out;

	assert_true(vf_ifupdown_state_has(st, "ens4"));
	assert_false(vf_ifupdown_state_has(st, "ens"));
	assert_false(vf_ifupdown_state_has(st, "vfb001000"));
	out = vf_ifupdown_state_set(st, "vfb001000", "vfb001000");
	assert_string_equal(out, "lo=lo\nens4=ens4\nvfb001000=vfb001000\n");
	free(out);
	out = vf_ifupdown_state_set(st, "ens4", NULL);
	assert_string_equal(out, "lo=lo\n");
	free(out);
	/* Set twice: once, with the last logical name. */
	out = vf_ifupdown_state_set(st, "ens4", VF_IFUPDOWN_HELD);
	assert_string_equal(out, "lo=lo\nens4=vfbond-held\n");
	free(out);
}

static int
tree_setup(void **state)
{
	scratch_make("ifupdown");
	put("/etc/systemd/system/multi-user.target.wants/networking.service",
	    "");
	put("/etc/network/interfaces", "auto lo\niface lo inet loopback\n"
				       "source /etc/network/interfaces.d/*\n");
	put("/etc/network/interfaces.d/50-cloud-init",
	    "allow-hotplug ens4\niface ens4 inet dhcp\n");
	put("/run/network/ifstate", "lo=lo\nens4=ens4\n");
	/* systemd's tmpfiles makes networkd's directories, running or not. */
	put("/run/systemd/netif/links/.keep", "");
	put("/var/lib/dhcp/dhclient6.ens4.leases", "default-duid \"x\";\n");
	return 0;
}

static int
tree_teardown(void **state)
{
	return scratch_remove();
}

#define MASTER_FILE "/run/vfbond/ifupdown/vfb001000.interfaces"

static void
follow_and_release(void **state)
{
	struct vf_link s = { .ifindex = 2,
			     .name = "ens4",
			     .driver = "virtio_net" };
	struct vf_link m = { .ifindex = 9, .name = "vfb001000" };
	struct vf_netconf nc;
	char err[256];

	vf_netconf_init(&nc, VF_NETCONF_AUTO);
	snprintf(nc.root, sizeof(nc.root), "%s", root);
	assert_int_equal(vf_netconf_follow(&nc, &s, &m, err, sizeof(err)), 1);
	assert_non_null(
	    strstr(get(MASTER_FILE), "iface vfb001000 inet dhcp\n"));
	/* The NIC stays marked configured: ifup -a and hotplug skip it;
	 * under a name no stanza has, so that ifdown -a runs nothing. */
	assert_non_null(
	    strstr(get("/run/network/ifstate"), "ens4=vfbond-held\n"));
	assert_null(strstr(get("/run/network/ifstate"), "ens4=ens4"));
	/* What ifup itself asks: the NIC's own state file. */
	assert_string_equal(get("/run/network/ifstate.ens4"), "vfbond-held\n");
	/* Its DUID goes along to the master's client. */
	assert_non_null(get("/var/lib/dhcp/dhclient6.vfb001000.leases"));
	/* ifup runs once, until it marks the master configured. */
	assert_int_equal(vf_netconf_follow(&nc, &s, &m, err, sizeof(err)), 0);
	assert_int_equal(
	    vf_netconf_release(&nc, "vfb001000", "ens4", err, sizeof(err)), 1);
	assert_null(get(MASTER_FILE));
	assert_null(strstr(get("/run/network/ifstate"), "ens4="));
	assert_string_equal(get("/run/network/ifstate.ens4"), "\n");
	assert_int_equal(
	    vf_netconf_release(&nc, "vfb001000", "ens4", err, sizeof(err)), 0);
}

/*
 * A master's DHCP identity, once it has one, is its own: a newer file of
 * the NIC's (a dhclient -r at shutdown writes one) does not replace it.
 */
static void
masters_identity_is_kept(void **state)
{
	struct vf_link s = { .ifindex = 2, .name = "ens4" };
	struct vf_link m = { .ifindex = 9, .name = "vfb001000" };
	struct vf_netconf nc;
	char err[256];

	put("/var/lib/dhcp/dhclient6.vfb001000.leases",
	    "default-duid \"m\";\n");
	sleep(1);
	put("/var/lib/dhcp/dhclient6.ens4.leases", "default-duid \"new\";\n");
	vf_netconf_init(&nc, VF_NETCONF_AUTO);
	snprintf(nc.root, sizeof(nc.root), "%s", root);
	assert_int_equal(vf_netconf_follow(&nc, &s, &m, err, sizeof(err)), 1);
	assert_string_equal(get("/var/lib/dhcp/dhclient6.vfb001000.leases"),
			    "default-duid \"m\";\n");
}

static void
no_stanza_no_ifupdown(void **state)
{
	struct vf_link s = { .ifindex = 3, .name = "ens5" };
	struct vf_link m = { .ifindex = 9, .name = "vfb001000" };
	struct vf_netconf nc;
	char err[256];

	vf_netconf_init(&nc, VF_NETCONF_AUTO);
	snprintf(nc.root, sizeof(nc.root), "%s", root);
	assert_int_equal(vf_netconf_follow(&nc, &s, &m, err, sizeof(err)), 0);
	assert_null(get(MASTER_FILE));
	vf_netconf_init(&nc, VF_NETCONF_IFUPDOWN);
	snprintf(nc.root, sizeof(nc.root), "%s", root);
	assert_int_equal(vf_netconf_follow(&nc, &s, &m, err, sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "no ifupdown stanza for ens5");
}

/*
 * NetworkManager beside ifupdown (Debian's default): NM leaves the NICs
 * with a stanza to ifupdown; any other it would configure itself, and
 * vfbond builds no master for it unless the config says so.
 */
static void
stands_aside_for_networkmanager(void **state)
{
	struct vf_link with_stanza = { .ifindex = 2, .name = "ens4" };
	struct vf_link without = { .ifindex = 3, .name = "ens5" };
	struct vf_netconf nc;
	char err[256];

	vf_netconf_init(&nc, VF_NETCONF_AUTO);
	snprintf(nc.root, sizeof(nc.root), "%s", root);
	assert_int_equal(vf_netconf_check(&nc, &without, err, sizeof(err)), 0);
	put("/etc/systemd/system/multi-user.target.wants/"
	    "NetworkManager.service",
	    "");
	assert_int_equal(vf_netconf_check(&nc, &with_stanza, err, sizeof(err)),
			 0);
	assert_int_equal(vf_netconf_check(&nc, &without, err, sizeof(err)),
			 -ENOTSUP);
	assert_non_null(strstr(err, "NetworkManager configures ens5"));
	/* networkd running beside NM claims only the NICs it has a file for. */
	put("/run/systemd/netif/state", "");
	assert_int_equal(vf_netconf_check(&nc, &without, err, sizeof(err)),
			 -ENOTSUP);
	put("/etc/systemd/network/10-ens5.network",
	    "[Match]\nName=ens5\n\n[Network]\nDHCP=yes\n");
	assert_int_equal(vf_netconf_check(&nc, &without, err, sizeof(err)), 0);
	/* The operator's word wins. */
	vf_netconf_init(&nc, VF_NETCONF_NONE);
	snprintf(nc.root, sizeof(nc.root), "%s", root);
	assert_int_equal(vf_netconf_check(&nc, &without, err, sizeof(err)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stanzas_for_the_master),
		cmocka_unit_test(sources_in_order),
		cmocka_unit_test(state_file),
		cmocka_unit_test_setup_teardown(follow_and_release, tree_setup,
						tree_teardown),
		cmocka_unit_test_setup_teardown(masters_identity_is_kept,
						tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(no_stanza_no_ifupdown,
						tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(stands_aside_for_networkmanager,
						tree_setup, tree_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
