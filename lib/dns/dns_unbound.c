/*
 * lib/dns/dns_unbound.c -- the libunbound resolver backend (production).
 * The only file that includes <unbound.h> and libevent's headers.
 *
 * Configuration (docs/dns.md has the user's view):
 *   - upstream: "IP[@PORT]" through ub_ctx_set_fwd, or the nameservers of
 *     /etc/resolv.conf.  /etc/hosts is not read: a local alias must never
 *     answer a mail-authentication query.
 *   - do-not-query-localhost: no, so 127.0.0.1 and ::1 servers work.
 *   - DNSSEC: a static trust anchor file (the caller's, else Debian's
 *     /usr/share/dns/root.key, else /var/lib/unbound/root.key) read with
 *     ub_ctx_add_ta_file, which never writes.  RFC 5011 auto-trust is not
 *     used, so nothing is written anywhere.  Without an anchor, or with
 *     no_dnssec, the validator module is left out and answers say UNKNOWN.
 *   - The built-in local zones of RFC 6761 / RFC 6303 (test., invalid.,
 *     onion., the private and documentation reverse zones) are removed so
 *     such names resolve through the forwarder, and are marked
 *     domain-insecure so a validating context does not call them bogus
 *     (the real root proves they do not exist).  localhost. stays local.
 *
 * Concurrency and timeouts.  Each query runs in the calling thread, on a
 * libunbound context made with ub_ctx_create_event() on its own libevent
 * base: ub_resolve_event() starts it and event_base_loop() runs until the
 * callback has filled the answer or a timer at the deadline fires.  There
 * is no resolving thread to hand queries to and answers from (the design
 * of ub_ctx_async(), whose pipes, polls and wake-ups cost about 100 us of
 * CPU a query), so a query costs what its own socket calls cost.
 * Contexts are pooled: a query takes an idle one (the most recently used,
 * whose cache is warmest), makes a new one while fewer than
 * DG_DNS_UNBOUND_CONTEXTS_MAX exist, or waits; so many threads resolve
 * in parallel, and a thread-per-connection caller reuses warm contexts.
 * The callback hands over the answer packet in wire format, read by
 * lib/dns/dns_wire.c.  On expiry the query is left to libunbound (which
 * has its own upstream timeouts) marked abandoned; its callback, run by a
 * later query on the same context, frees it, and ubt_free() frees what
 * is left.  libunbound's ub_cancel() is not used: its event mode has no
 * reliable cancel.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <unbound.h>
#include <unbound-event.h>

#include "dns/dns_int.h"
#include "dns/dns_unbound.h"
#include "dns/dns_wire.h"
#include "util/alloc.h"
#include "util/limits.h"
#include "util/str.h"

/* Debian: dns-root-data (static), then unbound's RFC 5011 state file,
 * which we read as a static anchor and never write. */
static const char *const default_anchors[] = {
	"/usr/share/dns/root.key",
	"/var/lib/unbound/root.key",
};

/*
 * Built-in local zones lifted so they resolve through the upstream
 * (RFC 6761 6.2 test., 6.4 invalid., RFC 7686 onion., RFC 6303 private
 * and RFC 5737 / RFC 3849 documentation reverse zones).
 */
static const char *const lifted_zones[] = {
	"test.", "invalid.", "onion.", "home.arpa.",
	"10.in-addr.arpa.", "168.192.in-addr.arpa.", "254.169.in-addr.arpa.",
	"16.172.in-addr.arpa.", "17.172.in-addr.arpa.", "18.172.in-addr.arpa.",
	"19.172.in-addr.arpa.", "20.172.in-addr.arpa.", "21.172.in-addr.arpa.",
	"22.172.in-addr.arpa.", "23.172.in-addr.arpa.", "24.172.in-addr.arpa.",
	"25.172.in-addr.arpa.", "26.172.in-addr.arpa.", "27.172.in-addr.arpa.",
	"28.172.in-addr.arpa.", "29.172.in-addr.arpa.", "30.172.in-addr.arpa.",
	"31.172.in-addr.arpa.", "64.100.in-addr.arpa.",
	"2.0.192.in-addr.arpa.", "100.51.198.in-addr.arpa.",
	"113.0.203.in-addr.arpa.", "d.f.ip6.arpa.", "8.e.f.ip6.arpa.",
	"9.e.f.ip6.arpa.", "a.e.f.ip6.arpa.", "b.e.f.ip6.arpa.",
	"8.b.d.0.1.0.0.2.ip6.arpa.",
};

