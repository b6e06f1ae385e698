/* SPDX-License-Identifier: MIT */
/*
 * rc.conf as plain sh assignments. Each line is read within its own
 * bytes; a value is built from unquoted, '...' and "..." pieces the way
 * sh joins them, and whatever would make sh expand, run or continue
 * something is refused rather than guessed at.
 */
#include "os/freebsd/rcconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "os/freebsd/ifname.h"

/* One line being read: its bytes, the cursor, and the value built. */
struct line {
	const char *p, *end;
	char value[VF_RC_VALSIZ];
	size_t n;
	const char *why; /* set on the first refusal */
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

static void
refuse(struct line *l, const char *why)
{
	if (l->why == NULL)
		l->why = why;
	l->p = l->end;
}

static void
put(struct line *l, char c)
{
	if (l->n + 1 >= VF_RC_VALSIZ) {
		refuse(l, "value longer than 255 characters");
		return;
	}
	l->value[l->n++] = c;
}

/* 'text': everything literal up to the next quote on this line. */
static void
single_quoted(struct line *l)
{
	const char *close = memchr(l->p, '\'', (size_t)(l->end - l->p));

	if (close == NULL) {
		refuse(l, "quote not closed on this line");
		return;
	}
	while (l->p < close)
		put(l, *l->p++);
	l->p = close + 1;
}

/* "text": a backslash escapes only $ ` " \ (and is kept before others). */
static void
double_quoted(struct line *l)
{
	while (l->p < l->end) {
		char c = *l->p++;

		if (c == '"')
			return;
		if (c == '$' || c == '`') {
			refuse(l, "$ or ` expansion needs a shell");
			return;
		}
		if (c == '\\' && l->p < l->end && strchr("$`\"\\", *l->p)) {
			put(l, *l->p++);
			continue;
		}
		put(l, c);
	}
	refuse(l, "quote not closed on this line");
}

/* One unquoted character, or the start of a quoted piece. */
static void
value_piece(struct line *l, bool first)
{
	char c = *l->p++;

	if (c == '\'')
		single_quoted(l);
	else if (c == '"')
		double_quoted(l);
	else if (c == '$' || c == '`')
		refuse(l, "$ or ` expansion needs a shell");
	else if (c == '\\' && l->p == l->end)
		refuse(l, "a line continued with \\");
	else if (c == '\\')
		put(l, *l->p++);
	else if (strchr(";&|<>()", c) != NULL)
		refuse(l, "; & | < > ( ) need a shell");
	else if (c == '~' && first)
		refuse(l, "~ expansion needs a shell");
	else
		put(l, c);
}

static void
read_value(struct line *l)
{
	bool first = true;

	while (l->why == NULL && l->p < l->end && !is_blank(*l->p)) {
		value_piece(l, first);
		first = false;
	}
	l->value[l->n] = '\0';
}

/* The variables vfbond keeps; the rest is checked and dropped. */
static bool
kept(const char *name)
{
	static const char *const names[] = { "vfbond_enable", "hyperv_vf_delay",
					     "synchronous_dhclient",
					     "ifconfig_DEFAULT" };
	char ifname[VF_RC_NAMESIZ];
	size_t n;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	if (strncmp(name, "ifconfig_", 9) != 0)
		return false;
	n = strcspn(name + 9, "_");
	memcpy(ifname, name + 9, n);
	ifname[n] = '\0';
	if (vf_fbsd_hn_unit(ifname) < 0)
		return false;
	return name[9 + n] == '\0' || strcmp(name + 9 + n, "_ipv6") == 0;
}

static int
store(struct vf_rcconf *rc, const char *name, const char *value,
      const char *where)
{
	struct vf_rc_var *v = (struct vf_rc_var *)vf_rcconf_get(rc, name);

	if (v == NULL) {
		if (rc->nvars == VF_RC_MAXVARS)
			return -1;
		v = &rc->vars[rc->nvars++];
		snprintf(v->name, sizeof(v->name), "%s", name);
	}
	snprintf(v->value, sizeof(v->value), "%s", value);
	snprintf(v->where, sizeof(v->where), "%s", where);
	return 0;
}

/* name=value [# comment]: reads the name into name, or refuses. */
static void
read_name(struct line *l, char name[VF_RC_NAMESIZ])
{
	const char *start = l->p;

	while (l->p < l->end && name_char(*l->p))
		l->p++;
	if (l->p == l->end || *l->p != '=') {
		refuse(l, "not a plain assignment (name=value)");
		return;
	}
	/* A name too long to be ours is read but never kept. */
	snprintf(name, VF_RC_NAMESIZ, "%.*s", (int)(l->p - start), start);
	if ((size_t)(l->p - start) >= VF_RC_NAMESIZ)
		name[0] = '\0';
	l->p++;
}

static void
read_assignment(struct line *l, char name[VF_RC_NAMESIZ])
{
	if (!name_start(*l->p)) {
		refuse(l, "not a plain assignment (name=value)");
		return;
	}
	read_name(l, name);
	if (l->why == NULL)
		read_value(l);
	if (l->why != NULL)
		return;
	while (l->p < l->end && is_blank(*l->p))
		l->p++;
	if (l->p < l->end && *l->p != '#')
		refuse(l, "words after the value: a command, not an "
			  "assignment");
}

static int
parse_line(struct vf_rcconf *rc, struct line *l, const char *where)
{
	char name[VF_RC_NAMESIZ] = "";

	if (memchr(l->p, '\r', (size_t)(l->end - l->p)) != NULL)
		l->why = "a carriage return (a DOS line end?)";
	while (l->p < l->end && is_blank(*l->p))
		l->p++;
	if (l->why != NULL || l->p == l->end || *l->p == '#')
		return l->why != NULL ? -1 : 0;
	read_assignment(l, name);
	if (l->why != NULL)
		return -1;
	if (!kept(name))
		return 0;
	if (store(rc, name, l->value, where) != 0) {
		l->why = "too many ifconfig_hnN variables";
		return -1;
	}
	return 0;
}

__attribute__((format(printf, 3, 4))) static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void
vf_rcconf_init(struct vf_rcconf *rc)
{
	memset(rc, 0, sizeof(*rc));
}

int
vf_rcconf_parse(struct vf_rcconf *rc, const char *text, size_t len,
		const char *file, char *err, size_t errlen)
{
	const char *p = text, *end = text + len;
	char where[VF_RC_WHERESIZ];

	for (unsigned lineno = 1; p < end; lineno++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct line l = { .p = p, .end = nl != NULL ? nl : end };

		snprintf(where, sizeof(where), "%s:%u", file, lineno);
		if (memchr(l.p, '\0', (size_t)(l.end - l.p)) != NULL) {
			seterr(err, errlen, "%s: a NUL byte", where);
			return -1;
		}
		if (parse_line(rc, &l, where) != 0) {
			seterr(err, errlen, "%s: %s", where, l.why);
			return -1;
		}
		p = l.end == end ? end : l.end + 1;
	}
	return 0;
}

const struct vf_rc_var *
vf_rcconf_get(const struct vf_rcconf *rc, const char *name)
{
	for (size_t i = 0; i < rc->nvars; i++)
		if (strcmp(rc->vars[i].name, name) == 0)
			return &rc->vars[i];
	return NULL;
}

unsigned
vf_rcconf_vf_delay(const struct vf_rcconf *rc, bool *raised)
{
	const struct vf_rc_var *v = vf_rcconf_get(rc, "hyperv_vf_delay");
	unsigned long long secs = 0;
	const char *s = v != NULL ? v->value : "";

	/* The seed: test "$hyperv_vf_delay" -ge 2 || hyperv_vf_delay=2. */
	for (; *s >= '0' && *s <= '9' && secs <= 0x7fffffff; s++)
		secs = secs * 10 + (unsigned long long)(*s - '0');
	if (raised != NULL)
		*raised = false;
	if (v != NULL && v->value[0] != '\0' && *s == '\0' && secs >= 2 &&
	    secs <= 0x7fffffff)
		return (unsigned)secs;
	if (raised != NULL)
		*raised = true;
	return 2;
}

int
vf_rcconf_yesno(const struct vf_rcconf *rc, const char *name)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	const struct vf_rc_var *v = vf_rcconf_get(rc, name);

	if (v == NULL)
		return 0;
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v->value, yes[i]) == 0)
			return 1;
		if (strcasecmp(v->value, no[i]) == 0)
			return 0;
	}
	return -1;
}
