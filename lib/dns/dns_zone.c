/*
 * lib/dns/dns_zone.c -- the zone-file resolver backend: a zone file held
 * in memory and answered with authoritative-server semantics.
 *
 *   - a name with records of the asked type answers them (OK);
 *   - otherwise $TIMEOUT / $SERVFAIL on the name fail the lookup;
 *   - otherwise a CNAME is followed inside the zone (RFC 1034 3.6.2,
 *     bounded by DG_DNS_MAX_CNAME; a loop is SERVFAIL);
 *   - otherwise a name that exists (records of other types, $NODATA, or
 *     an empty non-terminal: a name with descendants, RFC 8020) is
 *     NODATA, and any other name NXDOMAIN.
 * SPF (type 99) records answer SPF queries only; TXT queries see TXT.
 * The zone is read-only after loading, so queries need no lock.  Lookup
 * is a hash table of names; each name keeps its records grouped by type.
 * Left out: wildcards, zone cuts and SOA-derived negative TTLs (negative
 * answers carry TTL 0), duplicate-RR elimination.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/buf.h>

#include "dns/dns_int.h"
#include "dns/zonefile.h"
#include "util/alloc.h"
#include "util/limits.h"
#include "util/str.h"

/* The in-memory zone may need a few times the file's size (names,
 * per-record structs); this is the ceiling on its arena. */
#define ZONE_MEM_MAX	((size_t)DG_ZONE_FILE_MAX * 16)
/* Distinct types a name can hold: the ones the parser knows. */
#define ZONE_TYPES	8

struct zrr {			/* load-time list of one name's records */
	struct dg_dns_rr	 rr;
	struct zrr		*next;
};

struct rrset {
	enum dg_dns_type	 type;
	size_t			 count;
	const struct dg_dns_rr	*rrs;
};

struct znode {
	const char		*name;
	uint64_t		 hash;
	bool			 timeout;	/* $TIMEOUT */
	bool			 servfail;	/* $SERVFAIL */
	const struct dg_dns_rr	*cname;
	struct zrr		*head, *tail;	/* while loading */
	size_t			 nsets;
	struct rrset		 sets[ZONE_TYPES];
};

struct zone {
	struct dg_arena	 *mem;
	struct znode	**slots;
	size_t		  cap;		/* power of two */
	size_t		  n;
};

