/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "daemon/control.h"
#include "daemon/daemon.h"
#include "daemon/eloop.h"
#include "daemon/statusjson.h"

static const char usage[] =
    "usage: vfbond status [--json] [-S SOCKET] [-c FILE]\n"
    "  Asks the running daemon; without one, reads the kernel.\n"
    "  -j, --json          machine-readable output\n"
    "  -S, --socket PATH   control socket (default " VF_CONTROL_PATH ")\n"
    "  -c, --config FILE   config used when no daemon runs\n";

static const char *
str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return "-";
	return json_object_get_string(v);
}

static int64_t
num(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return -1;
	return json_object_get_int64(v);
}

/* Why it failed, and whether and when it is tried again. */
static void
print_failure(json_object *p)
{
	json_object *t;
	bool transient = json_object_object_get_ex(p, "transient", &t) &&
			 json_object_get_boolean(t);
	long long tries = num(p, "retries"), max = num(p, "retries_max");
	long long in_ms = num(p, "retry_in_ms");

	printf("  last error: %s failed: %s\n", str(p, "last_failed"),
	       str(p, "last_error"));
	if (strcmp(str(p, "last_error_detail"), "-") != 0)
		printf("    %s\n", str(p, "last_error_detail"));
	if (strcmp(str(p, "state"), "retrying") == 0 && in_ms >= 0)
		printf("    transient: retry %lld of %lld in %lld s, at %s\n",
		       tries, max, (in_ms + 999) / 1000, str(p, "retry_at"));
	else if (strcmp(str(p, "state"), "retrying") == 0)
		printf("    transient: retry %lld of %lld under way\n", tries,
		       max);
	else if (strcmp(str(p, "state"), "failed") != 0)
		return;
	else if (transient)
		printf("    gave up after %lld retries; tried again for a new "
		       "VF or after a restart\n",
		       tries);
	else
		printf("    not retried: a retry cannot fix it; tried again "
		       "for a new VF or after a restart\n");
}

static int
print_table(const char *doc)
{
	json_object *root = json_tokener_parse(doc), *pairs;
	size_t n;

	if (root == NULL || !json_object_object_get_ex(root, "pairs", &pairs)) {
		cli_error("unreadable status from the daemon");
		json_object_put(root);
		return 1;
	}
	n = json_object_array_length(pairs);
	printf("%-15s %-15s %-15s %-12s %-15s %9s  %s\n", "SYNTHETIC", "VF",
	       "MASTER", "STATE", "ACTIVE", "FAILOVERS", "SINCE");
	for (size_t i = 0; i < n; i++) {
		json_object *p = json_object_array_get_idx(pairs, i);

		printf("%-15s %-15s %-15s %-12s %-15s %9s  %s\n",
		       str(p, "synthetic"), str(p, "vf"), str(p, "master"),
		       str(p, "state"), str(p, "active"), str(p, "failovers"),
		       str(p, "since"));
		if (strcmp(str(p, "degraded"), "-") != 0)
			printf("  degraded: %s\n", str(p, "degraded"));
		if (strcmp(str(p, "conflict"), "-") != 0)
			printf("  conflict: %s\n", str(p, "conflict"));
		if (strcmp(str(p, "last_error"), "-") != 0)
			print_failure(p);
	}
	if (n == 0)
		printf("(no synthetic NICs found)\n");
	if (strcmp(str(root, "backend"), "-") != 0)
		printf("%s\n", str(root, "backend"));
	printf("(from the %s)\n", str(root, "source"));
	json_object_put(root);
	return 0;
}

static char *
from_kernel(const char *config)
{
	struct vf_config conf;
	struct vf_core *core;
	char err[256], *doc;

	if (cli_load_config(config, &conf) != 0)
		return NULL;
	core = vf_daemon_snapshot(&conf, err, sizeof(err));
	if (core == NULL) {
		cli_error("%s", err);
		return NULL;
	}
	doc = vf_status_json(core, eloop_now_ms(), "kernel", NULL);
	vf_core_free(core);
	return doc;
}

int
cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "socket", required_argument, NULL, 'S' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *socket_path = VF_CONTROL_PATH, *config = NULL;
	bool json = false;
	char *doc = NULL;
	int c, ret;

	while ((c = getopt_long(argc, argv, "jS:c:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'S':
			socket_path = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			return cli_bad_option("status", argv);
		}
	}
	if (optind != argc)
		return cli_usage("status", "unexpected argument '%s'",
				 argv[optind]);
	ret = control_request(socket_path, "status", &doc);
	if (ret == -ENOENT || ret == -ECONNREFUSED) {
		doc = from_kernel(config);
		if (doc == NULL)
			return 1;
	} else if (ret < 0) {
		cli_error("%s: %s", socket_path, strerror(-ret));
		return 1;
	} else if (strncmp(doc, "error:", 6) == 0) {
		cli_error("%s: %s", socket_path, doc + 7);
		free(doc);
		return 1;
	}
	if (json) {
		fputs(doc, stdout);
		fputc('\n', stdout);
		ret = 0;
	} else {
		ret = print_table(doc);
	}
	free(doc);
	return ret;
}
