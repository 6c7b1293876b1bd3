/*
 * lib/dns/resolver.c -- the backend-independent half of the resolver:
 * name validation, dispatch, the custom backend, and enum names.
 */
#include <stdlib.h>
#include <string.h>

#include "dns/dns_int.h"
#include "util/alloc.h"
#include "util/limits.h"
#include "util/str.h"

bool
dg_dns_name_norm(const char *name, char *out)
{
	size_t	len, i, label = 0;

	len = strlen(name);
	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0) {
		/* Only "." itself names the root; "" is a caller bug. */
		out[0] = '\0';
		return name[0] == '.';
	}
	if (len > DG_DNS_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)name[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else {
			/* Any octet but NUL is legal in DNS; SPF macros and
			 * DKIM selectors come from the wire. */
			if (++label > DG_DNS_LABEL_MAX)
				return false;
		}
		out[i] = (char)dg_tolower(c);
	}
	out[len] = '\0';
	return true;
}

struct dg_resolver *
dg_resolver_alloc(const struct dg_resolver_ops *ops, void *impl)
{
	struct dg_resolver	*r;

	r = dg_malloc(sizeof(*r));
	if (r == NULL)
		return NULL;
	r->ops = ops;
	r->impl = impl;
	return r;
}

const char *
dg_resolver_kind(const struct dg_resolver *r)
{
	return r->ops->name;
}

/* What every answer gets whatever the backend: qname, qtype, defaults. */
static enum dg_err
finish_answer(const char *norm, enum dg_dns_type type,
    struct dg_dns_answer *ans)
{
	ans->qname = norm;
	ans->qtype = type;
	if (ans->canonical == NULL)
		ans->canonical = ans->qname;
	if (ans->dnssec == DG_DNSSEC_UNSET)
		ans->dnssec = DG_DNSSEC_UNKNOWN;
	return ans->status == DG_DNS_UNSET ? DG_EINTERNAL : DG_OK;
}

enum dg_err
dg_dns_query(struct dg_resolver *res, const char *name, enum dg_dns_type type,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct dg_dns_answer	 ans;
	char			 norm[DG_DNS_NAME_MAX + 1];
	const char		*qname;
	enum dg_err		 err;

	if (res == NULL || name == NULL || a == NULL || out == NULL)
		return DG_EINVAL;
	if (!dg_dns_name_norm(name, norm))
		return DG_EINVAL;
	memset(&ans, 0, sizeof(ans));
	err = res->ops->query(res, norm, type, a, &ans);
	if (err != DG_OK)
		return err;
	if ((qname = dg_arena_strdup(a, norm)) == NULL)
		return dg_arena_err(a);
	if ((err = finish_answer(qname, type, &ans)) != DG_OK)
		return err;
	*out = ans;
	return DG_OK;
}

enum dg_err
dg_dns_query_many(struct dg_resolver *res, const struct dg_dns_question *qs,
    size_t n, struct dg_arena *a, struct dg_dns_answer *out)
{
	struct dg_dns_question	 nq[DG_DNS_MANY_MAX];
	char			 norm[DG_DNS_NAME_MAX + 1];
	char			*s;
	size_t			 i;
	enum dg_err		 err;

	if (res == NULL || qs == NULL || a == NULL || out == NULL || n == 0 ||
	    n > DG_DNS_MANY_MAX)
		return DG_EINVAL;
	for (i = 0; i < n; i++) {
		if (qs[i].name == NULL || !dg_dns_name_norm(qs[i].name, norm))
			return DG_EINVAL;
		if ((s = dg_arena_strdup(a, norm)) == NULL)
			return dg_arena_err(a);
		nq[i].name = s;
		nq[i].type = qs[i].type;
		memset(&out[i], 0, sizeof(out[i]));
	}
	if (res->ops->query_many != NULL) {
		if ((err = res->ops->query_many(res, nq, n, a, out)) != DG_OK)
			return err;
	} else {
		for (i = 0; i < n; i++)
			if ((err = res->ops->query(res, nq[i].name, nq[i].type,
			    a, &out[i])) != DG_OK)
				return err;
	}
	for (i = 0; i < n; i++)
		if ((err = finish_answer(nq[i].name, nq[i].type,
		    &out[i])) != DG_OK)
			return err;
	return DG_OK;
}

void
dg_resolver_free(struct dg_resolver *res)
{
	if (res == NULL)
		return;
	if (res->ops->destroy != NULL)
		res->ops->destroy(res);
	free(res);
}

