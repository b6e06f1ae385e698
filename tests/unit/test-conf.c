/* SPDX-License-Identifier: MIT */
/* /etc/vfbond.conf: every key, and a clear "file:line: what" on errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf/conf.h"

static char path[64];

static int
load_text(const char *text, struct vf_config *conf, char *err, size_t len)
{
	int fd;
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/vfbond-conf-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	err[0] = '\0';
	int ret = vf_conf_load(path, true, conf, err, len);
	unlink(path);
	return ret;
}

/* Asserts a load fails with "PATH:LINE: <expected>". */
static void
expect_error(const char *text, int line, const char *expected)
{
	struct vf_config conf;
	char err[512], want[512];

	assert_int_equal(load_text(text, &conf, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:%d: %s", path, line, expected);
	assert_string_equal(err, want);
}

static void
defaults(void **state)
{
	struct vf_config conf;
	char err[256];

	assert_int_equal(vf_conf_load(NULL, false, &conf, err, sizeof(err)), 0);
	assert_int_equal(conf.vf_delay_ms, 0);
	assert_int_equal(conf.link_check_ms, 50);
	assert_true(vf_words_has(&conf.synthetic_drivers, "hv_netvsc"));
	assert_true(vf_words_has(&conf.synthetic_drivers, "virtio_net"));
	assert_true(vf_words_has(&conf.vf_exclude_kinds, "veth"));
	assert_true(vf_words_has(&conf.vf_exclude_kinds, "bond"));
	/* The last of the 18 kinds vfbond.conf(5) lists, not cut off. */
	assert_int_equal(conf.vf_exclude_kinds.count, 18);
	assert_true(vf_words_has(&conf.vf_exclude_kinds, "team"));
	assert_string_equal(conf.master_name, "vfb%m");
	assert_string_equal(conf.hooks_dir, "/etc/vfbond/hooks");
	assert_int_equal(conf.hook_privileges.count, 0);
	/* A missing default file is fine; a missing named one is not. */
	assert_int_equal(vf_conf_load("/nonexistent/vfbond.conf", false, &conf,
				      err, sizeof(err)),
			 0);
	assert_int_equal(vf_conf_load("/nonexistent/vfbond.conf", true, &conf,
				      err, sizeof(err)),
			 -1);
	assert_string_equal(err, "/nonexistent/vfbond.conf: No such file or "
				 "directory");
}

static void
every_key(void **state)
{
	struct vf_config conf;
	char err[256];

	assert_int_equal(load_text("; comment\n"
				   "[vfbond]\n"
				   "vf_delay = 2\n"
				   "carrier_wait = 500ms\n"
				   "miimon = 100ms\n"
				   "synthetic_drivers = virtio_net, tun\n"
				   "synthetic_names = syn* hn?\n"
				   "vf_exclude_kinds = bond bridge\n"
				   "master_name = bond-%n\n"
				   "hooks_dir = /etc/x/hooks\n"
				   "hook_timeout = 1.5\n"
				   "hook_capabilities = CAP_NET_RAW, "
				   "CAP_SYS_TIME\n"
				   "network_manager = networkmanager\n"
				   "[iface eth0]\n"
				   "vf_delay = 120\n"
				   "[iface 52:54:00:00:10:01]\n"
				   "ignore = yes\n",
				   &conf, err, sizeof(err)),
			 0);
	assert_int_equal(conf.vf_delay_ms, 2000);
	assert_int_equal(conf.carrier_wait_ms, 500);
	assert_int_equal(conf.link_check_ms, 100);
	assert_int_equal(conf.synthetic_drivers.count, 2);
	assert_true(vf_words_has(&conf.synthetic_drivers, "tun"));
	assert_int_equal(conf.synthetic_names.count, 2);
	assert_false(vf_words_has(&conf.vf_exclude_kinds, "veth"));
	assert_string_equal(conf.master_name, "bond-%n");
	assert_string_equal(conf.hooks_dir, "/etc/x/hooks");
	assert_int_equal(conf.hook_timeout_ms, 1500);
	assert_string_equal(conf.network_manager, "networkmanager");
	assert_int_equal(conf.hook_privileges.count, 2);
	assert_true(vf_words_has(&conf.hook_privileges, "CAP_SYS_TIME"));
	assert_int_equal(conf.n_ifaces, 2);
	assert_string_equal(conf.ifaces[0].match, "eth0");
	assert_int_equal(conf.ifaces[0].vf_delay_ms, 120000);
	assert_false(conf.ifaces[0].ignore);
	assert_int_equal(conf.ifaces[1].vf_delay_ms, -1);
	assert_true(conf.ifaces[1].ignore);
}

static void
errors_name_file_and_line(void **state)
{
	expect_error("[vfbond]\nvf_delay = 2\nfoo = 1\n", 3,
		     "unknown key 'foo' in [vfbond]");
	expect_error("[vfbond]\nnetwork_manager = nm\n", 2,
		     "network_manager: 'nm' is not auto, none, networkd, "
		     "ifupdown or networkmanager");
	expect_error("[vfbond]\nvf_delay = soon\n", 2,
		     "vf_delay: bad duration 'soon' (seconds, or a number "
		     "followed by ms)");
	expect_error("[vfbond]\nvf_delay = -1\n", 2,
		     "vf_delay: bad duration '-1' (seconds, or a number "
		     "followed by ms)");
	expect_error("[vfbond]\nmiimon = 0\n", 2,
		     "miimon: must be at least 1ms, not '0'");
	expect_error("\n[bogus]\nx = 1\n", 3, "unknown section [bogus]");
	expect_error("vf_delay = 1\n", 1,
		     "'vf_delay' outside a section (put it under [vfbond])");
	expect_error("[vfbond]\nmaster_name = much-too-long-%n\n", 2,
		     "master_name: 'much-too-long-%n' does not make an "
		     "interface name (1-15 characters; %m, %n, %u, %%)");
	expect_error("[vfbond]\nhook_capabilities = CAP_NET_RAW NET_ADMIN\n", 2,
		     "hook_capabilities: 'NET_ADMIN' is not a capability");
	expect_error("[vfbond]\nhook_capabilities = CAP_BOGUS\n", 2,
		     "hook_capabilities: 'CAP_BOGUS' is not a capability");
	expect_error("[vfbond]\nhooks_dir = relative\n", 2,
		     "hooks_dir: 'relative' is not an absolute path");
	expect_error("[iface eth0]\nignore = maybe\n", 2,
		     "ignore: 'maybe' is not yes or no");
	expect_error("[iface eth0]\nmiimon = 5\n", 2,
		     "unknown key 'miimon' in [iface eth0]");
	expect_error("[iface a/b]\nignore = yes\n", 2,
		     "[iface a/b]: 'a/b' is neither an interface name nor a "
		     "MAC address");
	expect_error("[iface eth0]\nignore=1\n[iface eth0]\nignore=0\n", 4,
		     "'ignore' is set twice in [iface eth0]");
	expect_error("[vfbond]\nmiimon=10\nvf_delay=1\nmiimon=20\n", 4,
		     "'miimon' is set twice in [vfbond]");
	expect_error("[vfbond]\nthis line is not ini\n", 2, "syntax error");
	expect_error("[vfbond]\nsynthetic_drivers = a b c d e f g h i j k l "
		     "m n o p q r s t u v w x y z 1 2 3 4 5 6 7\n",
		     2,
		     "synthetic_drivers: too many or too long words in 'a b "
		     "c d e f g h i j k l m n o p q r s t u v w x y z 1 2 3 4 "
		     "5 6 7'");
}

static void
durations(void **state)
{
	assert_int_equal(vf_conf_duration_ms("0"), 0);
	assert_int_equal(vf_conf_duration_ms("2"), 2000);
	assert_int_equal(vf_conf_duration_ms("2s"), 2000);
	assert_int_equal(vf_conf_duration_ms("0.1"), 100);
	assert_int_equal(vf_conf_duration_ms("250ms"), 250);
	assert_int_equal(vf_conf_duration_ms(""), -1);
	assert_int_equal(vf_conf_duration_ms("2m"), -1);
	assert_int_equal(vf_conf_duration_ms("1e9"), -1);
	assert_int_equal(vf_conf_duration_ms("nan"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(every_key),
		cmocka_unit_test(errors_name_file_and_line),
		cmocka_unit_test(durations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
