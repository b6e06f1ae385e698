/* SPDX-License-Identifier: MIT */
/*
 * Drivers: rtnetlink does not say which driver a link has, ethtool
 * does (by name, under the rtnl lock). Asked once per device, once per
 * kind of software link, and remembered.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <linux/ethtool.h>
#include <linux/if.h>
#include <linux/sockios.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/linux/linux.h"

static int
name_to_index(const struct vf_if *ifs, const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	copy_str(ifr.ifr_name, sizeof(ifr.ifr_name), name, IFNAMSIZ);
	if (ioctl(ifs->ctl, SIOCGIFINDEX, &ifr) < 0)
		return -1;
	return ifr.ifr_ifindex;
}

static void
sysfs_driver(const char *name, char out[VF_DRIVERSIZ])
{
	char path[96], target[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/class/net/%s/device/driver", name);
	if ((n = readlink(path, target, sizeof(target) - 1)) <= 0)
		return;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base != NULL ? base + 1 : target;
	copy_str(out, VF_DRIVERSIZ, base, strlen(base));
}

/*
 * ethtool asks by name and names change: the answer counts only if the
 * name still belongs to ifindex after asking. (Asking before as well
 * would add nothing: the event just named it, and only a rename there
 * and back in between could fool either check.)
 */
static bool
drv_probe(struct vf_if *ifs, int ifindex, const char *name,
	  char out[VF_DRIVERSIZ])
{
	struct ethtool_drvinfo di;
	struct ifreq ifr;

	out[0] = '\0';
	if (name[0] == '\0')
		return false;
	memset(&di, 0, sizeof(di));
	di.cmd = ETHTOOL_GDRVINFO;
	memset(&ifr, 0, sizeof(ifr));
	copy_str(ifr.ifr_name, sizeof(ifr.ifr_name), name, IFNAMSIZ);
	ifr.ifr_data = (void *)&di;
	if (ioctl(ifs->ctl, SIOCETHTOOL, &ifr) == 0)
		copy_str(out, VF_DRIVERSIZ, (const char *)di.driver,
			 sizeof(di.driver));
	if (out[0] == '\0')
		sysfs_driver(name, out);
	return name_to_index(ifs, name) == ifindex;
}

static struct drv **
drv_slot(struct vf_if *ifs, int ifindex)
{
	struct drv **pp = &ifs->drv[(unsigned int)ifindex % DRV_BUCKETS];

	while (*pp != NULL && (*pp)->ifindex != ifindex)
		pp = &(*pp)->next;
	return pp;
}

/* The position of a driver name in the table; false: out of memory. */
static bool
drv_intern(struct drv_names *t, const char name[VF_DRIVERSIZ], size_t *pos)
{
	for (*pos = 0; *pos < t->n; (*pos)++)
		if (strncmp(t->v[*pos], name, VF_DRIVERSIZ) == 0)
			return true;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		char(*v)[VF_DRIVERSIZ] = realloc(t->v, cap * sizeof(*v));

		if (v == NULL)
			return false;
		t->v = v;
		t->cap = cap;
	}
	memcpy(t->v[t->n++], name, VF_DRIVERSIZ);
	return true;
}

/* A device's driver never changes: ask once per ifindex. */
static void
drv_of_device(struct vf_if *ifs, int ifindex, const char *name,
	      char out[VF_DRIVERSIZ])
{
	struct drv **pp = drv_slot(ifs, ifindex);
	struct drv *d;
	size_t pos;

	if (*pp == NULL) {
		if (!drv_probe(ifs, ifindex, name, out))
			return; /* renamed under us: ask on its next event */
		if (!drv_intern(&ifs->drv_names, out, &pos) ||
		    (d = calloc(1, sizeof(*d))) == NULL)
			return;
		d->ifindex = ifindex;
		d->name = pos;
		*pp = d;
	}
	(*pp)->gen = ifs->gen;
	memcpy(out, ifs->drv_names.v[(*pp)->name], VF_DRIVERSIZ);
}

static bool
kind_add(struct drv_kinds *t, const char *kind, size_t name)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		struct drv_kind *v = realloc(t->v, cap * sizeof(*v));

		if (v == NULL)
			return false;
		t->v = v;
		t->cap = cap;
	}
	copy_str(t->v[t->n].kind, VF_KINDSIZ, kind, VF_KINDSIZ);
	t->v[t->n++].name = name;
	return true;
}

/*
 * A software link's driver is its kind's (ethtool says "veth" for every
 * veth): ask once per kind. ethtool waits for the lock that creating
 * links holds, so asking per link made a storm of veths slow.
 */
static void
drv_of_kind(struct vf_if *ifs, const struct vf_link *l, char out[VF_DRIVERSIZ])
{
	struct drv_kinds *t = &ifs->drv_kinds;
	size_t pos;

	for (size_t i = 0; i < t->n; i++) {
		if (strncmp(t->v[i].kind, l->kind, VF_KINDSIZ) == 0) {
			memcpy(out, ifs->drv_names.v[t->v[i].name],
			       VF_DRIVERSIZ);
			return;
		}
	}
	if (!drv_probe(ifs, l->ifindex, l->name, out))
		return; /* renamed under us: ask on its next event */
	if (drv_intern(&ifs->drv_names, out, &pos))
		kind_add(t, l->kind, pos);
}

void
drv_get(struct vf_if *ifs, struct vf_link *l)
{
	if (l->kind[0] != '\0')
		drv_of_kind(ifs, l, l->driver);
	else
		drv_of_device(ifs, l->ifindex, l->name, l->driver);
}

void
drv_forget(struct vf_if *ifs, int ifindex)
{
	struct drv **pp = drv_slot(ifs, ifindex);
	struct drv *d = *pp;

	if (d != NULL) {
		*pp = d->next;
		free(d);
	}
}

/* After a full dump: drop links it did not show (lost deletions). */
void
drv_sweep(struct vf_if *ifs)
{
	for (size_t i = 0; i < DRV_BUCKETS; i++) {
		struct drv **pp = &ifs->drv[i];

		while (*pp != NULL) {
			struct drv *d = *pp;

			if (d->gen == ifs->gen) {
				pp = &d->next;
				continue;
			}
			*pp = d->next;
			free(d);
		}
	}
}

void
drv_free_all(struct vf_if *ifs)
{
	free(ifs->drv_names.v);
	free(ifs->drv_kinds.v);
	for (size_t i = 0; i < DRV_BUCKETS; i++) {
		while (ifs->drv[i] != NULL) {
			struct drv *d = ifs->drv[i];

			ifs->drv[i] = d->next;
			free(d);
		}
	}
}