/* Custom backend: the callbacks fill the answers themselves. */
struct custom {
	dg_dns_query_fn		 fn;
	dg_dns_query_many_fn	 many;
	void			*ctx;
};

static enum dg_err
custom_query(struct dg_resolver *r, const char *name, enum dg_dns_type type,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct custom	*c = r->impl;

	return c->fn(c->ctx, name, type, a, out);
}

static enum dg_err
custom_query_many(struct dg_resolver *r, const struct dg_dns_question *qs,
    size_t n, struct dg_arena *a, struct dg_dns_answer *out)
{
	struct custom	*c = r->impl;

	return c->many(c->ctx, qs, n, a, out);
}

static void
custom_destroy(struct dg_resolver *r)
{
	free(r->impl);
}

static const struct dg_resolver_ops custom_ops = {
	"custom", custom_query, custom_destroy, NULL
};

static const struct dg_resolver_ops custom_many_ops = {
	"custom", custom_query, custom_destroy, custom_query_many
};

enum dg_err
dg_resolver_custom(dg_dns_query_fn fn, void *ctx, struct dg_resolver **out)
{
	return dg_resolver_custom_many(fn, NULL, ctx, out);
}

enum dg_err
dg_resolver_custom_many(dg_dns_query_fn fn, dg_dns_query_many_fn many,
    void *ctx, struct dg_resolver **out)
{
	struct custom		*c;
	struct dg_resolver	*r;

	if (fn == NULL || out == NULL)
		return DG_EINVAL;
	c = dg_malloc(sizeof(*c));
	if (c == NULL)
		return DG_ENOMEM;
	c->fn = fn;
	c->many = many;
	c->ctx = ctx;
	r = dg_resolver_alloc(many != NULL ? &custom_many_ops : &custom_ops,
	    c);
	if (r == NULL) {
		free(c);
		return DG_ENOMEM;
	}
	*out = r;
	return DG_OK;
}

const char *
dg_dns_status_str(enum dg_dns_status s)
{
	switch (s) {
	case DG_DNS_UNSET:	return "unset";
	case DG_DNS_OK:		return "ok";
	case DG_DNS_NXDOMAIN:	return "nxdomain";
	case DG_DNS_NODATA:	return "nodata";
	case DG_DNS_SERVFAIL:	return "servfail";
	case DG_DNS_TIMEOUT:	return "timeout";
	case DG_DNS_MALFORMED:	return "malformed";
	}
	return "unknown";
}

const char *
dg_dnssec_str(enum dg_dnssec s)
{
	switch (s) {
	case DG_DNSSEC_UNSET:		return "unset";
	case DG_DNSSEC_UNKNOWN:		return "unknown";
	case DG_DNSSEC_INSECURE:	return "insecure";
	case DG_DNSSEC_SECURE:		return "secure";
	case DG_DNSSEC_BOGUS:		return "bogus";
	}
	return "unknown";
}

static const struct {
	const char		*name;
	enum dg_dns_type	 type;
} type_names[] = {
	{ "A", DG_DNS_T_A }, { "NS", DG_DNS_T_NS },
	{ "CNAME", DG_DNS_T_CNAME }, { "PTR", DG_DNS_T_PTR },
	{ "MX", DG_DNS_T_MX }, { "TXT", DG_DNS_T_TXT },
	{ "AAAA", DG_DNS_T_AAAA }, { "SPF", DG_DNS_T_SPF },
};

const char *
dg_dns_type_str(enum dg_dns_type t)
{
	size_t	i;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (type_names[i].type == t)
			return type_names[i].name;
	return "UNKNOWN";
}

bool
dg_dns_type_parse(const char *s, enum dg_dns_type *out)
{
	size_t	i;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
		if (dg_strcaseeq(s, type_names[i].name)) {
			*out = type_names[i].type;
			return true;
		}
	}
	return false;
}

char *
dg_dns_txt_join(struct dg_arena *a, const struct dg_dns_rr *rr, size_t *len)
{
	size_t	 total = 0, i, off = 0;
	char	*s;

	for (i = 0; i < rr->u.txt.count; i++)
		total += rr->u.txt.strings[i].len;
	s = dg_arena_alloc(a, total + 1);
	if (s == NULL)
		return NULL;
	for (i = 0; i < rr->u.txt.count; i++) {
		memcpy(s + off, rr->u.txt.strings[i].p,
		    rr->u.txt.strings[i].len);
		off += rr->u.txt.strings[i].len;
	}
	s[off] = '\0';
	if (len != NULL)
		*len = off;
	return s;
}
