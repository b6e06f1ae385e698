/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "netconf/ini.h"
#include "netconf/networkd.h"
#include "netconf/siphash24.h"

const char *const vf_networkd_dirs[] = {
	"/etc/systemd/network",		  VF_NETWORKD_RUN_DIR,
	"/usr/local/lib/systemd/network", "/usr/lib/systemd/network",
	"/lib/systemd/network",		  NULL
};

/* A [Match] list: words, all globs, "!" before the first inverts. */
static bool
list_has(const char *value, bool (*one)(const char *word, const void *arg),
	 const void *arg)
{
	char copy[512], *word, *save = NULL;
	bool invert = false, found = false;

	snprintf(copy, sizeof(copy), "%s", value);
	word = copy;
	if (*word == '!') {
		invert = true;
		word++;
	}
	for (word = strtok_r(word, " \t", &save); word != NULL;
	     word = strtok_r(NULL, " \t", &save))
		if (one(word, arg))
			found = true;
	return found != invert;
}

static bool
glob_one(const char *word, const void *arg)
{
	const char *s = arg;

	return s != NULL && fnmatch(word, s, 0) == 0;
}

static bool
mac_one(const char *word, const void *arg)
{
	uint8_t mac[VF_MACLEN];

	return vf_mac_parse(word, mac) && memcmp(mac, arg, VF_MACLEN) == 0;
}

