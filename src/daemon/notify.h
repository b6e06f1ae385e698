/* SPDX-License-Identifier: MIT */
/*
 * Telling the service manager how the daemon is doing: sd_notify(3)
 * readiness, stopping, and the watchdog. Without libsystemd (FreeBSD),
 * or outside a Type=notify unit (no NOTIFY_SOCKET), each is a no-op.
 */
#ifndef VFBOND_NOTIFY_H
#define VFBOND_NOTIFY_H

#include <stdint.h>

/* READY=1: the first full reconcile is done. */
void notify_ready(void);
/* STOPPING=1: the daemon is on its way out. */
void notify_stopping(void);
/*
 * Feeds the watchdog (WATCHDOG=1) when a ping is due at now, once per
 * half of WatchdogSec. Returns the earlier of deadline and the next
 * ping (CLOCK_MONOTONIC ms, as eloop_timer takes; 0: none): the loop's
 * one timer wakes up for the watchdog too.
 */
uint64_t notify_watchdog(uint64_t now, uint64_t deadline);

#endif
