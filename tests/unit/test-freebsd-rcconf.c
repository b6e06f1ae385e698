/* SPDX-License-Identifier: MIT */
/* rc.conf as the FreeBSD backend reads it, and ifconfig_hnN classified. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "os/freebsd/ifcfg.h"
#include "os/freebsd/rcconf.h"

static struct vf_rcconf rc;
static char err[256];

static int
load(const char *text)
{
	vf_rcconf_init(&rc);
	err[0] = '\0';
	return vf_rcconf_parse(&rc, text, strlen(text), "rc.conf", err,
			       sizeof(err));
}

static const char *
get(const char *name)
{
	const struct vf_rc_var *v = vf_rcconf_get(&rc, name);

	return v != NULL ? v->value : NULL;
}

static void
expect_hn0(const char *text, const char *value)
{
	assert_int_equal(load(text), 0);
	assert_string_equal(get("ifconfig_hn0"), value);
}

static void
expect_refused(const char *text, const char *message)
{
	assert_int_equal(load(text), -1);
	assert_string_equal(err, message);
}

static void
quoting(void **state)
{
	expect_hn0("ifconfig_hn0=\"DHCP\"\n", "DHCP");
	expect_hn0("ifconfig_hn0='inet 10.0.0.5/24'\n", "inet 10.0.0.5/24");
	expect_hn0("ifconfig_hn0=DHCP\n", "DHCP");
	expect_hn0("ifconfig_hn0=\n", "");
	expect_hn0("ifconfig_hn0=\"\"", "");
	/* Pieces join as sh joins them. */
	expect_hn0("ifconfig_hn0=\"inet \"'10.0.0.5'/24\n", "inet 10.0.0.5/24");
	/* Inside '...' everything is literal, $ too. */
	expect_hn0("ifconfig_hn0='a $b `c` \\d \"e\"'", "a $b `c` \\d \"e\"");
	/* Inside "...", \ escapes $ ` " \ and is kept before others. */
	expect_hn0("ifconfig_hn0=\"a \\$b \\` \\\" \\\\ \\n\"",
		   "a $b ` \" \\ \\n");
	/* Unquoted, \ makes the next character plain. */
	expect_hn0("ifconfig_hn0=a\\ b\\$c", "a b$c");
	/* # starts a comment only at the start of a word. */
	expect_hn0("ifconfig_hn0=a#b # comment", "a#b");
	expect_hn0("ifconfig_hn0=\"a # b\"#c", "a # b#c");
	/* Globs are not expanded in assignments. */
	expect_hn0("ifconfig_hn0=*", "*");
	expect_hn0("ifconfig_hn0=a~b", "a~b");
}

static void
layout(void **state)
{
	assert_int_equal(load("# rc.conf\n"
			      "\n"
			      "hostname=\"vm\"\n"
			      "   \t\n"
			      "  ifconfig_hn0=\"DHCP\"   # the synthetic NIC\n"
			      "\tvfbond_enable=YES\t\n"
			      "ifconfig_hn1=\"inet 10.0.1.5/24\"\n"
			      "ifconfig_hn0=SYNCDHCP\n"
			      "sshd_enable=\"YES\""),
			 0);
	assert_string_equal(get("ifconfig_hn0"), "SYNCDHCP");
	assert_string_equal(vf_rcconf_get(&rc, "ifconfig_hn0")->where,
			    "rc.conf:8");
	assert_string_equal(get("ifconfig_hn1"), "inet 10.0.1.5/24");
	assert_string_equal(get("vfbond_enable"), "YES");
	/* Only what vfbond reads is kept. */
	assert_null(get("hostname"));
	assert_null(get("sshd_enable"));
	assert_int_equal(rc.nvars, 3);
	/* Empty text is an empty file. */
	assert_int_equal(load(""), 0);
	assert_int_equal(rc.nvars, 0);
}

