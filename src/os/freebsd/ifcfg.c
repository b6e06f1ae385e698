/* SPDX-License-Identifier: MIT */
/*
 * ifconfig_hnN and ifconfig_hnN_ipv6, read as rc.d reads them: rc.d's
 * own keywords out, DHCP or not, and the address the arguments give.
 */
#include "os/freebsd/ifcfg.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "os/freebsd/ifname.h"

#define MAXWORDS (VF_RC_VALSIZ / 2)

/* A value cut into words at blanks (rc.d leaves them unquoted). */
struct words {
	char buf[VF_RC_VALSIZ];
	char *w[MAXWORDS];
	size_t n;
};

/* For messages: "rc.conf:3: ifconfig_hn0". */
struct ctx {
	const struct vf_rc_var *var;
	char *err;
	size_t errlen;
};

static void
split(const char *value, struct words *ws)
{
	char *save = NULL;

	snprintf(ws->buf, sizeof(ws->buf), "%s", value);
	ws->n = 0;
	for (char *w = strtok_r(ws->buf, " \t", &save);
	     w != NULL && ws->n < MAXWORDS; w = strtok_r(NULL, " \t", &save))
		ws->w[ws->n++] = w;
}

__attribute__((format(printf, 2, 3))) static int
fail(const struct ctx *c, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (c->errlen > 0)
		snprintf(c->err, c->errlen, "%s: %s: %s", c->var->where,
			 c->var->name, what);
	return -1;
}

/* "24" within 0..max; -1 if not a plain number in range. */
static int
parse_len(const char *s, int max)
{
	int len = 0;

	if (*s == '\0' || strlen(s) > 3)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		len = len * 10 + (*s - '0');
	}
	return len <= max ? len : -1;
}

/* "10.0.0.5" or "10.0.0.5/24" into addr and *len (-1 without /); addr
 * and *len untouched unless the whole word is good. */
static bool
parse_addr(int af, const char *word, char *addr, size_t size, int *len)
{
	unsigned char bin[16];
	char text[VF_INET6_ADDRSTRLEN];
	const char *slash = strchr(word, '/');
	size_t n = slash != NULL ? (size_t)(slash - word) : strlen(word);
	int l = -1;

	if (n >= size || n >= sizeof(text))
		return false;
	memcpy(text, word, n);
	text[n] = '\0';
	if (inet_pton(af, text, bin) != 1)
		return false;
	if (slash != NULL &&
	    (l = parse_len(slash + 1, af == AF_INET ? 32 : 128)) < 0)
		return false;
	memcpy(addr, text, n + 1);
	*len = l;
	return true;
}

/* ifconfig's netmask: dotted or 0xffffff00; contiguous ones only. */
static int
mask_len(const char *word)
{
	static const char hex[] = "0123456789abcdefABCDEF";
	struct in_addr in;
	uint32_t m;
	int len = 0;

	if (word[0] == '0' && (word[1] == 'x' || word[1] == 'X')) {
		const char *digits = word + 2;
		size_t n = strlen(digits);

		/* strtoul alone would take "0x-1" and "0x 1". */
		if (n == 0 || n > 8 || strspn(digits, hex) != n)
			return -1;
		m = (uint32_t)strtoul(digits, NULL, 16);
	} else if (inet_pton(AF_INET, word, &in) == 1) {
		m = ntohl(in.s_addr);
	} else {
		return -1;
	}
	if (((~m + 1) & ~m) != 0)
		return -1; /* ones after a zero */
	for (; m != 0; m <<= 1)
		len++;
	return len;
}

/* inet ADDR[/len] [netmask M]: the address, or ADDR first (ifconfig's
 * default family is inet). */
static int
static_v4(const struct ctx *c, const struct words *ws, struct vf_ifcfg *cfg)
{
	for (size_t i = 0; i < ws->n; i++) {
		const char *w = ws->w[i];
		const char *next = i + 1 < ws->n ? ws->w[i + 1] : "";
		bool named = strcmp(w, "inet") == 0;
		int len;

		if (strcmp(w, "netmask") == 0) {
			if ((cfg->prefixlen = mask_len(next)) < 0)
				return fail(c, "bad netmask \"%s\"", next);
			i++;
			continue;
		}
		if (!named && i > 0)
			continue;
		if (named) {
			i++;
			w = i < ws->n ? ws->w[i] : "";
		}
		if (cfg->v4 == VF_IFCFG_STATIC)
			return fail(c, "two IPv4 addresses");
		if (!parse_addr(AF_INET, w, cfg->inet, sizeof(cfg->inet),
				&len)) {
			if (!named)
				continue; /* "up mtu 9000": no address */
			return fail(c, "bad IPv4 address \"%s\"", w);
		}
		if (len >= 0)
			cfg->prefixlen = len; /* a netmask may come before */
		cfg->v4 = VF_IFCFG_STATIC;
	}
	if (cfg->v4 != VF_IFCFG_STATIC)
		cfg->prefixlen = -1; /* a netmask with no address */
	return 0;
}

/* The words rc.d takes out of ifconfig_IF, any case, and what they say
 * about DHCP (sync -1: synchronous_dhclient decides). */
static const struct {
	const char *word;
	bool dhcp;
	int sync;
} rc_keywords[] = {
	{ "DHCP", true, -1 },	   { "SYNCDHCP", true, 1 },
	{ "NOSYNCDHCP", true, 0 }, { "NOAUTO", false, -1 },
	{ "WPA", false, -1 },	   { "HOSTAP", false, -1 },
	{ "POLLING", false, -1 },
};

/* Takes rc.d's words out of ws (the rest joined into cfg->args) and
 * sets cfg->v4 if they ask for DHCP. */
