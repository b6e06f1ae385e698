/* SPDX-License-Identifier: MIT */
/*
 * The hn(4) sysctls the FreeBSD backend reads with sysctlbyname(3),
 * interpreted without system calls: whether vfbond has work on this
 * kernel, which interfaces are VFs, and the kernel's own hnN -> VF
 * pairing. The syscall layer reads; this decides.
 */
#ifndef VFBOND_FBSD_HNSYSCTL_H
#define VFBOND_FBSD_HNSYSCTL_H

#include <stdbool.h>
#include <stddef.h>

#include "os/freebsd/ifname.h"

#define VF_HN_MAXVF 64

/* What was read at start. NULL / false: the sysctl does not exist. */
struct vf_hn_kernel {
	const char *vm_guest; /* kern.vm_guest: "hv" on Hyper-V */
	bool has_transparent; /* hw.hn.vf_transparent exists */
	int transparent;      /* its value */
	bool has_vflist;      /* hw.hn.vflist exists */
};

enum vf_hn_verdict {
	VF_HN_RUN,   /* non-transparent VFs: vfbond builds the laggs */
	VF_HN_ASIDE, /* nothing for vfbond to do here */
};

/*
 * The seed's checks: run only on Hyper-V (kern.vm_guest "hv"), when
 * hw.hn.vf_transparent is 0 or absent (an older kernel: non-transparent)
 * and hw.hn.vflist exists (hn(4) knows VFs). reason gets one line for
 * status and logs, either way.
 */
enum vf_hn_verdict vf_hn_decide(const struct vf_hn_kernel *k, char *reason,
				size_t len);

/* hw.hn.vflist: "mce0 mce1", possibly empty or with extra blanks. */
struct vf_hn_vflist {
	char names[VF_HN_MAXVF][VF_FBSD_IFNAMSIZ];
	size_t n;
};

/*
 * Parses s[0..len) (a NUL ends it early: sysctl strings count theirs).
 * Returns 0, or -1 with err set for a bad name or too many names; *l
 * is then empty.
 */
int vf_hn_vflist_parse(const char *s, size_t len, struct vf_hn_vflist *l,
		       char *err, size_t errlen);

/* Is name a VF? (The seed's "for vf in $vf_list" on IFATTACH.) */
bool vf_hn_vflist_has(const struct vf_hn_vflist *l, const char *name);

/* "dev.hn.3.vf" for unit 3: the name to read. -1 if it does not fit. */
int vf_hn_vf_sysctl(int unit, char *buf, size_t len);

/* One hn(4) device as read: its unit and dev.hn.N.vf, NULL if the read
 * failed (the device left meanwhile). */
struct vf_hn_dev {
	int unit;
	const char *vf;
};

struct vf_hn_pair {
	int unit;
	char hn[VF_FBSD_IFNAMSIZ]; /* "hn3" */
	char vf[VF_FBSD_IFNAMSIZ]; /* "mce0" */
};

struct vf_hn_pairs {
	struct vf_hn_pair p[VF_HN_MAXVF];
	size_t n;
};

/*
 * The kernel's pairing, from each device's dev.hn.N.vf: "" or NULL is
 * no VF. Entries that cannot be right (a bad unit or name, a unit twice,
 * a VF claimed by two hn, a VF named like an hn) are left out: returns
 * how many, with the first described in err. The pairs are in the
 * order given.
 */
int vf_hn_pairs_build(const struct vf_hn_dev *devs, size_t ndev,
		      struct vf_hn_pairs *out, char *err, size_t errlen);

const struct vf_hn_pair *vf_hn_pair_by_hn(const struct vf_hn_pairs *ps,
					  const char *hn);
const struct vf_hn_pair *vf_hn_pair_by_vf(const struct vf_hn_pairs *ps,
					  const char *vf);

#endif