static void
kept_names(void **state)
{
	assert_int_equal(load("ifconfig_hn0_ipv6=\"inet6 accept_rtadv\"\n"
			      "ifconfig_hn0_alias0=\"inet 10.0.0.6/32\"\n"
			      "ifconfig_hn01=DHCP\n"
			      "ifconfig_em0=DHCP\n"
			      "ifconfig_DEFAULT=DHCP\n"
			      "hyperv_vf_delay=120\n"
			      "synchronous_dhclient=YES\n"
			      "ifconfig_hn0_ipv6_x=1\n"
			      "a_name_much_too_long_for_anything_we_keep=1\n"),
			 0);
	assert_string_equal(get("ifconfig_hn0_ipv6"), "inet6 accept_rtadv");
	assert_null(get("ifconfig_hn0_alias0"));
	assert_null(get("ifconfig_hn01"));
	assert_null(get("ifconfig_em0"));
	assert_null(get("ifconfig_hn0_ipv6_x"));
	assert_string_equal(get("ifconfig_DEFAULT"), "DHCP");
	assert_string_equal(get("hyperv_vf_delay"), "120");
	assert_string_equal(get("synchronous_dhclient"), "YES");
	assert_int_equal(rc.nvars, 4);
}

/* rc.conf.local comes after rc.conf and wins; lines count per file. */
static void
two_files(void **state)
{
	static const char local[] = "\nifconfig_hn0=\"inet 10.0.0.5/24\"\n";

	assert_int_equal(load("ifconfig_hn0=DHCP\nhyperv_vf_delay=5\n"), 0);
	assert_int_equal(vf_rcconf_parse(&rc, local, strlen(local),
					 "rc.conf.local", err, sizeof(err)),
			 0);
	assert_string_equal(get("ifconfig_hn0"), "inet 10.0.0.5/24");
	assert_string_equal(vf_rcconf_get(&rc, "ifconfig_hn0")->where,
			    "rc.conf.local:2");
	assert_string_equal(get("hyperv_vf_delay"), "5");
	assert_int_equal(
	    vf_rcconf_parse(&rc, "x=$y", 4, "rc.conf.local", err, sizeof(err)),
	    -1);
	assert_string_equal(err,
			    "rc.conf.local:1: $ or ` expansion needs a shell");
}

static void
needs_a_shell(void **state)
{
	expect_refused("a=1\nifconfig_hn0=\"$(cat /x)\"\n",
		       "rc.conf:2: $ or ` expansion needs a shell");
	expect_refused("ifconfig_hn0=`cat /x`",
		       "rc.conf:1: $ or ` expansion needs a shell");
	expect_refused("ifconfig_hn0=\"${ifconfig_hn1}\"",
		       "rc.conf:1: $ or ` expansion needs a shell");
	expect_refused("ifconfig_hn0=$x",
		       "rc.conf:1: $ or ` expansion needs a shell");
	expect_refused("ifconfig_hn0=\"inet `x`\"",
		       "rc.conf:1: $ or ` expansion needs a shell");
	expect_refused("ifconfig_hn0=~/x", "rc.conf:1: ~ expansion needs a "
					   "shell");
	expect_refused("ifconfig_hn0=DHCP; vfbond_enable=YES",
		       "rc.conf:1: ; & | < > ( ) need a shell");
	expect_refused("ifconfig_hn0=DHCP&&x=1",
		       "rc.conf:1: ; & | < > ( ) need a shell");
	/* Even a lone ';' that sh would take: the line is not plain. */
	expect_refused("ifconfig_hn0=DHCP;", "rc.conf:1: ; & | < > ( ) need a "
					     "shell");
	expect_refused("ifconfig_hn0=(DHCP)", "rc.conf:1: ; & | < > ( ) need "
					      "a shell");
	expect_refused("ifconfig_hn0=DHCP echo",
		       "rc.conf:1: words after the value: a command, not an "
		       "assignment");
	expect_refused("ifconfig_hn0 = DHCP",
		       "rc.conf:1: not a plain assignment (name=value)");
	expect_refused("export ifconfig_hn0=DHCP",
		       "rc.conf:1: not a plain assignment (name=value)");
	expect_refused("\n\n. /etc/rc.conf.d/network",
		       "rc.conf:3: not a plain assignment (name=value)");
	expect_refused("if [ -f /x ]; then", "rc.conf:1: not a plain "
					     "assignment (name=value)");
	expect_refused("1abc=x", "rc.conf:1: not a plain assignment "
				 "(name=value)");
	expect_refused("ifconfig_hn0", "rc.conf:1: not a plain assignment "
				       "(name=value)");
}

