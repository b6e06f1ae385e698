/* SPDX-License-Identifier: MIT */
/*
 * devd(8) event records, parsed in place over (pointer, end) spans: the
 * record is not NUL-terminated and nothing is read at or past its end.
 */
#include "os/freebsd/devd.h"

#include <stdbool.h>
#include <string.h>

struct span {
	const char *s;
	size_t n;
};

/* What vfbond listens to; everything else is VF_DEVD_OTHER. */
static const struct {
	const char *system;
	const char *type;
	enum vf_devd_kind kind;
} kinds[] = {
	{ "HYPERV_NIC_VF", "VF_UP", VF_DEVD_VF_UP },
	{ "HYPERV_NIC_VF", "VF_DOWN", VF_DEVD_VF_DOWN },
	{ "ETHERNET", "IFATTACH", VF_DEVD_IFATTACH },
	{ "IFNET", "ATTACH", VF_DEVD_IF_ATTACH },
	{ "IFNET", "DETACH", VF_DEVD_IF_DETACH },
	{ "IFNET", "LINK_UP", VF_DEVD_LINK_UP },
	{ "IFNET", "LINK_DOWN", VF_DEVD_LINK_DOWN },
};

/* Systems whose subsystem is an interface name. */
static const char *const if_systems[] = { "HYPERV_NIC_VF", "ETHERNET",
					  "IFNET" };

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
span_is(struct span sp, const char *word)
{
	return strlen(word) == sp.n && memcmp(sp.s, word, sp.n) == 0;
}

/* Drops one terminating NUL, then one "\n" or "\r\n": senders vary. */
static size_t
trim_end(const char *buf, size_t len)
{
	if (len > 0 && buf[len - 1] == '\0')
		len--;
	if (len == 0 || buf[len - 1] != '\n')
		return len;
	len--;
	if (len > 0 && buf[len - 1] == '\r')
		len--; /* a CR only before the LF: a lone CR is an error */
	return len;
}

/* One record is one line of text: no NULs, no line breaks inside. */
static int
check_bytes(const char *buf, size_t len)
{
	if (memchr(buf, '\0', len) != NULL)
		return VF_DEVD_ENUL; /* first: a C string would stop there */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return VF_DEVD_ECTRL;
	}
	return VF_DEVD_OK;
}

/* A quoted value runs to the next '"'; devd has no escapes in it. */
static int
quoted_value(const char **pp, const char *end, struct span *val)
{
	const char *p = *pp + 1;
	const char *close = memchr(p, '"', (size_t)(end - p));

	if (close == NULL)
		return VF_DEVD_ESYNTAX;
	val->s = p;
	val->n = (size_t)(close - p);
	p = close + 1;
	if (p < end && !is_blank(*p))
		return VF_DEVD_ESYNTAX; /* "a"b: not one value */
	*pp = p;
	return VF_DEVD_OK;
}

/*
 * Reads the next key=value at *pp. Returns 1 with key and val set, 0 at
 * the end of the record, or an error.
 */
static int
next_pair(const char **pp, const char *end, struct span *key, struct span *val)
{
	const char *p = *pp;

	while (p < end && is_blank(*p))
		p++;
	if (p == end)
		return 0;
	key->s = p;
	while (p < end && *p != '=' && !is_blank(*p))
		p++;
	key->n = (size_t)(p - key->s);
	if (p == end || *p != '=' || key->n == 0)
		return VF_DEVD_ESYNTAX;
	p++;
	if (p < end && *p == '"') {
		int err = quoted_value(&p, end, val);

		if (err != VF_DEVD_OK)
			return err;
	} else {
		val->s = p;
		while (p < end && !is_blank(*p))
			p++;
		val->n = (size_t)(p - val->s);
	}
	*pp = p;
	return 1;
}

static int
store(char dst[VF_DEVD_FIELDSIZ], struct span val)
{
	if (dst[0] != '\0')
		return VF_DEVD_EDUP;
	if (val.n == 0)
		return VF_DEVD_EMISSING;
	if (val.n >= VF_DEVD_FIELDSIZ)
		return VF_DEVD_ETOOLONG;
	memcpy(dst, val.s, val.n);
	dst[val.n] = '\0';
	return VF_DEVD_OK;
}

static int
store_pair(struct vf_devd_event *ev, struct span key, struct span val)
{
	if (span_is(key, "system"))
		return store(ev->system, val);
	if (span_is(key, "subsystem"))
		return store(ev->subsystem, val);
	if (span_is(key, "type"))
		return store(ev->type, val);
	return VF_DEVD_OK; /* notify=0x..., address=...: not ours */
}

