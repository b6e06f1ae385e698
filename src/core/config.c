/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "config.h"

void
vf_config_defaults(struct vf_config *conf)
{
	memset(conf, 0, sizeof(*conf));
	conf->vf_delay_ms = 0;
	/* Emulated VFs report carrier 2-3 s after up; leave room. */
	conf->carrier_wait_ms = 10000;
	snprintf(conf->master_name, sizeof(conf->master_name), "vfb%%m");
	snprintf(conf->hooks_dir, sizeof(conf->hooks_dir), "/etc/vfbond/hooks");
	conf->hook_timeout_ms = 30000;
	snprintf(conf->network_manager, sizeof(conf->network_manager), "auto");
}

bool
vf_words_has(const struct vf_words *words, const char *word)
{
	for (int i = 0; i < words->count; i++)
		if (strcmp(words->word[i], word) == 0)
			return true;
	return false;
}

bool
vf_words_same(const struct vf_words *a, const struct vf_words *b)
{
	if (a->count != b->count)
		return false;
	for (int i = 0; i < a->count; i++)
		if (!vf_words_has(b, a->word[i]))
			return false;
	return true;
}

bool
vf_words_set(struct vf_words *words, const char *text)
{
	static const char seps[] = " \t,";

	words->count = 0;
	while (*text != '\0') {
		size_t len;

		text += strspn(text, seps);
		len = strcspn(text, seps);
		if (len == 0)
			break;
		if (words->count == VF_MAX_WORDS || len >= VF_DRIVERSIZ)
			return false;
		memcpy(words->word[words->count], text, len);
		words->word[words->count++][len] = '\0';
		text += len;
	}
	return true;
}

const struct vf_iface_conf *
vf_config_iface(const struct vf_config *conf, const struct vf_link *link)
{
	char mac[VF_MACSTRLEN];

	vf_mac_format(link->mac, mac);
	for (int i = 0; i < conf->n_ifaces; i++) {
		const char *match = conf->ifaces[i].match;

		if (strcmp(match, link->name) == 0 ||
		    strcasecmp(match, mac) == 0)
			return &conf->ifaces[i];
	}
	return NULL;
}

bool
vf_master_name(const char *template, const struct vf_link *synthetic,
	       char out[VF_IFNAMSIZ])
{
	char buf[64];
	size_t len = 0;

	for (const char *p = template; *p != '\0'; p++) {
		char piece[VF_IFNAMSIZ + 8];

		if (*p != '%') {
			piece[0] = *p;
			piece[1] = '\0';
		} else if (p[1] == 'm') {
			const uint8_t *m = synthetic->mac;

			snprintf(piece, sizeof(piece), "%02x%02x%02x", m[3],
				 m[4], m[5]);
			p++;
		} else if (p[1] == 'n') {
			snprintf(piece, sizeof(piece), "%s", synthetic->name);
			p++;
		} else if (p[1] == 'u') {
			/* The unit: "3" of hn3, so hn3's master is lagg3. */
			const char *n = synthetic->name;
			size_t d = strlen(n);

			while (d > 0 && n[d - 1] >= '0' && n[d - 1] <= '9')
				d--;
			if (n[d] == '\0')
				return false;
			snprintf(piece, sizeof(piece), "%s", n + d);
			p++;
		} else if (p[1] == '%') {
			snprintf(piece, sizeof(piece), "%%");
			p++;
		} else {
			return false;
		}
		if (len + strlen(piece) >= sizeof(buf))
			return false;
		memcpy(buf + len, piece, strlen(piece));
		len += strlen(piece);
	}
	buf[len] = '\0';
	if (len == 0 || len >= VF_IFNAMSIZ)
		return false;
	/* Kernel rule for names: no '/', ':' or white space. */
	if (strcspn(buf, "/: \t\n") != len)
		return false;
	memcpy(out, buf, len);
	out[len] = '\0';
	return true;
}