#define NELEM(x)	(sizeof(x) / sizeof((x)[0]))
#define UPSTREAM_MAX	(INET6_ADDRSTRLEN + 8)

/* ---- pure helpers (dns_unbound.h) ---- */

/*
 * RFC 1035 3.1: a name is labels of 1-63 octets ended by the empty root
 * label; 255 octets at most.  A length byte with either top bit set is a
 * compression pointer (4.1.4) or an extended label: rdata handed over by
 * libunbound is decompressed, so both are malformed here.  A label byte
 * '.' or NUL could not be told apart from a separator or the end in our
 * text form, so it is rejected too.
 */
static bool
wire_name(const uint8_t *p, size_t len, size_t *off, char *out)
{
	size_t	o = *off, n = 0, labels = 0, i;

	for (;;) {
		size_t	c;

		if (o >= len)
			return false;
		c = p[o++];
		if (c == 0)
			break;
		if (c > DG_DNS_LABEL_MAX || c > len - o)
			return false;
		if (++labels > DG_DNS_LABELS_MAX)
			return false;
		if (n != 0)
			out[n++] = '.';
		if (n + c > DG_DNS_NAME_MAX)
			return false;
		for (i = 0; i < c; i++) {
			unsigned char	b = p[o + i];

			if (b == '\0' || b == '.')
				return false;
			out[n++] = (char)dg_tolower(b);
		}
		o += c;
	}
	out[n] = '\0';
	*off = o;
	return true;
}

static enum dg_err
rdata_name(const uint8_t *rd, size_t len, size_t off, struct dg_arena *a,
    const char **out)
{
	char	 name[DG_DNS_NAME_MAX + 1];
	char	*s;

	if (!wire_name(rd, len, &off, name) || off != len)
		return DG_ESYNTAX;
	s = dg_arena_strdup(a, name);
	if (s == NULL)
		return dg_arena_err(a);
	*out = s;
	return DG_OK;
}

/*
 * RFC 1035 3.3.14: TXT-DATA is one or more <character-string>s, each a
 * length octet and that many octets.  Every length is checked against
 * what is left of the rdata.
 */
static enum dg_err
rdata_txt(const uint8_t *rd, size_t len, struct dg_arena *a,
    struct dg_dns_rr *rr)
{
	struct dg_dns_str	*strs;
	size_t			 off, n = 0, i;

	if (len == 0)
		return DG_ESYNTAX;
	for (off = 0; off < len; off += 1 + (size_t)rd[off]) {
		if (rd[off] > len - off - 1)
			return DG_ESYNTAX;
		n++;
	}
	strs = dg_arena_calloc(a, n, sizeof(*strs));
	if (strs == NULL)
		return dg_arena_err(a);
	for (i = 0, off = 0; i < n; i++) {
		size_t	l = rd[off];
		char	*s;

		s = dg_arena_strndup(a, (const char *)rd + off + 1, l);
		if (s == NULL)
			return dg_arena_err(a);
		strs[i].p = s;
		strs[i].len = l;
		off += 1 + l;
	}
	rr->u.txt.count = n;
	rr->u.txt.strings = strs;
	return DG_OK;
}

enum dg_err
dg_dns_rdata_parse(enum dg_dns_type type, const uint8_t *rd, size_t len,
    struct dg_arena *a, struct dg_dns_rr *rr)
{
	struct dg_dns_rr	tmp;
	enum dg_err		err;

