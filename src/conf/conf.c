/* SPDX-License-Identifier: MIT */
/*
 * /etc/vfbond.conf, an INI file read with inih. The reference for every
 * key is vfbond.conf(5); keep the two in step.
 */
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf.h"
#include "netconf/netconf.h"
#include "os/defaults.h"
#include "os/privs.h"

struct parse {
	struct vf_config *conf;
	char msg[160]; /* first problem, without its line */
	struct vf_iface_conf *iface;
	char section[80];
	int n_seen;
	char seen[128][48]; /* "section\nkey": a key set twice is a mistake */
};

int
vf_conf_duration_ms(const char *text)
{
	char *end;
	double value;

	errno = 0;
	value = strtod(text, &end);
	/* Written to reject NaN too. */
	if (end == text || errno != 0 || !(value >= 0.0))
		return -1;
	if (strcmp(end, "ms") == 0)
		value /= 1000.0;
	else if (*end != '\0' && strcmp(end, "s") != 0)
		return -1;
	if (!(value <= 86400.0))
		return -1;
	return (int)(value * 1000.0 + 0.5);
}

static bool
parse_bool(const char *text, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(text, yes[i]) == 0)
			return *out = true, true;
		if (strcasecmp(text, no[i]) == 0)
			return *out = false, true;
	}
	return false;
}

__attribute__((format(printf, 2, 3))) static int
fail(struct parse *p, const char *fmt, ...)
{
	va_list ap;

	if (p->msg[0] != '\0')
		return 0;
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
	va_end(ap);
	return 0;
}

static int
set_duration(struct parse *p, const char *key, const char *value, int *out)
{
	int ms = vf_conf_duration_ms(value);

	if (ms < 0)
		return fail(p,
			    "%s: bad duration '%s' (seconds, or a number "
			    "followed by ms)",
			    key, value);
	*out = ms;
	return 1;
}

static int
set_words(struct parse *p, const char *key, const char *value,
	  struct vf_words *out)
{
	if (!vf_words_set(out, value))
		return fail(p, "%s: too many or too long words in '%s'", key,
			    value);
	return 1;
}

static int
set_privileges(struct parse *p, const char *key, const char *value,
	       struct vf_words *out)
{
	if (set_words(p, key, value, out) == 0)
		return 0;
	for (int i = 0; i < out->count; i++)
		if (!vf_privs_known(out->word[i]))
			return fail(p, "%s: '%s' is not a capability", key,
				    out->word[i]);
	return 1;
}

static int
set_global(struct parse *p, const char *key, const char *value)
{
	struct vf_config *c = p->conf;
	struct vf_link sample = { .name = "eth0" };

	if (strcmp(key, "vf_delay") == 0)
		return set_duration(p, key, value, &c->vf_delay_ms);
	if (strcmp(key, "carrier_wait") == 0)
		return set_duration(p, key, value, &c->carrier_wait_ms);
	if (strcmp(key, "hook_timeout") == 0)
		return set_duration(p, key, value, &c->hook_timeout_ms);
	if (strcmp(key, "miimon") == 0) {
		if (set_duration(p, key, value, &c->link_check_ms) == 0)
			return 0;
		if (c->link_check_ms < 1)
			return fail(p, "%s: must be at least 1ms, not '%s'",
				    key, value);
		return 1;
	}
	if (strcmp(key, "network_manager") == 0) {
		enum vf_netconf_kind kind;

		if (!vf_netconf_parse_kind(value, &kind))
			return fail(
			    p,
			    "%s: '%s' is not auto, none, networkd, ifupdown "
			    "or networkmanager",
			    key, value);
		snprintf(c->network_manager, sizeof(c->network_manager), "%s",
			 value);
		return 1;
	}
	if (strcmp(key, "master_before_vf") == 0) {
		if (!parse_bool(value, &c->master_before_vf))
			return fail(p, "%s: '%s' is not yes or no", key, value);
		return 1;
	}
	if (strcmp(key, "synthetic_drivers") == 0)
		return set_words(p, key, value, &c->synthetic_drivers);
	if (strcmp(key, "synthetic_names") == 0)
		return set_words(p, key, value, &c->synthetic_names);
	if (strcmp(key, "vf_exclude_kinds") == 0)
		return set_words(p, key, value, &c->vf_exclude_kinds);
	if (strcmp(key, "master_name") == 0) {
		char name[VF_IFNAMSIZ];

		if (strlen(value) >= sizeof(c->master_name) ||
		    !vf_master_name(value, &sample, name))
			return fail(
			    p,
			    "%s: '%s' does not make an interface "
			    "name (1-15 characters; %%m, %%n, %%u, %%%%)",
			    key, value);
		snprintf(c->master_name, sizeof(c->master_name), "%s", value);
		return 1;
	}
	if (strcmp(key, "hook_capabilities") == 0)
		return set_privileges(p, key, value, &c->hook_privileges);
	if (strcmp(key, "hooks_dir") == 0) {
		if (value[0] != '/' || strlen(value) >= sizeof(c->hooks_dir))
			return fail(p, "%s: '%s' is not an absolute path", key,
				    value);
		snprintf(c->hooks_dir, sizeof(c->hooks_dir), "%s", value);
		return 1;
	}
	return fail(p, "unknown key '%s' in [%s]", key, "vfbond");
}

