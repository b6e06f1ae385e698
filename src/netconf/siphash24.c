/* SPDX-License-Identifier: MIT */
#include "netconf/siphash24.h"

struct sip {
	uint64_t v0, v1, v2, v3;
};

static uint64_t
rotl(uint64_t x, int b)
{
	return x << b | x >> (64 - b);
}

/* Bytes as a little-endian word, whatever the host's order. */
static uint64_t
le64(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = n; i > 0; i--)
		v = v << 8 | p[i - 1];
	return v;
}

static void
sip_round(struct sip *s)
{
	s->v0 += s->v1;
	s->v1 = rotl(s->v1, 13) ^ s->v0;
	s->v0 = rotl(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = rotl(s->v3, 16) ^ s->v2;
	s->v0 += s->v3;
	s->v3 = rotl(s->v3, 21) ^ s->v0;
	s->v2 += s->v1;
	s->v1 = rotl(s->v1, 17) ^ s->v2;
	s->v2 = rotl(s->v2, 32);
}

/* Two compression rounds per word: the "2" of SipHash-2-4. */
static void
compress(struct sip *s, uint64_t m)
{
	s->v3 ^= m;
	sip_round(s);
	sip_round(s);
	s->v0 ^= m;
}

uint64_t
vf_siphash24(const void *in, size_t len, const uint8_t key[16])
{
	const uint8_t *p = in;
	uint64_t k0 = le64(key, 8), k1 = le64(key + 8, 8);
	struct sip s = {
		k0 ^ 0x736f6d6570736575ULL,
		k1 ^ 0x646f72616e646f6dULL,
		k0 ^ 0x6c7967656e657261ULL,
		k1 ^ 0x7465646279746573ULL,
	};
	size_t whole = len - len % 8;

	for (size_t i = 0; i < whole; i += 8)
		compress(&s, le64(p + i, 8));
	/* The last word: the tail bytes, the length's low byte on top. */
	compress(&s, le64(p + whole, len % 8) | (uint64_t)(len & 0xff) << 56);
	s.v2 ^= 0xff;
	for (int i = 0; i < 4; i++)
		sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}
