/*
 * lib/dns/dns_int.h -- what the resolver backends share.
 */
#ifndef DG_DNS_INT_H
#define DG_DNS_INT_H

#include <dmarcguard/dns.h>

/*
 * A backend.  query() gets a validated, lower-cased name without the
 * final dot and fills status, dnssec, ttl, canonical, count, rrs and why;
 * dg_dns_query() sets qname and qtype and defaults canonical to qname.
 */
struct dg_resolver_ops {
	const char	*name;		/* "zone", "unbound", ... */
	enum dg_err	(*query)(struct dg_resolver *r, const char *name,
			    enum dg_dns_type type, struct dg_arena *a,
			    struct dg_dns_answer *out);
	void		(*destroy)(struct dg_resolver *r);
	/* Optional: several questions at once (names validated and
	 * normalised, n <= DG_DNS_MANY_MAX); NULL: query() in turn. */
	enum dg_err	(*query_many)(struct dg_resolver *r,
			    const struct dg_dns_question *qs, size_t n,
			    struct dg_arena *a, struct dg_dns_answer *out);
};

struct dg_resolver {
	const struct dg_resolver_ops	*ops;
	void				*impl;
};

/*
 * Normalise a query name into out[DG_DNS_NAME_MAX + 1]: lower case, final
 * dot removed.  False when the name is empty, too long, has an empty or
 * over-long label.  "." alone (the root) is accepted as "".
 */
bool	dg_dns_name_norm(const char *name, char *out);

/* Allocate a resolver shell for a backend; NULL on OOM. */
struct dg_resolver *dg_resolver_alloc(const struct dg_resolver_ops *ops,
	    void *impl);

/* The name of the backend ("zone", "unbound", ...). */
const char	*dg_resolver_kind(const struct dg_resolver *r);

#endif /* DG_DNS_INT_H */
