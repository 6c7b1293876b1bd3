/*
 * tests/unit/test_dns_unbound.c -- the libunbound backend.
 *
 * Pure parts: rdata parsing (every type, hostile rows, every allocation
 * failed in turn), the upstream "IP[@PORT]" check and query-name escaping.
 *
 * Concurrency: a tiny DNS responder runs in a thread of this test on a
 * loopback port (nothing leaves the machine), answers names
 * "tT-I.mt.test" with A 10.T.I.1 at once and never answers "slow-*"
 * names.  Several threads then share one resolver: every thread must get
 * its own answer (no cross-delivery between threads), slow names must
 * time out close to the deadline while the other threads keep being
 * served, and the resolver must still work afterwards.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#include <dmarcguard/arena.h>
#include <dmarcguard/dns.h>

#include "dns/dns_unbound.h"
#include "util/alloc.h"
#include "util/limits.h"

/* ---- rdata ---- */

#define RD(s)	(const uint8_t *)(s), sizeof(s) - 1

static const struct {
	const char		*name;
	enum dg_dns_type	 type;
	const uint8_t		*rd;
	size_t			 len;
	enum dg_err		 want;
	const char		*want_str;	/* name / host / joined TXT */
	long			 want_n;	/* MX pref / TXT count */
} rows[] = {
	{ "a", DG_DNS_T_A, RD("\xc0\x00\x02\x01"), DG_OK, "192.0.2.1", 0 },
	{ "a-short", DG_DNS_T_A, RD("\xc0\x00\x02"), DG_ESYNTAX, NULL, 0 },
	{ "a-long", DG_DNS_T_A, RD("\xc0\x00\x02\x01\x00"), DG_ESYNTAX,
	    NULL, 0 },
	{ "a-empty", DG_DNS_T_A, (const uint8_t *)"", 0, DG_ESYNTAX, NULL, 0 },
	{ "aaaa", DG_DNS_T_AAAA,
	    RD("\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01"), DG_OK,
	    "2001:db8::1", 0 },
	{ "aaaa-short", DG_DNS_T_AAAA, RD("\x20\x01\x0d\xb8"), DG_ESYNTAX,
	    NULL, 0 },
	{ "mx", DG_DNS_T_MX,
	    RD("\x00\x0a\x03mx1\x07" "example\x03" "com\x00"), DG_OK,
	    "mx1.example.com", 10 },
	{ "mx-case", DG_DNS_T_MX, RD("\xff\xff\x03MX1\x07" "ExAmPlE\x00"),
	    DG_OK, "mx1.example", 65535 },
	{ "mx-null", DG_DNS_T_MX, RD("\x00\x00\x00"), DG_OK, "", 0 },
	{ "mx-short", DG_DNS_T_MX, RD("\x00\x0a"), DG_ESYNTAX, NULL, 0 },
	{ "mx-trailing", DG_DNS_T_MX, RD("\x00\x0a\x01x\x00\x00"),
	    DG_ESYNTAX, NULL, 0 },
	{ "mx-no-root", DG_DNS_T_MX, RD("\x00\x0a\x01x"), DG_ESYNTAX,
	    NULL, 0 },
	{ "mx-pointer", DG_DNS_T_MX, RD("\x00\x0a\xc0\x0c"), DG_ESYNTAX,
	    NULL, 0 },
	{ "mx-ext-label", DG_DNS_T_MX, RD("\x00\x0a\x41x\x00"), DG_ESYNTAX,
	    NULL, 0 },
	{ "mx-label-overrun", DG_DNS_T_MX, RD("\x00\x0a\x05" "ab\x00"),
	    DG_ESYNTAX, NULL, 0 },
	{ "mx-dot-in-label", DG_DNS_T_MX, RD("\x00\x0a\x03" "a.b\x00"),
	    DG_ESYNTAX, NULL, 0 },
	{ "mx-nul-in-label", DG_DNS_T_MX, RD("\x00\x0a\x03" "a\0b\x00"),
	    DG_ESYNTAX, NULL, 0 },
	{ "cname", DG_DNS_T_CNAME, RD("\x03www\x07" "example\x00"), DG_OK,
	    "www.example", 0 },
	{ "ptr-root", DG_DNS_T_PTR, RD("\x00"), DG_OK, "", 0 },
	{ "ns-empty", DG_DNS_T_NS, (const uint8_t *)"", 0, DG_ESYNTAX,
	    NULL, 0 },
	{ "ns-trailing", DG_DNS_T_NS, RD("\x01x\x00z"), DG_ESYNTAX, NULL, 0 },
	{ "txt-one", DG_DNS_T_TXT, RD("\x0bv=spf1 -all"), DG_OK,
	    "v=spf1 -all", 1 },
	{ "txt-three", DG_DNS_T_TXT, RD("\x03" "abc\x00\x02" "de"), DG_OK,
	    "abcde", 3 },
	{ "txt-empty-string", DG_DNS_T_TXT, RD("\x00"), DG_OK, "", 1 },
	{ "txt-no-rdata", DG_DNS_T_TXT, (const uint8_t *)"", 0, DG_ESYNTAX,
	    NULL, 0 },
	{ "txt-overrun", DG_DNS_T_TXT, RD("\x05" "abc"), DG_ESYNTAX, NULL, 0 },
	{ "txt-overrun-2nd", DG_DNS_T_TXT, RD("\x01" "a\x02" "b"),
	    DG_ESYNTAX, NULL, 0 },
	{ "txt-length-only", DG_DNS_T_TXT, RD("\x01"), DG_ESYNTAX, NULL, 0 },
	{ "spf", DG_DNS_T_SPF, RD("\x02" "ab\x01" "c"), DG_OK, "abc", 2 },
	{ "unknown-type", (enum dg_dns_type)6, RD("\x00"), DG_EINVAL,
	    NULL, 0 },
};

