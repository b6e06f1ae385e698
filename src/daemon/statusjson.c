/* SPDX-License-Identifier: MIT */
/* json-c builds the status: escaping names by hand is where bugs hide. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "statusjson.h"

/* Monotonic milliseconds to a wall-clock ISO 8601 string, or null. */
static json_object *
when(uint64_t t_ms, uint64_t now_ms)
{
	struct timespec ts;
	struct tm tm;
	time_t sec;
	char buf[40];
	long ms;
	int64_t wall_ms;

	if (t_ms == 0)
		return NULL;
	clock_gettime(CLOCK_REALTIME, &ts);
	wall_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 -
		  (int64_t)(now_ms - t_ms);
	sec = (time_t)(wall_ms / 1000);
	ms = (long)(wall_ms % 1000);
	gmtime_r(&sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ".%03ldZ", ms);
	return json_object_new_string(buf);
}

static void
add_name(json_object *o, const char *key, const char *name, int ifindex)
{
	char k[32];

	json_object_object_add(o, key,
			       ifindex ? json_object_new_string(name) : NULL);
	snprintf(k, sizeof(k), "%s_ifindex", key);
	json_object_object_add(o, k, json_object_new_int(ifindex));
}

/* Why it failed in the backend's words, and whether and when it retries. */
static void
add_failure(json_object *o, const struct vf_pair_status *st, uint64_t now_ms)
{
	json_object_object_add(o, "last_error_detail",
			       st->last_why[0] != '\0'
				   ? json_object_new_string(st->last_why)
				   : NULL);
	json_object_object_add(
	    o, "transient",
	    json_object_new_boolean(vf_error_transient(st->last_error)));
	json_object_object_add(o, "retries",
			       json_object_new_int64(st->retries));
	json_object_object_add(o, "retries_max",
			       json_object_new_int64(VF_RETRY_TRIES));
	json_object_object_add(o, "retry_at", when(st->retry_at_ms, now_ms));
	json_object_object_add(
	    o, "retry_in_ms",
	    st->retry_at_ms == 0 ? NULL
	    : st->retry_at_ms > now_ms
		? json_object_new_int64((int64_t)(st->retry_at_ms - now_ms))
		: json_object_new_int64(0));
}

static json_object *
pair_json(const struct vf_pair_status *st, uint64_t now_ms)
{
	json_object *o = json_object_new_object();
	char mac[VF_MACSTRLEN];

	vf_mac_format(st->mac, mac);
	add_name(o, "synthetic", st->synthetic_name, st->synthetic);
	add_name(o, "vf", st->vf_name, st->vf);
	add_name(o, "master", st->master_name, st->master);
	add_name(o, "active", st->active_name, st->active);
	json_object_object_add(o, "mac", json_object_new_string(mac));
	json_object_object_add(
	    o, "state", json_object_new_string(vf_pair_state_name(st->state)));
	json_object_object_add(o, "failovers",
			       json_object_new_int64(st->failovers));
	json_object_object_add(o, "vf_arrivals",
			       json_object_new_int64(st->vf_arrivals));
	json_object_object_add(o, "vf_losses",
			       json_object_new_int64(st->vf_losses));
	json_object_object_add(o, "since", when(st->since_ms, now_ms));
	json_object_object_add(o, "vf_seen", when(st->vf_seen_ms, now_ms));
	json_object_object_add(o, "vf_lost", when(st->vf_lost_ms, now_ms));
	json_object_object_add(o, "degraded",
			       st->degraded[0] != '\0'
				   ? json_object_new_string(st->degraded)
				   : NULL);
	if (st->conflict != NULL)
		json_object_object_add(o, "conflict",
				       json_object_new_string(st->conflict));
	if (st->last_error != 0) {
		json_object_object_add(
		    o, "last_error",
		    json_object_new_string(strerror(st->last_error)));
		json_object_object_add(o, "last_failed",
				       json_object_new_string(st->last_failed));
		add_failure(o, st, now_ms);
	}
	return o;
}

char *
vf_status_json(const struct vf_core *core, uint64_t now_ms, const char *source,
	       const struct vf_counters *counters)
{
	json_object *root = json_object_new_object();
	json_object *pairs = json_object_new_array();
	struct vf_pair_status st;
	char *out;

	json_object_object_add(root, "source", json_object_new_string(source));
	for (size_t i = 0; vf_core_pair_status(core, i, &st); i++)
		json_object_array_add(pairs, pair_json(&st, now_ms));
	json_object_object_add(root, "pairs", pairs);
	if (counters != NULL) {
		json_object_object_add(root, "events",
				       json_object_new_int64(counters->events));
		json_object_object_add(
		    root, "actions", json_object_new_int64(counters->actions));
		json_object_object_add(
		    root, "resyncs", json_object_new_int64(counters->resyncs));
		json_object_object_add(root, "resync_retry_at",
				       when(vf_core_resync_at(core), now_ms));
		if (counters->backend != NULL && counters->backend[0] != '\0')
			json_object_object_add(
			    root, "backend",
			    json_object_new_string(counters->backend));
	}
	out = strdup(json_object_to_json_string_ext(
	    root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return out;
}
