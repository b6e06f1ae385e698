/* SPDX-License-Identifier: MIT */
/*
 * A scratch root tree for the network-manager adapters' tests: files put
 * under it and read back by their path on a real system.
 */
#ifndef VFBOND_TEST_SCRATCH_H
#define VFBOND_TEST_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>

static char root[64];

/* A new, empty root named after the test. */
static inline void
scratch_make(const char *name)
{
	snprintf(root, sizeof(root), "/tmp/vfbond-%s-XXXXXX", name);
	assert_non_null(mkdtemp(root));
}

static inline int
scratch_remove(void)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

/* Writes rel (a path as on a system) under the root, dirs and all. */
static inline void
put(const char *rel, const char *text)
{
	char path[256], cmd[320];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(cmd), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* rel's text (until the next get), or NULL when there is none. */
static inline char *
get(const char *rel)
{
	static char text[4096];
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

#endif
