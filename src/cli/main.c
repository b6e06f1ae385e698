/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "conf/conf.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} commands[] = {
	{ "run", cmd_run, "run the daemon in the foreground" },
	{ "status", cmd_status,
	  "show each pair: NICs, master, state, traffic" },
	{ "plan", cmd_plan, "show what vfbond would do now; change nothing" },
	{ "attach", cmd_attach,
	  "IFACE [DELAY]: one-shot, for a VF that appeared" },
	{ "up", cmd_up,
	  "SYNTHETIC: one-shot, pair a synthetic NIC with its VF" },
	{ "release", cmd_release,
	  "remove the masters; the NICs get their own configuration back" },
};

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("vfbond: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int
cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "vfbond: %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (see 'vfbond %s --help')\n", cmd);
	va_end(ap);
	return VF_EX_USAGE;
}

const struct option cli_config_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

const struct option cli_oneshot_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "socket", required_argument, NULL, 'S' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

int
cli_bad_option(const char *cmd, char **argv)
{
	if (optopt != 0 && optopt != '?')
		return cli_usage(cmd, "bad or incomplete option '-%c'", optopt);
	return cli_usage(cmd, "bad option '%s'", argv[optind - 1]);
}

int
cli_oneshot_args(const char *cmd, const char *usage, int argc, char **argv,
		 const char **config, const char **socket_path)
{
	int c;

	while ((c = getopt_long(argc, argv, "+c:S:h", cli_oneshot_options,
				NULL)) != -1) {
		if (c == 'c') {
			*config = optarg;
			continue;
		}
		if (c == 'S') {
			*socket_path = optarg;
			continue;
		}
		if (c != 'h')
			return cli_bad_option(cmd, argv);
		fputs(usage, stdout);
		return 0;
	}
	return -1;
}

int
cli_load_config(const char *path, struct vf_config *conf)
{
	char err[512];

	if (vf_conf_load(path != NULL ? path : VF_CONF_DEFAULT, path != NULL,
			 conf, err, sizeof(err)) == 0)
		return 0;
	cli_error("%s", err);
	return VF_EX_CONFIG;
}

static void
usage(FILE *out)
{
	fprintf(out, "usage: vfbond COMMAND [OPTIONS]\n\n"
		     "Keeps SR-IOV accelerated networking alive across live "
		     "migration.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out, "\n'vfbond COMMAND --help' for a command's options; "
		     "vfbond(8), vfbond.conf(5).\n");
}

int
main(int argc, char **argv)
{
	opterr = 0; /* the subcommands say it in one line of their own */
	if (argc < 2) {
		cli_error("no command given; see 'vfbond --help'");
		return VF_EX_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("vfbond %s\n", VFBOND_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	cli_error("unknown command '%s'; see 'vfbond --help'", argv[1]);
	return VF_EX_USAGE;
}
