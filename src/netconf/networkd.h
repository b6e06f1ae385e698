/* SPDX-License-Identifier: MIT */
/*
 * systemd-networkd: which .network file applies to a link, and the two
 * runtime files that hand its configuration to the master. Pure text
 * work here, testable without networkd.
 */
#ifndef VFBOND_NETWORKD_H
#define VFBOND_NETWORKD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/link.h"

/* Where .network files live, highest priority first. */
extern const char *const vf_networkd_dirs[];
/* Where ours go, and their names' prefix. */
#define VF_NETWORKD_RUN_DIR "/run/systemd/network"
#define VF_NETWORKD_PREFIX  "00-vfbond-"

/* What [Match] looks at. */
struct vf_networkd_link {
	const char *name;
	const char *driver;
	const char *type; /* "ether" */
	uint8_t mac[VF_MACLEN];
	bool has_mac;
};

/* Whether a .network file's [Match] sections select the link. */
bool vf_networkd_matches(const char *text, const struct vf_networkd_link *l);

/*
 * The master's .network: the original's settings (its text and then its
 * drop-ins', each without [Match]) under a [Match] on the master's
 * name, plus the DHCP identity (IAID) the synthetic NIC's client used
 * when one is known (iaid_known) and the file does not set its own.
 * Returns a malloc'd string, or NULL (no memory).
 */
char *vf_networkd_master_file(const char *origin, const char *text,
			      const char *const *dropins, size_t n_dropins,
			      const char *master_name, bool iaid_known,
			      uint32_t iaid);

/* Both ports (devices with the MAC as their own): left alone. */
char *vf_networkd_ports_file(const uint8_t mac[VF_MACLEN],
			     const char *master_name);

/*
 * The IAID in a networkd lease file's CLIENTID= (type 255: IAID, DUID).
 * False when there is none.
 */
bool vf_networkd_lease_iaid(const char *lease, uint32_t *iaid);

/*
 * The IAID networkd's DHCPv4 client derives for a link whose .network
 * sets none, from the link's udev properties (the text of
 * /run/udev/data/n<ifindex>: its persistent name) or else its MAC: the
 * value vf_networkd_lease_iaid would read from the lease it gets.
 */
uint32_t vf_networkd_default_iaid(const char *udev,
				  const uint8_t mac[VF_MACLEN]);

#endif
