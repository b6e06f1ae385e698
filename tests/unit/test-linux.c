/* SPDX-License-Identifier: MIT */
/*
 * The Linux backend's reading of link messages: what a link is
 * (classification) and which link the kernel pairs it with.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>
#include <string.h>

#include "os/linux/if-linux.h"

static union {
	struct nlmsghdr align;
	char buf[1024];
} msg;

/* RTM_NEWLINK for ifindex 3, Ethernet; kind and slave kind optional. */
static struct nlmsghdr *
newlink(const char *kind, const char *slave_kind, int master)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(msg.buf);
	struct ifinfomsg *ifi;
	struct nlattr *info;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = 3;
	ifi->ifi_type = ARPHRD_ETHER;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth1");
	if (master != 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	if (kind == NULL && slave_kind == NULL)
		return nlh;
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	if (kind != NULL)
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
	if (slave_kind != NULL)
		mnl_attr_put_strz(nlh, IFLA_INFO_SLAVE_KIND, slave_kind);
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

static struct vf_link
parse(struct nlmsghdr *nlh)
{
	struct vf_link l;

	assert_int_equal(vf_linux_parse_link(nlh, nlh->nlmsg_len, &l), 0);
	return l;
}

/* hv_netvsc takes its VF as its lower device: no slave kind. */
static void
vf_under_a_device_is_a_kernel_pair(void **state)
{
	struct vf_link l = parse(newlink(NULL, NULL, 2));

	assert_int_equal(l.master, 2);
	assert_int_equal(l.kernel_pair, 2);
	assert_true(l.kernel_failover); /* and runs it: transparent */
	assert_int_equal(l.cls, VF_LINK_DEVICE);
}

static void
port_of_a_bond_or_bridge_is_not(void **state)
{
	struct vf_link l = parse(newlink(NULL, "bond", 9));

	assert_int_equal(l.master, 9);
	assert_int_equal(l.kernel_pair, 0);
	assert_false(l.kernel_failover);
	l = parse(newlink("veth", "bridge", 9));
	assert_int_equal(l.kernel_pair, 0);
	assert_int_equal(l.cls, VF_LINK_VIRTUAL);
	l = parse(newlink(NULL, NULL, 0));
	assert_int_equal(l.kernel_pair, 0);
}

/* hv_netvsc runs any VF's failover itself: no master before a VF. */
static void
netvsc_runs_failover_itself(void **state)
{
	struct vf_link l = { .ifindex = 2, .driver = "hv_netvsc" };

	vf_linux_classify(&l);
	assert_true(l.kernel_failover);
	snprintf(l.driver, sizeof(l.driver), "virtio_net");
	l.kernel_failover = false;
	vf_linux_classify(&l);
	assert_false(l.kernel_failover);
}

static void
links_are_classified(void **state)
{
	struct vf_link l = parse(newlink("bond", NULL, 0));

	assert_int_equal(l.cls, VF_LINK_FAILOVER);
	l = parse(newlink("failover", NULL, 0));
	assert_int_equal(l.cls, VF_LINK_KERNEL_FAILOVER);
	memset(&l, 0, sizeof(l));
	strcpy(l.driver, "net_failover");
	vf_linux_classify(&l);
	assert_int_equal(l.cls, VF_LINK_KERNEL_FAILOVER);
	strcpy(l.driver, "virtio_net");
	vf_linux_classify(&l);
	assert_int_equal(l.cls, VF_LINK_DEVICE);
}

/* RTM_NEWLINK of a bond in the given mode. */
static struct nlmsghdr *
newbond(uint8_t mode)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(msg.buf);
	struct ifinfomsg *ifi;
	struct nlattr *info, *data;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = 9;
	ifi->ifi_type = ARPHRD_ETHER;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "vfb0");
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bond");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u8(nlh, IFLA_BOND_MODE, mode);
	mnl_attr_put_u32(nlh, IFLA_BOND_ACTIVE_SLAVE, 3);
	if (mode == 1)
		mnl_attr_put_u32(nlh, IFLA_BOND_PRIMARY, 3);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

/* Only an active-backup bond may be adopted: the mode is read. */
static void
bond_mode_is_read(void **state)
{
	struct vf_link l = parse(newbond(1));

	assert_int_equal(l.cls, VF_LINK_FAILOVER);
	assert_true(l.active_backup);
	assert_int_equal(l.active_slave, 3);
	assert_int_equal(l.primary, 3);
	l = parse(newbond(0)); /* balance-rr, no primary */
	assert_false(l.active_backup);
	assert_int_equal(l.primary, 0);
	l = parse(newlink("bond", NULL, 0));
	assert_false(l.active_backup);
	assert_int_equal(l.primary, VF_PRIMARY_UNKNOWN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vf_under_a_device_is_a_kernel_pair),
		cmocka_unit_test(port_of_a_bond_or_bridge_is_not),
		cmocka_unit_test(netvsc_runs_failover_itself),
		cmocka_unit_test(links_are_classified),
		cmocka_unit_test(bond_mode_is_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
