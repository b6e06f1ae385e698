/* SPDX-License-Identifier: MIT */
/*
 * The networkd adapter: which .network file selects the synthetic NIC,
 * the master's and ports' runtime files, and the whole follow/release
 * over a scratch root tree.
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
#include "netconf/networkd.h"
#include "netconf/siphash24.h"
#include "scratch.h"

static struct vf_networkd_link
ens3(void)
{
	struct vf_networkd_link l = {
		"ens3", "virtio_net", "ether", { 0 }, true
	};

	vf_mac_parse("52:54:00:5e:00:02", l.mac);
	return l;
}

static void
match_keys(void **state)
{
	struct vf_networkd_link l = ens3();

	assert_true(vf_networkd_matches("[Match]\nName=ens3\n", &l));
	assert_true(vf_networkd_matches("[Match]\nName=en*\n", &l));
	assert_true(vf_networkd_matches("[Match]\nName=eth0 ens3\n", &l));
	assert_false(vf_networkd_matches("[Match]\nName=!ens*\n", &l));
	assert_true(vf_networkd_matches("[Match]\nName=!eth*\n", &l));
	assert_true(
	    vf_networkd_matches("[Match]\nMACAddress=52:54:00:5e:00:02\n", &l));
	assert_false(vf_networkd_matches(
	    "[Match]\nPermanentMACAddress=52:54:00:5e:00:03\n", &l));
	assert_true(vf_networkd_matches("[Match]\nDriver=virtio*\n", &l));
	assert_true(vf_networkd_matches("[Match]\nType=ether\n", &l));
	/* netplan's: every key must hold. */
	assert_false(vf_networkd_matches(
	    "[Match]\nMACAddress=52:54:00:5e:00:02\nDriver=mlx5_core\n", &l));
	/* What we cannot vouch for does not match; machine conditions do. */
	assert_false(vf_networkd_matches("[Match]\nPath=pci-*\n", &l));
	assert_true(vf_networkd_matches(
	    "[Match]\nName=ens3\nVirtualization=kvm\n", &l));
	/* Keys elsewhere are no match keys; comments are nothing. */
	assert_true(vf_networkd_matches(
	    "# Name=eth0\n[Network]\nName=eth0\n[Match]\n# x\nName=ens3\n",
	    &l));
	assert_true(vf_networkd_matches("[Network]\nDHCP=yes\n", &l));
}

static void
master_file_keeps_all_but_match(void **state)
{
	const char *dropin = "[Match]\nName=zzz\n[DHCPv4]\nUseDNS=no\n";
	char *text = vf_networkd_master_file(
	    "/etc/systemd/network/10-ens3.network",
	    "[Match]\nName=ens3\n\n[Network]\nDHCP=yes\n", &dropin, 1,
	    "vfb5e0002", true, 3056996331u);

	assert_non_null(text);
	assert_non_null(strstr(text, "[Match]\nName=vfb5e0002\n"));
	assert_null(strstr(text, "Name=ens3"));
	assert_null(strstr(text, "Name=zzz"));
	assert_non_null(strstr(text, "[Network]\nDHCP=yes\n"));
	assert_non_null(strstr(text, "UseDNS=no"));
	assert_non_null(strstr(text, "[DHCPv4]\nIAID=3056996331\n"));
	assert_non_null(strstr(text, "10-ens3.network"));
	free(text);
	/* A file that sets its own identity keeps it. */
	text = vf_networkd_master_file(
	    "x", "[Match]\nName=ens3\n[DHCPv4]\nClientIdentifier=mac\n", NULL,
	    0, "vfb5e0002", true, 7);
	assert_null(strstr(text, "IAID="));
	free(text);
	text = vf_networkd_master_file("x", "[Match]\nName=ens3\n", NULL, 0,
				       "vfb5e0002", false, 0);
	assert_null(strstr(text, "IAID="));
	free(text);
}

static void
ports_file_selects_the_devices(void **state)
{
	uint8_t mac[VF_MACLEN];
	char *text;

	vf_mac_parse("52:54:00:5e:00:02", mac);
	text = vf_networkd_ports_file(mac, "vfb5e0002");
	assert_non_null(
	    strstr(text, "[Match]\nPermanentMACAddress=52:54:00:5e:00:02\n"));
	assert_non_null(strstr(text, "[Link]\nUnmanaged=yes\n"));
	free(text);
}

