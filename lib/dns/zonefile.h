/*
 * lib/dns/zonefile.h -- the RFC 1035 master-file parser and writer helpers
 * shared by the zone backend (dns_zone.c) and the recorder (dns_record.c).
 * The format and its extensions are described in docs/zonefile.md.
 */
#ifndef DG_DNS_ZONEFILE_H
#define DG_DNS_ZONEFILE_H

#include <dmarcguard/arena.h>
#include <dmarcguard/buf.h>
#include <dmarcguard/dns.h>

/* Our fault-injection and replay directives. */
enum dg_zone_dir {
	DG_ZONE_DIR_UNSET = 0,
	DG_ZONE_DIR_TIMEOUT,	/* $TIMEOUT name */
	DG_ZONE_DIR_SERVFAIL,	/* $SERVFAIL name */
	DG_ZONE_DIR_NODATA	/* $NODATA name: exists, no records */
};

/*
 * What the parser hands each record and directive to.  owner is absolute,
 * lower case, without the final dot ("" for the root); owner, rr and
 * everything rr points to are borrowed for the duration of the call only.
 * A callback that refuses an entry returns DG_ESYNTAX (or DG_ENOMEM) and
 * puts a short reason in msg[0..msgcap); the parser prefixes FILE:LINE.
 */
struct dg_zone_sink {
	void		*ctx;
	enum dg_err	(*record)(void *ctx, const char *owner,
			    const struct dg_dns_rr *rr, char *msg,
			    size_t msgcap);
	enum dg_err	(*directive)(void *ctx, enum dg_zone_dir dir,
			    const char *owner, char *msg, size_t msgcap);
};

/*
 * Parse text[0..len) (no NUL needed) and feed sink.  fname names the input
 * in errors.  Returns DG_OK; DG_ESYNTAX or DG_ETOOBIG with
 * "FILE:LINE: message" in err; DG_ENOMEM.  Stops at the first error.
 */
enum dg_err	dg_zonefile_parse(const char *text, size_t len,
		    const char *fname, const struct dg_zone_sink *sink,
		    char *err, size_t errlen);

/* Deep copy of src (names and TXT strings included) into a. */
bool		dg_zonefile_rr_copy(struct dg_arena *a,
		    const struct dg_dns_rr *src, struct dg_dns_rr *dst);

/* Append name as an absolute zone-file name ("a.example." or "."),
 * escaping bytes the parser would otherwise read as syntax. */
void		dg_zonefile_put_name(struct dg_buf *b, const char *name);
/* Append p[0..len) as one quoted character-string: \" \\ and \DDD. */
void		dg_zonefile_put_string(struct dg_buf *b, const char *p,
		    size_t len);

#endif /* DG_DNS_ZONEFILE_H */
