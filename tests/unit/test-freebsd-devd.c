/* SPDX-License-Identifier: MIT */
/* The devd(8) record parser of the FreeBSD backend, on any OS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "os/freebsd/devd.h"
#include "os/freebsd/ifname.h"

/* Parses a C string as a record of strlen bytes. */
static int
parse(const char *line, struct vf_devd_event *ev)
{
	return vf_devd_parse(line, strlen(line), ev);
}

/* Parses a copy in a buffer of exactly len bytes (ASan sees overreads). */
static int
parse_exact(const char *bytes, size_t len, struct vf_devd_event *ev)
{
	char *copy = malloc(len ? len : 1);
	int ret;

	assert_non_null(copy);
	memcpy(copy, bytes, len);
	ret = vf_devd_parse(copy, len, ev);
	free(copy);
	return ret;
}

static void
expect_kind(const char *line, enum vf_devd_kind kind, const char *ifname)
{
	struct vf_devd_event ev;

	assert_int_equal(parse(line, &ev), VF_DEVD_OK);
	assert_int_equal(ev.msg, VF_DEVD_MSG_NOTIFY);
	assert_int_equal(ev.kind, kind);
	assert_string_equal(ev.ifname, ifname);
}

static void
expect_error(const char *line, int err)
{
	struct vf_devd_event ev;

	assert_int_equal(parse(line, &ev), err);
	/* A failed parse leaves nothing behind. */
	assert_int_equal(ev.kind, VF_DEVD_OTHER);
	assert_string_equal(ev.ifname, "");
	assert_string_equal(ev.system, "");
}

static void
the_events_vfbond_uses(void **state)
{
	expect_kind("!system=HYPERV_NIC_VF subsystem=hn0 type=VF_UP\n",
		    VF_DEVD_VF_UP, "hn0");
	expect_kind("!system=HYPERV_NIC_VF subsystem=hn1 type=VF_DOWN\n",
		    VF_DEVD_VF_DOWN, "hn1");
	expect_kind("!system=ETHERNET subsystem=mce0 type=IFATTACH\n",
		    VF_DEVD_IFATTACH, "mce0");
	expect_kind("!system=IFNET subsystem=mce0 type=ATTACH\n",
		    VF_DEVD_IF_ATTACH, "mce0");
	expect_kind("!system=IFNET subsystem=mce0 type=DETACH\n",
		    VF_DEVD_IF_DETACH, "mce0");
	expect_kind("!system=IFNET subsystem=hn0 type=LINK_UP\n",
		    VF_DEVD_LINK_UP, "hn0");
	expect_kind("!system=IFNET subsystem=mce0 type=LINK_DOWN\n",
		    VF_DEVD_LINK_DOWN, "mce0");
}

static void
fields_are_kept(void **state)
{
	struct vf_devd_event ev;

	assert_int_equal(
	    parse("!system=IFNET subsystem=hn0 type=LINK_UP\n", &ev), 0);
	assert_string_equal(ev.system, "IFNET");
	assert_string_equal(ev.subsystem, "hn0");
	assert_string_equal(ev.type, "LINK_UP");
}

static void
line_ends(void **state)
{
	/* No newline, CRLF, a terminating NUL: the same event. */
	expect_kind("!system=IFNET subsystem=hn0 type=LINK_UP", VF_DEVD_LINK_UP,
		    "hn0");
	expect_kind("!system=IFNET subsystem=hn0 type=LINK_UP\r\n",
		    VF_DEVD_LINK_UP, "hn0");
	struct vf_devd_event ev;
	static const char nul[] = "!system=IFNET subsystem=hn0 type=LINK_UP\n";
	assert_int_equal(parse_exact(nul, sizeof(nul), &ev), VF_DEVD_OK);
	assert_int_equal(ev.kind, VF_DEVD_LINK_UP);
	/* Only one line end is a line end; a second is a second line. */
	expect_error("!system=IFNET subsystem=hn0 type=LINK_UP\n\n",
		     VF_DEVD_ECTRL);
	expect_error("!system=IFNET subsystem=hn0 type=LINK_UP\r",
		     VF_DEVD_ECTRL);
	expect_error("!system=IFNET subsystem=hn0 type=LINK_UP\n\r",
		     VF_DEVD_ECTRL);
}