static void
check_rr(const char *row, const struct dg_dns_rr *rr, struct dg_arena *a,
    const char *want_str, long want_n)
{
	char	buf[64];

	switch (rr->type) {
	case DG_DNS_T_A:
		inet_ntop(AF_INET, rr->u.a, buf, sizeof(buf));
		CHECK_STR(row, buf, want_str);
		break;
	case DG_DNS_T_AAAA:
		inet_ntop(AF_INET6, rr->u.aaaa, buf, sizeof(buf));
		CHECK_STR(row, buf, want_str);
		break;
	case DG_DNS_T_MX:
		CHECK_STR(row, rr->u.mx.host, want_str);
		CHECK_INT(row, rr->u.mx.pref, want_n);
		break;
	case DG_DNS_T_TXT:
	case DG_DNS_T_SPF:
		CHECK_INT(row, rr->u.txt.count, want_n);
		CHECK_STR(row, dg_dns_txt_join(a, rr, NULL), want_str);
		break;
	default:
		CHECK_STR(row, rr->u.name, want_str);
		break;
	}
}

static void
test_rdata_rows(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_dns_rr	 rr;
		enum dg_err		 err;

		assert_non_null(a);
		memset(&rr, 0, sizeof(rr));
		err = dg_dns_rdata_parse(rows[i].type, rows[i].rd,
		    rows[i].len, a, &rr);
		CHECK_INT(rows[i].name, err, rows[i].want);
		if (err == DG_OK) {
			CHECK_INT(rows[i].name, rr.type, rows[i].type);
			check_rr(rows[i].name, &rr, a, rows[i].want_str,
			    rows[i].want_n);
		} else {
			/* Out-parameters are written only on success. */
			CHECK_INT(rows[i].name, rr.type, 0);
		}
		dg_arena_free(a);
	}
}

/* Wire name of n labels of len bytes each, as MX rdata. */
static size_t
make_mx(uint8_t *buf, size_t n, size_t len)
{
	size_t	off = 2, i;

	buf[0] = 0;
	buf[1] = 5;
	for (i = 0; i < n; i++) {
		buf[off++] = (uint8_t)len;
		memset(buf + off, 'a' + (int)(i % 26), len);
		off += len;
	}
	buf[off++] = 0;
	return off;
}

