/* SPDX-License-Identifier: MIT */
#include "os/freebsd/hnsysctl.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 3, 4))) static void
say(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* A kernel string shown in status: printable ASCII, 32 at most. */
static void
printable(const char *s, char out[33])
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < 32; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[i] = '\0';
}

enum vf_hn_verdict
vf_hn_decide(const struct vf_hn_kernel *k, char *reason, size_t len)
{
	char guest[33];

	if (k->vm_guest == NULL) {
		say(reason, len,
		    "kern.vm_guest unreadable: not known to be "
		    "a Hyper-V guest");
		return VF_HN_ASIDE;
	}
	if (strcmp(k->vm_guest, "hv") != 0) {
		printable(k->vm_guest, guest);
		say(reason, len, "not a Hyper-V guest (kern.vm_guest=%s)",
		    guest);
		return VF_HN_ASIDE;
	}
	if (k->has_transparent && k->transparent != 0) {
		say(reason, len,
		    "hw.hn.vf_transparent=%d: the kernel switches to the VF "
		    "itself",
		    k->transparent);
		return VF_HN_ASIDE;
	}
	if (!k->has_vflist) {
		say(reason, len,
		    "no hw.hn.vflist: hn(4) without VF support, "
		    "or not loaded");
		return VF_HN_ASIDE;
	}
	if (!k->has_transparent) {
		say(reason, len,
		    "no hw.hn.vf_transparent (older kernel): "
		    "non-transparent VFs, vfbond pairs them");
		return VF_HN_RUN;
	}
	say(reason, len,
	    "hw.hn.vf_transparent=0: non-transparent VFs, "
	    "vfbond pairs them");
	return VF_HN_RUN;
}

static bool
is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static int
vflist_add(struct vf_hn_vflist *l, const char *w, size_t n, char *err,
	   size_t errlen)
{
	if (!vf_fbsd_ifname_valid(w, n)) {
		say(err, errlen, "hw.hn.vflist: bad interface name \"%.*s\"",
		    n > 32 ? 32 : (int)n, w);
		return -1;
	}
	if (l->n == VF_HN_MAXVF) {
		say(err, errlen, "hw.hn.vflist: more than %d VFs", VF_HN_MAXVF);
		return -1;
	}
	memcpy(l->names[l->n], w, n);
	l->names[l->n++][n] = '\0';
	return 0;
}

int
vf_hn_vflist_parse(const char *s, size_t len, struct vf_hn_vflist *l, char *err,
		   size_t errlen)
{
	const char *nul = memchr(s, '\0', len);
	const char *p = s, *end = nul != NULL ? nul : s + len;

	memset(l, 0, sizeof(*l));
	while (p < end) {
		const char *w;

		while (p < end && is_sep(*p))
			p++;
		for (w = p; p < end && !is_sep(*p); p++)
			;
		if (p > w && vflist_add(l, w, (size_t)(p - w), err, errlen)) {
			memset(l, 0, sizeof(*l));
			return -1;
		}
	}
	return 0;
}

bool
vf_hn_vflist_has(const struct vf_hn_vflist *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->names[i], name) == 0)
			return true;
	return false;
}

int
vf_hn_vf_sysctl(int unit, char *buf, size_t len)
{
	int n;

	if (unit < 0)
		return -1;
	n = snprintf(buf, len, "dev.hn.%d.vf", unit);
	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* Why dev can not be paired, or NULL if it can (or has no VF). */
static const char *
check_dev(const struct vf_hn_pairs *ps, const struct vf_hn_dev *devs, size_t i)
{
	const struct vf_hn_dev *d = &devs[i];

	if (d->unit < 0 || d->unit > 65535)
		return "bad unit";
	for (size_t j = 0; j < i; j++)
		if (devs[j].unit == d->unit)
			return "unit given twice";
	if (d->vf == NULL || d->vf[0] == '\0')
		return NULL;
	if (!vf_fbsd_ifname_valid(d->vf, strlen(d->vf)))
		return "bad VF name";
	if (vf_fbsd_hn_unit(d->vf) >= 0)
		return "a VF named like hn(4)";
	if (vf_hn_pair_by_vf(ps, d->vf) != NULL)
		return "VF already paired with another hn";
	if (ps->n == VF_HN_MAXVF)
		return "too many pairs";
	return NULL;
}

int
vf_hn_pairs_build(const struct vf_hn_dev *devs, size_t ndev,
		  struct vf_hn_pairs *out, char *err, size_t errlen)
{
	int bad = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < ndev; i++) {
		const struct vf_hn_dev *d = &devs[i];
		const char *why = check_dev(out, devs, i);
		struct vf_hn_pair *p;

		if (why != NULL && bad++ == 0)
			say(err, errlen, "dev.hn.%d.vf: %s", d->unit, why);
		if (why != NULL || d->vf == NULL || d->vf[0] == '\0')
			continue;
		p = &out->p[out->n++];
		p->unit = d->unit;
		snprintf(p->hn, sizeof(p->hn), "hn%d", d->unit);
		snprintf(p->vf, sizeof(p->vf), "%s", d->vf);
	}
	return bad;
}

const struct vf_hn_pair *
vf_hn_pair_by_hn(const struct vf_hn_pairs *ps, const char *hn)
{
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(ps->p[i].hn, hn) == 0)
			return &ps->p[i];
	return NULL;
}

const struct vf_hn_pair *
vf_hn_pair_by_vf(const struct vf_hn_pairs *ps, const char *vf)
{
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(ps->p[i].vf, vf) == 0)
			return &ps->p[i];
	return NULL;
}