static void
bad_text(void **state)
{
	char big[400];

	expect_refused("ifconfig_hn0=\"DHCP\n\"",
		       "rc.conf:1: quote not closed on this line");
	/* A backslash last in the line escapes nothing inside "...". */
	expect_refused("ifconfig_hn0=\"DHCP\\\nx\"",
		       "rc.conf:1: quote not closed on this line");
	expect_refused("ifconfig_hn0='DHCP", "rc.conf:1: quote not closed on "
					     "this line");
	expect_refused("ifconfig_hn0=DHCP\\\n",
		       "rc.conf:1: a line continued with \\");
	expect_refused("ifconfig_hn0=DHCP\r\n",
		       "rc.conf:1: a carriage return (a DOS line end?)");
	assert_int_equal(
	    vf_rcconf_parse(&rc, "a=1\nb=\0\n", 8, "rc.conf", err, sizeof(err)),
	    -1);
	assert_string_equal(err, "rc.conf:2: a NUL byte");
	/* 255 characters of value fit, 256 do not, quoted or not. */
	snprintf(big, sizeof(big), "ifconfig_hn0=\"%0255d\"", 0);
	assert_int_equal(load(big), 0);
	assert_int_equal(strlen(get("ifconfig_hn0")), 255);
	snprintf(big, sizeof(big), "ifconfig_hn0=%0256d", 0);
	expect_refused(big, "rc.conf:1: value longer than 255 characters");
	snprintf(big, sizeof(big), "ifconfig_hn0='%0256d'", 0);
	expect_refused(big, "rc.conf:1: value longer than 255 characters");
	/* What came before a refused line stays. */
	assert_int_equal(load("vfbond_enable=YES\nx=$y\nifconfig_hn0=DHCP\n"),
			 -1);
	assert_string_equal(get("vfbond_enable"), "YES");
	assert_null(get("ifconfig_hn0"));
	/* A zero-length message buffer is left alone. */
	vf_rcconf_init(&rc);
	assert_int_equal(vf_rcconf_parse(&rc, "x=$y", 4, "rc.conf", NULL, 0),
			 -1);
}

static void
too_many(void **state)
{
	char *text = malloc(VF_RC_MAXVARS * 32 + 64);
	size_t n = 0;

	assert_non_null(text);
	for (int i = 0; i < VF_RC_MAXVARS; i++)
		n += (size_t)sprintf(text + n, "ifconfig_hn%d=DHCP\n", i);
	/* Setting one again takes no new room. */
	n += (size_t)sprintf(text + n, "ifconfig_hn0=SYNCDHCP\n");
	assert_int_equal(load(text), 0);
	sprintf(text + n, "ifconfig_hn%d=DHCP\n", VF_RC_MAXVARS);
	assert_int_equal(load(text), -1);
	assert_string_equal(err, "rc.conf:66: too many ifconfig_hnN variables");
	free(text);
}

/* hyperv_vf_delay as the seed reads it: at least 2, else 2. */
static void
vf_delay(void **state)
{
	static const struct {
		const char *text;
		unsigned secs;
		bool raised;
	} cases[] = {
		{ "", 2, true },
		{ "hyperv_vf_delay=120", 120, false },
		{ "hyperv_vf_delay=2", 2, false },
		{ "hyperv_vf_delay=1", 2, true },
		{ "hyperv_vf_delay=0", 2, true },
		{ "hyperv_vf_delay=-5", 2, true },
		{ "hyperv_vf_delay=", 2, true },
		{ "hyperv_vf_delay=abc", 2, true },
		{ "hyperv_vf_delay=5s", 2, true },
		{ "hyperv_vf_delay=2147483647", 2147483647u, false },
		{ "hyperv_vf_delay=2147483648", 2, true },
		{ "hyperv_vf_delay=99999999999999999999999", 2, true },
	};
	bool raised;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(load(cases[i].text), 0);
		assert_int_equal(vf_rcconf_vf_delay(&rc, &raised),
				 cases[i].secs);
		assert_int_equal(raised, cases[i].raised);
	}
	assert_int_equal(vf_rcconf_vf_delay(&rc, NULL), 2);
}

