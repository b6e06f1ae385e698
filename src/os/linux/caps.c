/* SPDX-License-Identifier: MIT */
/*
 * Privileges are capabilities (capabilities(7)), through libcap-ng. The
 * daemon keeps CAP_NET_ADMIN in effect and the hooks' grant held but not
 * in effect; hooks get the grant as ambient capabilities. Root regains
 * every capability at exec unless SECBIT_NOROOT is set: it is, locked.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <linux/capability.h>

#include <cap-ng.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "os/privs.h"

/* A hook's sets, made ready in the daemon: its child only applies them. */
static int granted[VF_MAX_WORDS];
static int n_granted;
static struct __user_cap_data_struct hook_sets[_LINUX_CAPABILITY_U32S_3];

/* "CAP_NET_ADMIN" → CAP_NET_ADMIN; -1 for anything else. */
static int
cap_of(const char *name)
{
	if (strncmp(name, "CAP_", 4) != 0 || name[4] < 'A' || name[4] > 'Z')
		return -1;
	return capng_name_to_capability(name + 4);
}

bool
vf_privs_known(const char *name)
{
	return cap_of(name) >= 0;
}

static int
failed(char *err, size_t errlen, const char *what)
{
	int e = errno != 0 ? errno : EPERM;

	snprintf(err, errlen, "cannot drop capabilities: %s: %s", what,
		 strerror(e));
	return -e;
}

static void
hook_add(int cap)
{
	__u32 bit = 1u << (cap % 32);
	struct __user_cap_data_struct *d = &hook_sets[cap / 32];

	d->effective |= bit;
	d->permitted |= bit;
	d->inheritable |= bit;
	granted[n_granted++] = cap;
}

/*
 * The grant, checked against what we hold: what we lack (a service
 * manager's bounding set) is not ours to give.
 */
static int
read_grant(const struct vf_words *grant, int caps[], char *err, size_t errlen)
{
	for (int i = 0; i < grant->count; i++) {
		caps[i] = cap_of(grant->word[i]);
		if (caps[i] < 0) {
			snprintf(err, errlen, "%s is no capability",
				 grant->word[i]);
			return -EINVAL;
		}
		if (!capng_have_capability(CAPNG_PERMITTED,
					   (unsigned)caps[i])) {
			snprintf(err, errlen,
				 "hook_capabilities: vfbond itself lacks %s",
				 grant->word[i]);
			return -EPERM;
		}
	}
	return 0;
}

/* The sets as they will be: the network's in effect, the grant held. */
static int
plan(const struct vf_words *grant, char *err, size_t errlen)
{
	bool net_admin = capng_have_capability(CAPNG_PERMITTED, CAP_NET_ADMIN);
	int caps[VF_MAX_WORDS], rc;

	if ((rc = read_grant(grant, caps, err, errlen)) < 0)
		return rc;
	capng_clear(CAPNG_SELECT_BOTH);
	if (net_admin)
		capng_update(CAPNG_ADD,
			     CAPNG_EFFECTIVE | CAPNG_PERMITTED |
				 CAPNG_BOUNDING_SET,
			     CAP_NET_ADMIN);
	n_granted = 0;
	memset(hook_sets, 0, sizeof(hook_sets));
	for (int i = 0; i < grant->count; i++) {
		/* Ambient needs them permitted and inheritable. */
		capng_update(CAPNG_ADD,
			     CAPNG_PERMITTED | CAPNG_INHERITABLE |
				 CAPNG_BOUNDING_SET,
			     (unsigned)caps[i]);
		hook_add(caps[i]);
	}
	return 0;
}

int
vf_privs_keep(const struct vf_words *grant, char *err, size_t errlen)
{
	bool setpcap;
	int rc;

	errno = 0;
	if (capng_get_caps_process() < 0)
		return failed(err, errlen, "read them");
	/* Without it (a service manager took it) the bounds are not ours. */
	setpcap = capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP);
	if ((rc = plan(grant, err, errlen)) < 0)
		return rc;
	if (setpcap && capng_lock() < 0)
		return failed(err, errlen, "set SECBIT_NOROOT");
	if (capng_apply(setpcap ? CAPNG_SELECT_BOTH : CAPNG_SELECT_CAPS) < 0)
		return failed(err, errlen, "apply them");
	return 0;
}

/*
 * The grant alone, then as ambient: CAP_NET_ADMIN goes too, should the
 * exec give root its bounding set back (no SECBIT_NOROOT: under a
 * service manager that keeps CAP_SETPCAP) and no_new_privs limit it.
 */
void
vf_privs_pass(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3,
						0 };

	syscall(SYS_capset, &hdr, hook_sets);
	for (int i = 0; i < n_granted; i++)
		prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE,
		      (unsigned long)granted[i], 0UL, 0UL);
}
