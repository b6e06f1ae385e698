/* SPDX-License-Identifier: MIT */
/* hn(4)'s sysctls as the FreeBSD backend interprets them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "os/freebsd/hnsysctl.h"

static char why[160];

static void
expect_verdict(struct vf_hn_kernel k, enum vf_hn_verdict v, const char *reason)
{
	assert_int_equal(vf_hn_decide(&k, why, sizeof(why)), v);
	assert_string_equal(why, reason);
}

/* The seed's hyperv_vfattach: transparent or old kernel, exit. */
static void
stand_aside_or_run(void **state)
{
	expect_verdict((struct vf_hn_kernel){ .vm_guest = "hv",
					      .has_transparent = true,
					      .transparent = 0,
					      .has_vflist = true },
		       VF_HN_RUN,
		       "hw.hn.vf_transparent=0: non-transparent VFs, vfbond "
		       "pairs them");
	/* No hw.hn.vf_transparent: an older kernel, non-transparent. */
	expect_verdict(
	    (struct vf_hn_kernel){ .vm_guest = "hv", .has_vflist = true },
	    VF_HN_RUN,
	    "no hw.hn.vf_transparent (older kernel): "
	    "non-transparent VFs, vfbond pairs them");
	/* The default since: the kernel does it. */
	expect_verdict((struct vf_hn_kernel){ .vm_guest = "hv",
					      .has_transparent = true,
					      .transparent = 1,
					      .has_vflist = true },
		       VF_HN_ASIDE,
		       "hw.hn.vf_transparent=1: the kernel switches to the VF "
		       "itself");
	expect_verdict((struct vf_hn_kernel){ .vm_guest = "hv",
					      .has_transparent = true,
					      .transparent = -1,
					      .has_vflist = true },
		       VF_HN_ASIDE,
		       "hw.hn.vf_transparent=-1: the kernel switches to the "
		       "VF itself");
	/* The seed's "Old kernel; nothing could be done properly". */
	expect_verdict(
	    (struct vf_hn_kernel){ .vm_guest = "hv", .has_transparent = true },
	    VF_HN_ASIDE,
	    "no hw.hn.vflist: hn(4) without VF support, or not "
	    "loaded");
	expect_verdict((struct vf_hn_kernel){ .vm_guest = "kvm",
					      .has_transparent = true,
					      .has_vflist = true },
		       VF_HN_ASIDE, "not a Hyper-V guest (kern.vm_guest=kvm)");
	expect_verdict((struct vf_hn_kernel){ .vm_guest = "none" }, VF_HN_ASIDE,
		       "not a Hyper-V guest (kern.vm_guest=none)");
	expect_verdict((struct vf_hn_kernel){ .vm_guest = "hv\n\x01x" },
		       VF_HN_ASIDE,
		       "not a Hyper-V guest (kern.vm_guest=hv??x)");
	expect_verdict((struct vf_hn_kernel){ .vm_guest =
						  "0123456789012345678901234"
						  "5678901234567890" },
		       VF_HN_ASIDE,
		       "not a Hyper-V guest (kern.vm_guest="
		       "01234567890123456789012345678901)");
	expect_verdict((struct vf_hn_kernel){ .has_vflist = true }, VF_HN_ASIDE,
		       "kern.vm_guest unreadable: not known to be a Hyper-V "
		       "guest");
	/* No room for the reason is no reason, not an overflow. */
	struct vf_hn_kernel k = { .vm_guest = "hv", .has_vflist = true };
	assert_int_equal(vf_hn_decide(&k, NULL, 0), VF_HN_RUN);
}

static struct vf_hn_vflist list;
static char err[160];

static int
vflist(const char *s)
{
	err[0] = '\0';
	return vf_hn_vflist_parse(s, strlen(s), &list, err, sizeof(err));
}

static void
vflists(void **state)
{
	assert_int_equal(vflist(""), 0);
	assert_int_equal(list.n, 0);
	assert_int_equal(vflist("   "), 0);
	assert_int_equal(list.n, 0);
	assert_int_equal(vflist("mce0"), 0);
	assert_int_equal(list.n, 1);
	assert_string_equal(list.names[0], "mce0");
	assert_int_equal(vflist("mce0 mce1 "), 0);
	assert_int_equal(list.n, 2);
	assert_string_equal(list.names[1], "mce1");
	assert_int_equal(vflist("  mlx5en0\tmce1\n"), 0);
	assert_int_equal(list.n, 2);
	assert_string_equal(list.names[0], "mlx5en0");
	assert_true(vf_hn_vflist_has(&list, "mce1"));
	assert_false(vf_hn_vflist_has(&list, "mce"));
	assert_false(vf_hn_vflist_has(&list, "hn0"));
	/* A sysctl string counts its NUL; a NUL ends the list. */
	static const char withnul[] = "mce0 mce1";
	assert_int_equal(vf_hn_vflist_parse(withnul, sizeof(withnul), &list,
					    err, sizeof(err)),
			 0);
	assert_int_equal(list.n, 2);
	static const char early[] = "mce0\0mce1";
	assert_int_equal(vf_hn_vflist_parse(early, sizeof(early) - 1, &list,
					    err, sizeof(err)),
			 0);
	assert_int_equal(list.n, 1);
	/* Only len bytes are read, NUL or not. */
	char *exact = malloc(4);
	assert_non_null(exact);
	memcpy(exact, "mce0", 4);
	assert_int_equal(vf_hn_vflist_parse(exact, 4, &list, err, sizeof(err)),
			 0);
	assert_string_equal(list.names[0], "mce0");
	free(exact);
}