static void
quotes_and_extra_pairs(void **state)
{
	struct vf_devd_event ev;

	expect_kind("!system=\"HYPERV_NIC_VF\" subsystem=\"hn2\" type=VF_UP",
		    VF_DEVD_VF_UP, "hn2");
	expect_kind("!system=IFNET subsystem=hn0 type=LINK_UP notify=0x1",
		    VF_DEVD_LINK_UP, "hn0");
	expect_kind("!notify=0x3 system=IFNET\tsubsystem=hn0  type=DETACH",
		    VF_DEVD_IF_DETACH, "hn0");
	/* A quoted extra value may hold blanks, and even "type=". */
	assert_int_equal(parse("!system=IFNET subsystem=hn0 type=ADDR_ADD "
			       "address=\"10.0.0.5 type=LINK_UP\"",
			       &ev),
			 VF_DEVD_OK);
	assert_int_equal(ev.kind, VF_DEVD_OTHER);
	assert_string_equal(ev.type, "ADDR_ADD");
	assert_string_equal(ev.ifname, "hn0");
	/* An empty extra value is fine: only ours must be non-empty. */
	expect_kind("!system=IFNET subsystem=hn0 type=LINK_UP cause=",
		    VF_DEVD_LINK_UP, "hn0");
}

static void
other_notifications(void **state)
{
	struct vf_devd_event ev;

	/* Interface systems, types vfbond does not use. */
	expect_kind("!system=IFNET subsystem=hn0 type=ADDR_DEL", VF_DEVD_OTHER,
		    "hn0");
	expect_kind("!system=HYPERV_NIC_VF subsystem=hn0 type=VF_SIDEWAYS",
		    VF_DEVD_OTHER, "hn0");
	/* Other systems: their subsystem is no interface name. */
	assert_int_equal(parse("!system=DEVFS subsystem=CDEV type=CREATE "
			       "cdev=pts/1\n",
			       &ev),
			 VF_DEVD_OK);
	assert_int_equal(ev.kind, VF_DEVD_OTHER);
	assert_string_equal(ev.ifname, "");
	assert_string_equal(ev.subsystem, "CDEV");
	/* Matching is exact, as devd's own is. */
	expect_kind("!system=ifnet subsystem=hn0 type=LINK_UP", VF_DEVD_OTHER,
		    "");
	expect_kind("!system=IFNET subsystem=hn0 type=link_up", VF_DEVD_OTHER,
		    "hn0");
}

static void
device_records_are_ignored(void **state)
{
	struct vf_devd_event ev;

	assert_int_equal(parse("+mce0 at slot=2 function=0 on pci1\n", &ev), 0);
	assert_int_equal(ev.msg, VF_DEVD_MSG_ATTACH);
	assert_int_equal(ev.kind, VF_DEVD_OTHER);
	assert_int_equal(parse("-mce0 at slot=2 function=0 on pci1\n", &ev), 0);
	assert_int_equal(ev.msg, VF_DEVD_MSG_DETACH);
	assert_int_equal(ev.kind, VF_DEVD_OTHER);
	assert_int_equal(parse("? at slot=3 function=0 on pci0\n", &ev), 0);
	assert_int_equal(ev.msg, VF_DEVD_MSG_NOMATCH);
	assert_string_equal(ev.ifname, "");
	/* Their bytes are still checked. */
	expect_error("+mce0 at\x01 on pci1", VF_DEVD_ECTRL);
}

