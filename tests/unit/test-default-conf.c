/* SPDX-License-Identifier: MIT */
/*
 * The commented /etc/vfbond.conf the package ships (debian/vfbond.conf):
 * it loads as it is, every key of vfbond.conf(5) is in it, and with
 * every key uncommented it is exactly the defaults.
 * Usage: test-default-conf SHIPPED_CONF MAN_PAGE
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "os/defaults.h"

static const char *shipped, *manpage;

/* A text file's lines, at most 256 of at most 255 characters. */
struct lines {
	int n;
	char line[256][256];
};

static void
read_lines(const char *path, struct lines *out)
{
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	out->n = 0;
	while (out->n < 256 &&
	       fgets(out->line[out->n], sizeof(out->line[0]), f) != NULL) {
		out->line[out->n][strcspn(out->line[out->n], "\n")] = '\0';
		out->n++;
	}
	fclose(f);
}

/* The length of KEY in "#KEY =..." (a setting commented out), or 0. */
static size_t
commented_key(const char *line)
{
	size_t len;

	if (line[0] != '#')
		return 0;
	len = strspn(line + 1, "abcdefghijklmnopqrstuvwxyz_");
	return len > 0 && strncmp(line + 1 + len, " =", 2) == 0 ? len : 0;
}

static void
shipped_loads_as_defaults(void **state)
{
	struct vf_config conf, defaults;
	char err[256] = "";

	assert_int_equal(vf_conf_load(shipped, true, &conf, err, sizeof(err)),
			 0);
	vf_config_defaults(&defaults);
	vf_if_defaults(&defaults);
	assert_memory_equal(&conf, &defaults, sizeof(conf));
}

static void
uncommented_is_the_defaults(void **state)
{
	static struct lines conf_lines;
	struct vf_config conf, defaults;
	char path[] = "/tmp/vfbond-defconf-XXXXXX", err[256] = "";
	int fd = mkstemp(path), keys = 0;
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	read_lines(shipped, &conf_lines);
	for (int i = 0; i < conf_lines.n; i++) {
		const char *l = conf_lines.line[i];

		if (commented_key(l) > 0)
			l++, keys++;
		else if (strncmp(l, "#[", 2) == 0)
			l++;
		fprintf(f, "%s\n", l);
	}
	fclose(f);
	if (vf_conf_load(path, true, &conf, err, sizeof(err)) != 0)
		fail_msg("uncommented, %s does not load: %s", shipped, err);
	unlink(path);
	/* The [vfbond] keys and the [iface] example's. */
	assert_int_equal(keys, 14);
	/* The [iface] example is an example; the rest must be the defaults. */
	assert_int_equal(conf.n_ifaces, 1);
	assert_false(conf.ifaces[0].ignore);
	conf.n_ifaces = 0;
	memset(&conf.ifaces[0], 0, sizeof(conf.ifaces[0]));
	vf_config_defaults(&defaults);
	vf_if_defaults(&defaults);
	assert_memory_equal(&conf, &defaults, sizeof(conf));
}

/* Every ".BI key" of the manual is a "#key = " line, and the reverse. */
static void
every_key_of_the_manual(void **state)
{
	static struct lines man_lines, conf_lines;
	int man_keys = 0;

	read_lines(manpage, &man_lines);
	read_lines(shipped, &conf_lines);
	for (int i = 0; i < man_lines.n; i++) {
		char key[64];
		bool found = false;

		if (sscanf(man_lines.line[i], ".BI %63s \" = ", key) != 1 ||
		    strstr(man_lines.line[i], "\" = ") == NULL)
			continue;
		man_keys++;
		for (int j = 0; j < conf_lines.n && !found; j++) {
			const char *l = conf_lines.line[j];

			found = commented_key(l) == strlen(key) &&
				strncmp(l + 1, key, strlen(key)) == 0;
		}
		if (!found)
			fail_msg("vfbond.conf(5)'s key '%s' is not in %s", key,
				 shipped);
	}
	/* 11 in [vfbond] and vf_delay, ignore in [iface NAME]. */
	assert_int_equal(man_keys, 14);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_loads_as_defaults),
		cmocka_unit_test(uncommented_is_the_defaults),
		cmocka_unit_test(every_key_of_the_manual),
	};

	if (argc != 3) {
		fprintf(stderr, "usage: %s SHIPPED_CONF MAN_PAGE\n", argv[0]);
		return 2;
	}
	shipped = argv[1];
	manpage = argv[2];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