static void
rc_words(const struct vf_rcconf *rc, struct words *ws, struct vf_ifcfg *cfg)
{
	const size_t nkw = sizeof(rc_keywords) / sizeof(rc_keywords[0]);
	bool dhcp = false;
	int sync = -1;
	size_t kept = 0, k;

	for (size_t i = 0; i < ws->n; i++) {
		for (k = 0; k < nkw; k++)
			if (strcasecmp(ws->w[i], rc_keywords[k].word) == 0)
				break;
		if (k < nkw) {
			dhcp = dhcp || rc_keywords[k].dhcp;
			sync = rc_keywords[k].sync >= 0 ? rc_keywords[k].sync
							: sync;
			continue;
		}
		ws->w[kept++] = ws->w[i];
		snprintf(cfg->args + strlen(cfg->args),
			 sizeof(cfg->args) - strlen(cfg->args), "%s%s",
			 kept > 1 ? " " : "", ws->w[i]);
	}
	ws->n = kept;
	if (!dhcp)
		return;
	if (sync < 0)
		sync = vf_rcconf_yesno(rc, "synchronous_dhclient") == 1;
	cfg->v4 = sync ? VF_IFCFG_SYNCDHCP : VF_IFCFG_DHCP;
}

/* inet6 ADDR[/len] [prefixlen N] [accept_rtadv] ... */
static int
ipv6(const struct ctx *c, const struct words *ws, struct vf_ifcfg *cfg)
{
	for (size_t i = 0; i < ws->n; i++) {
		const char *w = ws->w[i];
		const char *next = i + 1 < ws->n ? ws->w[i + 1] : "";
		int len;

		if (strcmp(w, "accept_rtadv") == 0) {
			cfg->accept_rtadv = true;
		} else if (strcmp(w, "-accept_rtadv") == 0) {
			cfg->accept_rtadv = false;
		} else if (strcmp(w, "prefixlen") == 0) {
			if ((cfg->prefixlen6 = parse_len(next, 128)) < 0)
				return fail(c, "bad prefixlen \"%s\"", next);
			i++;
		} else if (strchr(w, ':') != NULL) {
			if (cfg->inet6[0] != '\0')
				return fail(c, "two IPv6 addresses");
			if (!parse_addr(AF_INET6, w, cfg->inet6,
					sizeof(cfg->inet6), &len))
				return fail(c, "bad IPv6 address \"%s\"", w);
			if (len >= 0)
				cfg->prefixlen6 = len;
		}
	}
	if (cfg->inet6[0] != '\0')
		cfg->v6 = VF_IFCFG6_STATIC;
	else if (cfg->accept_rtadv)
		cfg->v6 = VF_IFCFG6_RTADV;
	else if (ws->n > 0)
		cfg->v6 = VF_IFCFG6_OTHER;
	return 0;
}

static int
get_v6(const struct vf_rcconf *rc, const char *ifname, struct vf_ifcfg *cfg,
       struct ctx *c)
{
	char name[VF_RC_NAMESIZ];
	struct words ws;

	snprintf(name, sizeof(name), "ifconfig_%s_ipv6", ifname);
	if ((c->var = vf_rcconf_get(rc, name)) == NULL)
		return 0;
	snprintf(cfg->args6, sizeof(cfg->args6), "%s", c->var->value);
	split(c->var->value, &ws);
	return ipv6(c, &ws, cfg);
}

int
vf_ifcfg_get(const struct vf_rcconf *rc, const char *ifname,
	     struct vf_ifcfg *cfg, char *err, size_t errlen)
{
	struct ctx c = { .err = err, .errlen = errlen };
	char name[VF_RC_NAMESIZ];
	struct words ws;

	memset(cfg, 0, sizeof(*cfg));
	cfg->prefixlen = cfg->prefixlen6 = -1;
	if (vf_fbsd_hn_unit(ifname) < 0) {
		if (errlen > 0)
			snprintf(err, errlen, "%s: not an hn(4) name", ifname);
		return -1;
	}
	/* rc.d: ifconfig_DEFAULT stands in for an unset ifconfig_IF. */
	snprintf(name, sizeof(name), "ifconfig_%s", ifname);
	if ((c.var = vf_rcconf_get(rc, name)) == NULL)
		c.var = vf_rcconf_get(rc, "ifconfig_DEFAULT");
	if (c.var != NULL) {
		split(c.var->value, &ws);
		rc_words(rc, &ws, cfg);
		if (cfg->v4 == VF_IFCFG_NONE && static_v4(&c, &ws, cfg) != 0)
			goto bad;
	}
	if (get_v6(rc, ifname, cfg, &c) == 0)
		return 0;
bad:
	memset(cfg, 0, sizeof(*cfg)); /* nothing half-read to apply */
	cfg->prefixlen = cfg->prefixlen6 = -1;
	return -1;
}

const char *
vf_ifcfg_v4_name(enum vf_ifcfg_v4 v4)
{
	switch (v4) {
	case VF_IFCFG_NONE:
		return "none";
	case VF_IFCFG_DHCP:
		return "DHCP";
	case VF_IFCFG_SYNCDHCP:
		return "SYNCDHCP";
	case VF_IFCFG_STATIC:
		return "static";
	}
	return "?";
}

const char *
vf_ifcfg_v6_name(enum vf_ifcfg_v6 v6)
{
	switch (v6) {
	case VF_IFCFG6_NONE:
		return "none";
	case VF_IFCFG6_RTADV:
		return "accept_rtadv";
	case VF_IFCFG6_STATIC:
		return "static";
	case VF_IFCFG6_OTHER:
		return "other";
	}
	return "?";
}
