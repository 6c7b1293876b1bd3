/*
 * lib/dns/dns_record.c -- the recorder backend: passes every query to an
 * inner resolver and remembers each distinct (name, type) answer, then
 * writes them as a zone file that the zone backend (dns_zone.c) replays
 * to the same statuses, canonical names and records.
 *
 * How each answer is written (docs/zonefile.md, "Recorder output"):
 *   OK        the records, each with its TTL; an answer that went through
 *             CNAMEs becomes "qname CNAME canonical" (the chain collapsed,
 *             TTL = the answer's) plus the canonical name's records;
 *   NODATA    "$NODATA name" unless the name gets records anyway;
 *   NXDOMAIN  nothing: the name is simply absent;
 *   TIMEOUT   "$TIMEOUT name";
 *   SERVFAIL, MALFORMED  "$SERVFAIL name" (a replay cannot produce an
 *             unparseable answer, so MALFORMED replays as SERVFAIL).
 * Answers real DNS could not give together (NXDOMAIN for a name that has
 * descendants, a fault and NODATA at one name) are written as best we can
 * with a "; conflict:" comment.  The first answer seen for a (name, type)
 * is kept; negative TTLs and "why" details are not replayed.
 * Thread-safe: the store is behind a mutex; inner queries run unlocked.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/buf.h>

#include "dns/dns_int.h"
#include "dns/zonefile.h"
#include "util/alloc.h"
#include "util/limits.h"
#include "util/str.h"

/* Ceiling on what one recorder keeps: a few times the largest zone file
 * the zone backend will read back. */
#define RECORD_MEM_MAX	((size_t)DG_ZONE_FILE_MAX * 4)
/* TXT strings per output line inside ( ); keeps lines far under
 * DG_ZONE_LINE_MAX and the line count under DG_ZONE_PAREN_LINES. */
#define TXT_LINE_WRAP	1000

struct qent {			/* one distinct query and its answer */
	const char		*name;
	enum dg_dns_type	 type;
	enum dg_dns_status	 status;
	uint32_t		 ttl;
	const char		*canonical;
	size_t			 count;
	const struct dg_dns_rr	*rrs;
	const char		*why;
	uint64_t		 hash;
	struct qent		*next;	/* in arrival order */
};

struct recorder {
	struct dg_resolver	*inner;
	char			*path;
	pthread_mutex_t		 mu;
	struct dg_arena		*mem;
	struct qent		**slots;
	size_t			 cap;
	size_t			 n;
	struct qent		*head, *tail;
	bool			 dirty;		/* queries not yet written */
	enum dg_err		 sticky;	/* recording failed */
};

/* FNV-1a over the name, then the type. */
static uint64_t
key_hash(const char *name, unsigned type)
{
	uint64_t	h = 14695981039346656037ull;
	size_t		i;

	for (i = 0; name[i] != '\0'; i++) {
		h ^= (unsigned char)name[i];
		h *= 1099511628211ull;
	}
	h ^= type;
	h *= 1099511628211ull;
	return h;
}

static struct qent *
rec_find(const struct recorder *rc, const char *name, enum dg_dns_type type,
    uint64_t h)
{
	size_t	i;

	if (rc->cap == 0)
		return NULL;
	for (i = (size_t)h & (rc->cap - 1); rc->slots[i] != NULL;
	    i = (i + 1) & (rc->cap - 1)) {
		struct qent	*q = rc->slots[i];

		if (q->hash == h && q->type == type &&
		    strcmp(q->name, name) == 0)
			return q;
	}
	return NULL;
}

static bool
rec_grow(struct recorder *rc)
{
	struct qent	**ns;
	size_t		  ncap = rc->cap != 0 ? rc->cap * 2 : 256, i, j;

	if (ncap > SIZE_MAX / sizeof(*ns))
		return false;
	if ((ns = dg_malloc(ncap * sizeof(*ns))) == NULL)
		return false;
	memset(ns, 0, ncap * sizeof(*ns));
	for (i = 0; i < rc->cap; i++) {
		if (rc->slots[i] == NULL)
			continue;
		for (j = (size_t)rc->slots[i]->hash & (ncap - 1);
		    ns[j] != NULL; j = (j + 1) & (ncap - 1))
			;
		ns[j] = rc->slots[i];
	}
	free(rc->slots);
	rc->slots = ns;
	rc->cap = ncap;
	return true;
}

