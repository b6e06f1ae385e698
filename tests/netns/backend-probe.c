/* SPDX-License-Identifier: MIT */
/*
 * backend-probe: drives the OS backend (src/os/if.h) by hand, to test it
 * in a network namespace without the daemon.
 *
 *   backend-probe dump
 *   backend-probe watch SECONDS [quiet]
 *   backend-probe backlog SECONDS
 *   backend-probe build SYN VF NAME [MIIMON]
 *   backend-probe takeover SYN MASTER
 *   backend-probe enslave MASTER VF
 *
 * Links print as "ifindex name kind driver mac up carrier master ready"
 * (key=value, "-" for empty). A failed action prints the backend's error
 * line on stderr and exits 1. backlog subscribes, reads nothing for
 * SECONDS, then drains once: it shows whether a storm fits the buffer.
 */
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "core/link.h"
#include "core/plan.h"
#include "os/if.h"

struct counts {
	bool quiet;
	unsigned long links, gone, lost;
	struct vf_link found; /* find_cb's result */
	int want;
};

static const char *
dash(const char *s)
{
	return s[0] != '\0' ? s : "-";
}

static void
print_link(const char *what, const struct vf_link *l)
{
	char mac[VF_MACSTRLEN];

	vf_mac_format(l->mac, mac);
	printf("%s%d name=%s kind=%s driver=%s mac=%s up=%d carrier=%d "
	       "master=%d ready=%d ether=%d active=%d alias=%s\n",
	       what, l->ifindex, dash(l->name), dash(l->kind), dash(l->driver),
	       mac, l->up, l->carrier, l->master, l->ready, l->ether,
	       l->active_slave, dash(l->alias));
}

static void
link_cb(void *arg, const struct vf_link *l)
{
	struct counts *c = arg;

	c->links++;
	if (!c->quiet)
		print_link("link ", l);
}

static void
gone_cb(void *arg, int ifindex)
{
	struct counts *c = arg;

	c->gone++;
	if (!c->quiet)
		printf("gone %d\n", ifindex);
}

static void
find_cb(void *arg, const struct vf_link *l)
{
	struct counts *c = arg;

	if (l->ifindex == c->want)
		c->found = *l;
}

/* Opens with the default config, or with link_check_ms when it is set. */
static struct vf_if *
open_conf_or_die(bool monitor, int link_check_ms)
{
	struct vf_config conf;
	char err[256];
	struct vf_if *ifs;

	vf_config_defaults(&conf);
	vf_if_defaults(&conf);
	if (link_check_ms > 0)
		conf.link_check_ms = link_check_ms;
	ifs = vf_if_open(&conf, monitor, err, sizeof(err));

	if (ifs == NULL) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	return ifs;
}

static struct vf_if *
open_or_die(bool monitor)
{
	return open_conf_or_die(monitor, 0);
}

static int
index_or_die(const char *name)
{
	int ifindex = (int)if_nametoindex(name);

	if (ifindex == 0) {
		fprintf(stderr, "backend-probe: no interface %s\n", name);
		exit(2);
	}
	return ifindex;
}

