/* SPDX-License-Identifier: MIT */
/*
 * NetworkManager: detected, not driven. Measured with NM 1.42 (Debian
 * 12): activating a profile on a bond that has ports fails (it sets the
 * bond's mode, which the kernel refuses with ports in), and the failure
 * detaches the ports; NM starts DHCP on a bond only once a port it
 * manages itself is up. So NM cannot be made to configure a master
 * vfbond built, and vfbond stands aside for a NIC that NM would
 * configure: the VM keeps its network as NM set it up.
 */
#include "netconf/netconf-int.h"
#include "netconf/util.h"

bool
vf_nm_in_use(const struct vf_netconf *nc)
{
	/* NM keeps its device state there while it runs. */
	return vf_nc_service_in_use(nc, "NetworkManager.service",
				    "/run/NetworkManager/devices");
}
