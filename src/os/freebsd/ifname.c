/* SPDX-License-Identifier: MIT */
#include "os/freebsd/ifname.h"

#include <string.h>

static bool
ifname_char(char c)
{
	/* Not isalnum(): the locale must not widen the set. */
	if (c >= 'a' && c <= 'z')
		return true;
	if (c >= 'A' && c <= 'Z')
		return true;
	if (c >= '0' && c <= '9')
		return true;
	return c == '_' || c == '.' || c == '-';
}

bool
vf_fbsd_ifname_valid(const char *s, size_t len)
{
	if (len == 0 || len >= VF_FBSD_IFNAMSIZ)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!ifname_char(s[i]))
			return false;
	return true;
}

int
vf_fbsd_hn_unit(const char *name)
{
	long unit = 0;
	const char *p;

	if (strncmp(name, "hn", 2) != 0 || name[2] == '\0')
		return -1;
	/* "hn01" is not a name the kernel gives: unit numbers have no 0s. */
	if (name[2] == '0' && name[3] != '\0')
		return -1;
	for (p = name + 2; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		unit = unit * 10 + (*p - '0');
		if (unit > 65535)
			return -1;
	}
	return (int)unit;
}
