/* SPDX-License-Identifier: MIT */
/* The backend's share of the configuration defaults. */
#ifndef VFBOND_OS_DEFAULTS_H
#define VFBOND_OS_DEFAULTS_H

#include "core/config.h"

/*
 * Fills what only the OS knows: the drivers of synthetic NICs, the kinds
 * of software link that are never VFs, how often a master checks its
 * ports. Called after vf_config_defaults, before the config file.
 */
void vf_if_defaults(struct vf_config *conf);

#endif