static void
lease_iaid(void **state)
{
	uint32_t iaid = 0;

	assert_true(vf_networkd_lease_iaid(
	    "# This is private data. Do not parse.\nADDRESS=198.18.0.9\n"
	    "CLIENTID=ffb6220feb00020000ab11aabbccdd\n",
	    &iaid));
	assert_int_equal(iaid, 0xb6220feb);
	assert_true(vf_networkd_lease_iaid("CLIENTID=ff00000001ab\n", &iaid));
	assert_int_equal(iaid, 1);
	/* A MAC client id (type 1) has no IAID; nor has a broken one. */
	assert_false(
	    vf_networkd_lease_iaid("CLIENTID=015254005e0002\n", &iaid));
	assert_false(vf_networkd_lease_iaid("CLIENTID=ffb622\n", &iaid));
	assert_false(vf_networkd_lease_iaid("XCLIENTID=ff00000001\n", &iaid));
	assert_false(vf_networkd_lease_iaid("ADDRESS=1.2.3.4\n", &iaid));
}

/* The paper's vector (appendix A) and the first of its reference table. */
static void
siphash24_reference(void **state)
{
	uint8_t key[16], in[15];

	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (int i = 0; i < 15; i++)
		in[i] = (uint8_t)i;
	assert_true(vf_siphash24(in, 15, key) == 0xa129ca6149be45e5ULL);
	assert_true(vf_siphash24(in, 0, key) == 0x726fdb47dd0e0e31ULL);
	assert_true(vf_siphash24(in, 8, key) == 0x93f5f5799a932462ULL);
}

/* A Debian 12 guest's virtio NIC: the gist of its udev database entry. */
#define ENS4_UDEV                                                              \
	"I:1234567\nE:ID_NET_NAMING_SCHEME=v252\n"                             \
	"E:ID_NET_NAME_MAC=enx525400001000\nE:ID_NET_NAME_PATH=enp0s4\n"       \
	"E:ID_NET_NAME_SLOT=ens4\nE:ID_NET_DRIVER=virtio_net\n"

static void
default_iaid(void **state)
{
	uint8_t mac[VF_MACLEN];
	uint32_t leased = 0;

	vf_mac_parse("52:54:00:00:10:00", mac);
	/* What networkd 252 put in that guest's lease (the distro test). */
	assert_true(vf_networkd_lease_iaid(
	    "CLIENTID=ff405663a200020000ab11da75db266784cdd1\n", &leased));
	assert_int_equal(leased, 0x405663a2);
	/* The slot name, though the MAC and path ones come first. */
	assert_int_equal(vf_networkd_default_iaid(ENS4_UDEV, mac), leased);
	assert_int_equal(
	    vf_networkd_default_iaid("E:ID_NET_NAME_SLOT=ens4", mac), leased);
	/* The onboard name wins over it; a key's prefix is not the key. */
	assert_int_not_equal(vf_networkd_default_iaid(
				 ENS4_UDEV "E:ID_NET_NAME_ONBOARD=eno1\n", mac),
			     leased);
	assert_int_equal(vf_networkd_default_iaid(
			     "E:ID_NET_NAME_SLOTX=eno1\n" ENS4_UDEV, mac),
			 leased);
	/* No persistent name: the MAC's bytes. */
	assert_int_equal(vf_networkd_default_iaid("I:1\n", mac),
			 vf_networkd_default_iaid("", mac));
	assert_int_not_equal(vf_networkd_default_iaid("", mac), leased);
}

/* A scratch root with networkd enabled and a file for ens3. */
static int reloads;

static int
count_reload(void *arg)
{
	(void)arg;
	reloads++;
	return 0;
}

static int
tree_setup(void **state)
{
	scratch_make("networkd");
	put("/etc/systemd/system/multi-user.target.wants/"
	    "systemd-networkd.service",
	    "");
	put("/usr/lib/systemd/network/99-default.network",
	    "[Match]\nName=*\n[Network]\nDHCP=no\n");
	put("/etc/systemd/network/10-netplan-eth0.network",
	    "[Match]\nMACAddress=52:54:00:5e:00:02\nDriver=virtio_net\n"
	    "[Network]\nDHCP=ipv4\n");
	put("/etc/systemd/network/10-netplan-eth0.network.d/mtu.conf",
	    "[Link]\nMTUBytes=1400\n");
	put("/run/systemd/netif/leases/2", "CLIENTID=ff0000002a0002aabb\n");
	put("/var/lib/.keep", ""); /* the state dir's parent, as on a system */
	reloads = 0;
	return 0;
}

static int
tree_teardown(void **state)
{
	return scratch_remove();
}

