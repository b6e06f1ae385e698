/* SPDX-License-Identifier: MIT */
/* What FreeBSD's names mean to the core: its defaults. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "os/defaults.h"
#include "os/freebsd/fbsd.h"

/* One rc.conf file into rc; a missing one adds nothing. */
static void
rc_file(struct vf_rcconf *rc, const char *path)
{
	char *buf = malloc(RC_MAXSIZE), err[160];
	FILE *f = fopen(path, "r");
	size_t n;

	if (buf != NULL && f != NULL) {
		n = fread(buf, 1, RC_MAXSIZE, f);
		/* A bad file is refused when the backend opens: not here. */
		if (n < RC_MAXSIZE)
			vf_rcconf_parse(rc, buf, n, path, err, sizeof(err));
	}
	if (f != NULL)
		fclose(f);
	free(buf);
}

void
vf_fbsd_rc_defaults(struct vf_config *conf, const char *const files[], size_t n)
{
	struct vf_rcconf *rc = malloc(sizeof(*rc));
	unsigned secs;

	if (rc == NULL)
		return;
	vf_rcconf_init(rc);
	for (size_t i = 0; i < n; i++)
		rc_file(rc, files[i]);
	/* The seed's rule: unset or below 2 is 2. */
	secs = vf_rcconf_vf_delay(rc, NULL);
	conf->vf_delay_ms =
	    secs > INT_MAX / 1000 ? INT_MAX / 1000 * 1000 : (int)secs * 1000;
	free(rc);
}

void
vf_if_defaults(struct vf_config *conf)
{
	static const char *const rc[] = { RC_CONF, RC_CONF_LOCAL };

	/* rc.conf's hyperv_vf_delay, as the seed read it; vfbond.conf
	 * (read after this) overrides it. */
	vf_fbsd_rc_defaults(conf, rc, 2);
	/* lagg(4) checks its ports' link state on every change itself. */
	conf->link_check_ms = 100;
	/* As the seed: the lagg comes with the VF, and the backend moves
	 * rc.conf's configuration to it then. */
	conf->master_before_vf = false;
	vf_words_set(&conf->synthetic_drivers, "hn");
	vf_words_set(&conf->vf_exclude_kinds, FB_VIRTUAL);
	conf->vf_exclude_default = conf->vf_exclude_kinds;
	/* The seed's name: laggN over hnN. */
	snprintf(conf->master_name, sizeof(conf->master_name), "lagg%%u");
	/* Beside the configuration, in /usr/local/etc (hier(7)). */
	snprintf(conf->hooks_dir, sizeof(conf->hooks_dir), "%s",
		 VF_FBSD_HOOKS_DIR);
}