static void
yesno(void **state)
{
	static const struct {
		const char *value;
		int want;
	} cases[] = {
		{ "YES", 1 }, { "yes", 1 },    { "True", 1 },  { "on", 1 },
		{ "1", 1 },   { "NO", 0 },     { "false", 0 }, { "Off", 0 },
		{ "0", 0 },   { "maybe", -1 }, { "", -1 },     { "YES ", -1 },
	};
	char text[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "vfbond_enable='%s'",
			 cases[i].value);
		assert_int_equal(load(text), 0);
		assert_int_equal(vf_rcconf_yesno(&rc, "vfbond_enable"),
				 cases[i].want);
	}
	assert_int_equal(load(""), 0);
	assert_int_equal(vf_rcconf_yesno(&rc, "vfbond_enable"), 0);
}

static struct vf_ifcfg cfg;

/* Loads text and reads hn0's configuration from it. */
static int
ifcfg(const char *text)
{
	assert_int_equal(load(text), 0);
	return vf_ifcfg_get(&rc, "hn0", &cfg, err, sizeof(err));
}

static void
expect_v4(const char *text, enum vf_ifcfg_v4 v4, const char *args)
{
	assert_int_equal(ifcfg(text), 0);
	assert_int_equal(cfg.v4, v4);
	assert_string_equal(cfg.args, args);
}

/* The seed's hyperv_vfup: DHCP means dhclient on the lagg, in the
 * background unless synchronous; anything else is ifconfig arguments. */
static void
dhcp(void **state)
{
	expect_v4("ifconfig_hn0=DHCP", VF_IFCFG_DHCP, "");
	expect_v4("ifconfig_hn0=dhcp", VF_IFCFG_DHCP, "");
	expect_v4("ifconfig_hn0=SYNCDHCP", VF_IFCFG_SYNCDHCP, "");
	expect_v4("ifconfig_hn0=\"DHCP mtu 9000\"", VF_IFCFG_DHCP, "mtu 9000");
	expect_v4("ifconfig_hn0=\"up SyncDhcp  mtu 9000 NOAUTO\"",
		  VF_IFCFG_SYNCDHCP, "up mtu 9000");
	expect_v4("ifconfig_hn0=\"WPA HOSTAP polling DHCP\"", VF_IFCFG_DHCP,
		  "");
	/* synchronous_dhclient decides for plain DHCP only. */
	expect_v4("ifconfig_hn0=DHCP\nsynchronous_dhclient=YES",
		  VF_IFCFG_SYNCDHCP, "");
	expect_v4("ifconfig_hn0=DHCP\nsynchronous_dhclient=NO", VF_IFCFG_DHCP,
		  "");
	expect_v4("ifconfig_hn0=NOSYNCDHCP\nsynchronous_dhclient=YES",
		  VF_IFCFG_DHCP, "");
	expect_v4("ifconfig_hn0=SYNCDHCP\nsynchronous_dhclient=NO",
		  VF_IFCFG_SYNCDHCP, "");
	/* No address is read from a DHCP line. */
	assert_string_equal(cfg.inet, "");
	assert_int_equal(cfg.prefixlen, -1);
}

static void
expect_static(const char *text, const char *inet, int prefixlen)
{
	assert_int_equal(ifcfg(text), 0);
	assert_int_equal(cfg.v4, VF_IFCFG_STATIC);
	assert_string_equal(cfg.inet, inet);
	assert_int_equal(cfg.prefixlen, prefixlen);
}