	if ((rd == NULL && len != 0) || a == NULL || rr == NULL)
		return DG_EINVAL;
	memset(&tmp, 0, sizeof(tmp));
	tmp.type = type;
	switch (type) {
	case DG_DNS_T_A:
		if (len != sizeof(tmp.u.a))
			return DG_ESYNTAX;
		memcpy(tmp.u.a, rd, len);
		break;
	case DG_DNS_T_AAAA:
		if (len != sizeof(tmp.u.aaaa))
			return DG_ESYNTAX;
		memcpy(tmp.u.aaaa, rd, len);
		break;
	case DG_DNS_T_MX:
		/* RFC 1035 3.3.9: PREFERENCE (16 bits), EXCHANGE. */
		if (len < 3)
			return DG_ESYNTAX;
		tmp.u.mx.pref = (uint16_t)((rd[0] << 8) | rd[1]);
		err = rdata_name(rd, len, 2, a, &tmp.u.mx.host);
		if (err != DG_OK)
			return err;
		break;
	case DG_DNS_T_NS:
	case DG_DNS_T_CNAME:
	case DG_DNS_T_PTR:
		err = rdata_name(rd, len, 0, a, &tmp.u.name);
		if (err != DG_OK)
			return err;
		break;
	case DG_DNS_T_TXT:
	case DG_DNS_T_SPF:	/* RFC 7208 3.1: same format as TXT */
		err = rdata_txt(rd, len, a, &tmp);
		if (err != DG_OK)
			return err;
		break;
	default:
		return DG_EINVAL;
	}
	*rr = tmp;
	return DG_OK;
}

bool
dg_unbound_upstream_check(const char *s, char *out, size_t cap, char *err,
    size_t errlen)
{
	char		 ip[INET6_ADDRSTRLEN + 1];
	unsigned char	 bin[sizeof(struct in6_addr)];
	const char	*at;
	size_t		 iplen;
	uint64_t	 port = 53;

	if (s == NULL || s[0] == '\0') {
		dg_fmt(err, errlen, "empty resolver address");
		return false;
	}
	at = strchr(s, '@');
	iplen = at != NULL ? (size_t)(at - s) : strlen(s);
	if (iplen == 0 || iplen >= sizeof(ip)) {
		dg_fmt(err, errlen, "'%s': expected IP[@PORT]", s);
		return false;
	}
	memcpy(ip, s, iplen);
	ip[iplen] = '\0';
	if (inet_pton(AF_INET, ip, bin) != 1 &&
	    inet_pton(AF_INET6, ip, bin) != 1) {
		dg_fmt(err, errlen, "'%s': '%s' is not an IPv4 or IPv6 address",
		    s, ip);
		return false;
	}
	if (at != NULL && (!dg_parse_uint(at + 1, strlen(at + 1), 65535,
	    &port) || port == 0)) {
		dg_fmt(err, errlen, "'%s': port must be 1-65535", s);
		return false;
	}
	if ((size_t)snprintf(out, cap, "%s@%u", ip, (unsigned)port) >= cap) {
		dg_fmt(err, errlen, "'%s': too long", s);
		return false;
	}
	return true;
}

void
dg_unbound_name_escape(const char *name, char *out, size_t cap)
{
	size_t	n = 0;

	if (cap < 2)
		return;
	for (; *name != '\0' && n + 5 < cap; name++) {
		unsigned char	c = (unsigned char)*name;

		if (dg_isalnum(c) || c == '-' || c == '_' || c == '.' ||
		    c == '*')
			out[n++] = (char)c;
		else
			n += (size_t)snprintf(out + n, cap - n, "\\%03u", c);
	}
	if (n == 0)
		out[n++] = '.';		/* the root */
	out[n] = '\0';
}

/* ---- the backend ---- */

struct ubq;

/*
 * One libunbound context on its own libevent base.  A query runs the base
 * in the calling thread, so a context is used by one thread at a time: it
 * is taken from the pool for the query and given back after it.
 */
struct ubt {
	struct ubr		*u;
	struct event_base	*base;
	struct ub_ctx		*ctx;
	struct event		*timer;		/* wakes the loop at the deadline */
	struct ubq		*orphans;	/* timed out, freed by callback */
	struct ubt		*next_free;	/* u->idle */
	struct ubt		*next_all;	/* u->all */
};

/* The resolver: its configuration and its pool of contexts. */
struct ubr {
	char		 fwd[UPSTREAM_MAX];	/* "" : /etc/resolv.conf */
	char		*anchor;		/* NULL: no validation */
	unsigned	 timeout_ms;
	bool		 validate;
	pthread_mutex_t	 mu;		/* guards the pool below */
	pthread_cond_t	 cv;		/* a context was given back */
	struct ubt	*idle;		/* LIFO: the warmest cache first */
	struct ubt	*all;
	unsigned	 nctx;		/* made, or being made */
};

/* One query in flight. */
struct ubq {
	struct ubt		*t;
	bool			 done;
	bool			 abandoned;	/* timed out: out is gone */
	const char		*qname;
	enum dg_dns_type	 type;
	struct dg_arena		*a;
	struct dg_dns_answer	*out;
	enum dg_err		 err;
	struct ubq		*prev, *next;	/* t->orphans */
};

