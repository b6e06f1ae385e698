/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>

#include "os/freebsd/spawn.h"

extern char **environ;

/* 1..31: the standard signals on both systems; the rest are not ours. */
#define STD_SIGNALS 32

/* Caught ones are reset by exec anyway; ignored ones are not. */
static void
ignored_signals(sigset_t *set)
{
	sigemptyset(set);
	for (int sig = 1; sig < STD_SIGNALS; sig++) {
		struct sigaction sa;

		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
			sigaddset(set, sig);
	}
}

int
vf_spawn_clean(const char *const argv[])
{
	posix_spawnattr_t at;
	sigset_t none, dfl;
	pid_t pid;
	int rc;

	if ((rc = posix_spawnattr_init(&at)) != 0)
		return -rc;
	sigemptyset(&none);
	ignored_signals(&dfl);
	rc = posix_spawnattr_setsigmask(&at, &none);
	if (rc == 0)
		rc = posix_spawnattr_setsigdefault(&at, &dfl);
	if (rc == 0)
		rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
						       POSIX_SPAWN_SETSIGDEF);
	if (rc == 0)
		rc = posix_spawn(&pid, argv[0], NULL, &at, (char *const *)argv,
				 environ);
	posix_spawnattr_destroy(&at);
	return rc != 0 ? -rc : (int)pid;
}
