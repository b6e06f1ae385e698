/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink plumbing: one request socket for dumps and acknowledged
 * changes, the kernel's extended error messages, attribute parsing.
 */
#include <sys/socket.h>

#include <linux/rtnetlink.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os/linux/if-linux.h"
#include "os/linux/linux.h"

/* One request/reply exchange. */
struct keep {
	keep_fn *fn;
	int ifindex;
	uint8_t family;
	struct msgs m;
};

struct talk {
	uint32_t seq, portid;
	msg_fn *fn;
	void *arg;
	int fnerr;
	bool intr;
};

void
copy_str(char *dst, size_t size, const char *src, size_t srclen)
{
	size_t n = strnlen(src, srclen);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Error strings are one line, whatever the kernel said. */
static void
one_line(char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\n' || *s == '\r' || *s == '\t')
			*s = ' ';
}

void
set_err(struct vf_if *ifs, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ifs->err, sizeof(ifs->err), fmt, ap);
	va_end(ap);
	one_line(ifs->err);
}

size_t
family_len(int family)
{
	if (family == AF_INET)
		return 4;
	if (family == AF_INET6)
		return 16;
	return 0;
}

/* The payload of a binary attribute of exactly len bytes, else NULL. */
const void *
attr_bin(const struct nlattr *a, size_t len)
{
	if (a == NULL || mnl_attr_get_payload_len(a) != len)
		return NULL;
	return mnl_attr_get_payload(a);
}

bool
msg_whole(const void *msg, size_t len)
{
	const struct nlmsghdr *nlh = msg;
	int left = len > INT_MAX ? INT_MAX : (int)len;

	/*
	 * mnl_nlmsg_ok compares nlmsg_len as an int (4 GiB passes), and
	 * attributes are walked to the aligned end: the kernel pads, so must
	 * every message we are given.
	 */
	return len >= sizeof(*nlh) &&
	       MNL_ALIGN((size_t)nlh->nlmsg_len) <= len &&
	       mnl_nlmsg_ok(nlh, left);
}

struct attr_rules {
	const struct nlattr **tb;
	const enum mnl_attr_data_type *types;
	uint16_t max;
};

/* Keeps the attributes we know, of the type we expect; skips the rest. */
static int
attr_cb(const struct nlattr *a, void *data)
{
	const struct attr_rules *r = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type > r->max || r->types[type] == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(a, r->types[type]) < 0)
		return MNL_CB_OK;
	r->tb[type] = a;
	return MNL_CB_OK;
}

void
parse_attrs(const struct nlmsghdr *nlh, size_t off,
	    const enum mnl_attr_data_type *types, uint16_t max,
	    const struct nlattr **tb)
{
	struct attr_rules r = { tb, types, max };

	mnl_attr_parse(nlh, (unsigned int)off, attr_cb, &r);
}

void
parse_nested(const struct nlattr *nest, const enum mnl_attr_data_type *types,
	     uint16_t max, const struct nlattr **tb)
{
	struct attr_rules r = { tb, types, max };

	mnl_attr_parse_nested(nest, attr_cb, &r);
}

void
attr_str(const struct nlattr *a, char *dst, size_t size)
{
	if (a != NULL)
		copy_str(dst, size, mnl_attr_get_str(a),
			 mnl_attr_get_payload_len(a));
}

/* ---- request/reply over the request socket ---- */

static int
extack_cb(const struct nlattr *a, void *data)
{
	struct vf_if *ifs = data;

	if (mnl_attr_get_type(a) != NLMSGERR_ATTR_MSG)
		return MNL_CB_OK;
	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;
	copy_str(ifs->extack, sizeof(ifs->extack), mnl_attr_get_str(a),
		 mnl_attr_get_payload_len(a));
	one_line(ifs->extack);
	return MNL_CB_OK;
}