static uint64_t
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static const char *
rcode_name(int rcode)
{
	switch (rcode) {
	case 1:		return "FORMERR";
	case 2:		return "SERVFAIL";
	case 4:		return "NOTIMP";
	case 5:		return "REFUSED";
	default:	return "other";
	}
}

/* The answer from what libunbound's event callback hands over. */
static enum dg_err
fill_answer(const struct ubq *q, int rcode, const uint8_t *pkt, int len,
    int sec, const char *why_bogus)
{
	struct dg_dns_answer	*out = q->out;
	struct dg_arena		*a = q->a;
	enum dg_err		 err;

	out->dnssec = DG_DNSSEC_UNKNOWN;
	if (q->t->u->validate && sec == 1) {
		/* A failed signature is a failed lookup: never use the
		 * data. */
		out->status = DG_DNS_SERVFAIL;
		out->dnssec = DG_DNSSEC_BOGUS;
		out->why = dg_arena_strdup(a, why_bogus != NULL ?
		    why_bogus : "DNSSEC validation failed");
		return out->why != NULL ? DG_OK : dg_arena_err(a);
	}
	if ((rcode == 0 || rcode == 3) && pkt != NULL && len > 0) {
		err = dg_dns_wire_answer(pkt, (size_t)len, q->qname, q->type,
		    a, out);
		if (err != DG_OK)
			return err;
	} else if (rcode == 3) {
		out->status = DG_DNS_NXDOMAIN;
	} else {
		out->status = DG_DNS_SERVFAIL;
		out->why = dg_arena_printf(a, "rcode %d (%s)", rcode,
		    rcode_name(rcode));
		return out->why != NULL ? DG_OK : dg_arena_err(a);
	}
	if (q->t->u->validate && (out->status == DG_DNS_OK ||
	    out->status == DG_DNS_NXDOMAIN || out->status == DG_DNS_NODATA))
		out->dnssec = sec == 2 ? DG_DNSSEC_SECURE : DG_DNSSEC_INSECURE;
	return DG_OK;
}

/* libunbound's callback, run inside event_base_loop() of the context. */
static void
on_answer(void *arg, int rcode, void *pkt, int len, int sec,
    char *why_bogus, int ratelimited)
{
	struct ubq	*q = arg;
	struct ubt	*t = q->t;

	(void)ratelimited;
	if (q->abandoned) {
		if (q->prev != NULL)
			q->prev->next = q->next;
		else
			t->orphans = q->next;
		if (q->next != NULL)
			q->next->prev = q->prev;
		free(q);
		return;
	}
	q->err = fill_answer(q, rcode, pkt, len, sec, why_bogus);
	q->done = true;
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;	/* only makes event_base_loop() return */
}

/* Whether fwd ("IP@PORT", as dg_unbound_upstream_check wrote it) is on
 * the loopback: 127.0.0.0/8 or ::1. */
static bool
loopback(const char *fwd)
{
	return strncmp(fwd, "127.", 4) == 0 || strncmp(fwd, "::1@", 4) == 0;
}