static void
test_rdata_name_limits(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dns_rr	 rr;
	uint8_t			 buf[2048];
	size_t			 len;

	(void)state;
	assert_non_null(a);
	/* 4 labels of 62: 4 * 62 + 3 dots = 251 characters: fine. */
	len = make_mx(buf, 4, 62);
	CHECK_INT("name-251", dg_dns_rdata_parse(DG_DNS_T_MX, buf, len, a,
	    &rr), DG_OK);
	CHECK_INT("name-251 len", strlen(rr.u.mx.host), 251);
	/* 4 labels of 63: 255 characters, over RFC 1035's 253. */
	len = make_mx(buf, 4, 63);
	CHECK_INT("name-255", dg_dns_rdata_parse(DG_DNS_T_MX, buf, len, a,
	    &rr), DG_ESYNTAX);
	/* 200 labels of 1: far more than a name may hold. */
	len = make_mx(buf, 200, 1);
	CHECK_INT("labels-200", dg_dns_rdata_parse(DG_DNS_T_MX, buf, len, a,
	    &rr), DG_ESYNTAX);
	dg_arena_free(a);
}

static void
test_rdata_txt_big(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dns_rr	 rr;
	static uint8_t		 buf[DG_DNS_TXT_MAX];
	size_t			 i, off = 0;

	(void)state;
	assert_non_null(a);
	/* 1000 empty strings: each kept as its own (empty) string. */
	memset(buf, 0, 1000);
	CHECK_INT("empties", dg_dns_rdata_parse(DG_DNS_T_TXT, buf, 1000, a,
	    &rr), DG_OK);
	CHECK_INT("empties count", rr.u.txt.count, 1000);
	/* 257 strings of 254 bytes with a NUL inside: 65535 octets. */
	for (i = 0; off + 255 <= sizeof(buf); i++) {
		buf[off] = 254;
		memset(buf + off + 1, 'x', 254);
		buf[off + 1 + 100] = '\0';
		off += 255;
	}
	CHECK_INT("max", dg_dns_rdata_parse(DG_DNS_T_TXT, buf, off, a, &rr),
	    DG_OK);
	CHECK_INT("max count", rr.u.txt.count, i);
	CHECK_INT("max len", rr.u.txt.strings[0].len, 254);
	CHECK_INT("max nul kept", rr.u.txt.strings[0].p[100], 0);
	CHECK_INT("max after nul", rr.u.txt.strings[0].p[101], 'x');
	dg_arena_free(a);
}

/* Fail every allocation in turn: DG_ENOMEM, no leak (ASan), no crash. */
static void
test_rdata_enomem(void **state)
{
	static const uint8_t	txt[] = "\x03" "abc\x00\x02" "de";
	static const uint8_t	mx[] = "\x00\x0a\x03mx1\x07" "example\x00";
	unsigned long		n;
	bool			done_txt = false, done_mx = false;

	(void)state;
	for (n = 1; n < 100 && !(done_txt && done_mx); n++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_dns_rr	 rr;
		enum dg_err		 err;

		assert_non_null(a);
		dg_alloc_fail_after(n);
		err = dg_dns_rdata_parse(DG_DNS_T_TXT, txt, sizeof(txt) - 1,
		    a, &rr);
		if (!dg_alloc_failed()) {
			CHECK_INT("txt no failure", err, DG_OK);
			done_txt = true;
		} else {
			CHECK_INT("txt enomem", err, DG_ENOMEM);
		}
		dg_alloc_fail_after(0);
		dg_arena_reset(a);
		dg_alloc_fail_after(n);
		err = dg_dns_rdata_parse(DG_DNS_T_MX, mx, sizeof(mx) - 1, a,
		    &rr);
		if (!dg_alloc_failed()) {
			CHECK_INT("mx no failure", err, DG_OK);
			done_mx = true;
		} else {
			CHECK_INT("mx enomem", err, DG_ENOMEM);
		}
		dg_alloc_fail_after(0);
		dg_arena_free(a);
	}
	assert_true(done_txt && done_mx);
}

/* ---- upstream and name escaping ---- */