/* An ack or error; keeps the kernel's extended message if it sent one. */
static int
nl_error(struct vf_if *ifs, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	size_t off = sizeof(*e);

	if (len < sizeof(*e))
		return -EBADMSG;
	if (e->error > 0)
		return -EPROTO;
	if (e->error == 0 || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return e->error;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(struct nlmsghdr))
			return e->error;
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	off = MNL_ALIGN(off);
	if (off < len)
		mnl_attr_parse(nlh, (unsigned int)off, extack_cb, ifs);
	return e->error;
}

/* The end of a dump may carry the error that cut it short. */
static int
nl_done(const struct nlmsghdr *nlh)
{
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err))
		return 0;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	return err < 0 ? err : 0;
}

static int
talk_end(const struct talk *t, int rc)
{
	if (rc == 0)
		rc = t->fnerr;
	if (rc == 0 && t->intr)
		rc = -EINTR; /* the dump is inconsistent: ask again */
	return rc;
}

/* 1: more to read; otherwise the exchange's result. */
static int
talk_batch(struct vf_if *ifs, struct talk *t, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int left = len > INT_MAX ? INT_MAX : (int)len;

	/* msg_whole: a length the kernel never sends must not walk off. */
	for (; msg_whole(nlh, (size_t)left); nlh = mnl_nlmsg_next(nlh, &left)) {
		/* Late replies to an exchange that timed out. */
		if (nlh->nlmsg_seq != t->seq || nlh->nlmsg_pid != t->portid)
			continue;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			t->intr = true;
		if (nlh->nlmsg_type == NLMSG_ERROR)
			return talk_end(t, nl_error(ifs, nlh));
		if (nlh->nlmsg_type == NLMSG_DONE)
			return talk_end(t, nl_done(nlh));
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		if (t->fn != NULL && t->fnerr == 0)
			t->fnerr = t->fn(ifs, nlh, t->arg);
		if (!(nlh->nlmsg_flags & NLM_F_MULTI))
			return talk_end(t, 0);
	}
	return 1;
}

/*
 * Sends one request and reads up to its ack, error or end of dump,
 * handing every reply to fn. 0 or -errno.
 */