/* Apply the configuration to a fresh context; a message in err on error. */
static enum dg_err
configure(const struct ubr *u, struct ub_ctx *ctx, char *err,
    size_t errlen)
{
	size_t	i;
	int	rc;

	/* lib/ never prints: libunbound's own log (stderr by default) is
	 * turned off; failures come back as statuses and messages. */
	if ((rc = ub_ctx_debugout(ctx, NULL)) != 0 ||
	    (rc = ub_ctx_set_option(ctx, "do-not-query-localhost:",
	    "no")) != 0 ||
	    (rc = ub_ctx_set_option(ctx, "module-config:", u->validate ?
	    "validator iterator" : "iterator")) != 0)
		goto ub_fail;
	/*
	 * connect()ed UDP sockets shut the ICMP side channel of off-path
	 * spoofing (SAD DNS, CVE-2020-25705), but cost a system call a
	 * query.  A forwarder on the loopback has no off-path attacker, so
	 * there (the usual set-up: a local Unbound) the call is skipped.
	 */
	if (loopback(u->fwd) &&
	    (rc = ub_ctx_set_option(ctx, "udp-connect:", "no")) != 0)
		goto ub_fail;
	if (u->validate) {
		if ((rc = ub_ctx_add_ta_file(ctx, u->anchor)) != 0)
			goto ub_fail;
		for (i = 0; i < NELEM(lifted_zones); i++)
			if ((rc = ub_ctx_set_option(ctx, "domain-insecure:",
			    lifted_zones[i])) != 0)
				goto ub_fail;
	}
	if (u->fwd[0] != '\0')
		rc = ub_ctx_set_fwd(ctx, u->fwd);
	else
		rc = ub_ctx_resolvconf(ctx, NULL);
	if (rc != 0) {
		dg_fmt(err, errlen, "%s: %s", u->fwd[0] != '\0' ? u->fwd :
		    "/etc/resolv.conf", ub_strerror(rc));
		return rc == UB_NOMEM ? DG_ENOMEM : DG_EIO;
	}
	/*
	 * ub_ctx_zone_remove() finalizes the context (so a bad trust anchor
	 * file shows up here, not at the first query) and then drops the
	 * built-in zone.
	 */
	for (i = 0; i < NELEM(lifted_zones); i++)
		if ((rc = ub_ctx_zone_remove(ctx, lifted_zones[i])) != 0) {
			if (u->anchor != NULL)
				dg_fmt(err, errlen, "libunbound: %s "
				    "(trust anchor %s)", ub_strerror(rc),
				    u->anchor);
			else
				dg_fmt(err, errlen, "libunbound: %s",
				    ub_strerror(rc));
			return rc == UB_NOMEM ? DG_ENOMEM : DG_EINTERNAL;
		}
	return DG_OK;

ub_fail:
	dg_fmt(err, errlen, "libunbound: %s", ub_strerror(rc));
	return rc == UB_NOMEM ? DG_ENOMEM : DG_EINTERNAL;
}

static void
ubt_free(struct ubt *t)
{
	struct ubq	*q, *next;

	/* No callback runs after ub_ctx_delete(). */
	if (t->ctx != NULL)
		ub_ctx_delete(t->ctx);
	for (q = t->orphans; q != NULL; q = next) {
		next = q->next;
		free(q);
	}
	if (t->timer != NULL)
		event_free(t->timer);
	if (t->base != NULL)
		event_base_free(t->base);
	free(t);
}

static enum dg_err
ubt_new(struct ubr *u, struct ubt **out, char *err, size_t errlen)
{
	struct ubt	*t;
	enum dg_err	 e;

	t = dg_malloc(sizeof(*t));
	if (t == NULL)
		return DG_ENOMEM;
	memset(t, 0, sizeof(*t));
	t->u = u;
	if ((t->base = event_base_new()) == NULL ||
	    (t->timer = evtimer_new(t->base, on_timer, t)) == NULL ||
	    (t->ctx = ub_ctx_create_event(t->base)) == NULL) {
		ubt_free(t);
		return DG_ENOMEM;
	}
	if ((e = configure(u, t->ctx, err, errlen)) != DG_OK) {
		ubt_free(t);
		return e;
	}
	*out = t;
	return DG_OK;
}

/* Take an idle context, make one while under the cap, else wait. */
static enum dg_err
ubt_take(struct ubr *u, struct ubt **out, char *err, size_t errlen)
{
	struct ubt	*t;
	enum dg_err	 e;

	pthread_mutex_lock(&u->mu);
	while (u->idle == NULL && u->nctx >= DG_DNS_UNBOUND_CONTEXTS_MAX)
		pthread_cond_wait(&u->cv, &u->mu);
	if ((t = u->idle) != NULL) {
		u->idle = t->next_free;
		pthread_mutex_unlock(&u->mu);
		*out = t;
		return DG_OK;
	}
	u->nctx++;
	pthread_mutex_unlock(&u->mu);
	e = ubt_new(u, &t, err, errlen);
	pthread_mutex_lock(&u->mu);
	if (e != DG_OK) {
		u->nctx--;
		pthread_cond_signal(&u->cv);
	} else {
		t->next_all = u->all;
		u->all = t;
		*out = t;
	}
	pthread_mutex_unlock(&u->mu);
	return e;
}

