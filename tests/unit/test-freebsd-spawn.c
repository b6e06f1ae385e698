/* SPDX-License-Identifier: MIT */
/*
 * The FreeBSD backend's dhclient starts as a fresh process: what the
 * daemon blocks (its loop's signals) or ignores does not pass to it.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "os/freebsd/spawn.h"

/* SIGTERM, then up to 3 s for the child to die of it. */
static void
assert_dies_of(pid_t pid, int sig)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int status = 0;
	pid_t r = 0;

	assert_int_equal(kill(pid, sig), 0);
	for (int i = 0; i < 300 && r == 0; i++) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == 0)
			nanosleep(&tick, NULL);
	}
	if (r == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		fail_msg("the child outlived signal %d", sig);
	}
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), sig);
}

static const char *const sleeper[] = { "/bin/sleep", "30", NULL };

/* The daemon's loop blocks SIGTERM and takes it by kqueue. */
static void
blocked_signal_unblocked(void **state)
{
	sigset_t term, old;
	int pid;

	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, &old);
	pid = vf_spawn_clean(sleeper);
	sigprocmask(SIG_SETMASK, &old, NULL);
	assert_true(pid > 0);
	assert_dies_of(pid, SIGTERM);
}

/* An ignored signal stays ignored through exec unless reset. */
static void
ignored_signal_restored(void **state)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	int pid;

	sigemptyset(&ign.sa_mask);
	sigaction(SIGHUP, &ign, &old);
	pid = vf_spawn_clean(sleeper);
	assert_true(pid > 0);
	assert_dies_of(pid, SIGHUP);
	/* The caller's own disposition is left as it was. */
	sigaction(SIGHUP, NULL, &ign);
	assert_true(ign.sa_handler == SIG_IGN);
	sigaction(SIGHUP, &old, NULL);
}

/* No shell and no PATH: a missing program is an error, not a child. */
static void
missing_program(void **state)
{
	const char *const argv[] = { "/nonexistent/dhclient", "lagg0", NULL };
	const char *const bare[] = { "sleep", "30", NULL };

	assert_int_equal(vf_spawn_clean(argv), -ENOENT);
	assert_int_equal(vf_spawn_clean(bare), -ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blocked_signal_unblocked),
		cmocka_unit_test(ignored_signal_restored),
		cmocka_unit_test(missing_program),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
