/*
 * lib/domain/psl.c -- RFC 7489 3.2 Organizational Domains from the Public
 * Suffix List, through libpsl.  The only file that includes <libpsl.h>.
 *
 * RFC 7489 3.2: find the longest public suffix of the subject domain; the
 * Organizational Domain is that suffix plus the label before it.  We find
 * the public suffix by asking libpsl, from the whole name down, whether
 * each suffix is one (psl_is_public_suffix2), which lets a flag leave out
 * the PRIVATE section; libpsl applies wildcard (*.ck) and exception
 * (!www.ck) rules and the implicit "*" rule for unlisted TLDs.
 *
 * Used for the RFC 7489 compatibility mode and for look-alike checks; the
 * RFC 9989 mode uses the DNS Tree Walk (orgdomain.c) instead.
 */
#include <stdlib.h>
#include <string.h>

#include <libpsl.h>

#include <dmarcguard/orgdomain.h>

#include "domain/domain_int.h"
#include "util/alloc.h"

/* Read-only after creation: libpsl lookups do not modify the context, so
 * one struct dg_psl serves every thread. */
struct dg_psl {
	const psl_ctx_t	*ctx;
	psl_ctx_t	*owned;		/* what psl_free() must get, or NULL
					   for libpsl's built-in list */
};

static enum dg_err
psl_wrap(const psl_ctx_t *ctx, psl_ctx_t *owned, struct dg_psl **out)
{
	struct dg_psl	*p;

	p = dg_malloc(sizeof(*p));
	if (p == NULL) {
		psl_free(owned);
		return DG_ENOMEM;
	}
	p->ctx = ctx;
	p->owned = owned;
	*out = p;
	return DG_OK;
}

enum dg_err
dg_psl_new_system(struct dg_psl **out)
{
	psl_ctx_t	*ctx;
	const psl_ctx_t	*builtin;

	if (out == NULL)
		return DG_EINVAL;
	/* psl_latest(NULL): the newer of the distribution file
	 * (/usr/share/publicsuffix on Debian) and the built-in data. */
	ctx = psl_latest(NULL);
	if (ctx != NULL)
		return psl_wrap(ctx, ctx, out);
	builtin = psl_builtin();
	if (builtin == NULL)
		return DG_EIO;
	return psl_wrap(builtin, NULL, out);
}

enum dg_err
dg_psl_new_file(const char *path, struct dg_psl **out)
{
	psl_ctx_t	*ctx;

	if (path == NULL || out == NULL)
		return DG_EINVAL;
	ctx = psl_load_file(path);
	if (ctx == NULL)
		return DG_EIO;
	return psl_wrap(ctx, ctx, out);
}

void
dg_psl_free(struct dg_psl *psl)
{
	if (psl == NULL)
		return;
	psl_free(psl->owned);
	free(psl);
}

static int
psl_type(unsigned flags)
{
	return (flags & DG_PSL_ICANN_ONLY) ? PSL_TYPE_ICANN : PSL_TYPE_ANY;
}

/*
 * The number of labels in norm's public suffix: the longest suffix that
 * libpsl calls a public suffix.  With the implicit "*" rule the TLD always
 * is one, so the answer is at least 1.
 */
static size_t
suffix_labels(const struct dg_psl *psl, const char *norm, unsigned flags)
{
	size_t	total = dg_domain_label_count(norm), n;

	for (n = total; n > 1; n--) {
		if (psl_is_public_suffix2(psl->ctx,
		    dg_domain_last_labels(norm, n), psl_type(flags)))
			return n;
	}
	return 1;
}

/*
 * RFC 7489 3.2 steps 2-4 on the A-label form in norm.  *org_labels gets the
 * label count of the Organizational Domain, 0 if norm is itself a public
 * suffix.  A leading dot (".com") is an empty label: not a domain.
 */
static enum dg_err
org_labels_of(const struct dg_psl *psl, const char *domain, unsigned flags,
    char *norm, size_t *org_labels)
{
	size_t	total, ps;
	enum dg_err err;

	if (psl == NULL || domain == NULL)
		return DG_EINVAL;
	err = dg_domain_normalize(domain, norm, DG_DOMAIN_BUF);
	if (err != DG_OK)
		return err == DG_ETOOBIG ? DG_EINVAL : err;
	total = dg_domain_label_count(norm);
	ps = suffix_labels(psl, norm, flags);
	*org_labels = ps < total ? ps + 1 : 0;
	return DG_OK;
}

static enum dg_err
put(const char *s, char *out, size_t cap)
{
	size_t	len = strlen(s);

	if (len + 1 > cap)
		return DG_ETOOBIG;
	memcpy(out, s, len + 1);
	return DG_OK;
}

enum dg_err
dg_psl_org_domain(const struct dg_psl *psl, const char *domain,
    unsigned flags, char *out, size_t cap)
{
	char		norm[DG_DOMAIN_BUF], uni[4 * DG_DOMAIN_BUF];
	size_t		org;
	enum dg_err	err;

	if (out == NULL)
		return DG_EINVAL;
	if ((err = org_labels_of(psl, domain, flags, norm, &org)) != DG_OK)
		return err;
	if (org == 0)
		return put("", out, cap);
	/* Answer in the form of the question: U-labels for a Unicode
	 * input (as the PSL's own test data expects). */
	if (!dg_domain_is_ascii(domain, strlen(domain))) {
		err = dg_domain_to_unicode(dg_domain_last_labels(norm, org),
		    uni, sizeof(uni));
		if (err != DG_OK)
			return err;
		return put(uni, out, cap);
	}
	return put(dg_domain_last_labels(norm, org), out, cap);
}

bool
dg_psl_is_public_suffix(const struct dg_psl *psl, const char *domain,
    unsigned flags)
{
	char	norm[DG_DOMAIN_BUF];
	size_t	org;

	if (org_labels_of(psl, domain, flags, norm, &org) != DG_OK)
		return false;
	return org == 0;
}

enum dg_err
dg_psl_registrable_label(const struct dg_psl *psl, const char *domain,
    unsigned flags, char *out, size_t cap)
{
	char		 norm[DG_DOMAIN_BUF];
	const char	*org, *dot;
	size_t		 n;
	enum dg_err	 err;

	if (out == NULL)
		return DG_EINVAL;
	if ((err = org_labels_of(psl, domain, flags, norm, &n)) != DG_OK)
		return err;
	if (n == 0)
		return put("", out, cap);
	org = dg_domain_last_labels(norm, n);
	dot = strchr(org, '.');
	n = dot != NULL ? (size_t)(dot - org) : strlen(org);
	if (n + 1 > cap)
		return DG_ETOOBIG;
	memcpy(out, org, n);
	out[n] = '\0';
	return DG_OK;
}
