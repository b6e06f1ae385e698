/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "conf/conf.h"
#include "daemon/daemon.h"
#include "daemon/describe.h"
#include "daemon/eloop.h"

static const char usage[] =
    "usage: vfbond plan [-c FILE]\n"
    "  Reads the kernel and prints what vfbond would do now, pair by "
    "pair.\n  Changes nothing.\n"
    "  -c, --config FILE   config file (default " VF_CONF_DEFAULT ")\n";

static void
print_action(const struct vf_action *act, uint64_t wait_ms,
	     const struct vf_config *conf)
{
	char what[160];

	vf_describe_action(act, VF_DESCRIBE_PLAN, conf, what, sizeof(what));
	printf("%s: would %s", act->synthetic_name, what);
	if (wait_ms > 0)
		printf(" after %llu ms", (unsigned long long)wait_ms);
	printf("\n");
}

/* Runs the engine forward through its timers; nothing is applied. */
static unsigned
plan(struct vf_core *core, uint64_t start, const struct vf_config *conf)
{
	struct vf_action act;
	uint64_t now = start;
	unsigned n = 0;

	for (;;) {
		while (vf_core_next_action(core, &act)) {
			print_action(&act, now - start, conf);
			n++;
		}
		now = vf_core_next_deadline(core);
		if (now == 0)
			return n;
		vf_core_tick(core, now);
	}
}

int
cmd_plan(int argc, char **argv)
{
	const char *config = NULL;
	struct vf_config conf;
	struct vf_core *core;
	struct vf_pair_status st;
	char err[256], line[128];
	int c, ret;

	while ((c = getopt_long(argc, argv, "c:h", cli_config_options, NULL)) !=
	       -1) {
		if (c == 'c') {
			config = optarg;
			continue;
		}
		if (c != 'h')
			return cli_bad_option("plan", argv);
		fputs(usage, stdout);
		return 0;
	}
	if (optind != argc)
		return cli_usage("plan", "unexpected argument '%s'",
				 argv[optind]);
	ret = cli_load_config(config, &conf);
	if (ret != 0)
		return ret;
	core = vf_daemon_snapshot(&conf, err, sizeof(err));
	if (core == NULL) {
		cli_error("%s", err);
		return 1;
	}
	for (size_t i = 0; vf_core_pair_status(core, i, &st); i++) {
		vf_describe_pair(&st, line, sizeof(line));
		printf("%s: %s\n", st.synthetic_name, line);
	}
	if (plan(core, eloop_now_ms(), &conf) == 0)
		printf("nothing to do\n");
	vf_core_free(core);
	return 0;
}