static void
ubt_give(struct ubr *u, struct ubt *t)
{
	pthread_mutex_lock(&u->mu);
	t->next_free = u->idle;
	u->idle = t;
	pthread_cond_signal(&u->cv);
	pthread_mutex_unlock(&u->mu);
}

/* Answer out as a failure (status, and why unless NULL). */
static enum dg_err
fail_answer(struct dg_arena *a, struct dg_dns_answer *out,
    enum dg_dns_status status, const char *why)
{
	out->status = status;
	out->dnssec = DG_DNSSEC_UNKNOWN;
	out->count = 0;
	out->rrs = NULL;
	out->why = NULL;
	if (why != NULL && (out->why = dg_arena_strdup(a, why)) == NULL)
		return dg_arena_err(a);
	return DG_OK;
}

/*
 * Ask the n questions on one context: all are started, then the context's
 * base runs until every callback has come or the deadline has passed.
 * Those left are abandoned to libunbound and answered TIMEOUT.
 */
static enum dg_err
ubr_ask(struct ubr *u, const struct dg_dns_question *qs, size_t n,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct ubq	*qv[DG_DNS_MANY_MAX];
	struct ubt	*t;
	struct timeval	 tv;
	char		 qname[4 * DG_DNS_NAME_MAX + 2], msg[256];
	uint64_t	 deadline, now;
	size_t		 i, pending = 0;
	int		 id, rc;
	enum dg_err	 err = DG_OK, e;

	msg[0] = '\0';
	if ((e = ubt_take(u, &t, msg, sizeof(msg))) != DG_OK) {
		if (e == DG_ENOMEM)
			return e;
		for (i = 0; i < n && err == DG_OK; i++)
			err = fail_answer(a, &out[i], DG_DNS_SERVFAIL,
			    msg[0] != '\0' ? msg : "libunbound: no context");
		return err;
	}
	for (i = 0; i < n; i++) {
		qv[i] = dg_malloc(sizeof(*qv[i]));
		if (qv[i] == NULL) {
			err = DG_ENOMEM;
			continue;	/* the started ones still finish */
		}
		memset(qv[i], 0, sizeof(*qv[i]));
		qv[i]->t = t;
		qv[i]->qname = qs[i].name;
		qv[i]->type = qs[i].type;
		qv[i]->a = a;
		qv[i]->out = &out[i];
		dg_unbound_name_escape(qs[i].name, qname, sizeof(qname));
		id = 0;
		rc = ub_resolve_event(t->ctx, qname, (int)qs[i].type, 1,
		    qv[i], on_answer, &id);
		if (rc != 0 && !qv[i]->done) {
			free(qv[i]);
			qv[i] = NULL;
			if (rc == UB_NOMEM)
				err = DG_ENOMEM;
			else if ((e = fail_answer(a, &out[i], DG_DNS_SERVFAIL,
			    ub_strerror(rc))) != DG_OK)
				err = e;
			continue;
		}
		pending++;
	}
	deadline = mono_ms() + u->timeout_ms;
	for (;;) {
		for (i = 0; i < n && pending > 0; i++)
			if (qv[i] != NULL && qv[i]->done) {
				if (qv[i]->err != DG_OK)
					err = qv[i]->err;
				free(qv[i]);
				qv[i] = NULL;
				pending--;
			}
		if (pending == 0 || (now = mono_ms()) >= deadline)
			break;
		tv.tv_sec = (time_t)((deadline - now) / 1000);
		tv.tv_usec = (suseconds_t)((deadline - now) % 1000) * 1000;
		if (evtimer_add(t->timer, &tv) != 0 ||
		    event_base_loop(t->base, EVLOOP_ONCE) < 0)
			break;
	}
	(void)evtimer_del(t->timer);
	for (i = 0; i < n; i++) {
		struct ubq	*q = qv[i];

		if (q == NULL)
			continue;
		/* libunbound finishes it in its own time; the callback
		 * sees abandoned and frees it (or ubt_free does). */
		q->abandoned = true;
		q->prev = NULL;
		q->next = t->orphans;
		if (t->orphans != NULL)
			t->orphans->prev = q;
		t->orphans = q;
		out[i].status = DG_DNS_TIMEOUT;
		out[i].dnssec = DG_DNSSEC_UNKNOWN;
		out[i].count = 0;
		out[i].rrs = NULL;
		out[i].why = dg_arena_printf(a, "no answer within %u ms",
		    u->timeout_ms);
		if (out[i].why == NULL)
			err = dg_arena_err(a);
	}
	ubt_give(u, t);
	return err;
}

