/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netconf/ifupdown.h"

/* The words that start a stanza; anything else continues one. */
static bool
starts_stanza(const char *word)
{
	static const char *const words[] = {
		"iface",	"mapping",	    "auto",
		"source",	"source-directory", "rename",
		"no-auto-down", "no-scripts",	    NULL
	};

	if (strncmp(word, "allow-", 6) == 0)
		return true;
	for (int i = 0; words[i] != NULL; i++)
		if (strcmp(word, words[i]) == 0)
			return true;
	return false;
}

/* The next line's first word (up to len), and where the rest starts. */
static const char *
first_word(const char *line, size_t n, char *word, size_t len)
{
	size_t i = 0, w = 0;

	while (i < n && isspace((unsigned char)line[i]))
		i++;
	while (i < n && !isspace((unsigned char)line[i])) {
		if (w + 1 < len)
			word[w++] = line[i];
		i++;
	}
	word[w] = '\0';
	while (i < n && isspace((unsigned char)line[i]))
		i++;
	return line + i;
}

void
vf_ifupdown_sources(const char *text,
		    void (*cb)(void *arg, bool dir, const char *pattern),
		    void *arg)
{
	while (*text != '\0') {
		size_t n = strcspn(text, "\n");
		char word[24], rest[512];
		const char *r = first_word(text, n, word, sizeof(word));
		size_t rn = n - (size_t)(r - text);

		snprintf(rest, sizeof(rest), "%.*s", (int)rn, r);
		while (rn > 0 && isspace((unsigned char)rest[rn - 1]))
			rest[--rn] = '\0';
		if (strcmp(word, "source") == 0 && rest[0] != '\0')
			cb(arg, false, rest);
		else if (strcmp(word, "source-directory") == 0 &&
			 rest[0] != '\0')
			cb(arg, true, rest);
		text += n;
		if (*text == '\n')
			text++;
	}
}

struct out {
	char *s;
	size_t len, cap;
	bool ok;
};

static void
put(struct out *o, const char *text, size_t n)
{
	if (!o->ok)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->len + n + 1) * 2;
		char *s = realloc(o->s, cap);

		if (s == NULL) {
			o->ok = false;
			return;
		}
		o->s = s;
		o->cap = cap;
	}
	memcpy(o->s + o->len, text, n);
	o->len += n;
	o->s[o->len] = '\0';
}

static void
puts_(struct out *o, const char *text)
{
	put(o, text, strlen(text));
}

/* "iface NAME FAMILY METHOD": true for NAME, with the rest copied. */
static bool
iface_of(const char *rest, size_t n, const char *name, char *tail, size_t len)
{
	char word[64];
	const char *r = first_word(rest, n, word, sizeof(word));

	if (strcmp(word, name) != 0)
		return false;
	snprintf(tail, len, "%.*s", (int)(n - (size_t)(r - rest)), r);
	return true;
}

char *
vf_ifupdown_master_stanzas(const char *text, const char *name,
			   const char *master, bool *dhcp)
{
	struct out o = { NULL, 0, 0, true };
	bool in = false;

	*dhcp = false;
	puts_(&o, "");
	while (*text != '\0') {
		size_t n = strcspn(text, "\n");
		char word[24], tail[256];
		const char *r = first_word(text, n, word, sizeof(word));

		if (word[0] == '#') {
			/* comments belong to nobody */
		} else if (starts_stanza(word)) {
			in = strcmp(word, "iface") == 0 &&
			     iface_of(r, n - (size_t)(r - text), name, tail,
				      sizeof(tail));
			if (in) {
				puts_(&o, "iface ");
				puts_(&o, master);
				puts_(&o, " ");
				puts_(&o, tail);
				puts_(&o, "\n");
				if (strstr(tail, " dhcp") != NULL)
					*dhcp = true;
			}
		} else if (in && word[0] != '\0') {
			put(&o, text, n);
			puts_(&o, "\n");
		}
		text += n;
		if (*text == '\n')
			text++;
	}
	if (!o.ok) {
		free(o.s);
		return NULL;
	}
	return o.s;
}

bool
vf_ifupdown_state_has(const char *state, const char *iface)
{
	size_t len = strlen(iface);

	while (*state != '\0') {
		size_t n = strcspn(state, "\n");

		if (n > len && strncmp(state, iface, len) == 0 &&
		    state[len] == '=')
			return true;
		state += n;
		if (*state == '\n')
			state++;
	}
	return false;
}

char *
vf_ifupdown_state_set(const char *state, const char *iface, const char *logical)
{
	struct out o = { NULL, 0, 0, true };
	size_t len = strlen(iface);

	puts_(&o, "");
	while (*state != '\0') {
		size_t n = strcspn(state, "\n");

		if (!(n > len && strncmp(state, iface, len) == 0 &&
		      state[len] == '=')) {
			put(&o, state, n);
			puts_(&o, "\n");
		}
		state += n;
		if (*state == '\n')
			state++;
	}
	if (logical != NULL) {
		puts_(&o, iface);
		puts_(&o, "=");
		puts_(&o, logical);
		puts_(&o, "\n");
	}
	if (!o.ok) {
		free(o.s);
		return NULL;
	}
	return o.s;
}
