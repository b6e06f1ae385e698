/* SPDX-License-Identifier: MIT */
/*
 * The text both managers' files are made of: systemd's unit files and
 * NetworkManager's keyfiles are "[section]" and "key=value" lines. And a
 * growing string to write them into.
 */
#ifndef VFBOND_NETCONF_INI_H
#define VFBOND_NETCONF_INI_H

#include <stdbool.h>
#include <stddef.h>

/* A growing string; out of memory leaves ok false. */
struct vf_buf {
	char *s;
	size_t len, cap;
	bool ok;
};

void vf_buf_add(struct vf_buf *b, const char *text, size_t n);
void vf_buf_str(struct vf_buf *b, const char *text);
/* The string, or NULL (freed) if memory ran out on the way. */
char *vf_buf_done(struct vf_buf *b);

/* One line: [section], key=value, or nothing. */
struct vf_ini_line {
	char section[32]; /* set on a header line */
	char key[48];
	const char *value; /* into a copy of the line */
	bool header;
};

/* Called for each line, with the section it is in; false stops. */
typedef bool vf_ini_line_fn(void *arg, const char *section,
			    const struct vf_ini_line *l, const char *raw,
			    size_t rawlen);

bool vf_ini_each_line(const char *text, vf_ini_line_fn *fn, void *arg);

#endif