/* Keep a copy of ans unless (name, type) was seen.  Called locked. */
static enum dg_err
rec_add(struct recorder *rc, const char *name, enum dg_dns_type type,
    const struct dg_dns_answer *ans)
{
	struct dg_arena		*m = rc->mem;
	struct dg_dns_rr	*rrs = NULL;
	struct qent		*q;
	uint64_t		 h = key_hash(name, (unsigned)type);
	size_t			 i;

	if (rec_find(rc, name, type, h) != NULL)
		return DG_OK;
	if ((rc->n + 1) * 2 > rc->cap && !rec_grow(rc))
		return DG_ENOMEM;
	if ((q = dg_arena_calloc(m, 1, sizeof(*q))) == NULL)
		return dg_arena_err(m);
	q->name = dg_arena_strdup(m, name);
	q->canonical = dg_arena_strdup(m, ans->canonical != NULL ?
	    ans->canonical : name);
	if (q->name == NULL || q->canonical == NULL)
		return dg_arena_err(m);
	if (ans->why != NULL &&
	    (q->why = dg_arena_strdup(m, ans->why)) == NULL)
		return dg_arena_err(m);
	if (ans->status == DG_DNS_OK && ans->count > 0) {
		if ((rrs = dg_arena_calloc(m, ans->count,
		    sizeof(*rrs))) == NULL)
			return dg_arena_err(m);
		for (i = 0; i < ans->count; i++)
			if (!dg_zonefile_rr_copy(m, &ans->rrs[i], &rrs[i]))
				return dg_arena_err(m);
	}
	q->type = type;
	q->status = ans->status;
	q->ttl = ans->ttl;
	q->count = rrs != NULL ? ans->count : 0;
	q->rrs = rrs;
	q->hash = h;
	for (i = (size_t)h & (rc->cap - 1); rc->slots[i] != NULL;
	    i = (i + 1) & (rc->cap - 1))
		;
	rc->slots[i] = q;
	rc->n++;
	if (rc->tail != NULL)
		rc->tail->next = q;
	else
		rc->head = q;
	rc->tail = q;
	rc->dirty = true;
	return DG_OK;
}

static enum dg_err
record_query(struct dg_resolver *r, const char *name, enum dg_dns_type type,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct recorder		*rc = r->impl;
	struct dg_dns_answer	 ans;
	enum dg_err		 err;

	err = dg_dns_query(rc->inner, name, type, a, &ans);
	if (err != DG_OK)
		return err;
	pthread_mutex_lock(&rc->mu);
	if (rc->sticky == DG_OK)
		rc->sticky = rec_add(rc, name, type, &ans);
	err = rc->sticky;
	pthread_mutex_unlock(&rc->mu);
	if (err != DG_OK)
		return err;	/* a replay would miss this answer */
	out->status = ans.status;
	out->dnssec = ans.dnssec;
	out->ttl = ans.ttl;
	out->canonical = ans.canonical;
	out->count = ans.count;
	out->rrs = ans.rrs;
	out->why = ans.why;
	return DG_OK;
}

static enum dg_err
record_query_many(struct dg_resolver *r, const struct dg_dns_question *qs,
    size_t n, struct dg_arena *a, struct dg_dns_answer *out)
{
	struct recorder	*rc = r->impl;
	size_t		 i;
	enum dg_err	 err;

	if ((err = dg_dns_query_many(rc->inner, qs, n, a, out)) != DG_OK)
		return err;
	pthread_mutex_lock(&rc->mu);
	for (i = 0; i < n && rc->sticky == DG_OK; i++)
		rc->sticky = rec_add(rc, qs[i].name, qs[i].type, &out[i]);
	err = rc->sticky;
	pthread_mutex_unlock(&rc->mu);
	for (i = 0; i < n; i++)
		out[i].qname = NULL;	/* dg_dns_query_many() sets it */
	return err;
}

/* ---- Writing: from answers to names. ---- */

struct wset {
	enum dg_dns_type	 type;
	size_t			 count;
	const struct dg_dns_rr	*rrs;
	struct wset		*next;
};

