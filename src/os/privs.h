/* SPDX-License-Identifier: MIT */
/*
 * Privileges: once the daemon has opened what it needs, it keeps only
 * what changing the network takes, and hands hooks what the config
 * grants them. On Linux these are capabilities (os/linux/caps.c).
 */
#ifndef VFBOND_OS_PRIVS_H
#define VFBOND_OS_PRIVS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"

/* Whether name is a privilege of this OS, as the config spells it. */
bool vf_privs_known(const char *name);

/*
 * Keeps the network's privilege (in effect) and grant (held, for the
 * hooks only), and nothing else, for good; and for children that run
 * as root too. 0, or -errno with a message in err.
 */
int vf_privs_keep(const struct vf_words *grant, char *err, size_t errlen);

/*
 * In a hook's process, after fork and before exec: the granted
 * privileges are passed on, none other. Async-signal-safe.
 */
void vf_privs_pass(void);

#endif
