/*
 * lib/dns/dns_unbound.c -- the libunbound resolver backend (production).
 * The only file that includes <unbound.h>.
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
 * Concurrency and timeouts.  libunbound has no per-query timeout, so each
 * query is ub_resolve_async() on one context made with ub_ctx_async(ctx,
 * 1): a background thread does the resolving; results come back through
 * ub_fd() and are delivered by ub_process(), which runs the callbacks of
 * *every* pending query in the thread that calls it.  ub_resolve_async and
 * ub_cancel lock internally and may be called from any thread.  We let one
 * waiting thread at a time be the "processor" (u->processing, under u->mu):
 * it polls ub_fd() until its own deadline and calls ub_process(); the
 * callbacks mark their query done under u->mu and broadcast u->cv.  The
 * other waiters sleep on u->cv until their query is done, their deadline
 * passes, or the processor role is free.  On expiry the waiter calls
 * ub_cancel(): with a threaded context libunbound marks the query
 * cancelled under its own lock, and a cancelled query's callback is never
 * called, so success means we own the query state; UB_NOID means the
 * callback has run or is about to, so the state is handed to the callback
 * (q->abandoned) which frees it.  ub_cancel is never called with u->mu held
 * (callbacks take u->mu after libunbound has released its locks, but we
 * keep the lock order one-way anyway).
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

#include <unbound.h>

#include "dns/dns_int.h"
#include "dns/dns_unbound.h"
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

struct ubq;

struct ubr {
	struct ub_ctx	*ctx;
	int		 fd;		/* ub_fd(ctx) */
	unsigned	 timeout_ms;
	bool		 validate;
	pthread_mutex_t	 mu;		/* guards everything below */
	pthread_cond_t	 cv;		/* a query done or processor free */
	bool		 processing;	/* some thread is in poll/ub_process */
	struct ubq	*orphans;	/* abandoned, freed by their callback */
};

/* One query in flight; lives until its callback ran or it was cancelled. */
struct ubq {
	struct ubr		*u;
	bool			 done;
	bool			 abandoned;
	int			 err;
	struct ub_result	*res;
	struct ubq		*prev, *next;	/* u->orphans */
};

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

static uint64_t
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
cond_wait_until(struct ubr *u, uint64_t deadline_ms)
{
	struct timespec	ts;

	ts.tv_sec = (time_t)(deadline_ms / 1000);
	ts.tv_nsec = (long)(deadline_ms % 1000) * 1000000;
	(void)pthread_cond_timedwait(&u->cv, &u->mu, &ts);
}

