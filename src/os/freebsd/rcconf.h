/* SPDX-License-Identifier: MIT */
/*
 * The few rc.conf(5) variables vfbond reads, from the text of /etc/rc.conf
 * and then /etc/rc.conf.local, without a shell and without system calls.
 *
 * rc.subr sources these files with sh(1). This reader takes the plain
 * assignments rc.conf is made of (name="value", name='value', name=value,
 * comments, blank lines; the later assignment wins) and refuses, with the
 * file and line, anything whose meaning needs a shell: $ expansions,
 * backquotes, several commands on a line, a value split over lines. A
 * refused file is an error, not a guess.
 */
#ifndef VFBOND_FBSD_RCCONF_H
#define VFBOND_FBSD_RCCONF_H

#include <stdbool.h>
#include <stddef.h>

#define VF_RC_NAMESIZ  32  /* "ifconfig_hn65535_ipv6" fits */
#define VF_RC_VALSIZ   256 /* 255 characters of value at most */
#define VF_RC_WHERESIZ 48  /* "rc.conf.local:1234" */
#define VF_RC_MAXVARS  64

/* One kept variable, with where it was last set (for messages). */
struct vf_rc_var {
	char name[VF_RC_NAMESIZ];
	char value[VF_RC_VALSIZ];
	char where[VF_RC_WHERESIZ];
};

/*
 * Kept: vfbond_enable, hyperv_vf_delay, synchronous_dhclient,
 * ifconfig_DEFAULT, ifconfig_hnN and ifconfig_hnN_ipv6. Other
 * assignments are checked and dropped.
 */
struct vf_rcconf {
	struct vf_rc_var vars[VF_RC_MAXVARS];
	size_t nvars;
};

void vf_rcconf_init(struct vf_rcconf *rc);

/*
 * Adds the assignments in text[0..len) to rc, file naming it in messages
 * ("rc.conf", "/etc/rc.conf.local"). Call once per file, in rc.subr's
 * order. Returns 0, or -1 with "file:line: what" in err; rc then holds
 * the lines before the bad one.
 */
int vf_rcconf_parse(struct vf_rcconf *rc, const char *text, size_t len,
		    const char *file, char *err, size_t errlen);

/* The kept variable's value, or NULL if it was never set. */
const struct vf_rc_var *vf_rcconf_get(const struct vf_rcconf *rc,
				      const char *name);

/*
 * hyperv_vf_delay in seconds, as the seed reads it: anything but a whole
 * number of at least 2 (unset, empty, "abc", "1", "-5", too big) gives 2,
 * and *raised (if not NULL) says so.
 */
unsigned vf_rcconf_vf_delay(const struct vf_rcconf *rc, bool *raised);

/*
 * checkyesno(vfbond_enable): 1 for YES/TRUE/ON/1, 0 for NO/FALSE/OFF/0
 * or unset (any case), -1 for anything else (rc.subr warns, and treats
 * it as no).
 */
int vf_rcconf_yesno(const struct vf_rcconf *rc, const char *name);

#endif
