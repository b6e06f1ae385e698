/* SPDX-License-Identifier: MIT */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hooks.h"
#include "log.h"
#include "os/privs.h"

#define MAX_RUNNING 32

struct child {
	pid_t pid; /* also its process group */
	uint64_t deadline;
	bool killed;
	char what[64];
	struct vf_hook_event ev; /* kept in the state file until done */
};

struct hooks {
	char dir[VF_PATHSIZ];
	char state[VF_PATHSIZ]; /* "": not kept */
	int timeout_ms;
	struct child running[MAX_RUNNING];
	/* Events waiting for a free slot, oldest first: none is dropped. */
	struct vf_hook_event *queue;
	size_t queued, queue_cap;
};

struct hooks *
hooks_new(const char *dir, int timeout_ms)
{
	struct hooks *hooks = calloc(1, sizeof(*hooks));

	if (hooks == NULL)
		return NULL;
	snprintf(hooks->dir, sizeof(hooks->dir), "%s", dir);
	hooks->timeout_ms = timeout_ms;
	return hooks;
}

void
hooks_free(struct hooks *hooks)
{
	if (hooks == NULL)
		return;
	free(hooks->queue);
	free(hooks);
}

/* Root's, and nobody else may write it: what sshd's StrictModes asks. */
static bool
owned_safely(const struct stat *st)
{
	return st->st_uid == 0 && (st->st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

/*
 * Opens the hooks directory one component at a time from "/", never
 * following a link, each checked by the descriptor it was opened as: a
 * checked path cannot be swapped for another between check and use.
 * Refused: -1 and why; no such directory: -1 and why empty.
 */
static int
open_dir_safely(const char *dir, char *why, size_t len)
{
	char real[PATH_MAX], *part, *save = NULL;
	struct stat st;
	int fd, next;

	why[0] = '\0';
	if (realpath(dir, real) == NULL) {
		/* No hooks directory, no hooks: nothing to say. */
		if (errno != ENOENT)
			snprintf(why, len, "%s: %s", dir, strerror(errno));
		return -1;
	}
	fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (part = strtok_r(real, "/", &save); fd >= 0;
	     part = strtok_r(NULL, "/", &save)) {
		if (fstat(fd, &st) < 0 || !owned_safely(&st)) {
			snprintf(why, len,
				 "%s: a directory on its path is not root's "
				 "alone (owner or group/other write)",
				 dir);
			close(fd);
			return -1;
		}
		if (part == NULL)
			return fd;
		next = openat(fd, part,
			      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
	}
	snprintf(why, len, "%s: %s", dir, strerror(errno));
	return -1;
}

/* The hook as an open file, or -1: none (why empty), or refused (why). */
static int
open_hook(int dirfd, const char *name, char *why, size_t len)
{
	struct stat st;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	why[0] = '\0';
	if (fd < 0) {
		if (errno != ENOENT)
			snprintf(why, len, "%s: %s", name, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & S_IXUSR) != 0 && owned_safely(&st))
		return fd;
	snprintf(why, len,
		 "%s refused: not a root-owned executable file that only "
		 "root may write",
		 name);
	close(fd);
	return -1;
}

/* Names reach hooks as arguments and variables: plain ones only. */
static bool
name_is_plain(const char *name)
{
	if (name[0] == '\0')
		return true; /* no such interface */
	if (name[0] == '-' || name[0] == '.')
		return false;
	for (const char *p = name; *p != '\0'; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && strchr("_.-@", *p) == NULL)
			return false;
	return true;
}

static bool
names_are_plain(const struct vf_hook_event *ev)
{
	return ev->synthetic_name[0] != '\0' &&
	       name_is_plain(ev->synthetic_name) &&
	       name_is_plain(ev->vf_name) && name_is_plain(ev->master_name);
}

/* HOOKS_DIR/<synthetic>, else HOOKS_DIR/default; which one in *name. */
static int
find_hook(const struct hooks *hooks, const struct vf_hook_event *ev,
	  const char **name)
{
	char why[VF_PATHSIZ + 128] = "";
	int dirfd, fd;

	if ((dirfd = open_dir_safely(hooks->dir, why, sizeof(why))) < 0) {
		if (why[0] != '\0')
			vf_log(LOG_ERR, "hooks refused: %s", why);
		return -1;
	}
	*name = ev->synthetic_name;
	fd = open_hook(dirfd, *name, why, sizeof(why));
	if (fd < 0 && why[0] == '\0') {
		*name = "default";
		fd = open_hook(dirfd, *name, why, sizeof(why));
	}
	if (fd < 0 && why[0] != '\0')
		vf_log(LOG_ERR, "hook %s/%s", hooks->dir, why);
	close(dirfd);
	return fd;
}

static struct child *
free_slot(struct hooks *hooks)
{
	for (int i = 0; i < MAX_RUNNING; i++)
		if (hooks->running[i].pid == 0)
			return &hooks->running[i];
	return NULL;
}

/*
 * In the child: what the daemon blocked or ignored is back to normal,
 * its own process group (a timeout kills all it started), the granted
 * capabilities alone, the checked file itself is executed. Only
 * async-signal-safe calls.
 */
static void
child_exec(int fd, char **argv, char **envp)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;
	int null;

	sigemptyset(&none);
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setpgid(0, 0);
	if ((null = open("/dev/null", O_RDONLY)) >= 0 && null != 0) {
		dup2(null, 0);
		close(null);
	}
	/* A script's interpreter opens it by its descriptor: keep it. */
	fcntl(fd, F_SETFD, 0);
	vf_privs_pass();
	fexecve(fd, argv, envp);
	_exit(127);
}

static void
start(struct hooks *hooks, struct child *slot, const struct vf_hook_event *ev,
      uint64_t now_ms)
{
	char path[VF_PATHSIZ + VF_IFNAMSIZ + 2];
	char env[8][96];
	char *envp[9];
	char *argv[4];
	const char *name;
	pid_t pid;
	int fd;

	if ((fd = find_hook(hooks, ev, &name)) < 0)
		return;
	snprintf(path, sizeof(path), "%s/%s", hooks->dir, name);
	snprintf(env[0], sizeof(env[0]), "VFBOND_EVENT=%s", ev->event);
	snprintf(env[1], sizeof(env[1]), "VFBOND_SYNTHETIC=%s",
		 ev->synthetic_name);
	snprintf(env[2], sizeof(env[2]), "VFBOND_VF=%s", ev->vf_name);
	snprintf(env[3], sizeof(env[3]), "VFBOND_MASTER=%s", ev->master_name);
	snprintf(env[4], sizeof(env[4]), "VFBOND_SYNTHETIC_IFINDEX=%d",
		 ev->synthetic);
	snprintf(env[5], sizeof(env[5]), "VFBOND_VF_IFINDEX=%d", ev->vf);
	snprintf(env[6], sizeof(env[6]), "VFBOND_MASTER_IFINDEX=%d",
		 ev->master);
	snprintf(env[7], sizeof(env[7]),
		 "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
		 "/usr/bin:/sbin:/bin");
	for (int i = 0; i < 8; i++)
		envp[i] = env[i];
	envp[8] = NULL;
	argv[0] = path;
	argv[1] = (char *)ev->event;
	argv[2] = (char *)ev->synthetic_name;
	argv[3] = NULL;
	pid = fork();
	if (pid == 0)
		child_exec(fd, argv, envp);
	close(fd);
	if (pid < 0) {
		vf_log(LOG_ERR, "hook %s %s: %s", path, ev->event,
		       strerror(errno));
		return;
	}
	setpgid(pid, pid); /* as the child does: no race with a kill */
	*slot =
	    (struct child){ .pid = pid,
			    .deadline = now_ms + (uint64_t)hooks->timeout_ms,
			    .ev = *ev };
	snprintf(slot->what, sizeof(slot->what), "%s %s", name, ev->event);
	vf_log(LOG_DEBUG, "hook %s started (pid %d)", slot->what, (int)pid);
}

static void
enqueue(struct hooks *hooks, const struct vf_hook_event *ev)
{
	if (hooks->queued == hooks->queue_cap) {
		size_t cap = hooks->queue_cap ? hooks->queue_cap * 2 : 16;
		void *q = realloc(hooks->queue, cap * sizeof(*hooks->queue));

		if (q == NULL) {
			vf_log(LOG_ERR, "hook %s %s: out of memory",
			       ev->synthetic_name, ev->event);
			return;
		}
		hooks->queue = q;
		hooks->queue_cap = cap;
	}
	hooks->queue[hooks->queued++] = *ev;
}

/* Starts queued events while slots are free, oldest first. */
static void
start_queued(struct hooks *hooks, uint64_t now_ms)
{
	struct child *slot;
	size_t n = 0;

	while (n < hooks->queued && (slot = free_slot(hooks)) != NULL)
		start(hooks, slot, &hooks->queue[n++], now_ms);
	memmove(hooks->queue, hooks->queue + n,
		(hooks->queued - n) * sizeof(*hooks->queue));
	hooks->queued -= n;
}

/* ---- what a crash must not lose: the hooks not completed ---- */

static void
put_event(FILE *f, const struct vf_hook_event *ev)
{
	fprintf(f, "%s %d %s\n", ev->event, ev->synthetic, ev->synthetic_name);
}

/*
 * Rewritten whole at each change (a handful of lines), by rename: a
 * crash leaves the old list or the new one. None left: no file.
 */
static void
save(const struct hooks *hooks)
{
	char tmp[VF_PATHSIZ + 8];
	bool any = hooks->queued > 0;
	FILE *f;
	int fd;

	if (hooks->state[0] == '\0')
		return;
	for (int i = 0; i < MAX_RUNNING; i++)
		any = any || hooks->running[i].pid != 0;
	if (!any) {
		if (unlink(hooks->state) < 0 && errno != ENOENT)
			vf_log(LOG_ERR, "%s: %s", hooks->state,
			       strerror(errno));
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", hooks->state);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		vf_log(LOG_ERR, "%s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	for (int i = 0; i < MAX_RUNNING; i++)
		if (hooks->running[i].pid != 0)
			put_event(f, &hooks->running[i].ev);
	for (size_t i = 0; i < hooks->queued; i++)
		put_event(f, &hooks->queue[i]);
	if (fclose(f) != 0 || rename(tmp, hooks->state) < 0)
		vf_log(LOG_ERR, "%s: %s", hooks->state, strerror(errno));
}

/* The core's own name for an event read back, or NULL. */
static const char *
event_name(const char *text)
{
	static const char *const events[] = { "master-built", "takeover",
					      "vf-joined", "vf-lost",
					      "failed" };

	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		if (strcmp(events[i], text) == 0)
			return events[i];
	return NULL;
}

static bool
get_event(const char *line, struct vf_hook_event *ev)
{
	char event[32], name[VF_IFNAMSIZ], end;

	memset(ev, 0, sizeof(*ev));
	if (sscanf(line, "%31s %d %15s %c", event, &ev->synthetic, name,
		   &end) != 3 ||
	    (ev->event = event_name(event)) == NULL || ev->synthetic <= 0)
		return false;
	snprintf(ev->synthetic_name, sizeof(ev->synthetic_name), "%s", name);
	return true;
}

size_t
hooks_keep_state(struct hooks *hooks, const char *path,
		 struct vf_hook_event *left)
{
	char line[128];
	size_t n = 0;
	FILE *f;

	snprintf(hooks->state, sizeof(hooks->state), "%s", path);
	f = fopen(path, "re");
	while (f != NULL && n < HOOKS_PENDING_MAX &&
	       fgets(line, sizeof(line), f) != NULL)
		n += get_event(line, &left[n]);
	if (f != NULL)
		fclose(f);
	save(hooks);
	return n;
}

void
hooks_run(struct hooks *hooks, const struct vf_hook_event *ev, uint64_t now_ms)
{
	if (!names_are_plain(ev)) {
		vf_log(LOG_ERR,
		       "hook %s for ifindex %d not run: an interface name "
		       "has characters a hook must not be given",
		       ev->event, ev->synthetic);
		return;
	}
	enqueue(hooks, ev);
	start_queued(hooks, now_ms);
	save(hooks);
}

static void
report(const struct child *c, int status)
{
	if (c->killed)
		vf_log(LOG_ERR, "hook %s: killed after its time limit",
		       c->what);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		vf_log(LOG_ERR, "hook %s: could not be executed", c->what);
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		vf_log(LOG_ERR, "hook %s: exit status %d", c->what,
		       WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		vf_log(LOG_ERR, "hook %s: killed by signal %d", c->what,
		       WTERMSIG(status));
	else
		vf_log(LOG_DEBUG, "hook %s: done", c->what);
}

void
hooks_reap(struct hooks *hooks, uint64_t now_ms)
{
	bool done = false;

	for (int i = 0; i < MAX_RUNNING; i++) {
		struct child *c = &hooks->running[i];
		int status;
		pid_t pid;

		if (c->pid == 0)
			continue;
		pid = waitpid(c->pid, &status, WNOHANG);
		if (pid == c->pid || (pid < 0 && errno == ECHILD)) {
			if (pid == c->pid)
				report(c, status);
			c->pid = 0;
			done = true;
			continue;
		}
		/* The whole group: what the hook started goes with it. */
		if (!c->killed && now_ms >= c->deadline) {
			kill(-c->pid, SIGKILL);
			c->killed = true;
		}
	}
	start_queued(hooks, now_ms);
	if (done)
		save(hooks);
}

uint64_t
hooks_next_deadline(const struct hooks *hooks)
{
	uint64_t next = 0;

	for (int i = 0; i < MAX_RUNNING; i++) {
		const struct child *c = &hooks->running[i];

		if (c->pid != 0 && !c->killed &&
		    (next == 0 || c->deadline < next))
			next = c->deadline;
	}
	return next;
}

unsigned
hooks_running(const struct hooks *hooks)
{
	unsigned n = (unsigned)hooks->queued;

	for (int i = 0; i < MAX_RUNNING; i++)
		n += hooks->running[i].pid != 0;
	return n;
}
