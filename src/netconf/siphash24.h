/* SPDX-License-Identifier: MIT */
/*
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input
 * PRF", 2012): what systemd hashes interface names with.
 */
#ifndef VFBOND_SIPHASH24_H
#define VFBOND_SIPHASH24_H

#include <stddef.h>
#include <stdint.h>

/* The 64-bit hash of in under the 16-byte key (read little-endian). */
uint64_t vf_siphash24(const void *in, size_t len, const uint8_t key[16]);

#endif