static void
test_upstream(void **state)
{
	static const struct {
		const char	*name;
		const char	*in;
		const char	*want;	/* NULL: rejected */
	} up[] = {
		{ "v4", "127.0.0.1", "127.0.0.1@53" },
		{ "v4-port", "127.0.0.1@5353", "127.0.0.1@5353" },
		{ "v4-port-max", "192.0.2.1@65535", "192.0.2.1@65535" },
		{ "v6", "::1", "::1@53" },
		{ "v6-port", "2001:db8::53@1053", "2001:db8::53@1053" },
		{ "v4-mapped", "::ffff:192.0.2.1@53", "::ffff:192.0.2.1@53" },
		{ "empty", "", NULL },
		{ "port-only", "@53", NULL },
		{ "short-v4", "1.2.3", NULL },
		{ "octet-256", "1.2.3.256", NULL },
		{ "empty-port", "1.2.3.4@", NULL },
		{ "port-0", "1.2.3.4@0", NULL },
		{ "port-65536", "1.2.3.4@65536", NULL },
		{ "port-junk", "1.2.3.4@53x", NULL },
		{ "port-neg", "1.2.3.4@-1", NULL },
		{ "port-plus", "1.2.3.4@+53", NULL },
		{ "two-ats", "1.2.3.4@@53", NULL },
		{ "brackets", "[::1]:53", NULL },
		{ "colon-port", "127.0.0.1:53", NULL },
		{ "scope", "fe80::1%eth0", NULL },
		{ "hostname", "localhost", NULL },
		{ "space", " 127.0.0.1", NULL },
		{ "long", "1111111111111111111111111111111111111111111111111111"
		    "11111111111111111111111111111", NULL },
	};
	char	out[80], err[200];
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(up); i++) {
		bool	ok;

		out[0] = err[0] = '\0';
		ok = dg_unbound_upstream_check(up[i].in, out, sizeof(out),
		    err, sizeof(err));
		CHECK_INT(up[i].name, ok, up[i].want != NULL);
		if (ok)
			CHECK_STR(up[i].name, out, up[i].want);
		else if (err[0] == '\0')
			fail_msg("%s: no error message", up[i].name);
	}
}

static void
test_name_escape(void **state)
{
	static const struct {
		const char	*name;
		const char	*in;
		const char	*want;
	} esc[] = {
		{ "plain", "mail.example.com", "mail.example.com" },
		{ "root", "", "." },
		{ "underscore", "_dmarc.example", "_dmarc.example" },
		{ "wildcard", "*.example", "*.example" },
		{ "space", "a b.example", "a\\032b.example" },
		{ "backslash", "a\\b", "a\\092b" },
		{ "quote-semicolon", "a\";", "a\\034\\059" },
		{ "at-dollar", "a@$", "a\\064\\036" },
		{ "high", "caf\xc3\xa9", "caf\\195\\169" },
	};
	char	out[4 * DG_DNS_NAME_MAX + 2];
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(esc); i++) {
		dg_unbound_name_escape(esc[i].in, out, sizeof(out));
		CHECK_STR(esc[i].name, out, esc[i].want);
	}
}

/* Write a trust anchor file; returns its path in buf. */
static void
write_anchor(char *buf, size_t cap, const char *line)
{
	FILE	*fp;
	int	 fd;

	snprintf(buf, cap, "/tmp/dg-anchor.XXXXXX");
	fd = mkstemp(buf);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fprintf(fp, "%s\n", line);
	fclose(fp);
}

static void
test_bad_options(void **state)
{
	struct dg_unbound_opts	 o;
	struct dg_resolver	*r = NULL;
	char			 err[256], path[64], want[256];

	(void)state;
	memset(&o, 0, sizeof(o));
	o.upstream = "not-an-ip";
	CHECK_INT("junk upstream", dg_resolver_unbound(&o, &r, err,
	    sizeof(err)), DG_EINVAL);
	assert_null(r);
	CHECK_STR("junk upstream msg", err,
	    "'not-an-ip': 'not-an-ip' is not an IPv4 or IPv6 address");
	o.upstream = "127.0.0.1";
	o.trust_anchor = "/nonexistent/root.key";
	CHECK_INT("missing anchor", dg_resolver_unbound(&o, &r, err,
	    sizeof(err)), DG_EIO);
	assert_null(r);
	CHECK_STR("missing anchor msg", err,
	    "trust anchor /nonexistent/root.key: No such file or directory");
	/* An anchor file that does not parse fails at creation, quietly. */
	write_anchor(path, sizeof(path), "mt.test. IN DS junk");
	o.trust_anchor = path;
	CHECK_INT("junk anchor", dg_resolver_unbound(&o, &r, err,
	    sizeof(err)), DG_EINTERNAL);
	assert_null(r);
	snprintf(want, sizeof(want), "libunbound: initialization failure "
	    "(trust anchor %s)", path);
	CHECK_STR("junk anchor msg", err, want);
	unlink(path);
	CHECK_INT("null out", dg_resolver_unbound(&o, NULL, err,
	    sizeof(err)), DG_EINVAL);
}

