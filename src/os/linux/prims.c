/* SPDX-License-Identifier: MIT */
/* The Linux backend's primitives, as the core's plans call them. */
#include "os/linux/linux.h"

static const char *
prim_error(void *os)
{
	return vf_if_error(os);
}

static const struct vf_prims linux_prims = {
	.link_get = prim_link_get,
	.master_create = prim_master_create,
	.master_destroy = prim_master_destroy,
	.master_mark = prim_master_mark,
	.master_primary = prim_master_primary,
	.master_active = prim_master_active,
	.port_set = prim_port_set,
	.set_up = prim_set_up,
	.dad_off = prim_dad_off,
	.addr_list = prim_addr_list,
	.addr_add = prim_addr_add,
	.addr_del = prim_addr_del,
	.route_list = prim_route_list,
	.route_add = prim_route_add,
	.route_del = prim_route_del,
	.error = prim_error,
};

const struct vf_prims *
vf_if_prims(void)
{
	return &linux_prims;
}