static void
static_ipv4(void **state)
{
	expect_static("ifconfig_hn0=\"inet 10.0.0.5/24\"", "10.0.0.5", 24);
	assert_string_equal(cfg.args, "inet 10.0.0.5/24");
	expect_static("ifconfig_hn0=\"inet 10.0.0.5 netmask 255.255.255.0\"",
		      "10.0.0.5", 24);
	assert_string_equal(cfg.args, "inet 10.0.0.5 netmask 255.255.255.0");
	expect_static("ifconfig_hn0=\"inet 10.0.0.5 netmask 0xffff0000 "
		      "mtu 9000\"",
		      "10.0.0.5", 16);
	expect_static("ifconfig_hn0=\"10.0.0.5/8 up\"", "10.0.0.5", 8);
	expect_static("ifconfig_hn0=\"inet 10.0.0.5\"", "10.0.0.5", -1);
	expect_static("ifconfig_hn0=\"up inet 10.0.0.5/32\"", "10.0.0.5", 32);
	expect_static("ifconfig_hn0=\"inet 10.0.0.5/0\"", "10.0.0.5", 0);
	expect_static("ifconfig_hn0=\"inet 10.0.0.5 netmask 0.0.0.0\"",
		      "10.0.0.5", 0);
	expect_static("ifconfig_hn0=\"inet 10.0.0.5 netmask 0XFFFFFFFF\"",
		      "10.0.0.5", 32);
	/* The netmask may come first; ifconfig reads it all before acting. */
	expect_static("ifconfig_hn0=\"netmask 255.255.255.128 inet 10.0.0.5\"",
		      "10.0.0.5", 25);
}

static void
no_ipv4(void **state)
{
	expect_v4("", VF_IFCFG_NONE, "");
	expect_v4("ifconfig_hn0=\"\"", VF_IFCFG_NONE, "");
	expect_v4("ifconfig_hn0=\"up mtu 9000\"", VF_IFCFG_NONE, "up mtu 9000");
	assert_string_equal(cfg.inet, "");
	expect_v4("ifconfig_hn0=\"netmask 255.255.255.0\"", VF_IFCFG_NONE,
		  "netmask 255.255.255.0");
	assert_int_equal(cfg.prefixlen, -1);
	/* A NOAUTO-only line leaves nothing for ifconfig. */
	expect_v4("ifconfig_hn0=NOAUTO", VF_IFCFG_NONE, "");
	/* rc.d's other words are taken out, and are no DHCP. */
	expect_v4("ifconfig_hn0=\"up WPA hostap POLLING\"", VF_IFCFG_NONE,
		  "up");
}

/* rc.d's ifconfig_DEFAULT stands in for an unset ifconfig_hnN only. */
static void
default_config(void **state)
{
	expect_v4("ifconfig_DEFAULT=SYNCDHCP", VF_IFCFG_SYNCDHCP, "");
	expect_v4("ifconfig_DEFAULT=SYNCDHCP\nifconfig_hn0=\"inet 10.0.0.5\"",
		  VF_IFCFG_STATIC, "inet 10.0.0.5");
	expect_v4("ifconfig_DEFAULT=SYNCDHCP\nifconfig_hn0=", VF_IFCFG_NONE,
		  "");
	/* hn1's line is not hn0's. */
	expect_v4("ifconfig_hn1=DHCP", VF_IFCFG_NONE, "");
}

static void
expect_bad(const char *text, const char *message)
{
	assert_int_equal(ifcfg(text), -1);
	assert_string_equal(err, message);
	/* Nothing half-read is left to apply. */
	assert_int_equal(cfg.v4, VF_IFCFG_NONE);
	assert_int_equal(cfg.v6, VF_IFCFG6_NONE);
	assert_string_equal(cfg.args, "");
	assert_string_equal(cfg.inet, "");
}

