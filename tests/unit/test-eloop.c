/* SPDX-License-Identifier: MIT */
/* The event loop on this OS's poller: descriptors, the timer, signals. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/eloop.h"

struct seen {
	struct eloop *loop;
	int fd_calls, timer_calls, signals, last_signo;
	int pipe_r, other_r;
	uint64_t timer_at;
};

static void
on_readable(void *arg)
{
	struct seen *s = arg;
	char c;

	s->fd_calls++;
	assert_int_equal(read(s->pipe_r, &c, 1), 1);
	eloop_exit(s->loop, 7);
}

static void
on_timer(void *arg)
{
	struct seen *s = arg;

	s->timer_calls++;
	s->timer_at = eloop_now_ms();
	eloop_exit(s->loop, 3);
}

static void
on_signal(void *arg, int signo)
{
	struct seen *s = arg;

	s->signals++;
	s->last_signo = signo;
	eloop_exit(s->loop, 5);
}

static void
readable_descriptor_runs_its_callback(void **state)
{
	struct seen s = { .loop = eloop_new() };
	int p[2];

	assert_non_null(s.loop);
	assert_int_equal(pipe(p), 0);
	s.pipe_r = p[0];
	assert_int_equal(eloop_add(s.loop, p[0], on_readable, &s), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(eloop_run(s.loop), 7);
	assert_int_equal(s.fd_calls, 1);
	assert_int_equal(s.timer_calls, 0);
	eloop_free(s.loop);
	close(p[0]);
	close(p[1]);
}

static void
timer_fires_at_its_deadline_once(void **state)
{
	struct seen s = { .loop = eloop_new() };
	uint64_t t0 = eloop_now_ms();

	eloop_timer(s.loop, t0 + 30, on_timer, &s);
	assert_int_equal(eloop_run(s.loop), 3);
	assert_int_equal(s.timer_calls, 1);
	assert_true(s.timer_at >= t0 + 30);
	assert_true(s.timer_at < t0 + 1000);
	eloop_free(s.loop);
}

static void
due_timer_fires_at_once_and_zero_disarms(void **state)
{
	struct seen s = { .loop = eloop_new() };
	int p[2];

	/* Disarmed: only the descriptor ends the loop. */
	assert_int_equal(pipe(p), 0);
	s.pipe_r = p[0];
	eloop_timer(s.loop, eloop_now_ms() + 10, on_timer, &s);
	eloop_timer(s.loop, 0, on_timer, &s);
	assert_int_equal(eloop_add(s.loop, p[0], on_readable, &s), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	usleep(20000);
	assert_int_equal(eloop_run(s.loop), 7);
	assert_int_equal(s.timer_calls, 0);
	/* A deadline in the past is due now. */
	eloop_timer(s.loop, 1, on_timer, &s);
	assert_int_equal(eloop_run(s.loop), 3);
	assert_int_equal(s.timer_calls, 1);
	eloop_free(s.loop);
	close(p[0]);
	close(p[1]);
}

static void
signal_becomes_an_event(void **state)
{
	struct seen s = { .loop = eloop_new() };
	const int sigs[] = { SIGUSR1, SIGUSR2 };
	sigset_t blocked;

	assert_int_equal(eloop_signals(s.loop, sigs, 2, on_signal, &s), 0);
	/* Blocked: it waits for the loop instead of killing us. */
	assert_int_equal(sigprocmask(SIG_BLOCK, NULL, &blocked), 0);
	assert_int_equal(sigismember(&blocked, SIGUSR2), 1);
	raise(SIGUSR2);
	assert_int_equal(eloop_run(s.loop), 5);
	assert_int_equal(s.signals, 1);
	assert_int_equal(s.last_signo, SIGUSR2);
	eloop_free(s.loop);
}