/* ---- concurrency against a loopback responder ---- */

struct responder {
	int		 fd;
	uint16_t	 port;
	atomic_bool	 stop;
	atomic_uint	 answered;
	pthread_t	 th;
};

/* Answer one query in q[0..n): see the file comment. */
static void
respond(struct responder *s, const uint8_t *q, size_t n,
    const struct sockaddr_in *from)
{
	uint8_t		 r[600];
	char		 label[64];
	size_t		 off = 12, qend, rl;
	unsigned	 t, i;
	uint16_t	 qtype;

	if (n < 17 || n > 512)
		return;
	while (off < n && q[off] != 0) {
		if (q[off] > 63 || off + 1 + q[off] >= n)
			return;
		off += 1 + q[off];
	}
	if (off + 5 > n)
		return;
	qend = off + 5;
	qtype = (uint16_t)(q[off + 1] << 8 | q[off + 2]);
	memcpy(label, q + 13, q[12]);
	label[q[12]] = '\0';
	if (strncmp(label, "slow", 4) == 0)
		return;				/* never answered */
	memcpy(r, q, qend);
	r[2] = 0x84 | (q[2] & 0x01);		/* QR AA, RD copied */
	r[3] = 0x00;
	r[4] = 0;
	r[5] = 1;				/* QDCOUNT */
	memset(r + 6, 0, 6);			/* AN, NS, AR */
	rl = qend;
	if (qtype == 15 && strcmp(label, "dotmx") == 0) {
		/* MX 10 with a one-label exchange "a.b": legal on the wire,
		 * unreadable as text, so dmarcguard calls it malformed. */
		static const uint8_t	mx[] = { 0xc0, 0x0c, 0, 15, 0, 1,
		    0, 0, 0, 60, 0, 7, 0, 10, 3, 'a', '.', 'b', 0 };

		r[7] = 1;
		memcpy(r + rl, mx, sizeof(mx));
		rl += sizeof(mx);
	} else if (qtype == 1 && sscanf(label, "t%u-%u", &t, &i) == 2) {
		static const uint8_t	hdr[] = { 0xc0, 0x0c, 0, 1, 0, 1,
		    0, 0, 0, 60, 0, 4 };

		r[7] = 1;
		memcpy(r + rl, hdr, sizeof(hdr));
		rl += sizeof(hdr);
		r[rl++] = 10;
		r[rl++] = (uint8_t)t;
		r[rl++] = (uint8_t)i;
		r[rl++] = 1;
	}
	(void)sendto(s->fd, r, rl, 0, (const struct sockaddr *)from,
	    sizeof(*from));
	atomic_fetch_add(&s->answered, 1);
}

static void *
responder_main(void *arg)
{
	struct responder	*s = arg;
	struct pollfd		 pfd;
	uint8_t			 buf[1024];

	pfd.fd = s->fd;
	pfd.events = POLLIN;
	while (!atomic_load(&s->stop)) {
		struct sockaddr_in	from;
		socklen_t		fl = sizeof(from);
		ssize_t			n;

		if (poll(&pfd, 1, 20) <= 0)
			continue;
		n = recvfrom(s->fd, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fl);
		if (n > 0)
			respond(s, buf, (size_t)n, &from);
	}
	return NULL;
}