static void
links(struct vf_link *s, struct vf_link *m)
{
	memset(s, 0, sizeof(*s));
	memset(m, 0, sizeof(*m));
	s->ifindex = 2;
	snprintf(s->name, sizeof(s->name), "ens3");
	snprintf(s->driver, sizeof(s->driver), "virtio_net");
	vf_mac_parse("52:54:00:5e:00:02", s->mac);
	m->ifindex = 9;
	snprintf(m->name, sizeof(m->name), "vfb5e0002");
}

static struct vf_netconf
netconf(enum vf_netconf_kind kind)
{
	struct vf_netconf nc;

	vf_netconf_init(&nc, kind);
	snprintf(nc.root, sizeof(nc.root), "%s", root);
	nc.reload = count_reload;
	return nc;
}

#define MASTER_FILE "/run/systemd/network/00-vfbond-vfb5e0002.network"
#define PORTS_FILE  "/run/systemd/network/00-vfbond-vfb5e0002-ports.network"

static void
follow_writes_once_and_release_removes(void **state)
{
	struct vf_netconf nc = netconf(VF_NETCONF_AUTO);
	struct vf_link s, m;
	char err[256];

	links(&s, &m);
	assert_int_equal(vf_netconf_follow(&nc, &s, &m, err, sizeof(err)), 1);
	assert_int_equal(reloads, 1);
	assert_non_null(strstr(get(MASTER_FILE), "DHCP=ipv4"));
	assert_non_null(strstr(get(MASTER_FILE), "MTUBytes=1400"));
	assert_non_null(strstr(get(MASTER_FILE), "Name=vfb5e0002"));
	assert_non_null(strstr(get(MASTER_FILE), "IAID=42"));
	assert_non_null(strstr(get(PORTS_FILE), "Unmanaged=yes"));
	/* Kept for the next boot, when the master comes first. */
	assert_non_null(
	    strstr(get("/var/lib/vfbond/networkd-5254005e0002.iaid"), "42"));
	/* Nothing changed: no reload. */
	assert_int_equal(vf_netconf_follow(&nc, &s, &m, err, sizeof(err)), 0);
	assert_int_equal(reloads, 1);
	/* The next boot: no lease on the NIC, the identity is kept. */
	unlink(strcat(strcpy(err, root), "/run/systemd/netif/leases/2"));
	unlink(strcat(strcpy(err, root), MASTER_FILE));
	assert_int_equal(vf_netconf_follow(&nc, &s, &m, err, sizeof(err)), 1);
	assert_non_null(strstr(get(MASTER_FILE), "IAID=42"));
	assert_int_equal(
	    vf_netconf_release(&nc, "vfb5e0002", "ens3", err, sizeof(err)), 1);
	assert_null(get(MASTER_FILE));
	assert_null(get(PORTS_FILE));
	assert_int_equal(reloads, 3);
	assert_int_equal(
	    vf_netconf_release(&nc, "vfb5e0002", "ens3", err, sizeof(err)), 0);
}

/*
 * Before the build: the master's file alone, so that networkd configures
 * the new master with it from the start, and the NIC keeps its own until
 * the takeover (no ports file yet). follow then adds the ports file.
 */
static void
prepare_writes_the_masters_file_alone(void **state)
{
	struct vf_netconf nc = netconf(VF_NETCONF_AUTO);
	struct vf_link s, m;
	char err[256];

	links(&s, &m);
	assert_int_equal(
	    vf_netconf_prepare(&nc, &s, "vfb5e0002", err, sizeof(err)), 1);
	assert_int_equal(reloads, 1);
	assert_non_null(strstr(get(MASTER_FILE), "Name=vfb5e0002"));
	assert_null(get(PORTS_FILE));
	assert_int_equal(
	    vf_netconf_prepare(&nc, &s, "vfb5e0002", err, sizeof(err)), 0);
	assert_int_equal(vf_netconf_follow(&nc, &s, &m, err, sizeof(err)), 1);
	assert_int_equal(reloads, 2);
	assert_non_null(strstr(get(PORTS_FILE), "Unmanaged=yes"));
	/* Not networkd's NIC: nothing. */
	unlink(strcat(strcpy(err, root),
		      "/etc/systemd/network/10-netplan-eth0.network"));
	unlink(strcat(strcpy(err, root),
		      "/usr/lib/systemd/network/99-default.network"));
	s.mac[5] = 9;
	assert_int_equal(
	    vf_netconf_prepare(&nc, &s, "vfb5e0009", err, sizeof(err)), 0);
}