struct wname {
	const char	*name;
	struct wset	*sets;
	const char	*cname;		/* target to write, or NULL */
	uint32_t	 cname_ttl;
	bool		 cname_direct;	/* from a CNAME query */
	bool		 nodata, nxdomain, timeout, servfail, has_desc;
	const char	*why;
};

struct wtab {
	struct dg_arena	 *a;
	struct wname	**slots;
	uint64_t	 *hashes;
	size_t		  cap;
	size_t		  n;
};

static struct wname *
wt_get(struct wtab *t, const char *name, bool create)
{
	uint64_t	 h = key_hash(name, 0);
	struct wname	*w;
	size_t		 i;

	for (i = (size_t)h & (t->cap - 1); t->slots[i] != NULL;
	    i = (i + 1) & (t->cap - 1))
		if (t->hashes[i] == h && strcmp(t->slots[i]->name, name) == 0)
			return t->slots[i];
	/* The table is sized for every name a query can add. */
	if (!create || (t->n + 1) * 2 > t->cap)
		return NULL;
	if ((w = dg_arena_calloc(t->a, 1, sizeof(*w))) == NULL)
		return NULL;
	w->name = name;
	t->slots[i] = w;
	t->hashes[i] = h;
	t->n++;
	return w;
}

static bool
wt_add_set(struct wtab *t, struct wname *w, enum dg_dns_type type,
    size_t count, const struct dg_dns_rr *rrs)
{
	struct wset	*s;

	for (s = w->sets; s != NULL; s = s->next)
		if (s->type == type)
			return true;	/* first answer wins */
	if ((s = dg_arena_calloc(t->a, 1, sizeof(*s))) == NULL)
		return false;
	s->type = type;
	s->count = count;
	s->rrs = rrs;
	s->next = w->sets;
	w->sets = s;
	return true;
}

static bool
written(const struct wname *w)
{
	return w->sets != NULL || w->cname != NULL || w->nodata ||
	    w->timeout || w->servfail;
}

/* Turn the answers into per-name facts.  Called locked. */
static enum dg_err
build_names(struct recorder *rc, struct wtab *t)
{
	struct qent	*q;
	struct wname	*w, *c, *d;
	size_t		 i;

	/* At most three names per query: qname, canonical, a chain fix. */
	t->cap = 16;
	while (t->cap < rc->n * 6 + 16)
		t->cap *= 2;
	t->slots = dg_arena_calloc(t->a, t->cap, sizeof(*t->slots));
	t->hashes = dg_arena_calloc(t->a, t->cap, sizeof(*t->hashes));
	if (t->slots == NULL || t->hashes == NULL)
		return dg_arena_err(t->a);
	for (q = rc->head; q != NULL; q = q->next) {
		if ((w = wt_get(t, q->name, true)) == NULL ||
		    (c = wt_get(t, q->canonical, true)) == NULL)
			return dg_arena_err(t->a);
		if (q->type == DG_DNS_T_CNAME && q->status == DG_DNS_OK &&
		    q->count > 0) {
			w->cname = q->rrs[0].u.name;
			w->cname_ttl = q->rrs[0].ttl;
			w->cname_direct = true;
			continue;
		}
		/*
		 * A chain collapses to qname -> canonical.  The replayed TTL
		 * is min(CNAME TTL, record TTLs), so the CNAME gets the
		 * largest TTL of the OK answers through it: each answer's
		 * own minimum then comes back.  Negative answers replay
		 * with TTL 0 whatever we write.
		 */
		if (c != w && !w->cname_direct) {
			if (w->cname == NULL)
				w->cname = c->name;
			if (q->status == DG_DNS_OK &&
			    strcmp(w->cname, c->name) == 0 &&
			    q->ttl > w->cname_ttl)
				w->cname_ttl = q->ttl;
		}
		switch (q->status) {
		case DG_DNS_OK:
			if (q->count == 0)
				c->nodata = true;
			else if (!wt_add_set(t, c, q->type, q->count, q->rrs))
				return dg_arena_err(t->a);
			break;
		case DG_DNS_NODATA:
			c->nodata = true;
			break;
		case DG_DNS_NXDOMAIN:
			c->nxdomain = true;
			break;
		case DG_DNS_TIMEOUT:
			c->timeout = true;
			break;
		default:	/* SERVFAIL, MALFORMED */
			c->servfail = true;
			if (c->why == NULL)
				c->why = q->why;
			break;
		}
	}
	/*
	 * A CNAME query showed a->b but another query a->...->c: keep a->b
	 * and, if b has no CNAME of its own, let b stand for the rest.
	 */
	for (q = rc->head; q != NULL; q = q->next) {
		if (strcmp(q->name, q->canonical) == 0 ||
		    (w = wt_get(t, q->name, false)) == NULL ||
		    !w->cname_direct || strcmp(w->cname, q->canonical) == 0)
			continue;
		if ((d = wt_get(t, w->cname, true)) == NULL)
			return dg_arena_err(t->a);
		if (d->cname == NULL && strcmp(d->name, q->canonical) != 0)
			d->cname = q->canonical;
		if (!d->cname_direct && d->cname != NULL &&
		    strcmp(d->cname, q->canonical) == 0 &&
		    q->ttl > d->cname_ttl)
			d->cname_ttl = q->ttl;
	}
	/* Mark names that have written descendants (empty non-terminals
	 * in the replay, so they cannot be NXDOMAIN there). */
	for (i = 0; i < t->cap; i++) {
		const char	*s;

		if (t->slots[i] == NULL || !written(t->slots[i]))
			continue;
		for (s = strchr(t->slots[i]->name, '.'); s != NULL;
		    s = strchr(s + 1, '.'))
			if ((w = wt_get(t, s + 1, false)) != NULL)
				w->has_desc = true;
	}
	return DG_OK;
}