static enum dg_err
ubr_query(struct dg_resolver *r, const char *name, enum dg_dns_type type,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct dg_dns_question	q;

	q.name = name;
	q.type = type;
	return ubr_ask(r->impl, &q, 1, a, out);
}

static enum dg_err
ubr_query_many(struct dg_resolver *r, const struct dg_dns_question *qs,
    size_t n, struct dg_arena *a, struct dg_dns_answer *out)
{
	return ubr_ask(r->impl, qs, n, a, out);
}

static void
ubr_destroy_impl(struct ubr *u)
{
	struct ubt	*t, *next;

	for (t = u->all; t != NULL; t = next) {
		next = t->next_all;
		ubt_free(t);
	}
	free(u->anchor);
	pthread_cond_destroy(&u->cv);
	pthread_mutex_destroy(&u->mu);
	free(u);
}

static void
ubr_destroy(struct dg_resolver *r)
{
	ubr_destroy_impl(r->impl);
}

static const struct dg_resolver_ops unbound_ops = {
	"unbound", ubr_query, ubr_destroy, ubr_query_many
};

static const char *
find_anchor(const struct dg_unbound_opts *o, char *err, size_t errlen,
    bool *bad)
{
	size_t	i;

	*bad = false;
	if (o->trust_anchor != NULL) {
		if (access(o->trust_anchor, R_OK) != 0) {
			dg_fmt(err, errlen, "trust anchor %s: %s",
			    o->trust_anchor, strerror(errno));
			*bad = true;
			return NULL;
		}
		return o->trust_anchor;
	}
	for (i = 0; i < NELEM(default_anchors); i++)
		if (access(default_anchors[i], R_OK) == 0)
			return default_anchors[i];
	return NULL;
}

enum dg_err
dg_resolver_unbound(const struct dg_unbound_opts *opts,
    struct dg_resolver **out, char *err, size_t errlen)
{
	static const struct dg_unbound_opts	 defaults;
	const struct dg_unbound_opts		*o = opts != NULL ? opts :
						    &defaults;
	struct dg_resolver			*r;
	struct ubr				*u;
	struct ubt				*t;
	const char				*anchor = NULL;
	bool					 bad;
	enum dg_err				 e;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	else
		errlen = 0;
	if (out == NULL)
		return DG_EINVAL;
	u = dg_malloc(sizeof(*u));
	if (u == NULL)
		return DG_ENOMEM;
	memset(u, 0, sizeof(*u));
	if (o->upstream != NULL &&
	    !dg_unbound_upstream_check(o->upstream, u->fwd, sizeof(u->fwd),
	    err, errlen)) {
		free(u);
		return DG_EINVAL;
	}
	if (!o->no_dnssec) {
		anchor = find_anchor(o, err, errlen, &bad);
		if (bad) {
			free(u);
			return DG_EIO;
		}
	}
	if (anchor != NULL) {
		size_t	alen = strlen(anchor) + 1;

		if ((u->anchor = dg_malloc(alen)) == NULL) {
			free(u);
			return DG_ENOMEM;
		}
		memcpy(u->anchor, anchor, alen);
	}
	u->validate = anchor != NULL;
	u->timeout_ms = o->timeout_ms != 0 ? o->timeout_ms :
	    DG_DNS_DEFAULT_TIMEOUT_MS;
	if (pthread_mutex_init(&u->mu, NULL) != 0) {
		free(u->anchor);
		free(u);
		return DG_ENOMEM;
	}
	if (pthread_cond_init(&u->cv, NULL) != 0) {
		pthread_mutex_destroy(&u->mu);
		free(u->anchor);
		free(u);
		return DG_ENOMEM;
	}
	/* From here on, dg_resolver_free() (ubr_destroy) cleans up. */
	r = dg_resolver_alloc(&unbound_ops, u);
	if (r == NULL) {
		ubr_destroy_impl(u);
		return DG_ENOMEM;
	}
	/* The first context now, so a bad configuration is reported here
	 * and not at the first query. */
	if ((e = ubt_take(u, &t, err, errlen)) != DG_OK) {
		dg_resolver_free(r);
		return e;
	}
	ubt_give(u, t);
	*out = r;
	return DG_OK;
}