/* A first boot: no lease, nothing kept; the identity udev's names give. */
static void
first_boot_derives_the_identity(void **state)
{
	struct vf_netconf nc = netconf(VF_NETCONF_AUTO);
	struct vf_link s, m;
	char err[256];

	links(&s, &m);
	unlink(strcat(strcpy(err, root), "/run/systemd/netif/leases/2"));
	assert_int_equal(vf_netconf_follow(&nc, &s, &m, err, sizeof(err)), 1);
	/* Without udev's database networkd itself would not start. */
	assert_null(strstr(get(MASTER_FILE), "IAID="));
	put("/run/udev/data/n2", "E:ID_NET_NAME_SLOT=ens3\n");
	assert_int_equal(vf_netconf_follow(&nc, &s, &m, err, sizeof(err)), 1);
	assert_non_null(strstr(get(MASTER_FILE), "IAID=3042863103\n"));
	/* A kept one is what the NIC's client used: it wins. */
	put("/var/lib/vfbond/networkd-5254005e0002.iaid", "42\n");
	assert_int_equal(vf_netconf_follow(&nc, &s, &m, err, sizeof(err)), 1);
	assert_non_null(strstr(get(MASTER_FILE), "IAID=42\n"));
}

static void
nothing_without_networkd(void **state)
{
	struct vf_netconf nc = netconf(VF_NETCONF_NONE);
	struct vf_link s, m;
	char err[256];

	links(&s, &m);
	assert_int_equal(vf_netconf_follow(&nc, &s, &m, err, sizeof(err)), 0);
	assert_null(get(MASTER_FILE));
	/* auto, with networkd neither enabled nor running. */
	nc = netconf(VF_NETCONF_AUTO);
	unlink(strcat(strcpy(err, root),
		      "/etc/systemd/system/multi-user.target.wants/"
		      "systemd-networkd.service"));
	assert_int_equal(vf_netconf_follow(&nc, &s, &m, err, sizeof(err)), 0);
	assert_null(get(MASTER_FILE));
	assert_int_equal(reloads, 0);
}

/* networkd's order: the first file by name, wherever it is. */
static void
first_file_by_name_wins(void **state)
{
	struct vf_netconf nc = netconf(VF_NETCONF_NETWORKD);
	struct vf_link s, m;
	char err[256];

	put("/run/systemd/network/05-ens3.network",
	    "[Match]\nName=ens3\n[Network]\nAddress=198.18.0.7/24\n");
	links(&s, &m);
	assert_int_equal(vf_netconf_follow(&nc, &s, &m, err, sizeof(err)), 1);
	assert_non_null(strstr(get(MASTER_FILE), "Address=198.18.0.7/24"));
	assert_null(strstr(get(MASTER_FILE), "DHCP=ipv4"));
}

static void
no_file_is_an_error(void **state)
{
	struct vf_netconf nc = netconf(VF_NETCONF_NETWORKD);
	struct vf_link s, m;
	char err[256];

	links(&s, &m);
	snprintf(s.name, sizeof(s.name), "eth7");
	vf_mac_parse("52:54:00:5e:00:07", s.mac);
	unlink(strcat(strcpy(err, root),
		      "/usr/lib/systemd/network/99-default.network"));
	assert_int_equal(vf_netconf_follow(&nc, &s, &m, err, sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "no .network file selects eth7");
	assert_null(get(MASTER_FILE));
}

static void
kinds(void **state)
{
	enum vf_netconf_kind k;

	assert_true(vf_netconf_parse_kind("networkd", &k));
	assert_int_equal(k, VF_NETCONF_NETWORKD);
	assert_true(vf_netconf_parse_kind("none", &k));
	assert_false(vf_netconf_parse_kind("NetworkManager", &k));
	assert_string_equal(vf_netconf_kind_name(VF_NETCONF_AUTO), "auto");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(match_keys),
		cmocka_unit_test(master_file_keeps_all_but_match),
		cmocka_unit_test(ports_file_selects_the_devices),
		cmocka_unit_test(lease_iaid),
		cmocka_unit_test(siphash24_reference),
		cmocka_unit_test(default_iaid),
		cmocka_unit_test(kinds),
		cmocka_unit_test_setup_teardown(
		    follow_writes_once_and_release_removes, tree_setup,
		    tree_teardown),
		cmocka_unit_test_setup_teardown(
		    prepare_writes_the_masters_file_alone, tree_setup,
		    tree_teardown),
		cmocka_unit_test_setup_teardown(first_boot_derives_the_identity,
						tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(nothing_without_networkd,
						tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(first_file_by_name_wins,
						tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(no_file_is_an_error, tree_setup,
						tree_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