static int
wname_cmp(const void *x, const void *y)
{
	const struct wname *const	*a = x, *const *b = y;

	return strcmp((*a)->name, (*b)->name);
}

/* A comment-safe copy of s: printable ASCII only, bounded. */
static void
put_comment_text(struct dg_buf *b, const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0' && i < 200; i++) {
		unsigned char	c = (unsigned char)s[i];

		dg_buf_putc(b, (c >= 0x20 && c < 0x7f) ? (char)c : '?');
	}
}

static void
put_rr(struct dg_buf *b, const char *owner, const struct dg_dns_rr *rr)
{
	char	addr[64];
	size_t	i, col;
	bool	paren;

	dg_zonefile_put_name(b, owner);
	dg_buf_printf(b, " %lu IN %s ", (unsigned long)rr->ttl,
	    dg_dns_type_str(rr->type));
	switch (rr->type) {
	case DG_DNS_T_A:
		if (inet_ntop(AF_INET, rr->u.a, addr, sizeof(addr)) == NULL)
			addr[0] = '\0';
		dg_buf_puts(b, addr);
		break;
	case DG_DNS_T_AAAA:
		if (inet_ntop(AF_INET6, rr->u.aaaa, addr, sizeof(addr)) ==
		    NULL)
			addr[0] = '\0';
		dg_buf_puts(b, addr);
		break;
	case DG_DNS_T_MX:
		dg_buf_printf(b, "%u ", (unsigned)rr->u.mx.pref);
		dg_zonefile_put_name(b, rr->u.mx.host);
		break;
	case DG_DNS_T_TXT:
	case DG_DNS_T_SPF:
		if (rr->u.txt.count == 0) {
			dg_buf_puts(b, "\"\"");
			break;
		}
		/* Long records go in ( ) with line breaks between strings. */
		for (i = 0, col = 0; i < rr->u.txt.count; i++)
			col += rr->u.txt.strings[i].len + 1;
		paren = col > TXT_LINE_WRAP / 4;
		if (paren)
			dg_buf_puts(b, "(");
		col = 0;
		for (i = 0; i < rr->u.txt.count; i++) {
			size_t	before = b->len;

			if (col > TXT_LINE_WRAP) {
				dg_buf_puts(b, "\n\t");
				col = 0;
			} else if (i > 0) {
				dg_buf_putc(b, ' ');
			}
			dg_zonefile_put_string(b, rr->u.txt.strings[i].p,
			    rr->u.txt.strings[i].len);
			col += b->len - before;
		}
		if (paren)
			dg_buf_puts(b, ")");
		break;
	default:	/* NS, PTR, CNAME */
		dg_zonefile_put_name(b, rr->u.name);
		break;
	}
	dg_buf_putc(b, '\n');
}