static int
set_iface(struct parse *p, const char *key, const char *value)
{
	struct vf_iface_conf *ic = p->iface;

	if (strcmp(key, "vf_delay") == 0)
		return set_duration(p, key, value, &ic->vf_delay_ms);
	if (strcmp(key, "ignore") == 0) {
		if (!parse_bool(value, &ic->ignore))
			return fail(p, "%s: '%s' is not yes or no", key, value);
		return 1;
	}
	return fail(p, "unknown key '%s' in [%s]", key, p->section);
}

static bool
valid_ifname(const char *name)
{
	size_t len = strlen(name);

	return len > 0 && len < VF_IFNAMSIZ && strcspn(name, "/: \t") == len;
}

static int
open_section(struct parse *p, const char *section)
{
	struct vf_config *c = p->conf;
	const char *arg;
	uint8_t mac[VF_MACLEN];
	size_t len;

	len = strnlen(section, sizeof(p->section) - 1);
	memcpy(p->section, section, len);
	p->section[len] = '\0';
	p->iface = NULL;
	if (strcmp(section, "vfbond") == 0)
		return 1;
	if (strncmp(section, "iface ", 6) != 0)
		return fail(p, "unknown section [%s]", section);
	arg = section + 6;
	arg += strspn(arg, " ");
	if (!valid_ifname(arg) && !vf_mac_parse(arg, mac))
		return fail(p,
			    "[%s]: '%s' is neither an interface name nor "
			    "a MAC address",
			    section, arg);
	for (int i = 0; i < c->n_ifaces; i++)
		if (strcasecmp(c->ifaces[i].match, arg) == 0) {
			p->iface = &c->ifaces[i];
			return 1;
		}
	if (c->n_ifaces == VF_MAX_IFACES)
		return fail(p, "more than %d [iface] sections", VF_MAX_IFACES);
	p->iface = &c->ifaces[c->n_ifaces++];
	snprintf(p->iface->match, sizeof(p->iface->match), "%s", arg);
	p->iface->vf_delay_ms = -1;
	return 1;
}

static bool
first_time(struct parse *p, const char *section, const char *key)
{
	char id[48];

	snprintf(id, sizeof(id), "%s\n%s", section, key);
	for (int i = 0; i < p->n_seen; i++)
		if (strcmp(p->seen[i], id) == 0)
			return false;
	if (p->n_seen < 128)
		snprintf(p->seen[p->n_seen++], sizeof(id), "%s", id);
	return true;
}

static int
handler(void *user, const char *section, const char *key, const char *value)
{
	struct parse *p = user;

	if (p->msg[0] != '\0')
		return 0;
	if (section[0] != '\0' && strcmp(section, p->section) != 0 &&
	    !open_section(p, section))
		return 0;
	if (key ==
	    NULL) /* a new section, with INI_CALL_HANDLER_ON_NEW_SECTION */
		return 1;
	if (section[0] == '\0')
		return fail(p, "'%s' outside a section (put it under [vfbond])",
			    key);
	if (!first_time(p, section, key))
		return fail(p, "'%s' is set twice in [%s]", key, section);
	if (p->iface != NULL)
		return set_iface(p, key, value);
	return set_global(p, key, value);
}

int
vf_conf_load(const char *path, bool required, struct vf_config *conf, char *err,
	     size_t errlen)
{
	struct parse p = { .conf = conf, .section = "\x01" };
	FILE *f;
	int line;

	vf_config_defaults(conf);
	vf_if_defaults(conf);
	if (path == NULL)
		return 0;
	f = fopen(path, "r");
	if (f == NULL) {
		if (errno == ENOENT && !required)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	line = ini_parse_file(f, handler, &p);
	fclose(f);
	if (line == 0)
		return 0;
	if (line < 0)
		snprintf(err, errlen, "%s: cannot read the file", path);
	else
		snprintf(err, errlen, "%s:%d: %s", path, line,
			 p.msg[0] != '\0' ? p.msg : "syntax error");
	return -1;
}
