/* SPDX-License-Identifier: MIT */
/* One describer for the daemon's log and for 'vfbond plan'. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "daemon/describe.h"

static struct vf_action
action(enum vf_action_type type)
{
	struct vf_action act = { .type = type };

	snprintf(act.master_name, sizeof(act.master_name), "vfb0");
	snprintf(act.vf_name, sizeof(act.vf_name), "eth1");
	return act;
}

static void
actions_in_both_styles(void **state)
{
	struct vf_config conf = { .link_check_ms = 50 };
	struct vf_action act = action(VF_ACT_BUILD_MASTER);
	char buf[160];

	vf_describe_action(&act, VF_DESCRIBE_LOG, &conf, buf, sizeof(buf));
	assert_string_equal(buf, "building master vfb0 over VF eth1");
	vf_describe_action(&act, VF_DESCRIBE_PLAN, &conf, buf, sizeof(buf));
	assert_string_equal(buf, "build-master vfb0 (active-backup, primary "
				 "eth1, miimon 50 ms)");
	act = action(VF_ACT_TAKEOVER);
	vf_describe_action(&act, VF_DESCRIBE_LOG, &conf, buf, sizeof(buf));
	assert_string_equal(buf, "moving addresses and routes to vfb0");
	vf_describe_action(&act, VF_DESCRIBE_PLAN, &conf, buf, sizeof(buf));
	assert_string_equal(buf, "takeover onto vfb0");
	act = action(VF_ACT_ENSLAVE_VF);
	vf_describe_action(&act, VF_DESCRIBE_LOG, &conf, buf, sizeof(buf));
	assert_string_equal(buf, "VF eth1 is back: joining it to vfb0");
	vf_describe_action(&act, VF_DESCRIBE_PLAN, &conf, buf, sizeof(buf));
	assert_string_equal(buf, "enslave-vf eth1 into vfb0");
	act = action(VF_ACT_WITHDRAW);
	vf_describe_action(&act, VF_DESCRIBE_LOG, &conf, buf, sizeof(buf));
	assert_string_equal(buf, "taking address copies off vfb0");
	vf_describe_action(&act, VF_DESCRIBE_PLAN, &conf, buf, sizeof(buf));
	assert_string_equal(buf, "withdraw address copies from vfb0");
	act = action(VF_ACT_CLEAR_PORT);
	snprintf(act.port_name, sizeof(act.port_name), "eth1");
	vf_describe_action(&act, VF_DESCRIBE_LOG, &conf, buf, sizeof(buf));
	assert_string_equal(
	    buf, "taking addresses and routes off eth1, a port of vfb0");
	vf_describe_action(&act, VF_DESCRIBE_PLAN, &conf, buf, sizeof(buf));
	assert_string_equal(buf, "clear-port eth1 of vfb0");
}

static void
pairs_name_what_they_have(void **state)
{
	struct vf_pair_status st = { .state = VF_PAIR_SOLO };
	char buf[128];

	vf_describe_pair(&st, buf, sizeof(buf));
	assert_string_equal(buf, "solo");
	st.state = VF_PAIR_ACTIVE;
	st.vf = 3;
	st.master = 9;
	st.active = 3;
	snprintf(st.vf_name, sizeof(st.vf_name), "eth1");
	snprintf(st.master_name, sizeof(st.master_name), "vfb0");
	snprintf(st.active_name, sizeof(st.active_name), "eth1");
	vf_describe_pair(&st, buf, sizeof(buf));
	assert_string_equal(buf,
			    "active, VF eth1, master vfb0, traffic on eth1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(actions_in_both_styles),
		cmocka_unit_test(pairs_name_what_they_have),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