/* FNV-1a, 64 bits. */
static uint64_t
name_hash(const char *s, size_t len)
{
	uint64_t	h = 14695981039346656037ull;
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static struct znode *
zone_find(const struct zone *z, const char *name, size_t len)
{
	uint64_t	h = name_hash(name, len);
	size_t		i;

	if (z->cap == 0)
		return NULL;
	for (i = (size_t)h & (z->cap - 1); z->slots[i] != NULL;
	    i = (i + 1) & (z->cap - 1)) {
		struct znode	*n = z->slots[i];

		if (n->hash == h && strlen(n->name) == len &&
		    memcmp(n->name, name, len) == 0)
			return n;
	}
	return NULL;
}

static bool
zone_grow(struct zone *z)
{
	struct znode	**ns;
	size_t		  ncap = z->cap != 0 ? z->cap * 2 : 1024, i;

	if (ncap > SIZE_MAX / sizeof(*ns))
		return false;
	ns = dg_malloc(ncap * sizeof(*ns));
	if (ns == NULL)
		return false;
	memset(ns, 0, ncap * sizeof(*ns));
	for (i = 0; i < z->cap; i++) {
		size_t	j;

		if (z->slots[i] == NULL)
			continue;
		for (j = (size_t)z->slots[i]->hash & (ncap - 1);
		    ns[j] != NULL; j = (j + 1) & (ncap - 1))
			;
		ns[j] = z->slots[i];
	}
	free(z->slots);
	z->slots = ns;
	z->cap = ncap;
	return true;
}

/* Find name[0..len) or add it; *added tells which. */
static struct znode *
zone_add(struct zone *z, const char *name, size_t len, bool *added)
{
	struct znode	*n;
	size_t		 i;

	*added = false;
	if ((n = zone_find(z, name, len)) != NULL)
		return n;
	/* Keep the load factor at or under one half. */
	if ((z->n + 1) * 2 > z->cap && !zone_grow(z))
		return NULL;
	n = dg_arena_calloc(z->mem, 1, sizeof(*n));
	if (n == NULL)
		return NULL;
	n->name = dg_arena_strndup(z->mem, name, len);
	if (n->name == NULL)
		return NULL;
	n->hash = name_hash(name, len);
	for (i = (size_t)n->hash & (z->cap - 1); z->slots[i] != NULL;
	    i = (i + 1) & (z->cap - 1))
		;
	z->slots[i] = n;
	z->n++;
	*added = true;
	return n;
}

/*
 * The node for owner, creating it and every missing ancestor: those are
 * empty non-terminals, which exist (NODATA, not NXDOMAIN; RFC 8020).
 * The root is not added; it exists only if it has records.
 */
static struct znode *
zone_node(struct zone *z, const char *owner)
{
	struct znode	*n, *first = NULL;
	const char	*s = owner, *dot;
	size_t		 len = strlen(owner);
	bool		 added;

	for (;;) {
		n = zone_add(z, s, len, &added);
		if (n == NULL)
			return NULL;
		if (first == NULL)
			first = n;
		if (!added)
			break;
		if ((dot = memchr(s, '.', len)) == NULL)
			break;
		len -= (size_t)(dot + 1 - s);
		s = dot + 1;
	}
	return first;
}

static enum dg_err
sink_record(void *ctx, const char *owner, const struct dg_dns_rr *rr,
    char *msg, size_t msgcap)
{
	struct zone	*z = ctx;
	struct znode	*n;
	struct zrr	*r;

	if ((n = zone_node(z, owner)) == NULL)
		return dg_arena_err(z->mem);
	if (rr->type == DG_DNS_T_CNAME && n->cname != NULL) {
		/* RFC 2181 10.1: one canonical name per alias. */
		dg_fmt(msg, msgcap, "more than one CNAME at '%s'", owner);
		return DG_ESYNTAX;
	}
	r = dg_arena_calloc(z->mem, 1, sizeof(*r));
	if (r == NULL || !dg_zonefile_rr_copy(z->mem, rr, &r->rr))
		return dg_arena_err(z->mem);
	if (rr->type == DG_DNS_T_CNAME)
		n->cname = &r->rr;
	if (n->tail != NULL)
		n->tail->next = r;
	else
		n->head = r;
	n->tail = r;
	return DG_OK;
}

static enum dg_err
sink_directive(void *ctx, enum dg_zone_dir dir, const char *owner,
    char *msg, size_t msgcap)
{
	struct zone	*z = ctx;
	struct znode	*n;

	if ((n = zone_node(z, owner)) == NULL)
		return dg_arena_err(z->mem);
	switch (dir) {
	case DG_ZONE_DIR_TIMEOUT:
		n->timeout = true;
		break;
	case DG_ZONE_DIR_SERVFAIL:
		n->servfail = true;
		break;
	default:
		break;		/* $NODATA: the node existing is enough */
	}
	if (n->timeout && n->servfail) {
		dg_fmt(msg, msgcap, "both $TIMEOUT and $SERVFAIL for '%s'",
		    owner);
		return DG_ESYNTAX;
	}
	return DG_OK;
}

/* After loading: turn each name's record list into arrays by type. */
static enum dg_err
zone_finish(struct zone *z)
{
	static const enum dg_dns_type order[ZONE_TYPES] = {
		DG_DNS_T_A, DG_DNS_T_NS, DG_DNS_T_CNAME, DG_DNS_T_PTR,
		DG_DNS_T_MX, DG_DNS_T_TXT, DG_DNS_T_AAAA, DG_DNS_T_SPF
	};
	size_t	i, t;

	for (i = 0; i < z->cap; i++) {
		struct znode	*n = z->slots[i];

		if (n == NULL || n->head == NULL)
			continue;
		for (t = 0; t < ZONE_TYPES; t++) {
			struct dg_dns_rr	*arr;
			struct zrr		*r;
			size_t			 c = 0;

			for (r = n->head; r != NULL; r = r->next)
				c += r->rr.type == order[t];
			if (c == 0)
				continue;
			arr = dg_arena_calloc(z->mem, c, sizeof(*arr));
			if (arr == NULL)
				return dg_arena_err(z->mem);
			c = 0;
			for (r = n->head; r != NULL; r = r->next)
				if (r->rr.type == order[t])
					arr[c++] = r->rr;
			n->sets[n->nsets].type = order[t];
			n->sets[n->nsets].count = c;
			n->sets[n->nsets].rrs = arr;
			n->nsets++;
		}
		n->head = n->tail = NULL;
	}
	return DG_OK;
}

static const struct rrset *
node_set(const struct znode *n, enum dg_dns_type type)
{
	size_t	i;

	for (i = 0; i < n->nsets; i++)
		if (n->sets[i].type == type)
			return &n->sets[i];
	return NULL;
}

static enum dg_err
zone_query(struct dg_resolver *r, const char *name, enum dg_dns_type type,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	const struct zone	*z = r->impl;
	const struct znode	*n, *seen[DG_DNS_MAX_CNAME + 1];
	const struct rrset	*set;
	const char		*cur = name;
	struct dg_dns_rr	*rrs;
	uint32_t		 ttl = UINT32_MAX;
	size_t			 hops = 0, i, count;

	out->dnssec = DG_DNSSEC_UNKNOWN;
	out->ttl = 0;
	for (;;) {
		n = zone_find(z, cur, strlen(cur));
		if (hops > 0) {
			out->canonical = dg_arena_strdup(a, cur);
			if (out->canonical == NULL)
				return dg_arena_err(a);
		}
		if (n == NULL) {
			out->status = DG_DNS_NXDOMAIN;
			return DG_OK;
		}
		if ((set = node_set(n, type)) != NULL)
			break;
		/* Fault injection spares only the types the name holds. */
		if (n->timeout) {
			out->status = DG_DNS_TIMEOUT;
			out->why = "$TIMEOUT in zone file";
			return DG_OK;
		}
		if (n->servfail) {
			out->status = DG_DNS_SERVFAIL;
			out->why = "$SERVFAIL in zone file";
			return DG_OK;
		}
		if (n->cname == NULL || type == DG_DNS_T_CNAME) {
			out->status = DG_DNS_NODATA;
			return DG_OK;
		}
		/* RFC 1034 3.6.2: restart the lookup at the target. */
		seen[hops] = n;
		for (i = 0; i < hops; i++) {
			if (seen[i] == n) {
				out->status = DG_DNS_SERVFAIL;
				out->why = "CNAME loop";
				return DG_OK;
			}
		}
		if (hops >= DG_DNS_MAX_CNAME) {
			out->status = DG_DNS_SERVFAIL;
			out->why = "CNAME chain too long";
			return DG_OK;
		}
		if (n->cname->ttl < ttl)
			ttl = n->cname->ttl;
		cur = n->cname->u.name;
		hops++;
	}
	count = set->count < DG_DNS_MAX_RRS ? set->count : DG_DNS_MAX_RRS;
	rrs = dg_arena_calloc(a, count, sizeof(*rrs));
	if (rrs == NULL)
		return dg_arena_err(a);
	for (i = 0; i < count; i++) {
		if (!dg_zonefile_rr_copy(a, &set->rrs[i], &rrs[i]))
			return dg_arena_err(a);
		if (rrs[i].ttl < ttl)
			ttl = rrs[i].ttl;
	}
	out->status = DG_DNS_OK;
	out->ttl = ttl;
	out->count = count;
	out->rrs = rrs;
	return DG_OK;
}

static void
zone_free(struct zone *z)
{
	if (z == NULL)
		return;
	free(z->slots);
	dg_arena_free(z->mem);
	free(z);
}

static void
zone_destroy(struct dg_resolver *r)
{
	zone_free(r->impl);
}

static const struct dg_resolver_ops zone_ops = {
	"zone", zone_query, zone_destroy, NULL
};

enum dg_err
dg_resolver_zone_text(const char *text, size_t len, const char *origin_name,
    struct dg_resolver **out, char *err, size_t errlen)
{
	struct dg_zone_sink	 sink;
	struct dg_resolver	*r;
	struct zone		*z;
	enum dg_err		 rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if ((text == NULL && len > 0) || out == NULL)
		return DG_EINVAL;
	if (origin_name == NULL)
		origin_name = "<zone>";
	z = dg_malloc(sizeof(*z));
	if (z == NULL)
		goto nomem;
	memset(z, 0, sizeof(*z));
	z->mem = dg_arena_new(ZONE_MEM_MAX);
	if (z->mem == NULL)
		goto nomem;
	sink.ctx = z;
	sink.record = sink_record;
	sink.directive = sink_directive;
	rc = dg_zonefile_parse(text, len, origin_name, &sink, err, errlen);
	if (rc == DG_OK)
		rc = zone_finish(z);
	if (rc != DG_OK) {
		if (rc == DG_ENOMEM && err != NULL && errlen > 0 &&
		    err[0] == '\0')
			dg_fmt(err, errlen, "%s: out of memory", origin_name);
		zone_free(z);
		return rc;
	}
	if ((r = dg_resolver_alloc(&zone_ops, z)) == NULL)
		goto nomem;
	*out = r;
	return DG_OK;
nomem:
	zone_free(z);
	if (err != NULL && errlen > 0)
		dg_fmt(err, errlen, "%s: out of memory", origin_name);
	return DG_ENOMEM;
}

enum dg_err
dg_resolver_zone_file(const char *path, struct dg_resolver **out,
    char *err, size_t errlen)
{
	struct dg_buf	 b;
	FILE		*fp;
	char		 chunk[64 * 1024];
	size_t		 n;
	enum dg_err	 rc;
	int		 e;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (path == NULL || out == NULL)
		return DG_EINVAL;
	if ((fp = fopen(path, "rb")) == NULL) {
		e = errno;
		if (err != NULL && errlen > 0)
			dg_fmt(err, errlen, "%s: cannot open: %s", path,
			    e == ENOENT ? "no such file" :
			    e == EACCES ? "permission denied" : "I/O error");
		return DG_EIO;
	}
	/* One byte past the cap lets the parser report "file too big". */
	dg_buf_init(&b, (size_t)DG_ZONE_FILE_MAX + 1);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (b.len + n > (size_t)DG_ZONE_FILE_MAX + 1)
			n = (size_t)DG_ZONE_FILE_MAX + 1 - b.len;
		dg_buf_append(&b, chunk, n);
		if (dg_buf_err(&b) != DG_OK || b.len > DG_ZONE_FILE_MAX)
			break;
	}
	rc = ferror(fp) ? DG_EIO : dg_buf_err(&b);
	fclose(fp);
	if (rc != DG_OK) {
		dg_buf_free(&b);
		if (err != NULL && errlen > 0)
			dg_fmt(err, errlen, "%s: %s", path,
			    rc == DG_EIO ? "read error (a directory?)" :
			    dg_strerror(rc));
		return rc;
	}
	rc = dg_resolver_zone_text(b.data != NULL ? b.data : "", b.len, path,
	    out, err, errlen);
	dg_buf_free(&b);
	return rc;
}
