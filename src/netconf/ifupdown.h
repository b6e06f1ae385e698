/* SPDX-License-Identifier: MIT */
/*
 * ifupdown (Debian's /etc/network/interfaces): the synthetic NIC's
 * stanzas, rewritten for the master; and ifupdown's state file, where an
 * interface marked configured is one that `ifup -a` and hotplug leave
 * alone. Pure text work here.
 */
#ifndef VFBOND_IFUPDOWN_H
#define VFBOND_IFUPDOWN_H

#include <stdbool.h>
#include <stddef.h>

#define VF_IFUPDOWN_CONFIG "/etc/network/interfaces"
#define VF_IFUPDOWN_STATE  "/run/network/ifstate"

/*
 * The "source" and "source-directory" lines of an interfaces file, in
 * order, each cb(arg, is_directory, pattern) as written.
 */
void vf_ifupdown_sources(const char *text,
			 void (*cb)(void *arg, bool dir, const char *pattern),
			 void *arg);

/* Whether text has an "iface" stanza for another name than except. */
bool vf_ifupdown_configures_other(const char *text, const char *except);

/*
 * Every "iface NAME ..." stanza of text, with its options, rewritten as
 * the master's: a malloc'd string, "" when there is none, NULL when out
 * of memory. *dhcp says whether one uses the dhcp method.
 */
char *vf_ifupdown_master_stanzas(const char *text, const char *name,
				 const char *master, bool *dhcp);

/*
 * The logical name the synthetic NIC is marked configured with. No
 * stanza has it: ifup and hotplug see the NIC configured and leave it
 * alone, and ifdown -a at shutdown finds nothing to run for it (its
 * dhclient -r would release the master's lease, same MAC, and write a
 * DUID that would then become the master's).
 */
#define VF_IFUPDOWN_HELD "vfbond-held"

/* Whether the state file lists iface as configured. */
bool vf_ifupdown_state_has(const char *state, const char *iface);
/*
 * The state with iface marked configured as logical (NULL: not
 * configured): malloc'd, NULL out of memory.
 */
char *vf_ifupdown_state_set(const char *state, const char *iface,
			    const char *logical);

#endif