int
nl_talk(struct vf_if *ifs, struct nlmsghdr *nlh, msg_fn *fn, void *arg)
{
	struct talk t = { .fn = fn, .arg = arg };
	ssize_t n;
	int rc;

	t.portid = mnl_socket_get_portid(ifs->req);
	nlh->nlmsg_seq = t.seq = ++ifs->seq;
	ifs->extack[0] = '\0';
	if (mnl_socket_sendto(ifs->req, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(ifs->req, ifs->buf, RXBUFSIZ);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if ((rc = talk_batch(ifs, &t, ifs->buf, (size_t)n)) <= 0)
			return rc;
	}
}

static int
count_reply(struct vf_if *ifs, const struct nlmsghdr *nlh, void *arg)
{
	(void)ifs;
	(void)nlh;
	++*(unsigned *)arg;
	return 0;
}

int
vf_linux_parse_reply(const void *buf, size_t len, char *extack, size_t size)
{
	const struct nlmsghdr *nlh = buf;
	struct vf_if ifs = { 0 };
	unsigned replies = 0;
	struct talk t = { .fn = count_reply, .arg = &replies };
	int rc;

	copy_str(extack, size, "", 0);
	if (len < sizeof(*nlh))
		return -EBADMSG;
	t.seq = nlh->nlmsg_seq;
	t.portid = nlh->nlmsg_pid;
	rc = talk_batch(&ifs, &t, buf, len);
	copy_str(extack, size, ifs.extack, sizeof(ifs.extack));
	return rc;
}

/* Describes a failed operation: "<op>: <reason> (<detail>)". */
static void
fail(struct vf_if *ifs, int rc, int ifindex, const char *op)
{
	if (rc == -ENODEV && ifindex > 0)
		set_err(ifs, "%s: %s (ifindex %d is gone)", op, strerror(-rc),
			ifindex);
	else if (ifs->extack[0] != '\0')
		set_err(ifs, "%s: %s (%s)", op, strerror(-rc), ifs->extack);
	else
		set_err(ifs, "%s: %s", op, strerror(-rc));
}

/*
 * Sends a change and waits for its ack. okerr (a positive errno, or 0)
 * is returned without being recorded as a failure.
 */
int
req_ack(struct vf_if *ifs, struct nlmsghdr *nlh, int ifindex, int okerr,
	const char *fmt, ...)
{
	char op[256];
	va_list ap;
	int rc;

	nlh->nlmsg_flags |= NLM_F_ACK;
	rc = nl_talk(ifs, nlh, NULL, NULL);
	if (rc == 0 || (okerr != 0 && rc == -okerr))
		return rc;
	va_start(ap, fmt);
	vsnprintf(op, sizeof(op), fmt, ap);
	va_end(ap);
	fail(ifs, rc, ifindex, op);
	return rc;
}

struct nlmsghdr *
msg_start(reqbuf *rb, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(rb->buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

struct nlmsghdr *
link_req(reqbuf *rb, uint16_t type, uint16_t flags, int ifindex)
{
	struct nlmsghdr *nlh = msg_start(rb, type, flags);
	struct ifinfomsg *ifi;

	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

/* RTM_GETLINK without statistics, which we never read. */

/* ---- message lists and dumps ---- */

int
msgs_add(struct msgs *v, const struct nlmsghdr *nlh)
{
	struct nlmsghdr **m;
	struct nlmsghdr *copy;

	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;

		if ((m = realloc(v->m, cap * sizeof(*m))) == NULL)
			return -ENOMEM;
		v->m = m;
		v->cap = cap;
	}
	if ((copy = malloc(nlh->nlmsg_len)) == NULL)
		return -ENOMEM;
	memcpy(copy, nlh, nlh->nlmsg_len);
	v->m[v->n++] = copy;
	return 0;
}

void
msgs_free(struct msgs *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->m[i]);
	free(v->m);
	memset(v, 0, sizeof(*v));
}

static int
msgs_move(struct msgs *dst, struct msgs *src)
{
	for (size_t i = 0; i < src->n; i++)
		if (msgs_add(dst, src->m[i]) < 0)
			return -ENOMEM;
	return 0;
}

static int
keep_cb(struct vf_if *ifs, const struct nlmsghdr *nlh, void *arg)
{
	struct keep *k = arg;

	(void)ifs;
	/* A family the kernel lacks may be answered with all families. */
	if (mnl_nlmsg_get_payload_len(nlh) < 1 ||
	    *(const uint8_t *)mnl_nlmsg_get_payload(nlh) != k->family)
		return 0;
	if (!k->fn(nlh, k->ifindex))
		return 0;
	return msgs_add(&k->m, nlh);
}

static struct nlmsghdr *
dump_req(reqbuf *rb, uint16_t type, uint8_t family)
{
	struct nlmsghdr *nlh = msg_start(rb, type, NLM_F_DUMP);

	if (type == RTM_GETROUTE) {
		struct rtmsg *rtm =
		    mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

		rtm->rtm_family = family;
	} else {
		struct ifaddrmsg *ifa =
		    mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

		ifa->ifa_family = family;
	}
	return nlh;
}

/* Keeps the messages of one dump (both families) that fn wants. */
int
dump_keep(struct vf_if *ifs, uint16_t type, keep_fn *fn, int ifindex,
	  struct msgs *out)
{
	static const uint8_t families[] = { AF_INET, AF_INET6 };
	int rc = 0;
	reqbuf rb;

	for (size_t f = 0; f < sizeof(families) && rc == 0; f++) {
		rc = -EINTR;
		for (int i = 0; i < DUMP_TRIES && rc == -EINTR; i++) {
			struct keep k = { fn, ifindex, families[f], { 0 } };

			rc = nl_talk(ifs, dump_req(&rb, type, families[f]),
				     keep_cb, &k);
			if (rc == 0)
				rc = msgs_move(out, &k.m);
			msgs_free(&k.m);
		}
		/* IPv6 may be disabled on this host. */
		if ((rc == -EAFNOSUPPORT || rc == -EOPNOTSUPP) &&
		    families[f] == AF_INET6)
			rc = 0;
	}
	return rc;
}
