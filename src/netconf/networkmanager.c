/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "netconf/ini.h"
#include "netconf/networkmanager.h"
#include "netconf/siphash24.h"

const char *const vf_nm_profile_dirs[] = {
	"/etc/NetworkManager/system-connections",
	VF_NM_RUN_DIR,
	"/usr/lib/NetworkManager/system-connections",
	NULL,
};

/* What selection looks at in a profile. */
struct profile {
	char type[32];
	char ifname[32];
	char mac[32];
	bool port; /* a port of a bond, bridge, ... */
	bool no_autoconnect;
};

static void
set(char *out, size_t len, const char *value)
{
	snprintf(out, len, "%s", value);
}

static bool
read_key(void *arg, const char *section, const struct vf_ini_line *l,
	 const char *raw, size_t rawlen)
{
	struct profile *p = arg;

	(void)raw;
	(void)rawlen;
	if (l->value == NULL)
		return true;
	if (strcmp(section, "connection") == 0) {
		if (strcmp(l->key, "type") == 0)
			set(p->type, sizeof(p->type), l->value);
		else if (strcmp(l->key, "interface-name") == 0)
			set(p->ifname, sizeof(p->ifname), l->value);
		else if ((strcmp(l->key, "master") == 0 ||
			  strcmp(l->key, "controller") == 0) &&
			 l->value[0] != '\0')
			p->port = true;
		else if (strcmp(l->key, "autoconnect") == 0)
			p->no_autoconnect = strcmp(l->value, "false") == 0 ||
					    strcmp(l->value, "0") == 0;
	} else if ((strcmp(section, "ethernet") == 0 ||
		    strcmp(section, "802-3-ethernet") == 0) &&
		   strcmp(l->key, "mac-address") == 0)
		set(p->mac, sizeof(p->mac), l->value);
	return true;
}

bool
vf_nm_profile_selects(const char *text, const char *ifname,
		      const uint8_t mac[VF_MACLEN])
{
	struct profile p = { 0 };
	char ours[VF_MACSTRLEN];

	vf_ini_each_line(text, read_key, &p);
	if ((strcmp(p.type, "ethernet") != 0 &&
	     strcmp(p.type, "802-3-ethernet") != 0) ||
	    p.port || p.no_autoconnect)
		return false;
	if (p.ifname[0] != '\0' && strcmp(p.ifname, ifname) != 0)
		return false;
	vf_mac_format(mac, ours);
	return p.mac[0] == '\0' || strcasecmp(p.mac, ours) == 0;
}

void
vf_nm_uuid(const char *master_name, const char *role, char out[37])
{
	/* Any fixed key: the UUIDs only have to be stable and distinct. */
	static const uint8_t key[2][16] = {
		{ 'v', 'f', 'b', 'o', 'n', 'd', '-', 'n', 'm', '-', 'u', 'u',
		  'i', 'd', '-', '0' },
		{ 'v', 'f', 'b', 'o', 'n', 'd', '-', 'n', 'm', '-', 'u', 'u',
		  'i', 'd', '-', '1' },
	};
	char seed[64];
	uint8_t b[16];

	snprintf(seed, sizeof(seed), "%s/%s", master_name, role);
	for (int half = 0; half < 2; half++) {
		uint64_t h = vf_siphash24(seed, strlen(seed), key[half]);

		for (int i = 0; i < 8; i++)
			b[half * 8 + i] = (uint8_t)(h >> (8 * i));
	}
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40); /* version 4: random-like */
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* Copies one section of the origin, and says what it saw. */
struct copy {
	struct vf_buf *out;
	const char *section;
	bool seen, has_timeout;
};

static bool
copy_line(void *arg, const char *section, const struct vf_ini_line *l,
	  const char *raw, size_t rawlen)
{
	struct copy *c = arg;

	if (strcmp(section, c->section) != 0 || l->header || l->value == NULL)
		return true;
	c->seen = true;
	if (strcmp(l->key, "dhcp-timeout") == 0)
		c->has_timeout = true;
	vf_buf_add(c->out, raw, rawlen);
	vf_buf_str(c->out, "\n");
	return true;
}