static void
bad_values(void **state)
{
	expect_bad(
	    "ifconfig_hn0=\"inet 10.0.0.300/24\"",
	    "rc.conf:1: ifconfig_hn0: bad IPv4 address \"10.0.0.300/24\"");
	expect_bad("ifconfig_hn0=inet",
		   "rc.conf:1: ifconfig_hn0: bad IPv4 address \"\"");
	expect_bad("ifconfig_hn0=\"inet 10.0.0.5/33\"",
		   "rc.conf:1: ifconfig_hn0: bad IPv4 address \"10.0.0.5/33\"");
	expect_bad("ifconfig_hn0=\"inet 10.0.0.5/\"",
		   "rc.conf:1: ifconfig_hn0: bad IPv4 address \"10.0.0.5/\"");
	expect_bad("ifconfig_hn0=\"inet 10.0.0.5/2x\"",
		   "rc.conf:1: ifconfig_hn0: bad IPv4 address \"10.0.0.5/2x\"");
	expect_bad(
	    "ifconfig_hn0=\"inet 10.0.0.5/0024\"",
	    "rc.conf:1: ifconfig_hn0: bad IPv4 address \"10.0.0.5/0024\"");
	expect_bad("ifconfig_hn0=\"inet 10.0.0.5 netmask 255.0.255.0\"",
		   "rc.conf:1: ifconfig_hn0: bad netmask \"255.0.255.0\"");
	expect_bad("ifconfig_hn0=\"inet 10.0.0.5 netmask 0x-1\"",
		   "rc.conf:1: ifconfig_hn0: bad netmask \"0x-1\"");
	expect_bad("ifconfig_hn0=\"inet 10.0.0.5 netmask 0x\"",
		   "rc.conf:1: ifconfig_hn0: bad netmask \"0x\"");
	expect_bad("ifconfig_hn0=\"inet 10.0.0.5 netmask 0x1ffffff00\"",
		   "rc.conf:1: ifconfig_hn0: bad netmask \"0x1ffffff00\"");
	expect_bad("ifconfig_hn0=\"inet 10.0.0.5 netmask\"",
		   "rc.conf:1: ifconfig_hn0: bad netmask \"\"");
	expect_bad("ifconfig_hn0=\"inet 10.0.0.5 inet 10.0.0.6\"",
		   "rc.conf:1: ifconfig_hn0: two IPv4 addresses");
	expect_bad("x=1\nifconfig_DEFAULT=\"inet 1.2.3\"",
		   "rc.conf:2: ifconfig_DEFAULT: bad IPv4 address \"1.2.3\"");
	expect_bad("ifconfig_hn0_ipv6=\"inet6 2001:db8::zz/64\"",
		   "rc.conf:1: ifconfig_hn0_ipv6: bad IPv6 address "
		   "\"2001:db8::zz/64\"");
	expect_bad("ifconfig_hn0_ipv6=\"inet6 2001:db8::5/129\"",
		   "rc.conf:1: ifconfig_hn0_ipv6: bad IPv6 address "
		   "\"2001:db8::5/129\"");
	expect_bad("ifconfig_hn0_ipv6=\"inet6 2001:db8::5 prefixlen x\"",
		   "rc.conf:1: ifconfig_hn0_ipv6: bad prefixlen \"x\"");
	expect_bad("ifconfig_hn0_ipv6=\"inet6 2001:db8::5 2001:db8::6\"",
		   "rc.conf:1: ifconfig_hn0_ipv6: two IPv6 addresses");
	/* A good IPv4 line does not survive a bad IPv6 one. */
	expect_bad("ifconfig_hn0=DHCP\nifconfig_hn0_ipv6=\"inet6 ::g\"",
		   "rc.conf:2: ifconfig_hn0_ipv6: bad IPv6 address \"::g\"");
	/* Only hn(4) names are asked about. */
	assert_int_equal(load("ifconfig_DEFAULT=DHCP"), 0);
	assert_int_equal(vf_ifcfg_get(&rc, "mce0", &cfg, err, sizeof(err)), -1);
	assert_string_equal(err, "mce0: not an hn(4) name");
}