static int
classify(struct vf_devd_event *ev)
{
	bool if_system = false;

	for (size_t i = 0; i < sizeof(if_systems) / sizeof(if_systems[0]); i++)
		if (strcmp(ev->system, if_systems[i]) == 0)
			if_system = true;
	if (!if_system)
		return VF_DEVD_OK;
	if (!vf_fbsd_ifname_valid(ev->subsystem, strlen(ev->subsystem)))
		return VF_DEVD_EIFNAME;
	memcpy(ev->ifname, ev->subsystem, strlen(ev->subsystem) + 1);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(ev->system, kinds[i].system) == 0 &&
		    strcmp(ev->type, kinds[i].type) == 0)
			ev->kind = kinds[i].kind;
	return VF_DEVD_OK;
}

static int
parse_notify(const char *p, const char *end, struct vf_devd_event *ev)
{
	struct span key, val;
	int ret;

	while ((ret = next_pair(&p, end, &key, &val)) == 1) {
		ret = store_pair(ev, key, val);
		if (ret != VF_DEVD_OK)
			return ret;
	}
	if (ret != 0)
		return ret;
	if (ev->system[0] == '\0' || ev->subsystem[0] == '\0' ||
	    ev->type[0] == '\0')
		return VF_DEVD_EMISSING;
	return classify(ev);
}

static int
parse(const char *buf, size_t len, struct vf_devd_event *ev)
{
	int err;

	if (buf == NULL)
		return VF_DEVD_EEMPTY;
	len = trim_end(buf, len);
	if (len == 0)
		return VF_DEVD_EEMPTY;
	if ((err = check_bytes(buf, len)) != VF_DEVD_OK)
		return err;
	switch (buf[0]) {
	case '!':
		ev->msg = VF_DEVD_MSG_NOTIFY;
		return parse_notify(buf + 1, buf + len, ev);
	case '+':
		ev->msg = VF_DEVD_MSG_ATTACH;
		return VF_DEVD_OK;
	case '-':
		ev->msg = VF_DEVD_MSG_DETACH;
		return VF_DEVD_OK;
	case '?':
		ev->msg = VF_DEVD_MSG_NOMATCH;
		return VF_DEVD_OK;
	}
	return VF_DEVD_EPREFIX;
}

int
vf_devd_parse(const char *buf, size_t len, struct vf_devd_event *ev)
{
	int err;

	memset(ev, 0, sizeof(*ev));
	err = parse(buf, len, ev);
	if (err != VF_DEVD_OK)
		memset(ev, 0, sizeof(*ev)); /* no half-filled event */
	return err;
}

const char *
vf_devd_strerror(int err)
{
	switch (err) {
	case VF_DEVD_OK:
		return "no error";
	case VF_DEVD_EEMPTY:
		return "empty record";
	case VF_DEVD_ENUL:
		return "a NUL inside the record";
	case VF_DEVD_ECTRL:
		return "a control character inside the record";
	case VF_DEVD_EPREFIX:
		return "not a devd record (first character not ! + - ?)";
	case VF_DEVD_ESYNTAX:
		return "not key=value words, or an unclosed quote";
	case VF_DEVD_ETOOLONG:
		return "system, subsystem or type longer than 63 characters";
	case VF_DEVD_EMISSING:
		return "system, subsystem or type missing or empty";
	case VF_DEVD_EDUP:
		return "system, subsystem or type given twice";
	case VF_DEVD_EIFNAME:
		return "interface name not 1-15 characters of [A-Za-z0-9_.-]";
	}
	return "unknown error";
}

const char *
vf_devd_kind_name(enum vf_devd_kind kind)
{
	static const char *const names[] = {
		[VF_DEVD_OTHER] = "OTHER",
		[VF_DEVD_VF_UP] = "VF_UP",
		[VF_DEVD_VF_DOWN] = "VF_DOWN",
		[VF_DEVD_IFATTACH] = "IFATTACH",
		[VF_DEVD_IF_ATTACH] = "ATTACH",
		[VF_DEVD_IF_DETACH] = "DETACH",
		[VF_DEVD_LINK_UP] = "LINK_UP",
		[VF_DEVD_LINK_DOWN] = "LINK_DOWN",
	};

	if ((unsigned)kind >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[kind];
}