/* [section] of the origin, or the default; DHCP without end on IPv4. */
static void
ip_section(struct vf_buf *b, const char *origin, const char *section)
{
	struct copy c = { b, section, false, false };

	vf_buf_str(b, "\n[");
	vf_buf_str(b, section);
	vf_buf_str(b, "]\n");
	if (origin != NULL)
		vf_ini_each_line(origin, copy_line, &c);
	if (!c.seen)
		vf_buf_str(b, "method=auto\n");
	/* NM's default gives up after 45 s and takes the bond down. */
	if (strcmp(section, "ipv4") == 0 && !c.has_timeout)
		vf_buf_str(b, "dhcp-timeout=2147483647\n");
}

char *
vf_nm_bond_profile(const char *origin, const char *master_name,
		   const uint8_t mac[VF_MACLEN], int miimon_ms)
{
	struct vf_buf b = { .ok = true };
	char uuid[37], line[256], m[VF_MACSTRLEN];

	vf_nm_uuid(master_name, "bond", uuid);
	snprintf(line, sizeof(line),
		 "# vfbond: the failover master, built by NetworkManager\n"
		 "[connection]\nid=%s%s\nuuid=%s\ntype=bond\n"
		 "interface-name=%s\nautoconnect=true\n",
		 VF_NM_PREFIX, master_name, uuid, master_name);
	vf_buf_str(&b, line);
	/* vfbond's own masters' options: the VF is made primary later. */
	snprintf(line, sizeof(line),
		 "\n[bond]\nmode=active-backup\nmiimon=%d\n"
		 "all_slaves_active=1\nfail_over_mac=none\n"
		 "num_grat_arp=1\nnum_unsol_na=1\nprimary_reselect=always\n",
		 miimon_ms);
	vf_buf_str(&b, line);
	/* Else NM gives the bond a MAC of its own, and the ports with it:
	 * another DHCP identity, and a VF's MAC is the host's to set. */
	vf_mac_format(mac, m);
	snprintf(line, sizeof(line), "\n[ethernet]\ncloned-mac-address=%s\n",
		 m);
	vf_buf_str(&b, line);
	ip_section(&b, origin, "ipv4");
	ip_section(&b, origin, "ipv6");
	return vf_buf_done(&b);
}

char *
vf_nm_port_profile(const char *master_name, const uint8_t mac[VF_MACLEN])
{
	struct vf_buf b = { .ok = true };
	char uuid[37], bond[37], text[512], m[VF_MACSTRLEN];

	vf_nm_uuid(master_name, "ports", uuid);
	vf_nm_uuid(master_name, "bond", bond);
	vf_mac_format(mac, m);
	/* multi-connect=3 (multiple): the NIC and a VF at once. A higher
	 * priority than any profile NM or the user made for the NIC: the
	 * highest NM takes. */
	snprintf(text, sizeof(text),
		 "# vfbond: the ports of %s, by their MAC\n"
		 "[connection]\nid=%s%s-ports\nuuid=%s\ntype=ethernet\n"
		 "master=%s\nslave-type=bond\nautoconnect=true\n"
		 "autoconnect-priority=999\nmulti-connect=3\n"
		 "\n[ethernet]\nmac-address=%s\n",
		 master_name, VF_NM_PREFIX, master_name, uuid, bond, m);
	vf_buf_str(&b, text);
	return vf_buf_done(&b);
}

char *
vf_nm_conf(const uint8_t mac[VF_MACLEN])
{
	struct vf_buf b = { .ok = true };
	char text[160], m[VF_MACSTRLEN];

	vf_mac_format(mac, m);
	snprintf(text, sizeof(text),
		 "# vfbond: no default profile for the pair's devices\n"
		 "[main]\nno-auto-default+=mac:%s\n",
		 m);
	vf_buf_str(&b, text);
	return vf_buf_done(&b);
}
