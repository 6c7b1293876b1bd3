/*
 * lib/dkim/dkim_key.c -- DKIM key records (RFC 6376 3.6.1), the public key
 * built from them, and the fetch of selector._domainkey.domain TXT
 * (3.6.2) through the key cache.
 *
 * Tags: v (must be DKIM1 and first when present), h (acceptable hashes),
 * k (rsa, ed25519 from RFC 8463), n (notes: ignored), p (the key; empty
 * means revoked), s (service types: * or email), t (flags y, s).  Unknown
 * tags and unknown h=, s=, t= values are ignored as 3.6.1 says; an
 * unknown k= is an error because the key could not be used.
 */
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim_int.h"
#include "util/alloc.h"
#include "util/base64.h"
#include "util/taglist.h"

enum key_tag { K_V, K_H, K_K, K_N, K_P, K_S, K_T, K_COUNT };

static const struct dg_tagdef key_tags[] = {
	{ "v", K_V }, { "h", K_H }, { "k", K_K }, { "n", K_N },
	{ "p", K_P }, { "s", K_S }, { "t", K_T }
};

static enum dg_err
bad(enum dg_dkim_reason *reason, char *detail, size_t dlen,
    enum dg_dkim_reason r, const char *what)
{
	*reason = r;
	if (detail != NULL && dlen > 0)
		dg_strlcpy(detail, what, dlen);
	return DG_ESYNTAX;
}

static bool
is_fws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Call fn for each trimmed, non-empty item of a colon-separated list
 * (RFC 6376 3.6.1 h=, s=, t=).
 */
static void
each_item(struct dg_span v, void (*fn)(struct dg_span, void *), void *ctx)
{
	size_t	i = 0;

	while (i < v.len) {
		struct dg_span	it;
		size_t		start = i;

		while (i < v.len && v.p[i] != ':')
			i++;
		it.p = v.p + start;
		it.len = i - start;
		while (it.len > 0 && is_fws((unsigned char)it.p[0])) {
			it.p++;
			it.len--;
		}
		while (it.len > 0 && is_fws((unsigned char)it.p[it.len - 1]))
			it.len--;
		if (it.len > 0)
			fn(it, ctx);
		i++;
	}
}

static void
add_hash(struct dg_span it, void *ctx)
{
	unsigned	*mask = ctx;

	if (dg_memcaseeq(it.p, it.len, "sha256", 6))
		*mask |= 1u << DG_DKIM_HASH_SHA256;
	else if (dg_memcaseeq(it.p, it.len, "sha1", 4))
		*mask |= 1u << DG_DKIM_HASH_SHA1;
	else
		*mask |= 1u << 31;	/* unknown: ignored, but h= was
					   not empty */
}

static void
add_service(struct dg_span it, void *ctx)
{
	bool	*email = ctx;

	if ((it.len == 1 && it.p[0] == '*') ||
	    dg_memcaseeq(it.p, it.len, "email", 5))
		*email = true;
}

static void
add_flag(struct dg_span it, void *ctx)
{
	struct dg_dkim_keyrec	*rec = ctx;

	if (it.len == 1 && (it.p[0] == 'y' || it.p[0] == 'Y'))
		rec->testing = true;
	else if (it.len == 1 && (it.p[0] == 's' || it.p[0] == 'S'))
		rec->strict = true;
}

enum dg_err
dg_dkim_key_parse(const char *p, size_t len, struct dg_dkim_keyrec *rec,
    enum dg_dkim_reason *reason, char *detail, size_t dlen)
{
	struct dg_tag		 tags[DG_TAGLIST_MAX];
	const struct dg_tag	*by[K_COUNT];
	struct dg_taglist_error	 te;
	enum dg_err		 err;
	char			 msg[DG_DETAIL_MAX];
	size_t			 n, i;

	if (p == NULL || rec == NULL || reason == NULL)
		return DG_EINVAL;
	memset(rec, 0, sizeof(*rec));
	*reason = DG_DKIM_R_NONE;
	if (detail != NULL && dlen > 0)
		detail[0] = '\0';

	err = dg_taglist_parse(p, len, 0, tags, DG_TAGLIST_MAX, &n, &te);
	if (err != DG_OK) {
		if (err == DG_EINVAL)
			return err;
		dg_fmt(msg, sizeof(msg), "key record: %s at offset %zu",
		    dg_taglist_reason_str(te.reason), te.pos);
		return bad(reason, detail, dlen, DG_DKIM_R_KEY_SYNTAX, msg);
	}
	memset(by, 0, sizeof(by));
	for (i = 0; i < n; i++) {
		int	id = dg_taglist_match(key_tags,
		    sizeof(key_tags) / sizeof(key_tags[0]), tags[i].name,
		    false);

		if (id >= 0)
			by[id] = &tags[i];
	}