static void
bad_vflists(void **state)
{
	char big[VF_HN_MAXVF * 8 + 16];
	size_t n = 0;

	assert_int_equal(vflist("mce0 mce/1"), -1);
	assert_string_equal(err, "hw.hn.vflist: bad interface name \"mce/1\"");
	assert_int_equal(list.n, 0); /* all or nothing */
	assert_int_equal(vflist("abcdefghijklmnop"), -1);
	assert_string_equal(err, "hw.hn.vflist: bad interface name "
				 "\"abcdefghijklmnop\"");
	assert_int_equal(vflist("mce0,mce1"), -1);
	for (int i = 0; i < VF_HN_MAXVF; i++)
		n += (size_t)sprintf(big + n, "mce%d ", i);
	assert_int_equal(vflist(big), 0);
	assert_int_equal(list.n, VF_HN_MAXVF);
	sprintf(big + n, "mce%d", VF_HN_MAXVF);
	assert_int_equal(vflist(big), -1);
	assert_string_equal(err, "hw.hn.vflist: more than 64 VFs");
	assert_int_equal(list.n, 0);
}

static void
sysctl_names(void **state)
{
	char buf[32];

	assert_int_equal(vf_hn_vf_sysctl(0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "dev.hn.0.vf");
	assert_int_equal(vf_hn_vf_sysctl(12, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "dev.hn.12.vf");
	assert_int_equal(vf_hn_vf_sysctl(-1, buf, sizeof(buf)), -1);
	assert_int_equal(vf_hn_vf_sysctl(12, buf, 12), -1);
	assert_int_equal(vf_hn_vf_sysctl(12, buf, 13), 0);
}

static struct vf_hn_pairs pairs;

static void
pairing(void **state)
{
	const struct vf_hn_dev devs[] = {
		{ 0, "mce0" },
		{ 1, "" },   /* no VF now */
		{ 2, NULL }, /* gone while we read */
		{ 3, "mlx5en1" },
	};

	assert_int_equal(vf_hn_pairs_build(devs, 4, &pairs, err, sizeof(err)),
			 0);
	assert_int_equal(pairs.n, 2);
	assert_string_equal(pairs.p[0].hn, "hn0");
	assert_string_equal(pairs.p[0].vf, "mce0");
	assert_int_equal(pairs.p[1].unit, 3);
	assert_string_equal(pairs.p[1].hn, "hn3");
	assert_string_equal(vf_hn_pair_by_hn(&pairs, "hn3")->vf, "mlx5en1");
	assert_string_equal(vf_hn_pair_by_vf(&pairs, "mce0")->hn, "hn0");
	assert_null(vf_hn_pair_by_hn(&pairs, "hn1"));
	assert_null(vf_hn_pair_by_vf(&pairs, "mce1"));
	assert_int_equal(vf_hn_pairs_build(devs, 0, &pairs, err, sizeof(err)),
			 0);
	assert_int_equal(pairs.n, 0);
}

static void
expect_left_out(const struct vf_hn_dev *devs, size_t n, int bad, size_t kept,
		const char *message)
{
	err[0] = '\0';
	assert_int_equal(vf_hn_pairs_build(devs, n, &pairs, err, sizeof(err)),
			 bad);
	assert_int_equal(pairs.n, kept);
	assert_string_equal(err, message);
}

static void
bad_pairing(void **state)
{
	const struct vf_hn_dev twice[] = { { 0, "mce0" }, { 1, "mce0" } };
	const struct vf_hn_dev unit[] = { { 1, "" },
					  { 0, "mce0" },
					  { 1, "mce1" } };
	const struct vf_hn_dev names[] = { { 0, "mce 0" },
					   { 1, "hn2" },
					   { 2, "abcdefghijklmnop" },
					   { 3, "mce3" } };
	const struct vf_hn_dev units[] = { { -1, "mce0" }, { 65536, "" } };

	expect_left_out(twice, 2, 1, 1,
			"dev.hn.1.vf: VF already paired with another hn");
	assert_string_equal(pairs.p[0].hn, "hn0");
	/* A unit twice: even the first had no VF. */
	expect_left_out(unit, 3, 1, 1, "dev.hn.1.vf: unit given twice");
	assert_string_equal(pairs.p[0].vf, "mce0");
	/* The first problem is told; the count says how many. */
	expect_left_out(names, 4, 3, 1, "dev.hn.0.vf: bad VF name");
	assert_string_equal(pairs.p[0].vf, "mce3");
	expect_left_out(names + 1, 1, 1, 0,
			"dev.hn.1.vf: a VF named like hn(4)");
	const struct vf_hn_dev hn0[] = { { 1, "hn0" } };
	expect_left_out(hn0, 1, 1, 0, "dev.hn.1.vf: a VF named like hn(4)");
	expect_left_out(units, 2, 2, 0, "dev.hn.-1.vf: bad unit");
}

static void
too_many_pairs(void **state)
{
	static struct vf_hn_dev devs[VF_HN_MAXVF + 2];
	static char names[VF_HN_MAXVF + 2][16];

	for (int i = 0; i < VF_HN_MAXVF + 2; i++) {
		snprintf(names[i], sizeof(names[i]), "mce%d", i);
		devs[i] = (struct vf_hn_dev){ i, names[i] };
	}
	devs[VF_HN_MAXVF + 1].vf = ""; /* no VF: no room needed */
	expect_left_out(devs, VF_HN_MAXVF + 2, 1, VF_HN_MAXVF,
			"dev.hn.64.vf: too many pairs");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stand_aside_or_run),
		cmocka_unit_test(vflists),
		cmocka_unit_test(bad_vflists),
		cmocka_unit_test(sysctl_names),
		cmocka_unit_test(pairing),
		cmocka_unit_test(bad_pairing),
		cmocka_unit_test(too_many_pairs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