static void
put_name(struct dg_buf *b, const struct wname *w)
{
	const struct wset	*s;
	struct dg_dns_rr	 cn;
	size_t			 i;

	if (w->nxdomain && (written(w) || w->has_desc)) {
		dg_buf_puts(b, "; conflict: ");
		dg_zonefile_put_name(b, w->name);
		dg_buf_puts(b, " answered NXDOMAIN but exists in this "
		    "recording; it replays as an existing name\n");
	}
	if ((w->timeout || w->servfail) && (w->nodata || w->nxdomain)) {
		dg_buf_puts(b, "; conflict: ");
		dg_zonefile_put_name(b, w->name);
		dg_buf_puts(b, " also answered NODATA or NXDOMAIN; those "
		    "types replay as the failure\n");
	}
	if (w->timeout && w->servfail) {
		dg_buf_puts(b, "; conflict: ");
		dg_zonefile_put_name(b, w->name);
		dg_buf_puts(b, " both timed out and failed; kept $TIMEOUT\n");
	}
	if (w->nodata && w->sets == NULL && w->cname == NULL) {
		dg_buf_puts(b, "$NODATA ");
		dg_zonefile_put_name(b, w->name);
		dg_buf_putc(b, '\n');
	}
	if (w->timeout) {
		dg_buf_puts(b, "$TIMEOUT ");
		dg_zonefile_put_name(b, w->name);
		dg_buf_putc(b, '\n');
	} else if (w->servfail) {
		dg_buf_puts(b, "$SERVFAIL ");
		dg_zonefile_put_name(b, w->name);
		if (w->why != NULL) {
			dg_buf_puts(b, " ; ");
			put_comment_text(b, w->why);
		}
		dg_buf_putc(b, '\n');
	}
	if (w->cname != NULL) {
		memset(&cn, 0, sizeof(cn));
		cn.type = DG_DNS_T_CNAME;
		cn.ttl = w->cname_ttl;
		cn.u.name = w->cname;
		put_rr(b, w->name, &cn);
	}
	for (s = w->sets; s != NULL; s = s->next) {
		if (s->type == DG_DNS_T_CNAME)
			continue;	/* written above */
		for (i = 0; i < s->count; i++)
			put_rr(b, w->name, &s->rrs[i]);
	}
}

/* The whole zone file text into b.  Called locked. */
static enum dg_err
render(struct recorder *rc, struct dg_buf *b)
{
	struct wtab	  t;
	struct wname	**list;
	struct tm	  tm;
	time_t		  now = time(NULL);
	char		  date[64];
	size_t		  i, n = 0;
	enum dg_err	  err;

	memset(&t, 0, sizeof(t));
	if ((t.a = dg_arena_new(RECORD_MEM_MAX)) == NULL)
		return DG_ENOMEM;
	if ((err = build_names(rc, &t)) != DG_OK)
		goto out;
	if ((list = dg_arena_calloc(t.a, t.n + 1, sizeof(*list))) == NULL) {
		err = dg_arena_err(t.a);
		goto out;
	}
	for (i = 0; i < t.cap; i++)
		if (t.slots[i] != NULL)
			list[n++] = t.slots[i];
	qsort(list, n, sizeof(*list), wname_cmp);
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		dg_strlcpy(date, "unknown", sizeof(date));
	dg_buf_printf(b, "; dmarcguard DNS recording, format: "
	    "docs/zonefile.md\n; written %s from the %s backend, "
	    "%zu distinct queries\n; replay with --zone; answers are "
	    "authoritative here, DNSSEC state is not kept\n\n", date,
	    dg_resolver_kind(rc->inner), rc->n);
	for (i = 0; i < n; i++)
		put_name(b, list[i]);
	err = dg_buf_err(b);
out:
	dg_arena_free(t.a);
	return err;
}