static void
removed_descriptor_is_not_called(void **state)
{
	struct seen s = { .loop = eloop_new() };
	int p[2];

	assert_int_equal(pipe(p), 0);
	s.pipe_r = p[0];
	assert_int_equal(eloop_add(s.loop, p[0], on_readable, &s), 0);
	eloop_del(s.loop, p[0]);
	assert_int_equal(write(p[1], "x", 1), 1);
	eloop_timer(s.loop, eloop_now_ms() + 20, on_timer, &s);
	assert_int_equal(eloop_run(s.loop), 3);
	assert_int_equal(s.fd_calls, 0);
	eloop_free(s.loop);
	close(p[0]);
	close(p[1]);
}

static void
too_many_descriptors_is_an_error(void **state)
{
	struct eloop *loop = eloop_new();
	int p[2], rc = 0, added = 0;

	assert_int_equal(pipe(p), 0);
	/* The same descriptor twice is refused by the poller itself. */
	assert_int_equal(eloop_add(loop, p[0], on_readable, NULL), 0);
	assert_true(eloop_add(loop, p[0], on_readable, NULL) < 0);
	while (rc == 0 && added < 100) {
		int fd = dup(p[0]);

		rc = eloop_add(loop, fd, on_readable, NULL);
		added++;
	}
	assert_true(rc < 0);
	assert_true(added < 100);
	eloop_free(loop);
}

static int owner_a, owner_b;

static void
on_owner_timer(void *arg)
{
	(*(int *)arg)++;
}

static void
on_owner_b_timer(void *arg)
{
	struct seen *s = arg;

	owner_b++;
	eloop_exit(s->loop, 4);
}

/* Each owner (callback and argument) has its own timer. */
static void
timers_of_two_owners_are_independent(void **state)
{
	struct seen s = { .loop = eloop_new() };
	uint64_t now = eloop_now_ms();

	owner_a = owner_b = 0;
	eloop_timer(s.loop, now + 10, on_owner_timer, &owner_a);
	eloop_timer(s.loop, now + 40, on_owner_b_timer, &s);
	/* Moving one does not move the other. */
	eloop_timer(s.loop, now + 20, on_owner_timer, &owner_a);
	assert_int_equal(eloop_run(s.loop), 4);
	assert_int_equal(owner_a, 1);
	assert_int_equal(owner_b, 1);
	eloop_free(s.loop);
}

static void
on_writable(void *arg)
{
	struct seen *s = arg;

	s->fd_calls++;
	eloop_exit(s->loop, 6);
}

static void
writable_descriptor_runs_its_callback(void **state)
{
	struct seen s = { .loop = eloop_new() };
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(eloop_add_writable(s.loop, p[1], on_writable, &s), 0);
	assert_int_equal(eloop_run(s.loop), 6);
	assert_int_equal(s.fd_calls, 1);
	eloop_free(s.loop);
	close(p[0]);
	close(p[1]);
}

/* The one-shot commands may be done before the loop even starts. */
static void
exit_before_run_ends_it_at_once(void **state)
{
	struct seen s = { .loop = eloop_new() };

	eloop_timer(s.loop, eloop_now_ms() + 20, on_timer, &s);
	eloop_exit(s.loop, 9);
	assert_int_equal(eloop_run(s.loop), 9);
	assert_int_equal(s.timer_calls, 0);
	/* Used up: the next run goes on until the timer. */
	assert_int_equal(eloop_run(s.loop), 3);
	assert_int_equal(s.timer_calls, 1);
	eloop_free(s.loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(readable_descriptor_runs_its_callback),
		cmocka_unit_test(timer_fires_at_its_deadline_once),
		cmocka_unit_test(due_timer_fires_at_once_and_zero_disarms),
		cmocka_unit_test(signal_becomes_an_event),
		cmocka_unit_test(removed_descriptor_is_not_called),
		cmocka_unit_test(too_many_descriptors_is_an_error),
		cmocka_unit_test(exit_before_run_ends_it_at_once),
		cmocka_unit_test(timers_of_two_owners_are_independent),
		cmocka_unit_test(writable_descriptor_runs_its_callback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