	/* v=: "If specified, this tag MUST be set to "DKIM1" ... and MUST
	 * be the first tag in the record." */
	if (by[K_V] != NULL && (by[K_V] != &tags[0] ||
	    !(by[K_V]->value.len == 5 &&
	    memcmp(by[K_V]->value.p, "DKIM1", 5) == 0)))
		return bad(reason, detail, dlen, DG_DKIM_R_KEY_VERSION,
		    by[K_V] != &tags[0] ? "key record: v= is not the first "
		    "tag" : "key record: v= is not DKIM1");

	rec->type = DG_DKIM_KEY_RSA;	/* k= default */
	if (by[K_K] != NULL) {
		struct dg_span	k = by[K_K]->value;

		if (dg_memcaseeq(k.p, k.len, "rsa", 3))
			rec->type = DG_DKIM_KEY_RSA;
		else if (dg_memcaseeq(k.p, k.len, "ed25519", 7))
			rec->type = DG_DKIM_KEY_ED25519;
		else
			return bad(reason, detail, dlen,
			    DG_DKIM_R_KEY_SYNTAX,
			    "key record: k= is not rsa or ed25519");
	}

	if (by[K_H] != NULL)
		each_item(by[K_H]->value, add_hash, &rec->hashes);

	rec->email = true;	/* s= default "*" */
	if (by[K_S] != NULL) {
		rec->email = false;
		each_item(by[K_S]->value, add_service, &rec->email);
	}
	if (by[K_T] != NULL)
		each_item(by[K_T]->value, add_flag, rec);

	if (by[K_P] == NULL)
		return bad(reason, detail, dlen, DG_DKIM_R_KEY_SYNTAX,
		    "key record: required tag \"p=\" is missing");
	err = dg_base64_decode(by[K_P]->value.p, by[K_P]->value.len,
	    DG_BASE64_SKIP_FWS, rec->p, sizeof(rec->p), &rec->plen);
	if (err == DG_ETOOBIG)
		return bad(reason, detail, dlen, DG_DKIM_R_KEY_TOO_BIG,
		    "key record: p= is over DG_DKIM_MAX_KEY_DER (2048) "
		    "bytes");
	if (err != DG_OK)
		return bad(reason, detail, dlen, DG_DKIM_R_KEY_BAD_DATA,
		    "key record: p= is not valid base64");
	/* RFC 6376 3.6.1 p=: "An empty value means that this public key
	 * has been revoked." */
	rec->revoked = (rec->plen == 0);
	return DG_OK;
}

enum dg_err
dg_dkim_key_new(const struct dg_dkim_keyrec *rec, struct dg_dkim_key **out,
    enum dg_dkim_reason *reason)
{
	struct dg_dkim_key	*k;
	enum dg_err		 err;

	if (rec == NULL || out == NULL || reason == NULL || rec->revoked)
		return DG_EINVAL;
	if ((k = dg_malloc(sizeof(*k))) == NULL)
		return DG_ENOMEM;
	memset(k, 0, sizeof(*k));
	err = dg_dkim_pkey_public(rec->type, rec->p, rec->plen, &k->pkey,
	    &k->bits);
	if (err == DG_ESYNTAX)
		*reason = DG_DKIM_R_KEY_BAD_DATA;
	if (err == DG_OK && k->bits > DG_DKIM_MAX_KEY_BITS) {
		*reason = DG_DKIM_R_KEY_TOO_BIG;
		err = DG_ESYNTAX;
	}
	if (err != DG_OK) {
		dg_dkim_pkey_free(k->pkey);
		free(k);
		return err;
	}
	k->type = rec->type;
	k->hashes = rec->hashes;
	k->testing = rec->testing;
	k->strict = rec->strict;
	k->email = rec->email;
	k->refs = 1;
	*out = k;
	return DG_OK;
}

void
dg_dkim_key_ref(struct dg_dkim_key *k)
{
	__atomic_add_fetch(&k->refs, 1, __ATOMIC_RELAXED);
}