static void
ipv6(void **state)
{
	assert_int_equal(ifcfg("ifconfig_hn0_ipv6=\"inet6 accept_rtadv\""), 0);
	assert_int_equal(cfg.v6, VF_IFCFG6_RTADV);
	assert_true(cfg.accept_rtadv);
	assert_string_equal(cfg.args6, "inet6 accept_rtadv");
	assert_int_equal(cfg.v4, VF_IFCFG_NONE);

	assert_int_equal(ifcfg("ifconfig_hn0_ipv6=\"inet6 2001:db8::5/64\""),
			 0);
	assert_int_equal(cfg.v6, VF_IFCFG6_STATIC);
	assert_string_equal(cfg.inet6, "2001:db8::5");
	assert_int_equal(cfg.prefixlen6, 64);
	assert_false(cfg.accept_rtadv);

	assert_int_equal(ifcfg("ifconfig_hn0=DHCP\nifconfig_hn0_ipv6=\"inet6 "
			       "2001:db8::5 prefixlen 56 accept_rtadv\""),
			 0);
	assert_int_equal(cfg.v4, VF_IFCFG_DHCP);
	assert_int_equal(cfg.v6, VF_IFCFG6_STATIC);
	assert_int_equal(cfg.prefixlen6, 56);
	assert_true(cfg.accept_rtadv);

	assert_int_equal(ifcfg("ifconfig_hn0_ipv6=\"inet6 fe80::1\""), 0);
	assert_int_equal(cfg.prefixlen6, -1);
	assert_int_equal(ifcfg("ifconfig_hn0_ipv6=\"inet6 accept_rtadv "
			       "-accept_rtadv\""),
			 0);
	assert_int_equal(cfg.v6, VF_IFCFG6_OTHER);
	assert_int_equal(ifcfg("ifconfig_hn0_ipv6=\"inet6 -ifdisabled\""), 0);
	assert_int_equal(cfg.v6, VF_IFCFG6_OTHER);
	assert_int_equal(ifcfg("ifconfig_hn0_ipv6="), 0);
	assert_int_equal(cfg.v6, VF_IFCFG6_NONE);
	/* hn0's IPv6 line does not fall back to ifconfig_DEFAULT. */
	assert_int_equal(ifcfg("ifconfig_DEFAULT=\"inet6 accept_rtadv\""), 0);
	assert_int_equal(cfg.v6, VF_IFCFG6_NONE);
}

static void
kind_names(void **state)
{
	assert_string_equal(vf_ifcfg_v4_name(VF_IFCFG_NONE), "none");
	assert_string_equal(vf_ifcfg_v4_name(VF_IFCFG_DHCP), "DHCP");
	assert_string_equal(vf_ifcfg_v4_name(VF_IFCFG_SYNCDHCP), "SYNCDHCP");
	assert_string_equal(vf_ifcfg_v4_name(VF_IFCFG_STATIC), "static");
	assert_string_equal(vf_ifcfg_v4_name((enum vf_ifcfg_v4)9), "?");
	assert_string_equal(vf_ifcfg_v6_name(VF_IFCFG6_NONE), "none");
	assert_string_equal(vf_ifcfg_v6_name(VF_IFCFG6_RTADV), "accept_rtadv");
	assert_string_equal(vf_ifcfg_v6_name(VF_IFCFG6_STATIC), "static");
	assert_string_equal(vf_ifcfg_v6_name(VF_IFCFG6_OTHER), "other");
	assert_string_equal(vf_ifcfg_v6_name((enum vf_ifcfg_v6)9), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quoting),	  cmocka_unit_test(layout),
		cmocka_unit_test(kept_names),	  cmocka_unit_test(two_files),
		cmocka_unit_test(needs_a_shell),  cmocka_unit_test(bad_text),
		cmocka_unit_test(too_many),	  cmocka_unit_test(vf_delay),
		cmocka_unit_test(yesno),	  cmocka_unit_test(dhcp),
		cmocka_unit_test(static_ipv4),	  cmocka_unit_test(no_ipv4),
		cmocka_unit_test(default_config), cmocka_unit_test(bad_values),
		cmocka_unit_test(ipv6),		  cmocka_unit_test(kind_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
