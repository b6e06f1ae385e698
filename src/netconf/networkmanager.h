/* SPDX-License-Identifier: MIT */
/*
 * NetworkManager: the profiles that make NM build and configure the
 * failover master itself, in NM's keyfile format. NM cannot configure a
 * bond it did not build (it sets the mode on activation, which the
 * kernel refuses while ports are in, and its failure path detaches
 * them), so here NM owns the bond and vfbond only makes the VF primary.
 * Pure text work, testable without NM.
 */
#ifndef VFBOND_NETWORKMANAGER_H
#define VFBOND_NETWORKMANAGER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/link.h"

/* Where profiles are looked for, highest priority first; ours go in
 * the runtime one. */
extern const char *const vf_nm_profile_dirs[];
#define VF_NM_RUN_DIR  "/run/NetworkManager/system-connections"
#define VF_NM_CONF_DIR "/run/NetworkManager/conf.d"
#define VF_NM_PREFIX   "vfbond-"

/*
 * Whether a keyfile profile would configure the link by itself: an
 * Ethernet profile, not a port of something, whose interface-name and
 * mac-address (where set) are the link's.
 */
bool vf_nm_profile_selects(const char *text, const char *ifname,
			   const uint8_t mac[VF_MACLEN]);

/* A profile's UUID, derived from the master's name and its role. */
void vf_nm_uuid(const char *master_name, const char *role, char out[37]);

/*
 * The bond's profile: the pair's MAC, our failover options (miimon_ms
 * as the master's link check), and the [ipv4] and [ipv6] sections of the
 * profile that configured the NIC (NULL: DHCP and SLAAC, as NM's default
 * profile). DHCP never gives up on the bond: its address is the VM's. A
 * malloc'd string, or NULL (no memory).
 */
char *vf_nm_bond_profile(const char *origin, const char *master_name,
			 const uint8_t mac[VF_MACLEN], int miimon_ms);

/*
 * One port profile for every device with the pair's MAC (the NIC and
 * each VF that comes): NM enslaves them to the bond.
 */
char *vf_nm_port_profile(const char *master_name, const uint8_t mac[VF_MACLEN]);

/* conf.d: no default profile for a device with the MAC. */
char *vf_nm_conf(const uint8_t mac[VF_MACLEN]);

#endif
