/* SPDX-License-Identifier: MIT */
/* What FreeBSD's names mean to the core: its defaults. */
#include <stdio.h>

#include "os/defaults.h"
#include "os/freebsd/fbsd.h"

void
vf_if_defaults(struct vf_config *conf)
{
	/* lagg(4) checks its ports' link state on every change itself. */
	conf->link_check_ms = 100;
	/* hyperv_vf_delay's floor: "make sure the VF is fully attached". */
	conf->vf_delay_ms = 2000;
	vf_words_set(&conf->synthetic_drivers, "hn");
	vf_words_set(&conf->vf_exclude_kinds, FB_VIRTUAL);
	conf->vf_exclude_default = conf->vf_exclude_kinds;
	/* The seed's name: laggN over hnN. */
	snprintf(conf->master_name, sizeof(conf->master_name), "lagg%%u");
}