static int
cmd_dump(void)
{
	struct vf_if *ifs = open_or_die(false);
	struct counts c = { 0 };
	int rc = vf_if_dump(ifs, link_cb, &c);

	if (rc < 0)
		fprintf(stderr, "%s\n", vf_if_error(ifs));
	vf_if_close(ifs);
	return rc < 0;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
cmd_watch(int seconds, bool quiet)
{
	struct vf_if *ifs = open_or_die(true);
	struct counts c = { .quiet = quiet };
	long long end = now_ms() + seconds * 1000LL;
	struct pollfd pfd[VF_IF_MAXFDS];
	int fds[VF_IF_MAXFDS];
	size_t nfds = vf_if_fds(ifs, fds);
	int rc;

	for (size_t i = 0; i < nfds; i++)
		pfd[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	printf("watching\n");
	fflush(stdout);
	while (now_ms() < end) {
		if (poll(pfd, nfds, (int)(end - now_ms())) <= 0)
			continue;
		rc = vf_if_read_events(ifs, link_cb, gone_cb, &c);
		if (rc == -ENOBUFS) {
			c.lost++;
			printf("lost: %s\n", vf_if_error(ifs));
			vf_if_dump(ifs, link_cb, &c);
		} else if (rc < 0) {
			printf("error: %s\n", vf_if_error(ifs));
		}
		fflush(stdout);
	}
	printf("total links=%lu gone=%lu lost=%lu\n", c.links, c.gone, c.lost);
	vf_if_close(ifs);
	return 0;
}

static int
cmd_backlog(int seconds)
{
	struct vf_if *ifs = open_or_die(true);
	struct counts c = { .quiet = true };
	struct timespec ts = { .tv_sec = seconds };
	int rc;

	printf("watching\n");
	nanosleep(&ts, NULL);
	rc = vf_if_read_events(ifs, link_cb, gone_cb, &c);
	printf("total links=%lu gone=%lu rc=%d %s\n", c.links, c.gone, rc,
	       rc < 0 ? vf_if_error(ifs) : "");
	vf_if_close(ifs);
	return rc < 0;
}

static void
print_note(void *arg, const char *line)
{
	(void)arg;
	printf("note: %s\n", line);
}

static int
run_action(struct vf_if *ifs, struct vf_action *act)
{
	struct vf_plan_env env = { vf_if_prims(), ifs, print_note, NULL, "" };
	int rc = vf_plan_run(&env, act);

	if (rc < 0) {
		fprintf(stderr, "%s\n", env.err);
		return 1;
	}
	printf("ok master=%d\n", act->master);
	return 0;
}

static void
name_copy(char *dst, const char *src)
{
	snprintf(dst, VF_IFNAMSIZ, "%s", src);
}

static int
cmd_build(const char *syn, const char *vf, const char *name, int miimon)
{
	struct vf_if *ifs = open_conf_or_die(false, miimon);
	struct vf_action act = { .type = VF_ACT_BUILD_MASTER };
	struct counts c = { 0 };
	char mac[VF_MACSTRLEN];
	int rc;

	act.synthetic = c.want = index_or_die(syn);
	act.vf = index_or_die(vf);
	name_copy(act.synthetic_name, syn);
	name_copy(act.vf_name, vf);
	name_copy(act.master_name, name);
	vf_if_refresh(ifs, act.synthetic, find_cb, NULL, &c);
	vf_mac_format(c.found.mac, mac);
	snprintf(act.alias, sizeof(act.alias), "%s%s", VF_ALIAS_PREFIX, mac);
	rc = run_action(ifs, &act);
	vf_if_close(ifs);
	return rc;
}

static int
cmd_takeover(const char *syn, const char *master)
{
	struct vf_if *ifs = open_or_die(false);
	struct vf_action act = { .type = VF_ACT_TAKEOVER };
	int rc;

	act.synthetic = index_or_die(syn);
	act.master = index_or_die(master);
	name_copy(act.synthetic_name, syn);
	name_copy(act.master_name, master);
	rc = run_action(ifs, &act);
	vf_if_close(ifs);
	return rc;
}

static int
cmd_enslave(const char *master, const char *vf)
{
	struct vf_if *ifs = open_or_die(false);
	struct vf_action act = { .type = VF_ACT_ENSLAVE_VF };
	int rc;

	act.master = index_or_die(master);
	act.vf = index_or_die(vf);
	name_copy(act.master_name, master);
	name_copy(act.vf_name, vf);
	rc = run_action(ifs, &act);
	vf_if_close(ifs);
	return rc;
}

static int
usage(void)
{
	fprintf(stderr, "usage: backend-probe dump\n"
			"       backend-probe watch SECONDS [quiet]\n"
			"       backend-probe backlog SECONDS\n"
			"       backend-probe build SYN VF NAME [MIIMON]\n"
			"       backend-probe takeover SYN MASTER\n"
			"       backend-probe enslave MASTER VF\n");
	return 2;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "dump") == 0)
		return cmd_dump();
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "watch") == 0)
		return cmd_watch(atoi(argv[2]), argc == 4);
	if (argc == 3 && strcmp(argv[1], "backlog") == 0)
		return cmd_backlog(atoi(argv[2]));
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "build") == 0)
		return cmd_build(argv[2], argv[3], argv[4],
				 argc == 6 ? atoi(argv[5]) : 100);
	if (argc == 4 && strcmp(argv[1], "takeover") == 0)
		return cmd_takeover(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "enslave") == 0)
		return cmd_enslave(argv[2], argv[3]);
	return usage();
}