static bool
responder_start(struct responder *s)
{
	struct sockaddr_in	sa;
	socklen_t		sl = sizeof(sa);

	memset(s, 0, sizeof(*s));
	s->fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (s->fd < 0)
		return false;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &sl) != 0) {
		close(s->fd);
		return false;
	}
	s->port = ntohs(sa.sin_port);
	atomic_init(&s->stop, false);
	atomic_init(&s->answered, 0);
	if (pthread_create(&s->th, NULL, responder_main, s) != 0) {
		close(s->fd);
		return false;
	}
	return true;
}

static void
responder_stop(struct responder *s)
{
	atomic_store(&s->stop, true);
	pthread_join(s->th, NULL);
	close(s->fd);
}

#define MT_FAST_THREADS	6
#define MT_FAST_QUERIES	40
#define MT_SLOW_THREADS	2
#define MT_SLOW_QUERIES	3
#define MT_TIMEOUT_MS	400

struct worker {
	struct dg_resolver	*res;
	unsigned		 idx;
	bool			 slow;
	unsigned		 bad;		/* wrong answers */
	unsigned		 timeouts;
	unsigned		 late;		/* timed out far too late */
	char			 first_bad[200];
};

static uint64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;
	unsigned	 i, n = w->slow ? MT_SLOW_QUERIES : MT_FAST_QUERIES;

	for (i = 0; i < n; i++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_dns_answer	 ans;
		char			 name[64];
		uint64_t		 t0 = now_ms(), dt;
		enum dg_err		 err;

		if (a == NULL) {
			w->bad++;
			continue;
		}
		snprintf(name, sizeof(name), "%s%u-%u.mt.test",
		    w->slow ? "slow" : "t", w->idx, i);
		err = dg_dns_query(w->res, name, DG_DNS_T_A, a, &ans);
		dt = now_ms() - t0;
		if (w->slow) {
			if (err != DG_OK || ans.status != DG_DNS_TIMEOUT)
				w->bad++;
			else
				w->timeouts++;
			if (dt > MT_TIMEOUT_MS + 1500)
				w->late++;
		} else if (err != DG_OK || ans.status != DG_DNS_OK ||
		    ans.count != 1 || ans.rrs[0].u.a[0] != 10 ||
		    ans.rrs[0].u.a[1] != w->idx || ans.rrs[0].u.a[2] != i ||
		    ans.rrs[0].u.a[3] != 1) {
			if (w->bad++ == 0)
				snprintf(w->first_bad, sizeof(w->first_bad),
				    "%s: err %d status %s count %zu", name,
				    (int)err, err == DG_OK ?
				    dg_dns_status_str(ans.status) : "-",
				    err == DG_OK ? ans.count : 0);
		}
		dg_arena_free(a);
	}
	return NULL;
}

static void
test_concurrent(void **state)
{
	struct responder	 s;
	struct dg_unbound_opts	 o;
	struct dg_resolver	*res = NULL;
	struct worker		 w[MT_FAST_THREADS + MT_SLOW_THREADS];
	pthread_t		 th[MT_FAST_THREADS + MT_SLOW_THREADS];
	struct dg_arena		*a;
	struct dg_dns_answer	 ans;
	char			 up[64], err[256];
	unsigned		 i;

	(void)state;
	if (!responder_start(&s))
		skip();
	snprintf(up, sizeof(up), "127.0.0.1@%u", (unsigned)s.port);
	memset(&o, 0, sizeof(o));
	o.upstream = up;
	o.timeout_ms = MT_TIMEOUT_MS;
	o.no_dnssec = true;
	CHECK_INT("create", dg_resolver_unbound(&o, &res, err, sizeof(err)),
	    DG_OK);
	for (i = 0; i < NELEM(w); i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].res = res;
		w[i].idx = i;
		w[i].slow = i >= MT_FAST_THREADS;
		assert_int_equal(pthread_create(&th[i], NULL, worker_main,
		    &w[i]), 0);
	}
	for (i = 0; i < NELEM(w); i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < NELEM(w); i++) {
		char	row[256];

		snprintf(row, sizeof(row), "worker %u %s", i,
		    w[i].first_bad);
		CHECK_INT(row, w[i].bad, 0);
		CHECK_INT(row, w[i].late, 0);
		if (w[i].slow)
			CHECK_INT(row, w[i].timeouts, MT_SLOW_QUERIES);
	}
	/* Still healthy after the timeouts and cancellations. */
	a = dg_arena_new(0);
	assert_non_null(a);
	CHECK_INT("after", dg_dns_query(res, "t9-9.mt.test", DG_DNS_T_A, a,
	    &ans), DG_OK);
	CHECK_STR("after status", dg_dns_status_str(ans.status), "ok");
	CHECK_STR("after dnssec", dg_dnssec_str(ans.dnssec), "unknown");
	CHECK_INT("after ttl", ans.ttl, 60);
	CHECK_INT("after a", ans.rrs[0].u.a[1], 9);
	/* NOERROR without data is NODATA. */
	CHECK_INT("nodata", dg_dns_query(res, "t1-1.mt.test", DG_DNS_T_TXT,
	    a, &ans), DG_OK);
	CHECK_STR("nodata status", dg_dns_status_str(ans.status), "nodata");
	CHECK_INT("malformed", dg_dns_query(res, "dotmx.mt.test", DG_DNS_T_MX,
	    a, &ans), DG_OK);
	CHECK_STR("malformed status", dg_dns_status_str(ans.status),
	    "malformed");
	CHECK_STR("malformed why", ans.why, "record 1 of type MX does not "
	    "parse");
	CHECK_INT("malformed count", ans.count, 0);
	dg_arena_free(a);
	dg_resolver_free(res);
	responder_stop(&s);
}