static void
bad_records(void **state)
{
	struct vf_devd_event ev;

	assert_int_equal(vf_devd_parse(NULL, 0, &ev), VF_DEVD_EEMPTY);
	expect_error("", VF_DEVD_EEMPTY);
	expect_error("\n", VF_DEVD_EEMPTY);
	expect_error("\r\n", VF_DEVD_EEMPTY);
	expect_error("system=IFNET subsystem=hn0 type=LINK_UP",
		     VF_DEVD_EPREFIX);
	expect_error(" !system=IFNET subsystem=hn0 type=LINK_UP",
		     VF_DEVD_EPREFIX);
	expect_error("!", VF_DEVD_EMISSING);
	expect_error("!subsystem=hn0 type=LINK_UP", VF_DEVD_EMISSING);
	expect_error("!system=IFNET type=LINK_UP", VF_DEVD_EMISSING);
	expect_error("!system=IFNET subsystem=hn0", VF_DEVD_EMISSING);
	expect_error("!system= subsystem=hn0 type=LINK_UP", VF_DEVD_EMISSING);
	expect_error("!system=IFNET subsystem=\"\" type=LINK_UP",
		     VF_DEVD_EMISSING);
	expect_error("!system=IFNET system=IFNET subsystem=hn0 type=LINK_UP",
		     VF_DEVD_EDUP);
	expect_error("!system=IFNET subsystem=hn0 type=LINK_UP type=LINK_DOWN",
		     VF_DEVD_EDUP);
	expect_error("!system=IFNET subsystem=hn0 LINK_UP", VF_DEVD_ESYNTAX);
	expect_error("!system=IFNET subsystem=hn0 =LINK_UP", VF_DEVD_ESYNTAX);
	expect_error("!system=IFNET subsystem=\"hn0 type=LINK_UP",
		     VF_DEVD_ESYNTAX);
	expect_error("!system=IFNET subsystem=\"hn\"0 type=LINK_UP",
		     VF_DEVD_ESYNTAX);
	expect_error("!system=IFNET subsystem=hn0 type=\"", VF_DEVD_ESYNTAX);
	/* A closing quote ends the value: no pair glued to it. */
	expect_error("!system=IFNET subsystem=\"hn0\"x=1 type=LINK_UP",
		     VF_DEVD_ESYNTAX);
	expect_error("!system=IFNET subsystem=hn0 type=LINK_UP\x7f",
		     VF_DEVD_ECTRL);
	expect_error("!system=IFNET subsystem=hn0\ntype=LINK_UP",
		     VF_DEVD_ECTRL);
	expect_error("!system=IFNET subsystem=hn0\rtype=LINK_UP",
		     VF_DEVD_ECTRL);
	static const char nul[] =
	    "!system=IFNET subsystem=hn\0000 type=LINK_UP";
	assert_int_equal(parse_exact(nul, sizeof(nul) - 1, &ev), VF_DEVD_ENUL);
	assert_string_equal(ev.system, "");
	/* A NUL after the line end is not a terminator. */
	static const char late[] = "!system=IFNET subsystem=hn0 type=LINK_UP\n"
				   "\0x";
	assert_int_equal(parse_exact(late, sizeof(late) - 1, &ev),
			 VF_DEVD_ENUL);
}

static void
lengths(void **state)
{
	char line[256];

	/* 63 characters fit a field; 64 do not. */
	snprintf(line, sizeof(line), "!system=%063d subsystem=a type=b", 0);
	expect_kind(line, VF_DEVD_OTHER, "");
	snprintf(line, sizeof(line), "!system=%064d subsystem=a type=b", 0);
	expect_error(line, VF_DEVD_ETOOLONG);
	snprintf(line, sizeof(line), "!system=IFNET subsystem=a type=%064d", 0);
	expect_error(line, VF_DEVD_ETOOLONG);
	/* Interface names: 15 characters at most, never cut. */
	expect_kind("!system=IFNET subsystem=abcdefghijklmn0 type=LINK_UP",
		    VF_DEVD_LINK_UP, "abcdefghijklmn0");
	expect_error("!system=IFNET subsystem=abcdefghijklmno0 type=LINK_UP",
		     VF_DEVD_EIFNAME);
}

