/* SPDX-License-Identifier: MIT */
/* Which addresses and routes move to the master, and in what order. */
#include <stdlib.h>
#include <string.h>

#include "addr.h"

static void *
dup_bytes(const void *p, size_t len)
{
	void *copy;

	if (len == 0)
		return NULL;
	if ((copy = malloc(len)) != NULL)
		memcpy(copy, p, len);
	return copy;
}

/* Room for one more of size bytes in *v; false when memory runs out. */
static bool
room(void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 8;
	void *p;

	if (n < *cap)
		return true;
	if ((p = realloc(*v, ncap * size)) == NULL)
		return false;
	*v = p;
	*cap = ncap;
	return true;
}

bool
vf_addr_list_add(struct vf_addr_list *list, const struct vf_addr *a,
		 const void *os, size_t os_len)
{
	struct vf_addr *slot;

	if (!room((void **)&list->v, &list->cap, list->n, sizeof(*a)))
		return false;
	slot = &list->v[list->n];
	*slot = *a;
	slot->os_len = os_len;
	if ((slot->os = dup_bytes(os, os_len)) == NULL && os_len != 0)
		return false;
	list->n++;
	return true;
}

bool
vf_route_list_add(struct vf_route_list *list, const struct vf_route *r,
		  const void *os, size_t os_len)
{
	struct vf_route *slot;

	if (!room((void **)&list->v, &list->cap, list->n, sizeof(*r)))
		return false;
	slot = &list->v[list->n];
	*slot = *r;
	slot->os_len = os_len;
	if ((slot->os = dup_bytes(os, os_len)) == NULL && os_len != 0)
		return false;
	list->n++;
	return true;
}

void
vf_addr_list_free(struct vf_addr_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->v[i].os);
	free(list->v);
	memset(list, 0, sizeof(*list));
}

void
vf_route_list_free(struct vf_route_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->v[i].os);
	free(list->v);
	memset(list, 0, sizeof(*list));
}

static bool
v6_link_local(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

bool
vf_addr_off_port(const struct vf_addr *a)
{
	return !(a->family == VF_INET6 && v6_link_local(a->addr));
}

bool
vf_addr_moves(const struct vf_addr *a)
{
	if (!a->global || a->dad_failed || a->expiring)
		return false;
	/* Every link makes its own from its MAC: the master has it too. */
	return !(a->family == VF_INET6 && v6_link_local(a->addr));
}

/* IPv6 multicast and the link-local prefix: every link has its own. */
static bool
route_v6_per_link(const struct vf_route *r)
{
	static const uint8_t ll[8] = { 0xfe, 0x80 };

	if (r->family != VF_INET6 || !r->has_dst)
		return false;
	if (r->dst_len >= 8 && r->dst[0] == 0xff)
		return true;
	return r->dst_len == 64 && memcmp(r->dst, ll, 8) == 0;
}

enum vf_route_verdict
vf_route_moves(const struct vf_route *r, int ifindex)
{
	if (r->kernel_made || r->oif != ifindex || route_v6_per_link(r))
		return VF_ROUTE_STAYS;
	if (r->multipath || r->nexthop_object)
		return VF_ROUTE_UNMOVED;
	return VF_ROUTE_MOVES;
}

const char *
vf_route_unmoved_why(const struct vf_route *r)
{
	return r->multipath ? "it has several next hops"
			    : "its next hop is a shared object";
}

/*
 * Routes without a gateway first: a gateway may be reachable only
 * through one of them. Stable, so the listed order otherwise holds.
 */
void
vf_routes_sort(struct vf_route_list *list)
{
	for (size_t i = 1; i < list->n; i++) {
		struct vf_route r = list->v[i];
		size_t j = i;

		if (r.has_gateway)
			continue;
		while (j > 0 && list->v[j - 1].has_gateway) {
			list->v[j] = list->v[j - 1];
			j--;
		}
		list->v[j] = r;
	}
}
