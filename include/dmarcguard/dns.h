/*
 * include/dmarcguard/dns.h -- the resolver interface.
 *
 * Protocol code sees only struct dg_resolver.  A query by name and type
 * gives a status, the TTL, the DNSSEC state and parsed records, all
 * allocated in the caller's arena.  Backends:
 *   - unbound: libunbound, caching and DNSSEC-aware (production);
 *   - zone:    a zone file held in memory, with $TIMEOUT / $SERVFAIL fault
 *              injection (tests, offline demo, forensic replay);
 *   - recorder: wraps another resolver and writes every answer it passed
 *              on as a zone file that the zone backend replays;
 *   - custom:  caller-supplied callback (tests, embedding).
 * Every backend is safe for concurrent callers once built.
 */
#ifndef DMARCGUARD_DNS_H
#define DMARCGUARD_DNS_H

#include <dmarcguard/common.h>
#include <dmarcguard/arena.h>

#ifdef __cplusplus
extern "C" {
#endif

/* RR types, with their IANA numbers. */
enum dg_dns_type {
	DG_DNS_T_A = 1,
	DG_DNS_T_NS = 2,
	DG_DNS_T_CNAME = 5,
	DG_DNS_T_PTR = 12,
	DG_DNS_T_MX = 15,
	DG_DNS_T_TXT = 16,
	DG_DNS_T_AAAA = 28,
	DG_DNS_T_SPF = 99
};

enum dg_dns_status {
	DG_DNS_UNSET = 0,	/* never returned */
	DG_DNS_OK,		/* at least one record of the type */
	DG_DNS_NXDOMAIN,	/* the name does not exist */
	DG_DNS_NODATA,		/* the name exists, no record of the type */
	DG_DNS_SERVFAIL,	/* the server failed (or DNSSEC bogus) */
	DG_DNS_TIMEOUT,		/* no answer in time */
	DG_DNS_MALFORMED	/* an answer we could not parse */
};

enum dg_dnssec {
	DG_DNSSEC_UNSET = 0,	/* never returned */
	DG_DNSSEC_UNKNOWN,	/* not validated (zone file, no trust anchor) */
	DG_DNSSEC_INSECURE,	/* validated: no signatures on this path */
	DG_DNSSEC_SECURE,	/* validated: signed and correct */
	DG_DNSSEC_BOGUS		/* validated: signatures failed */
};

/* One character-string of a TXT record; p is NUL-terminated, len excludes it. */
struct dg_dns_str {
	const char	*p;
	size_t		 len;
};

struct dg_dns_rr {
	enum dg_dns_type	 type;
	uint32_t		 ttl;
	union {
		uint8_t		 a[4];		/* A */
		uint8_t		 aaaa[16];	/* AAAA */
		struct {
			uint16_t	 pref;
			const char	*host;	/* lower case, no final dot */
		}		 mx;		/* MX */
		const char	*name;		/* PTR, CNAME, NS target */
		struct {
			size_t			 count;
			const struct dg_dns_str	*strings;
		}		 txt;		/* TXT, SPF: kept separate */
	} u;
};

struct dg_dns_answer {
	enum dg_dns_status	 status;
	enum dg_dnssec		 dnssec;
	uint32_t		 ttl;		/* smallest TTL in the answer */
	const char		*qname;		/* as asked, lower case */
	enum dg_dns_type	 qtype;
	const char		*canonical;	/* after CNAMEs; == qname if none */
	size_t			 count;		/* records of qtype */
	const struct dg_dns_rr	*rrs;
	const char		*why;		/* bogus/servfail detail or NULL */
};

struct dg_resolver;

/*
 * Ask res for name/type.  Everything in *out is allocated in a and
 * borrowed until the arena is freed.  Trailing dots and case in name do
 * not matter.  Failed lookups are statuses, not errors: this returns
 * DG_OK for NXDOMAIN, TIMEOUT and the rest; DG_EINVAL for a name that is
 * not a valid DNS name (too long, empty label); DG_ENOMEM / DG_ETOOBIG
 * when the arena is exhausted.  Thread-safe.
 */
DG_API DG_NODISCARD enum dg_err dg_dns_query(struct dg_resolver *res,
				    const char *name, enum dg_dns_type type,
				    struct dg_arena *a,
				    struct dg_dns_answer *out);

/* One question of dg_dns_query_many(). */
struct dg_dns_question {
	const char		*name;
	enum dg_dns_type	 type;
};

/*
 * Ask n questions at once (n <= DG_DNS_MANY_MAX, 64): the answer to qs[i]
 * goes to out[i], exactly as dg_dns_query() would give it.  Backends that
 * can (libunbound) send them all before waiting for any, so n lookups take
 * about the time of one; the others ask one after the other.  DG_EINVAL,
 * with nothing asked, when a name is not a valid DNS name or n is 0 or too
 * large.  Thread-safe.
 */
#define DG_DNS_MANY_MAX	64
DG_API DG_NODISCARD enum dg_err dg_dns_query_many(struct dg_resolver *res,
				    const struct dg_dns_question *qs,
				    size_t n, struct dg_arena *a,
				    struct dg_dns_answer *out);

/* Frees the resolver; NULL does nothing. */
DG_API void		 dg_resolver_free(struct dg_resolver *res);

/*
 * Zone-file backend (format: docs/zonefile.md).  On a syntax error returns
 * DG_ESYNTAX with "FILE:LINE: message" in err; DG_EIO when unreadable.
 */
DG_API DG_NODISCARD enum dg_err dg_resolver_zone_file(const char *path,
				    struct dg_resolver **out,
				    char *err, size_t errlen);
/* The same from text in memory; origin_name is used in error messages. */
DG_API DG_NODISCARD enum dg_err dg_resolver_zone_text(const char *text,
				    size_t len, const char *origin_name,
				    struct dg_resolver **out,
				    char *err, size_t errlen);

struct dg_unbound_opts {
	const char	*upstream;	/* "IP[@PORT]" or NULL: resolv.conf */
	const char	*trust_anchor;	/* file or NULL: the Debian default */
	unsigned	 timeout_ms;	/* 0: DG_DNS_DEFAULT_TIMEOUT_MS */
	bool		 no_dnssec;	/* skip validation */
};

/* libunbound backend.  err gets the library's message on failure. */
DG_API DG_NODISCARD enum dg_err dg_resolver_unbound(
				    const struct dg_unbound_opts *opts,
				    struct dg_resolver **out,
				    char *err, size_t errlen);

/*
 * Recorder: passes queries to inner (which it does not own) and, on
 * dg_resolver_record_write() or when freed, writes every answer seen to
 * path as a zone file that dg_resolver_zone_file() replays to the same
 * statuses and records.
 */
DG_API DG_NODISCARD enum dg_err dg_resolver_recorder(struct dg_resolver *inner,
				    const char *path,
				    struct dg_resolver **out);
DG_API DG_NODISCARD enum dg_err dg_resolver_record_write(
				    struct dg_resolver *rec,
				    char *err, size_t errlen);

/* Custom backend: fn fills *out like dg_dns_query (qname etc. set by it). */
typedef enum dg_err (*dg_dns_query_fn)(void *ctx, const char *name,
    enum dg_dns_type type, struct dg_arena *a, struct dg_dns_answer *out);
DG_API DG_NODISCARD enum dg_err dg_resolver_custom(dg_dns_query_fn fn,
				    void *ctx, struct dg_resolver **out);
/* The same with a function for dg_dns_query_many() too: it gets
 * validated, normalised names and fills out[0..n-1] like fn. */
typedef enum dg_err (*dg_dns_query_many_fn)(void *ctx,
    const struct dg_dns_question *qs, size_t n, struct dg_arena *a,
    struct dg_dns_answer *out);
DG_API DG_NODISCARD enum dg_err dg_resolver_custom_many(dg_dns_query_fn fn,
				    dg_dns_query_many_fn many, void *ctx,
				    struct dg_resolver **out);

DG_API const char	*dg_dns_status_str(enum dg_dns_status s);
DG_API const char	*dg_dnssec_str(enum dg_dnssec s);
DG_API const char	*dg_dns_type_str(enum dg_dns_type t);
/* "TXT" / "txt" -> DG_DNS_T_TXT; false when unknown. */
DG_API bool		 dg_dns_type_parse(const char *s,
			    enum dg_dns_type *out);

/*
 * The character-strings of one TXT RR joined with no separator (RFC 7208
 * 3.3, RFC 6376 3.6.2.2), NUL-terminated, in a.  NULL when out of memory.
 */
DG_API char		*dg_dns_txt_join(struct dg_arena *a,
			    const struct dg_dns_rr *rr, size_t *len);

#ifdef __cplusplus
}
#endif
#endif /* DMARCGUARD_DNS_H */