/* Keys about the machine, not the link: true for this boot's files. */
static bool
is_condition(const char *key)
{
	static const char *const keys[] = { "Host",
					    "Virtualization",
					    "KernelCommandLine",
					    "KernelVersion",
					    "Architecture",
					    "Credential",
					    "Firmware",
					    NULL };

	for (int i = 0; keys[i] != NULL; i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

struct match {
	const struct vf_networkd_link *link;
	bool in_match, ok;
};

static bool
key_matches(const struct vf_networkd_link *l, const char *key,
	    const char *value)
{
	if (value[0] == '\0' || is_condition(key))
		return true; /* an empty value resets the list */
	if (strcmp(key, "Name") == 0 || strcmp(key, "OriginalName") == 0)
		return list_has(value, glob_one, l->name);
	if (strcmp(key, "Driver") == 0)
		return list_has(value, glob_one, l->driver);
	if (strcmp(key, "Type") == 0)
		return list_has(value, glob_one, l->type);
	if (strcmp(key, "MACAddress") == 0 ||
	    strcmp(key, "PermanentMACAddress") == 0)
		return l->has_mac && list_has(value, mac_one, l->mac);
	/* Path=, Property=, Kind=...: not a device we can vouch for. */
	return false;
}

static bool
match_line(void *arg, const char *section, const struct vf_ini_line *l,
	   const char *raw, size_t rawlen)
{
	struct match *m = arg;

	(void)raw;
	(void)rawlen;
	if (strcmp(section, "Match") != 0 || l->value == NULL)
		return true;
	if (!key_matches(m->link, l->key, l->value))
		m->ok = false;
	return m->ok;
}

bool
vf_networkd_matches(const char *text, const struct vf_networkd_link *l)
{
	struct match m = { l, false, true };

	vf_ini_each_line(text, match_line, &m);
	return m.ok;
}

/* Copies every line outside [Match]; notes the identity it sets. */
struct copy {
	struct vf_buf *out;
	bool sets_identity;
};

static bool
copy_line(void *arg, const char *section, const struct vf_ini_line *l,
	  const char *raw, size_t rawlen)
{
	struct copy *c = arg;

	if (strcmp(section, "Match") == 0)
		return true;
	if (strcmp(section, "DHCPv4") == 0 && l->value != NULL &&
	    (strcmp(l->key, "IAID") == 0 ||
	     (strcmp(l->key, "ClientIdentifier") == 0 &&
	      strcmp(l->value, "duid") != 0)))
		c->sets_identity = true;
	vf_buf_add(c->out, raw, rawlen);
	vf_buf_str(c->out, "\n");
	return true;
}

char *
vf_networkd_master_file(const char *origin, const char *text,
			const char *const *dropins, size_t n_dropins,
			const char *master_name, bool iaid_known, uint32_t iaid)
{
	struct vf_buf b = { .ok = true };
	struct copy c = { &b, false };
	char line[160];

	snprintf(line, sizeof(line),
		 "# Written by vfbond: %s, for the failover master.\n"
		 "# Removed by 'vfbond release'.\n[Match]\nName=%s\n\n",
		 origin, master_name);
	vf_buf_str(&b, line);
	vf_ini_each_line(text, copy_line, &c);
	for (size_t i = 0; i < n_dropins; i++) {
		vf_buf_str(&b, "\n");
		vf_ini_each_line(dropins[i], copy_line, &c);
	}
	/* The IAID is derived from the interface: carry the NIC's over. */
	if (iaid_known && !c.sets_identity) {
		snprintf(line, sizeof(line),
			 "\n# The synthetic NIC's DHCP identity.\n"
			 "[DHCPv4]\nIAID=%u\n",
			 (unsigned)iaid);
		vf_buf_str(&b, line);
	}
	return vf_buf_done(&b);
}

char *
vf_networkd_ports_file(const uint8_t mac[VF_MACLEN], const char *master_name)
{
	struct vf_buf b = { .ok = true };
	char text[320], m[VF_MACSTRLEN];

	vf_mac_format(mac, m);
	/* PermanentMACAddress: the two devices, not the master, not VLANs. */
	snprintf(text, sizeof(text),
		 "# Written by vfbond: the ports of %s carry no configuration "
		 "of their own.\n# Removed by 'vfbond release'.\n"
		 "[Match]\nPermanentMACAddress=%s\n\n[Link]\nUnmanaged=yes\n",
		 master_name, m);
	vf_buf_str(&b, text);
	return vf_buf_done(&b);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool
vf_networkd_lease_iaid(const char *lease, uint32_t *iaid)
{
	const char *p = lease;
	uint32_t v = 0;

	while ((p = strstr(p, "CLIENTID=")) != NULL && p != lease &&
	       p[-1] != '\n')
		p++;
	if (p == NULL)
		return false;
	p += strlen("CLIENTID=");
	/* Type 255 (RFC 4361): 4 bytes of IAID, then the DUID. */
	if (strncasecmp(p, "ff", 2) != 0)
		return false;
	for (int i = 2; i < 10; i++) {
		int h = hexval(p[i]);

		if (h < 0)
			return false;
		v = v << 4 | (uint32_t)h;
	}
	*iaid = v;
	return true;
}

/* A udev property's value in the database's text (E:KEY=VALUE lines). */
static const char *
udev_property(const char *udev, const char *key, size_t *len)
{
	size_t klen = strlen(key);

	for (const char *p = udev; p != NULL && *p != '\0';) {
		const char *end = strchr(p, '\n');

		if (strncmp(p, "E:", 2) == 0 &&
		    strncmp(p + 2, key, klen) == 0 && p[2 + klen] == '=') {
			p += 2 + klen + 1;
			*len = end != NULL ? (size_t)(end - p) : strlen(p);
			return p;
		}
		p = end != NULL ? end + 1 : NULL;
	}
	return NULL;
}

static bool
host_is_le(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one == 1;
}

static uint32_t
swap32(uint32_t v)
{
	return v >> 24 | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;
}

uint32_t
vf_networkd_default_iaid(const char *udev, const uint8_t mac[VF_MACLEN])
{
	/* systemd's key for DHCP identifiers (dhcp-identifier.c). */
	static const uint8_t key[16] = { 0x80, 0x11, 0x8c, 0xc2, 0xfe, 0x4a,
					 0x03, 0xee, 0x3e, 0xd6, 0x0c, 0x6f,
					 0x36, 0x39, 0x14, 0x09 };
	/* Its persistent names, best first; never the current name. */
	static const char *const names[] = { "ID_NET_NAME_ONBOARD",
					     "ID_NET_NAME_SLOT",
					     "ID_NET_NAME_PATH",
					     "ID_NET_NAME_MAC", NULL };
	const char *name = NULL;
	size_t len = 0;
	uint64_t h;
	uint32_t v;

	for (int i = 0; names[i] != NULL && name == NULL; i++)
		name = udev_property(udev, names[i], &len);
	h = name != NULL ? vf_siphash24(name, len, key)
			 : vf_siphash24(mac, VF_MACLEN, key);
	v = (uint32_t)h ^ (uint32_t)(h >> 32);
	/*
	 * networkd byte-swaps the folded hash (its "legacy" order) and
	 * stores it in host order: read big-endian from the lease, that
	 * is the fold itself on little-endian hosts, swapped on others.
	 */
	return host_is_le() ? v : swap32(v);
}