/* Called by ub_process() in whichever thread is the processor. */
static void
on_result(void *arg, int err, struct ub_result *res)
{
	struct ubq	*q = arg;
	struct ubr	*u = q->u;

	pthread_mutex_lock(&u->mu);
	if (q->abandoned) {
		if (q->prev != NULL)
			q->prev->next = q->next;
		else
			u->orphans = q->next;
		if (q->next != NULL)
			q->next->prev = q->prev;
		pthread_mutex_unlock(&u->mu);
		ub_resolve_free(res);
		free(q);
		return;
	}
	q->err = err;
	q->res = res;
	q->done = true;
	pthread_cond_broadcast(&u->cv);
	pthread_mutex_unlock(&u->mu);
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

static enum dg_err
fill_records(struct ub_result *res, enum dg_dns_type type, uint32_t ttl,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct dg_dns_rr	*rrs;
	size_t			 n = 0, i;
	enum dg_err		 err;

	while (n < DG_DNS_MAX_RRS && res->data[n] != NULL)
		n++;
	rrs = dg_arena_calloc(a, n, sizeof(*rrs));
	if (rrs == NULL)
		return dg_arena_err(a);
	for (i = 0; i < n; i++) {
		if (res->len[i] < 0)
			err = DG_ESYNTAX;
		else
			err = dg_dns_rdata_parse(type,
			    (const uint8_t *)res->data[i], (size_t)res->len[i],
			    a, &rrs[i]);
		if (err == DG_ESYNTAX || err == DG_EINVAL) {
			out->status = DG_DNS_MALFORMED;
			out->why = dg_arena_printf(a,
			    "record %zu of type %s does not parse", i + 1,
			    dg_dns_type_str(type));
			if (out->why == NULL)
				return dg_arena_err(a);
			return DG_OK;
		}
		if (err != DG_OK)
			return err;
		rrs[i].ttl = ttl;
	}
	out->status = DG_DNS_OK;
	out->count = n;
	out->rrs = rrs;
	return DG_OK;
}

static enum dg_err
fill_answer(const struct ubr *u, int uberr, struct ub_result *res,
    enum dg_dns_type type, struct dg_arena *a, struct dg_dns_answer *out)
{
	char	canon[DG_DNS_NAME_MAX + 1];

	out->dnssec = DG_DNSSEC_UNKNOWN;
	if (uberr != 0 || res == NULL) {
		out->status = DG_DNS_SERVFAIL;
		out->why = dg_arena_printf(a, "libunbound: %s",
		    ub_strerror(uberr));
		return out->why != NULL ? DG_OK : dg_arena_err(a);
	}
	if (u->validate)
		out->dnssec = res->secure ? DG_DNSSEC_SECURE :
		    res->bogus ? DG_DNSSEC_BOGUS : DG_DNSSEC_INSECURE;
	out->ttl = res->ttl > 0 ? (uint32_t)res->ttl : 0;
	if (res->canonname != NULL && dg_dns_name_norm(res->canonname, canon)) {
		out->canonical = dg_arena_strdup(a, canon);
		if (out->canonical == NULL)
			return dg_arena_err(a);
	}
	if (res->bogus) {
		/* A failed signature is a failed lookup: never use the data. */
		out->status = DG_DNS_SERVFAIL;
		out->why = dg_arena_strdup(a, res->why_bogus != NULL ?
		    res->why_bogus : "DNSSEC validation failed");
		return out->why != NULL ? DG_OK : dg_arena_err(a);
	}
	if (res->havedata && res->data != NULL && res->data[0] != NULL)
		return fill_records(res, type, out->ttl, a, out);
	if (res->nxdomain || res->rcode == 3) {
		out->status = DG_DNS_NXDOMAIN;
	} else if (res->rcode == 0) {
		out->status = DG_DNS_NODATA;
	} else {
		/* Nothing was validated: the lookup itself failed. */
		out->status = DG_DNS_SERVFAIL;
		out->dnssec = DG_DNSSEC_UNKNOWN;
		out->why = dg_arena_printf(a, "rcode %d (%s)", res->rcode,
		    rcode_name(res->rcode));
		if (out->why == NULL)
			return dg_arena_err(a);
	}
	return DG_OK;
}

static enum dg_err
ubr_query(struct dg_resolver *r, const char *name, enum dg_dns_type type,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct ubr	*u = r->impl;
	struct ubq	*q;
	struct pollfd	 pfd;
	char		 qname[4 * DG_DNS_NAME_MAX + 2];
	uint64_t	 deadline, now;
	int		 id = 0, rc, perr = 0;
	bool		 owned = true;
	enum dg_err	 err;

	q = dg_malloc(sizeof(*q));
	if (q == NULL)
		return DG_ENOMEM;
	memset(q, 0, sizeof(*q));
	q->u = u;
	dg_unbound_name_escape(name, qname, sizeof(qname));
	rc = ub_resolve_async(u->ctx, qname, (int)type, 1, q, on_result, &id);
	if (rc != 0) {
		free(q);
		if (rc == UB_NOMEM)
			return DG_ENOMEM;
		out->status = DG_DNS_SERVFAIL;
		out->dnssec = DG_DNSSEC_UNKNOWN;
		out->why = dg_arena_printf(a, "libunbound: %s",
		    ub_strerror(rc));
		return out->why != NULL ? DG_OK : dg_arena_err(a);
	}

	deadline = mono_ms() + u->timeout_ms;
	pthread_mutex_lock(&u->mu);
	while (!q->done && (now = mono_ms()) < deadline) {
		if (u->processing) {
			cond_wait_until(u, deadline);
			continue;
		}
		u->processing = true;
		pthread_mutex_unlock(&u->mu);
		pfd.fd = u->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		rc = poll(&pfd, 1, deadline - now > INT_MAX ? INT_MAX :
		    (int)(deadline - now));
		if (rc > 0)
			perr = ub_process(u->ctx);
		pthread_mutex_lock(&u->mu);
		u->processing = false;
		pthread_cond_broadcast(&u->cv);
		if (perr != 0)
			break;
	}
	if (!q->done) {
		pthread_mutex_unlock(&u->mu);
		rc = ub_cancel(u->ctx, id);
		pthread_mutex_lock(&u->mu);
		if (rc != UB_NOERROR && !q->done) {
			/* The callback is on its way: it frees q. */
			q->abandoned = true;
			q->prev = NULL;
			q->next = u->orphans;
			if (u->orphans != NULL)
				u->orphans->prev = q;
			u->orphans = q;
			owned = false;
		}
	}
	pthread_mutex_unlock(&u->mu);
	if (!owned) {
		out->status = DG_DNS_TIMEOUT;
		out->dnssec = DG_DNSSEC_UNKNOWN;
		return DG_OK;
	}
	if (q->done) {
		err = fill_answer(u, q->err, q->res, type, a, out);
		ub_resolve_free(q->res);
	} else if (perr != 0) {
		out->status = DG_DNS_SERVFAIL;
		out->dnssec = DG_DNSSEC_UNKNOWN;
		out->why = dg_arena_printf(a, "libunbound: %s",
		    ub_strerror(perr));
		err = out->why != NULL ? DG_OK : dg_arena_err(a);
	} else {
		out->status = DG_DNS_TIMEOUT;
		out->dnssec = DG_DNSSEC_UNKNOWN;
		out->why = dg_arena_printf(a, "no answer within %u ms",
		    u->timeout_ms);
		err = out->why != NULL ? DG_OK : dg_arena_err(a);
	}
	free(q);
	return err;
}

static void
ubr_destroy_impl(struct ubr *u)
{
	struct ubq	*q, *next;

	/* Stops the worker thread; no callback runs after this. */
	if (u->ctx != NULL)
		ub_ctx_delete(u->ctx);
	for (q = u->orphans; q != NULL; q = next) {
		next = q->next;
		free(q);
	}
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
	"unbound", ubr_query, ubr_destroy
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

/* Apply the configuration to a fresh context; a message in err on error. */
static enum dg_err
configure(struct ubr *u, const struct dg_unbound_opts *o, const char *fwd,
    char *err, size_t errlen)
{
	const char	*anchor = NULL;
	size_t		 i;
	bool		 bad;
	int		 rc;

	if (!o->no_dnssec) {
		anchor = find_anchor(o, err, errlen, &bad);
		if (bad)
			return DG_EIO;
	}
	u->validate = anchor != NULL;
	/* lib/ never prints: libunbound's own log (stderr by default) is
	 * turned off; failures come back as statuses and messages. */
	if ((rc = ub_ctx_debugout(u->ctx, NULL)) != 0 ||
	    (rc = ub_ctx_set_option(u->ctx, "do-not-query-localhost:",
	    "no")) != 0 ||
	    (rc = ub_ctx_set_option(u->ctx, "module-config:", u->validate ?
	    "validator iterator" : "iterator")) != 0)
		goto ub_fail;
	if (u->validate) {
		if ((rc = ub_ctx_add_ta_file(u->ctx, anchor)) != 0)
			goto ub_fail;
		for (i = 0; i < NELEM(lifted_zones); i++)
			if ((rc = ub_ctx_set_option(u->ctx, "domain-insecure:",
			    lifted_zones[i])) != 0)
				goto ub_fail;
	}
	if (fwd != NULL)
		rc = ub_ctx_set_fwd(u->ctx, fwd);
	else
		rc = ub_ctx_resolvconf(u->ctx, NULL);
	if (rc != 0) {
		dg_fmt(err, errlen, "%s: %s", fwd != NULL ? fwd :
		    "/etc/resolv.conf", ub_strerror(rc));
		return rc == UB_NOMEM ? DG_ENOMEM : DG_EIO;
	}
	if ((rc = ub_ctx_async(u->ctx, 1)) != 0)
		goto ub_fail;
	/*
	 * ub_ctx_zone_remove() finalizes the context (so a bad trust anchor
	 * file shows up here, not at the first query) and then drops the
	 * built-in zone.
	 */
	for (i = 0; i < NELEM(lifted_zones); i++)
		if ((rc = ub_ctx_zone_remove(u->ctx, lifted_zones[i])) != 0) {
			if (anchor != NULL)
				dg_fmt(err, errlen, "libunbound: %s "
				    "(trust anchor %s)", ub_strerror(rc),
				    anchor);
			else
				dg_fmt(err, errlen, "libunbound: %s",
				    ub_strerror(rc));
			return rc == UB_NOMEM ? DG_ENOMEM : DG_EINTERNAL;
		}
	u->fd = ub_fd(u->ctx);
	if (u->fd < 0) {
		dg_fmt(err, errlen, "libunbound: no result descriptor");
		return DG_EINTERNAL;
	}
	return DG_OK;

ub_fail:
	dg_fmt(err, errlen, "libunbound: %s", ub_strerror(rc));
	return rc == UB_NOMEM ? DG_ENOMEM : DG_EINTERNAL;
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
	pthread_condattr_t			 ca;
	char					 fwd[UPSTREAM_MAX];
	enum dg_err				 e;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	else
		errlen = 0;
	if (out == NULL)
		return DG_EINVAL;
	if (o->upstream != NULL &&
	    !dg_unbound_upstream_check(o->upstream, fwd, sizeof(fwd), err,
	    errlen))
		return DG_EINVAL;
	u = dg_malloc(sizeof(*u));
	if (u == NULL)
		return DG_ENOMEM;
	memset(u, 0, sizeof(*u));
	u->timeout_ms = o->timeout_ms != 0 ? o->timeout_ms :
	    DG_DNS_DEFAULT_TIMEOUT_MS;
	/* Deadlines are on the monotonic clock. */
	if (pthread_condattr_init(&ca) != 0) {
		free(u);
		return DG_ENOMEM;
	}
	(void)pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (pthread_mutex_init(&u->mu, NULL) != 0) {
		pthread_condattr_destroy(&ca);
		free(u);
		return DG_ENOMEM;
	}
	if (pthread_cond_init(&u->cv, &ca) != 0) {
		pthread_condattr_destroy(&ca);
		pthread_mutex_destroy(&u->mu);
		free(u);
		return DG_ENOMEM;
	}
	pthread_condattr_destroy(&ca);
	/* From here on, dg_resolver_free() (ubr_destroy) cleans up. */
	r = dg_resolver_alloc(&unbound_ops, u);
	if (r == NULL) {
		ubr_destroy_impl(u);
		return DG_ENOMEM;
	}
	u->ctx = ub_ctx_create();
	if (u->ctx == NULL) {
		e = DG_ENOMEM;
		goto fail;
	}
	e = configure(u, o, o->upstream != NULL ? fwd : NULL, err, errlen);
	if (e != DG_OK)
		goto fail;
	*out = r;
	return DG_OK;

fail:
	dg_resolver_free(r);
	return e;
}
