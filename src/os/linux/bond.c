/* SPDX-License-Identifier: MIT */
/*
 * The failover master is an active-backup bond. Its primitives, and
 * those that change a link: up, down, master, alias, IPv6 DAD.
 */
#include <sys/socket.h>

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/linux/linux.h"

#define BOND_ACTIVE_BACKUP 1

struct bond_opt {
	uint16_t type;
	bool u8;
	uint32_t val;
};

static const char *
updown(bool up)
{
	return up ? "up" : "down";
}

int
prim_set_up(void *os, const struct vf_link *l, bool up)
{
	reqbuf rb;
	struct nlmsghdr *nlh = link_req(&rb, RTM_NEWLINK, 0, l->ifindex);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return req_ack(os, nlh, l->ifindex, 0, "set %s %s", l->name,
		       updown(up));
}

/* rtnetlink moves a port from its old master; ifindex 0 releases it. */
int
prim_port_set(void *os, const struct vf_link *port,
	      const struct vf_link *master)
{
	reqbuf rb;
	struct nlmsghdr *nlh = link_req(&rb, RTM_NEWLINK, 0, port->ifindex);

	mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master->ifindex);
	if (master->ifindex == 0)
		return req_ack(os, nlh, port->ifindex, 0, "release %s from %s",
			       port->name, master->name);
	return req_ack(os, nlh, port->ifindex, 0, "enslave %s to %s",
		       port->name, master->name);
}

static void
put_bond(struct nlmsghdr *nlh, const struct bond_opt *o, size_t n)
{
	struct nlattr *info, *data;

	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bond");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	for (size_t i = 0; i < n; i++) {
		if (o[i].u8)
			mnl_attr_put_u8(nlh, o[i].type, (uint8_t)o[i].val);
		else
			mnl_attr_put_u32(nlh, o[i].type, o[i].val);
	}
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
}

/* Sets one u32 option (primary, active slave) on an existing bond. */
static int
bond_set(struct vf_if *ifs, const struct vf_link *m, uint16_t opt,
	 const struct vf_link *port, const char *what)
{
	const struct bond_opt o = { opt, false, (uint32_t)port->ifindex };
	struct nlmsghdr *nlh;
	reqbuf rb;

	nlh = link_req(&rb, RTM_NEWLINK, 0, m->ifindex);
	put_bond(nlh, &o, 1);
	return req_ack(ifs, nlh, m->ifindex, 0, "set %s of %s to %s", what,
		       m->name, port->name);
}

int
prim_master_primary(void *os, const struct vf_link *master,
		    const struct vf_link *port)
{
	return bond_set(os, master, IFLA_BOND_PRIMARY, port, "primary");
}

int
prim_master_active(void *os, const struct vf_link *master,
		   const struct vf_link *port)
{
	return bond_set(os, master, IFLA_BOND_ACTIVE_SLAVE, port,
			"active port");
}

static int
bond_new(struct vf_if *ifs, const char *name, const struct link_info *s)
{
	const struct bond_opt opts[] = {
		{ IFLA_BOND_MODE, true, BOND_ACTIVE_BACKUP },
		{ IFLA_BOND_MIIMON, false, (uint32_t)ifs->miimon_ms },
		/* Else frames the synthetic NIC still receives are dropped. */
		{ IFLA_BOND_ALL_SLAVES_ACTIVE, true, 1 },
		{ IFLA_BOND_FAIL_OVER_MAC, true, 0 },
		{ IFLA_BOND_NUM_PEER_NOTIF, true, 1 },
		{ IFLA_BOND_PRIMARY_RESELECT, true, 0 },
	};
	struct nlmsghdr *nlh;
	reqbuf rb;
	int rc;

	nlh = link_req(&rb, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (s->mtu != 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, s->mtu);
	if (s->has_addr)
		mnl_attr_put(nlh, IFLA_ADDRESS, VF_MACLEN, s->addr);
	put_bond(nlh, opts, sizeof(opts) / sizeof(opts[0]));
	rc = req_ack(ifs, nlh, 0, 0, "create bond %s", name);
	if (rc == -EOPNOTSUPP)
		set_err(ifs,
			"create bond %s: %s (the kernel has no bonding "
			"driver; load module 'bonding')",
			name, strerror(-rc));
	return rc;
}

/* Only a name is known right after creation: delete by name. */
static void
bond_del_by_name(struct vf_if *ifs, const char *name)
{
	reqbuf rb;
	struct nlmsghdr *nlh = link_req(&rb, RTM_DELLINK, NLM_F_ACK, 0);

	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	nl_talk(ifs, nlh, NULL, NULL);
}

/* Creates the bond with the synthetic NIC's MAC and MTU, reads it back. */
int
prim_master_create(void *os, const char *name, const struct vf_link *synthetic,
		   struct vf_link *out)
{
	struct vf_if *ifs = os;
	struct link_info s, m;
	int rc;

	if ((rc = link_get(ifs, synthetic->ifindex, NULL, &s)) < 0) {
		set_err(ifs, "create bond %s: read %s: %s", name,
			synthetic->name, strerror(-rc));
		return rc;
	}
	if ((rc = bond_new(ifs, name, &s)) < 0)
		return rc;
	if ((rc = link_get(ifs, 0, name, &m)) < 0) {
		set_err(ifs, "create bond %s: cannot read it back: %s", name,
			strerror(-rc));
		bond_del_by_name(ifs, name);
		return rc;
	}
	*out = m.l;
	return 0;
}

int
prim_master_destroy(void *os, const struct vf_link *master)
{
	reqbuf rb;

	return req_ack(os, link_req(&rb, RTM_DELLINK, 0, master->ifindex),
		       master->ifindex, 0, "delete bond %s", master->name);
}

/* rtnetlink ignores IFLA_IFALIAS when it creates a link: set it after. */
int
prim_master_mark(void *os, const struct vf_link *m, const char *alias)
{
	reqbuf rb;
	struct nlmsghdr *nlh = link_req(&rb, RTM_NEWLINK, 0, m->ifindex);

	mnl_attr_put_strz(nlh, IFLA_IFALIAS, alias);
	return req_ack(os, nlh, m->ifindex, 0, "set alias of %s", m->name);
}

/*
 * The bond's link-local address is the synthetic NIC's (same MAC) and
 * the copied addresses exist there too: duplicate address detection
 * would fail them all.
 */
int
prim_dad_off(void *os, const struct vf_link *link)
{
	const char *name = link->name;
	char path[96];
	ssize_t n;
	int fd, e;

	if (strcmp(name, "all") == 0 || strcmp(name, "default") == 0) {
		set_err(os,
			"disable IPv6 DAD on %s: the name is a sysctl "
			"keyword",
			name);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/accept_dad",
		 name);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0; /* no IPv6 here */
		e = errno;
		goto fail;
	}
	n = write(fd, "0\n", 2);
	e = errno;
	close(fd);
	if (n == 2)
		return 0;
	if (n >= 0)
		e = EIO;
fail:
	set_err(os, "disable IPv6 DAD on %s: %s", name, strerror(e));
	return -e;
}