/* Write data to path atomically: a temporary file beside it, renamed. */
static enum dg_err
write_atomic(const char *path, const char *data, size_t len, char *err,
    size_t errlen)
{
	struct dg_buf	 tmp;
	ssize_t		 w;
	size_t		 off = 0;
	int		 fd, saved;

	dg_buf_init(&tmp, 0);
	dg_buf_printf(&tmp, "%s.tmpXXXXXX", path);
	if (dg_buf_err(&tmp) != DG_OK) {
		dg_buf_free(&tmp);
		return DG_ENOMEM;
	}
	if ((fd = mkstemp(tmp.data)) < 0) {
		dg_fmt(err, errlen, "%s: cannot create a temporary file "
		    "in its directory: %s", path, strerror(errno));
		dg_buf_free(&tmp);
		return DG_EIO;
	}
	while (off < len) {
		w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (off < len || fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
		close(fd);
		goto fail;
	}
	if (close(fd) != 0 || rename(tmp.data, path) != 0)
		goto fail;
	dg_buf_free(&tmp);
	return DG_OK;
fail:
	saved = errno != 0 ? errno : EIO;
	unlink(tmp.data);
	dg_fmt(err, errlen, "%s: write failed: %s", path, strerror(saved));
	dg_buf_free(&tmp);
	return DG_EIO;
}

static const struct dg_resolver_ops record_ops;

enum dg_err
dg_resolver_record_write(struct dg_resolver *r, char *err, size_t errlen)
{
	struct recorder	*rc;
	struct dg_buf	 b;
	char		 dummy[8];
	enum dg_err	 e;

	if (err == NULL || errlen == 0) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	err[0] = '\0';
	if (r == NULL || r->ops != &record_ops)
		return DG_EINVAL;
	rc = r->impl;
	dg_buf_init(&b, DG_ZONE_FILE_MAX);
	pthread_mutex_lock(&rc->mu);
	e = rc->sticky;
	if (e == DG_OK)
		e = render(rc, &b);
	if (e == DG_OK)
		rc->dirty = false;
	pthread_mutex_unlock(&rc->mu);
	if (e != DG_OK) {
		dg_fmt(err, errlen, "%s: recording not written: %s",
		    rc->path, dg_strerror(e));
		dg_buf_free(&b);
		return e;
	}
	e = write_atomic(rc->path, b.data != NULL ? b.data : "", b.len,
	    err, errlen);
	if (e != DG_OK) {
		pthread_mutex_lock(&rc->mu);
		rc->dirty = true;
		pthread_mutex_unlock(&rc->mu);
	}
	dg_buf_free(&b);
	return e;
}

static void
rec_free(struct recorder *rc)
{
	if (rc == NULL)
		return;
	pthread_mutex_destroy(&rc->mu);
	free(rc->slots);
	free(rc->path);
	dg_arena_free(rc->mem);
	free(rc);
}

static void
record_destroy(struct dg_resolver *r)
{
	struct recorder	*rc = r->impl;

	/* Errors cannot be reported from here; the caller who cares
	 * calls dg_resolver_record_write() first. */
	if (rc->dirty && dg_resolver_record_write(r, NULL, 0) != DG_OK)
		rc->dirty = false;	/* nothing more we can do */
	rec_free(rc);
}

static const struct dg_resolver_ops record_ops = {
	"recorder", record_query, record_destroy, record_query_many
};

enum dg_err
dg_resolver_recorder(struct dg_resolver *inner, const char *path,
    struct dg_resolver **out)
{
	struct recorder		*rc;
	struct dg_resolver	*r;
	size_t			 len;

	if (inner == NULL || path == NULL || path[0] == '\0' || out == NULL)
		return DG_EINVAL;
	if ((rc = dg_malloc(sizeof(*rc))) == NULL)
		return DG_ENOMEM;
	memset(rc, 0, sizeof(*rc));
	if (pthread_mutex_init(&rc->mu, NULL) != 0) {
		free(rc);
		return DG_EINTERNAL;
	}
	rc->inner = inner;
	len = strlen(path);
	rc->path = dg_malloc(len + 1);
	rc->mem = dg_arena_new(RECORD_MEM_MAX);
	if (rc->path == NULL || rc->mem == NULL)
		goto nomem;
	memcpy(rc->path, path, len + 1);
	if ((r = dg_resolver_alloc(&record_ops, rc)) == NULL)
		goto nomem;
	*out = r;
	return DG_OK;
nomem:
	rec_free(rc);
	return DG_ENOMEM;
}
