/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netconf/ini.h"

void
vf_buf_add(struct vf_buf *b, const char *text, size_t n)
{
	if (!b->ok)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *s = realloc(b->s, cap);

		if (s == NULL) {
			b->ok = false;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, text, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
vf_buf_str(struct vf_buf *b, const char *text)
{
	vf_buf_add(b, text, strlen(text));
}

char *
vf_buf_done(struct vf_buf *b)
{
	if (b->ok)
		return b->s;
	free(b->s);
	return NULL;
}

static char *
trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* Parses one line in place (s is a writable copy). */
static void
parse_line(char *s, struct vf_ini_line *out)
{
	char *eq;

	memset(out, 0, sizeof(*out));
	s = trim(s);
	if (*s == '[') {
		char *close = strchr(s, ']');

		if (close != NULL) {
			*close = '\0';
			snprintf(out->section, sizeof(out->section), "%s",
				 s + 1);
			out->header = true;
		}
		return;
	}
	if (*s == '#' || *s == ';' || (eq = strchr(s, '=')) == NULL)
		return;
	*eq = '\0';
	snprintf(out->key, sizeof(out->key), "%s", trim(s));
	out->value = trim(eq + 1);
}

bool
vf_ini_each_line(const char *text, vf_ini_line_fn *fn, void *arg)
{
	char section[32] = "";
	char copy[1024];

	while (*text != '\0') {
		size_t n = strcspn(text, "\n");
		struct vf_ini_line l;

		snprintf(copy, sizeof(copy), "%.*s",
			 (int)(n < sizeof(copy) ? n : sizeof(copy) - 1), text);
		parse_line(copy, &l);
		if (l.header)
			snprintf(section, sizeof(section), "%s", l.section);
		if (!fn(arg, section, &l, text, n))
			return false;
		text += n;
		if (*text == '\n')
			text++;
	}
	return true;
}