static void
odd_interface_names(void **state)
{
	expect_kind("!system=IFNET subsystem=vlan0.10 type=LINK_UP",
		    VF_DEVD_LINK_UP, "vlan0.10");
	expect_kind("!system=IFNET subsystem=my_if-1 type=LINK_UP",
		    VF_DEVD_LINK_UP, "my_if-1");
	expect_error("!system=IFNET subsystem=hn0/x type=LINK_UP",
		     VF_DEVD_EIFNAME);
	expect_error("!system=HYPERV_NIC_VF subsystem=\"hn 0\" type=VF_UP",
		     VF_DEVD_EIFNAME);
	expect_error("!system=ETHERNET subsystem=../hn0 type=IFATTACH",
		     VF_DEVD_EIFNAME);
	expect_error("!system=ETHERNET subsystem=h\xc3\xa9 type=IFATTACH",
		     VF_DEVD_EIFNAME);
	expect_error("!system=IFNET subsystem=hn0\"x\" type=LINK_UP",
		     VF_DEVD_EIFNAME);
}

/* Every prefix of a good record is parsed inside its own bytes. */
static void
every_prefix(void **state)
{
	static const char line[] = "!system=HYPERV_NIC_VF subsystem=\"hn0\" "
				   "type=VF_UP notify=0x2\r\n";
	struct vf_devd_event ev;

	for (size_t n = 0; n <= sizeof(line) - 1; n++)
		(void)parse_exact(line, n, &ev);
	assert_int_equal(parse_exact(line, sizeof(line) - 1, &ev), 0);
	assert_int_equal(ev.kind, VF_DEVD_VF_UP);
}

static void
names_and_messages(void **state)
{
	assert_string_equal(vf_devd_kind_name(VF_DEVD_VF_UP), "VF_UP");
	assert_string_equal(vf_devd_kind_name(VF_DEVD_LINK_DOWN), "LINK_DOWN");
	assert_string_equal(vf_devd_kind_name(VF_DEVD_OTHER), "OTHER");
	assert_string_equal(vf_devd_kind_name((enum vf_devd_kind)99), "?");
	for (int e = VF_DEVD_OK; e >= VF_DEVD_EIFNAME; e--)
		assert_string_not_equal(vf_devd_strerror(e), "unknown error");
	assert_string_equal(vf_devd_strerror(-100), "unknown error");
}

static void
hn_units(void **state)
{
	assert_int_equal(vf_fbsd_hn_unit("hn0"), 0);
	assert_int_equal(vf_fbsd_hn_unit("hn12"), 12);
	assert_int_equal(vf_fbsd_hn_unit("hn65535"), 65535);
	assert_int_equal(vf_fbsd_hn_unit("hn65536"), -1);
	assert_int_equal(vf_fbsd_hn_unit("hn"), -1);
	assert_int_equal(vf_fbsd_hn_unit("hn01"), -1);
	assert_int_equal(vf_fbsd_hn_unit("hn0a"), -1);
	assert_int_equal(vf_fbsd_hn_unit("mce0"), -1);
	assert_int_equal(vf_fbsd_hn_unit("lagg0"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_events_vfbond_uses),
		cmocka_unit_test(fields_are_kept),
		cmocka_unit_test(line_ends),
		cmocka_unit_test(quotes_and_extra_pairs),
		cmocka_unit_test(other_notifications),
		cmocka_unit_test(device_records_are_ignored),
		cmocka_unit_test(bad_records),
		cmocka_unit_test(lengths),
		cmocka_unit_test(odd_interface_names),
		cmocka_unit_test(every_prefix),
		cmocka_unit_test(names_and_messages),
		cmocka_unit_test(hn_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