void
dg_dkim_key_unref(struct dg_dkim_key *k)
{
	if (k == NULL)
		return;
	if (__atomic_sub_fetch(&k->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		dg_dkim_pkey_free(k->pkey);
		free(k);
	}
}

static void
keyfail(struct dg_dkim_keyfail *why, enum dg_dkim_result r,
    enum dg_dkim_reason reason, const char *detail)
{
	why->result = r;
	why->reason = reason;
	dg_strlcpy(why->detail, detail, sizeof(why->detail));
}

enum dg_err
dg_dkim_key_fetch(struct dg_resolver *res, struct dg_dkim_keycache *kc,
    const char *selector, const char *domain, struct dg_arena *a,
    struct dg_dkim_key **out, struct dg_dkim_keyfail *why)
{
	struct dg_dns_answer	 ans;
	struct dg_dkim_keyrec	*rec;
	struct dg_dkim_key	*k;
	enum dg_dkim_reason	 first_reason = DG_DKIM_R_NONE;
	char			 first_detail[DG_DETAIL_MAX];
	char			 name[DG_DNS_NAME_MAX + 32];
	enum dg_err		 err;
	size_t			 i;

	if (selector == NULL || domain == NULL || a == NULL || out == NULL ||
	    why == NULL)
		return DG_EINVAL;
	*out = NULL;
	memset(why, 0, sizeof(*why));
	first_detail[0] = '\0';

	/* RFC 6376 3.6.2.1: selector._domainkey.domain */
	if (strlen(selector) + strlen(domain) + 12 > DG_DNS_NAME_MAX) {
		keyfail(why, DG_DKIM_PERMERROR, DG_DKIM_R_KEY_NOT_FOUND,
		    "key name is longer than a DNS name can be");
		return DG_OK;
	}
	dg_fmt(name, sizeof(name), "%s._domainkey.%s", selector, domain);
	dg_str_lower(name);

	if (kc != NULL && (k = dg_dkim_keycache_get(kc, name)) != NULL) {
		*out = k;
		return DG_OK;
	}

	if (res == NULL) {
		keyfail(why, DG_DKIM_TEMPERROR, DG_DKIM_R_KEY_DNS_TEMPERROR,
		    "no resolver");
		return DG_OK;
	}
	err = dg_dns_query(res, name, DG_DNS_T_TXT, a, &ans);
	if (err == DG_EINVAL) {
		keyfail(why, DG_DKIM_PERMERROR, DG_DKIM_R_KEY_NOT_FOUND,
		    "key name is not a valid DNS name");
		return DG_OK;
	}
	if (err != DG_OK)
		return err;
	switch (ans.status) {
	case DG_DNS_OK:
		break;
	case DG_DNS_NXDOMAIN:
	case DG_DNS_NODATA:
		/* RFC 6376 6.1.2 step 3: no key is PERMFAIL. */
		dg_fmt(why->detail, sizeof(why->detail), "no key at %s (%s)",
		    name, dg_dns_status_str(ans.status));
		why->result = DG_DKIM_PERMERROR;
		why->reason = DG_DKIM_R_KEY_NOT_FOUND;
		return DG_OK;
	default:
		/* 6.1.2 step 2: a failed query is TEMPFAIL. */
		dg_fmt(why->detail, sizeof(why->detail), "key lookup of %s: "
		    "%s", name, dg_dns_status_str(ans.status));
		why->result = DG_DKIM_TEMPERROR;
		why->reason = DG_DKIM_R_KEY_DNS_TEMPERROR;
		return DG_OK;
	}

	if ((rec = dg_arena_alloc(a, sizeof(*rec))) == NULL)
		return dg_arena_err(a);
	/*
	 * 3.6.2.2: several records are ambiguous; use the first that is a
	 * usable key and report the first record's problem otherwise.
	 */
	for (i = 0; i < ans.count; i++) {
		enum dg_dkim_reason	 r = DG_DKIM_R_NONE;
		char			 det[DG_DETAIL_MAX];
		const char		*txt;
		size_t			 tlen;

		if (ans.rrs[i].type != DG_DNS_T_TXT)
			continue;
		if ((txt = dg_dns_txt_join(a, &ans.rrs[i], &tlen)) == NULL)
			return dg_arena_err(a);
		err = dg_dkim_key_parse(txt, tlen, rec, &r, det, sizeof(det));
		if (err == DG_OK && rec->revoked) {
			r = DG_DKIM_R_KEY_REVOKED;
			dg_strlcpy(det, "key revoked (empty p=)",
			    sizeof(det));
			err = DG_ESYNTAX;
		} else if (err == DG_OK) {
			err = dg_dkim_key_new(rec, &k, &r);
			if (err == DG_ESYNTAX)
				dg_strlcpy(det, r == DG_DKIM_R_KEY_TOO_BIG ?
				    "key is over DG_DKIM_MAX_KEY_BITS (8192)" :
				    "p= is not a public key of type k=",
				    sizeof(det));
		}
		if (err == DG_OK) {
			if (kc != NULL &&
			    dg_dkim_keycache_put(kc, name, k, ans.ttl) !=
			    DG_OK) {
				/* Not cached; the key still serves. */
			}
			*out = k;
			return DG_OK;
		}
		if (err != DG_ESYNTAX)
			return err;
		if (first_reason == DG_DKIM_R_NONE) {
			first_reason = r;
			dg_strlcpy(first_detail, det, sizeof(first_detail));
			why->testing = rec->testing;
		}
	}
	if (first_reason == DG_DKIM_R_NONE) {
		first_reason = DG_DKIM_R_KEY_NOT_FOUND;
		dg_fmt(first_detail, sizeof(first_detail), "no TXT at %s",
		    name);
	}
	keyfail(why, DG_DKIM_PERMERROR, first_reason, first_detail);
	return DG_OK;
}
