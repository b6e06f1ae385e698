/* SPDX-License-Identifier: MIT */
/*
 * 'vfbond status --json' from engine traces: a failure says why (the
 * backend's words), whether it is retried, and when.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>

#include "daemon/statusjson.h"
#include "trace.h"

#define T0 1000000

static json_object *
pair0(struct vf_core *core, uint64_t now)
{
	char *doc = vf_status_json(core, now, "daemon", NULL);
	json_object *root = json_tokener_parse(doc), *pairs, *p;

	free(doc);
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "pairs", &pairs));
	p = json_object_get(json_object_array_get_idx(pairs, 0));
	json_object_put(root);
	return p;
}

static json_object *
field(json_object *o, const char *key)
{
	json_object *v = NULL;

	assert_true(json_object_object_get_ex(o, key, &v));
	return v;
}

static struct vf_core *
failed_once(struct vf_config *conf, int error, const char *why)
{
	struct vf_core *core;
	struct vf_link s = mk_syn(2, "eth0", MAC_A);
	struct vf_link v = mk_vf(3, "eth1", MAC_A);
	struct vf_action act;

	vf_config_defaults(conf);
	vf_if_defaults(conf);
	core = vf_core_new(conf);
	vf_core_link_update(core, &s, T0);
	vf_core_link_update(core, &v, T0);
	act = next_real(core);
	assert_int_equal(act.type, VF_ACT_BUILD_MASTER);
	vf_core_action_done(core, &act, error, T0 + 10);
	vf_core_action_why(core, &act, why);
	return core;
}

static void
transient_failure_says_when(void **state)
{
	struct vf_config conf;
	struct vf_core *core =
	    failed_once(&conf, ETIMEDOUT, "create vfb0: Connection timed out");
	json_object *p = pair0(core, T0 + 410);

	assert_string_equal(json_object_get_string(field(p, "state")),
			    "retrying");
	assert_string_equal(json_object_get_string(field(p, "last_failed")),
			    "build-master");
	assert_string_equal(
	    json_object_get_string(field(p, "last_error_detail")),
	    "create vfb0: Connection timed out");
	assert_true(json_object_get_boolean(field(p, "transient")));
	assert_int_equal(json_object_get_int64(field(p, "retries")), 1);
	assert_int_equal(json_object_get_int64(field(p, "retries_max")),
			 VF_RETRY_TRIES);
	assert_int_equal(json_object_get_int64(field(p, "retry_in_ms")), 600);
	assert_non_null(field(p, "retry_at"));
	json_object_put(p);
	vf_core_free(core);
}

static void
permanent_failure_says_no_retry(void **state)
{
	struct vf_config conf;
	struct vf_core *core =
	    failed_once(&conf, EOPNOTSUPP, "create vfb0: no bonding driver");
	json_object *p = pair0(core, T0 + 410);

	assert_string_equal(json_object_get_string(field(p, "state")),
			    "failed");
	assert_false(json_object_get_boolean(field(p, "transient")));
	assert_null(field(p, "retry_at"));
	assert_null(field(p, "retry_in_ms"));
	assert_string_equal(
	    json_object_get_string(field(p, "last_error_detail")),
	    "create vfb0: no bonding driver");
	json_object_put(p);
	vf_core_free(core);
}

static void
success_clears_the_failure(void **state)
{
	struct vf_config conf;
	struct vf_core *core = failed_once(&conf, EBUSY, "busy");
	struct vf_action act;
	json_object *p, *v;

	vf_core_tick(core, T0 + 1010);
	act = next_real(core);
	vf_core_action_done(core, &act, 0, T0 + 1020);
	vf_core_action_why(core, &act, "stale words");
	p = pair0(core, T0 + 1030);
	assert_false(json_object_object_get_ex(p, "last_error", &v));
	assert_false(json_object_object_get_ex(p, "last_error_detail", &v));
	json_object_put(p);
	vf_core_free(core);
}

static void
failed_resync_says_when(void **state)
{
	struct vf_config conf;
	struct vf_counters counters = { 0 };
	struct vf_core *core;
	json_object *root, *v;
	char *doc;

	vf_config_defaults(&conf);
	core = vf_core_new(&conf);
	vf_core_resync_failed(core, T0);
	doc = vf_status_json(core, T0 + 10, "daemon", &counters);
	root = json_tokener_parse(doc);
	assert_true(json_object_object_get_ex(root, "resync_retry_at", &v));
	assert_non_null(v);
	json_object_put(root);
	free(doc);
	vf_core_resync_done(core);
	doc = vf_status_json(core, T0 + 10, "daemon", &counters);
	root = json_tokener_parse(doc);
	assert_true(json_object_object_get_ex(root, "resync_retry_at", &v));
	assert_null(v);
	json_object_put(root);
	free(doc);
	vf_core_free(core);
}

/* The backend's word on this host (FreeBSD: stands aside, and why). */
static void
backend_note_shown(void **state)
{
	struct vf_config conf;
	struct vf_counters counters = { 0 };
	struct vf_core *core;
	json_object *root, *v;
	char *doc;

	vf_config_defaults(&conf);
	core = vf_core_new(&conf);
	doc = vf_status_json(core, T0, "daemon", &counters);
	root = json_tokener_parse(doc);
	assert_false(json_object_object_get_ex(root, "backend", &v));
	json_object_put(root);
	free(doc);
	counters.backend = "not a Hyper-V guest (kern.vm_guest=kvm)";
	doc = vf_status_json(core, T0, "daemon", &counters);
	root = json_tokener_parse(doc);
	assert_true(json_object_object_get_ex(root, "backend", &v));
	assert_string_equal(json_object_get_string(v), counters.backend);
	json_object_put(root);
	free(doc);
	vf_core_free(core);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(transient_failure_says_when),
		cmocka_unit_test(permanent_failure_says_no_retry),
		cmocka_unit_test(success_clears_the_failure),
		cmocka_unit_test(failed_resync_says_when),
		cmocka_unit_test(backend_note_shown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
