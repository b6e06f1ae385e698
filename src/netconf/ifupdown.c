/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netconf/ifupdown.h"
#include "netconf/ini.h"

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

bool
vf_ifupdown_configures_other(const char *text, const char *except)
{
	while (*text != '\0') {
		size_t n = strcspn(text, "\n");
		char word[24], name[64];
		const char *r = first_word(text, n, word, sizeof(word));

		if (strcmp(word, "iface") == 0) {
			first_word(r, n - (size_t)(r - text), name,
				   sizeof(name));
			if (name[0] != '\0' && strcmp(name, except) != 0)
				return true;
		}
		text += n;
		if (*text == '\n')
			text++;
	}
	return false;
}

char *
vf_ifupdown_master_stanzas(const char *text, const char *name,
			   const char *master, bool *dhcp)
{
	struct vf_buf o = { .ok = true };
	bool in = false;

	*dhcp = false;
	vf_buf_str(&o, "");
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
				vf_buf_str(&o, "iface ");
				vf_buf_str(&o, master);
				vf_buf_str(&o, " ");
				vf_buf_str(&o, tail);
				vf_buf_str(&o, "\n");
				if (strstr(tail, " dhcp") != NULL)
					*dhcp = true;
			}
		} else if (in && word[0] != '\0') {
			vf_buf_add(&o, text, n);
			vf_buf_str(&o, "\n");
		}
		text += n;
		if (*text == '\n')
			text++;
	}
	return vf_buf_done(&o);
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
	struct vf_buf o = { .ok = true };
	size_t len = strlen(iface);

	vf_buf_str(&o, "");
	while (*state != '\0') {
		size_t n = strcspn(state, "\n");

		if (!(n > len && strncmp(state, iface, len) == 0 &&
		      state[len] == '=')) {
			vf_buf_add(&o, state, n);
			vf_buf_str(&o, "\n");
		}
		state += n;
		if (*state == '\n')
			state++;
	}
	if (logical != NULL) {
		vf_buf_str(&o, iface);
		vf_buf_str(&o, "=");
		vf_buf_str(&o, logical);
		vf_buf_str(&o, "\n");
	}
	return vf_buf_done(&o);
}
