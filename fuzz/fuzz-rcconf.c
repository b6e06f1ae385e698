/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the rc.conf reader and the ifconfig_hnN classification: any
 * text gives 0, or -1 with a one-line "file:line: what"; what is kept
 * reads back sane. The input is split at its first 0xff byte into
 * rc.conf and rc.conf.local. Built as a libFuzzer target (make fuzz) or,
 * with replay.c, as a test replaying fuzz/corpus-rcconf.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os/freebsd/ifcfg.h"
#include "os/freebsd/rcconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_err(int ret, const char *err)
{
	if (ret == 0)
		return;
	if (err[0] == '\0' || strchr(err, '\n') != NULL)
		__builtin_trap(); /* errors are one non-empty line */
}

/* Parses one file from an exact-size copy (ASan sees overreads). */
static int
parse(struct vf_rcconf *rc, const uint8_t *data, size_t size, const char *file)
{
	char err[256] = "";
	char *copy = malloc(size > 0 ? size : 1);
	int ret;

	if (copy == NULL)
		return -1;
	memcpy(copy, data, size);
	ret = vf_rcconf_parse(rc, copy, size, file, err, sizeof(err));
	free(copy);
	check_err(ret, err);
	return ret;
}

static void
check_ifcfg(const struct vf_rcconf *rc, const char *ifname)
{
	struct vf_ifcfg cfg;
	char err[256] = "";
	int ret = vf_ifcfg_get(rc, ifname, &cfg, err, sizeof(err));

	check_err(ret, err);
	if (cfg.prefixlen < -1 || cfg.prefixlen > 32 || cfg.prefixlen6 < -1 ||
	    cfg.prefixlen6 > 128)
		__builtin_trap();
	if ((cfg.v4 == VF_IFCFG_STATIC) != (cfg.inet[0] != '\0'))
		__builtin_trap();
	if ((cfg.v6 == VF_IFCFG6_STATIC) != (cfg.inet6[0] != '\0'))
		__builtin_trap();
	if (strlen(cfg.args) >= sizeof(cfg.args))
		__builtin_trap();
}

/* Each kept value, written back in single quotes, reads back the same:
 * what was taken from quotes and escapes is what sh would have made. */
static void
check_roundtrip(const struct vf_rcconf *rc)
{
	static struct vf_rcconf again;
	char line[VF_RC_NAMESIZ + VF_RC_VALSIZ + 8];
	const struct vf_rc_var *v;
	char err[256];
	int n;

	for (size_t i = 0; i < rc->nvars; i++) {
		v = &rc->vars[i];
		if (strchr(v->value, '\'') != NULL)
			continue; /* not writable in '...' */
		n = snprintf(line, sizeof(line), "%s='%s'\n", v->name,
			     v->value);
		vf_rcconf_init(&again);
		if (vf_rcconf_parse(&again, line, (size_t)n, "x", err,
				    sizeof(err)) != 0 ||
		    again.nvars != 1 ||
		    strcmp(again.vars[0].value, v->value) != 0)
			__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vf_rcconf rc;
	const uint8_t *split = memchr(data, 0xff, size);
	size_t first = split != NULL ? (size_t)(split - data) : size;
	static const char *const ifs[] = { "hn0", "hn1", "hn2", "hn10" };

	vf_rcconf_init(&rc);
	if (parse(&rc, data, first, "rc.conf") == 0 && split != NULL)
		parse(&rc, split + 1, size - first - 1, "rc.conf.local");
	if (vf_rcconf_vf_delay(&rc, NULL) < 2 || rc.nvars > VF_RC_MAXVARS)
		__builtin_trap();
	if (vf_rcconf_yesno(&rc, "vfbond_enable") < -1)
		__builtin_trap();
	check_roundtrip(&rc);
	for (size_t i = 0; i < sizeof(ifs) / sizeof(ifs[0]); i++)
		check_ifcfg(&rc, ifs[i]);
	return 0;
}
