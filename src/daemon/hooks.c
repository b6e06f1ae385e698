/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hooks.h"
#include "log.h"

#define MAX_RUNNING 32

struct child {
	pid_t pid;
	uint64_t deadline;
	bool killed;
	char what[64];
};

struct hooks {
	char dir[VF_PATHSIZ];
	int timeout_ms;
	struct child running[MAX_RUNNING];
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
	free(hooks);
}

static bool
find_hook(const struct hooks *hooks, const char *name, char *path, size_t len)
{
	if (name[0] != '\0' && name[0] != '.' && strchr(name, '/') == NULL) {
		snprintf(path, len, "%s/%s", hooks->dir, name);
		if (access(path, X_OK) == 0)
			return true;
	}
	snprintf(path, len, "%s/default", hooks->dir);
	return access(path, X_OK) == 0;
}

static struct child *
free_slot(struct hooks *hooks)
{
	for (int i = 0; i < MAX_RUNNING; i++)
		if (hooks->running[i].pid == 0)
			return &hooks->running[i];
	return NULL;
}

void
hooks_run(struct hooks *hooks, const struct vf_hook_event *ev, uint64_t now_ms)
{
	char path[VF_PATHSIZ + VF_IFNAMSIZ + 2];
	char env[8][96];
	char *envp[9];
	char *argv[4];
	struct child *slot;
	posix_spawn_file_actions_t fa;
	int err;

	if (!find_hook(hooks, ev->synthetic_name, path, sizeof(path)))
		return;
	slot = free_slot(hooks);
	if (slot == NULL) {
		vf_log(LOG_ERR, "hook %s %s: too many hooks running", path,
		       ev->event);
		return;
	}
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
	/* A hook reads nothing from us; its output goes where ours goes. */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	err = posix_spawn(&slot->pid, path, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	if (err != 0) {
		slot->pid = 0;
		vf_log(LOG_ERR, "hook %s %s: %s", path, ev->event,
		       strerror(err));
		return;
	}
	slot->deadline = now_ms + (uint64_t)hooks->timeout_ms;
	slot->killed = false;
	snprintf(slot->what, sizeof(slot->what), "%s %s",
		 strrchr(path, '/') + 1, ev->event);
	vf_log(LOG_DEBUG, "hook %s started (pid %d)", slot->what,
	       (int)slot->pid);
}

static void
report(const struct child *c, int status)
{
	if (c->killed)
		vf_log(LOG_ERR, "hook %s: killed after its time limit",
		       c->what);
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
			continue;
		}
		if (!c->killed && now_ms >= c->deadline) {
			kill(c->pid, SIGKILL);
			c->killed = true;
		}
	}
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
	unsigned n = 0;

	for (int i = 0; i < MAX_RUNNING; i++)
		n += hooks->running[i].pid != 0;
	return n;
}