/*
 * Validation on: an anchor for mt.test. whose DNSKEY the responder never
 * serves makes every answer under it bogus (servfail, with a reason);
 * an anchor for an unrelated zone leaves mt.test. insecure.
 */
static void
test_dnssec_states(void **state)
{
	static const struct {
		const char	*name;
		const char	*anchor;
		const char	*status;
		const char	*dnssec;
		bool		 why;
	} ds[] = {
		{ "bogus", "mt.test. IN DS 12345 8 2 "
		    "49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE0E5E1B0D02F1F4F1"
		    "A2E1E1A1", "servfail", "bogus", true },
		{ "insecure", "elsewhere.test. IN DS 12345 8 2 "
		    "49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE0E5E1B0D02F1F4F1"
		    "A2E1E1A1", "ok", "insecure", false },
	};
	struct responder	 s;
	size_t			 i;

	(void)state;
	if (!responder_start(&s))
		skip();
	for (i = 0; i < NELEM(ds); i++) {
		struct dg_unbound_opts	 o;
		struct dg_resolver	*res = NULL;
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_dns_answer	 ans;
		char			 up[64], path[64], err[256];

		assert_non_null(a);
		write_anchor(path, sizeof(path), ds[i].anchor);
		snprintf(up, sizeof(up), "127.0.0.1@%u", (unsigned)s.port);
		memset(&o, 0, sizeof(o));
		o.upstream = up;
		o.timeout_ms = 3000;
		o.trust_anchor = path;
		CHECK_INT(ds[i].name, dg_resolver_unbound(&o, &res, err,
		    sizeof(err)), DG_OK);
		CHECK_INT(ds[i].name, dg_dns_query(res, "t1-2.mt.test",
		    DG_DNS_T_A, a, &ans), DG_OK);
		CHECK_STR(ds[i].name, dg_dns_status_str(ans.status),
		    ds[i].status);
		CHECK_STR(ds[i].name, dg_dnssec_str(ans.dnssec),
		    ds[i].dnssec);
		CHECK_INT(ds[i].name, ans.why != NULL, ds[i].why);
		if (getenv("DG_TEST_VERBOSE") != NULL && ans.why != NULL)
			printf("%s: why: %s\n", ds[i].name, ans.why);
		CHECK_INT(ds[i].name, ans.count, ds[i].why ? 0 : 1);
		dg_resolver_free(res);
		dg_arena_free(a);
		unlink(path);
	}
	responder_stop(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rdata_rows),
		cmocka_unit_test(test_rdata_name_limits),
		cmocka_unit_test(test_rdata_txt_big),
		cmocka_unit_test(test_rdata_enomem),
		cmocka_unit_test(test_upstream),
		cmocka_unit_test(test_name_escape),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_dnssec_states),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
