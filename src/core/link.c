/* SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "link.h"

void
vf_mac_format(const uint8_t mac[VF_MACLEN], char out[VF_MACSTRLEN])
{
	snprintf(out, VF_MACSTRLEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
		 mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
vf_mac_parse(const char *text, uint8_t mac[VF_MACLEN])
{
	for (int i = 0; i < VF_MACLEN; i++) {
		int hi = hex_digit(text[0]);
		int lo = hi < 0 ? -1 : hex_digit(text[1]);

		if (lo < 0)
			return false;
		mac[i] = (uint8_t)(hi << 4 | lo);
		text += 2;
		if (i < VF_MACLEN - 1 && *text++ != ':')
			return false;
	}
	return *text == '\0';
}
