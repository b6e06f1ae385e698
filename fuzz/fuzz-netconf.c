/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the readers of the network managers' files: NetworkManager
 * keyfiles, systemd .network files and leases, ifupdown's interfaces
 * and state. Any text is read without a crash or an overread, and what
 * is written from it keeps the shape the manager needs. Built as a
 * libFuzzer target (make fuzz) or, with replay.c, as a test replaying
 * fuzz/corpus-netconf.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netconf/ifupdown.h"
#include "netconf/networkd.h"
#include "netconf/networkmanager.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t mac[VF_MACLEN] = { 0x52, 0x54, 0x00, 0x00, 0x10, 0x00 };

/* Generated text: one string, and the sections it must have. */
static void
check_text(char *text, const char *const *must)
{
	if (text == NULL)
		return; /* out of memory only */
	for (size_t i = 0; must[i] != NULL; i++)
		if (strstr(text, must[i]) == NULL)
			__builtin_trap();
	free(text);
}

static void
keyfile(const char *text)
{
	static const char *const bond[] = { "\n[bond]\nmode=active-backup\n",
					    "\n[ipv4]\n", "\n[ipv6]\n",
					    "cloned-mac-address=", NULL };

	vf_nm_profile_selects(text, "ens4", mac);
	check_text(vf_nm_bond_profile(text, "vfb001000", mac, 50), bond);
}

static void
networkd(const char *text)
{
	static const char *const master[] = { "[Match]\nName=vfb001000\n",
					      NULL };
	struct vf_networkd_link l = { "ens4",
				      "virtio_net",
				      "ether",
				      { 0x52, 0x54, 0, 0, 0x10, 0 },
				      true };
	const char *dropins[] = { text };
	uint32_t iaid;

	vf_networkd_matches(text, &l);
	vf_networkd_lease_iaid(text, &iaid);
	vf_networkd_default_iaid(text, mac);
	check_text(vf_networkd_master_file("/etc/x.network", text, dropins, 1,
					   "vfb001000", true, 7),
		   master);
}

static void
ifupdown(const char *text)
{
	static const char *const none[] = { NULL };
	bool dhcp;
	char *state;

	vf_ifupdown_configures_other(text, "lo");
	check_text(vf_ifupdown_master_stanzas(text, "ens4", "vfb001000", &dhcp),
		   none);
	vf_ifupdown_state_has(text, "ens4");
	state = vf_ifupdown_state_set(text, "ens4", VF_IFUPDOWN_HELD);
	if (state != NULL && !vf_ifupdown_state_has(state, "ens4"))
		__builtin_trap();
	free(state);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy with its terminator: ASan sees overreads. */
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	keyfile(text);
	networkd(text);
	ifupdown(text);
	free(text);
	return 0;
}
