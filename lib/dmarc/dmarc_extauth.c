/*
 * lib/dmarc/dmarc_extauth.c -- verifying external report destinations:
 * RFC 9990 4 (aggregate, "Verifying External Destinations"), RFC 9991 5
 * (failure reports, same procedure with ruf), RFC 7489 7.1.
 *
 * When the Organizational Domain of the policy domain differs from that of
 * a rua/ruf URI's host, the receiver asks for TXT at
 *   <policy domain, A-labels>._report._dmarc.<destination host>
 * and the destination is authorized when at least one TXT RR there starts
 * with v=DMARC1 (RFC 9990 4 steps 6-8).  A name over the DNS limits
 * authorizes nothing (step 4).  A rua (ruf) in that record overrides the
 * destination, but only on the same host; an override naming another host
 * means no report to either URI (step 9 and the paragraph after it).
 *
 * RFC 7489 7.1 step 5 differs in one point: several TXT RRs authorize
 * nothing (DG_DMARC_EXTAUTH_RFC7489).  Which Organizational Domains to
 * compare is the caller's: the RFC 9989 tree walk or the RFC 7489 PSL.
 * Wildcards (*._report._dmarc.<host>) are the resolver's business.
 */
#include <string.h>

#include "dmarc/dmarc_int.h"
#include "util/limits.h"
#include "util/str.h"

#define NAME_BUF	256	/* dg_domain_normalize() output */

static enum dg_err
finish(struct dg_arena *a, struct dg_dmarc_extauth *x,
    enum dg_dmarc_extauth_result r, const char *detail)
{
	x->result = r;
	if ((x->detail = dg_arena_strdup(a, detail)) == NULL)
		return dg_arena_err(a);
	return DG_OK;
}

/* Step 9: keep the override URIs; refuse if one names another host. */
static enum dg_err
take_override(struct dg_arena *a, const char *txt, size_t len,
    const char *dest, enum dg_dmarc_report_kind kind,
    struct dg_dmarc_extauth *x, bool *foreign)
{
	struct dg_dmarc_record		 rec;
	const struct dg_dmarc_uri	*v;
	struct dg_dmarc_uri		*keep;
	size_t				 n, i, k = 0;
	enum dg_err			 err;

	*foreign = false;
	if ((err = dg_dmarc_record_parse(a, txt, len, &rec)) != DG_OK)
		return err;
	v = kind == DG_DMARC_REPORT_FAILURE ? rec.ruf : rec.rua;
	n = kind == DG_DMARC_REPORT_FAILURE ? rec.nruf : rec.nrua;
	if (n == 0)
		return DG_OK;
	if ((keep = dg_arena_calloc(a, n, sizeof(*keep))) == NULL)
		return dg_arena_err(a);
	for (i = 0; i < n; i++) {
		if (v[i].status != DG_DMARC_URI_OK)
			continue;	/* ignored, as in the policy record */
		if (v[i].host == NULL || strcmp(v[i].host, dest) != 0) {
			*foreign = true;
			return DG_OK;
		}
		keep[k++] = v[i];
	}
	x->override = k > 0 ? keep : NULL;
	x->noverride = k;
	return DG_OK;
}

enum dg_err
dg_dmarc_extauth_check(struct dg_resolver *res, struct dg_arena *a,
    const char *policy_domain, const char *policy_org, const char *dest_host,
    const char *dest_org, enum dg_dmarc_report_kind kind, unsigned flags,
    struct dg_dmarc_extauth *out)
{
	struct dg_dmarc_extauth	 x;
	struct dg_dns_answer	 ans;
	char			 pol[NAME_BUF], dst[NAME_BUF];
	char			 po[NAME_BUF], dor[NAME_BUF];
	const char		*first = NULL;
	size_t			 first_len = 0, i;
	bool			 foreign;
	enum dg_err		 err;

	if (res == NULL || a == NULL || policy_domain == NULL ||
	    policy_org == NULL || dest_host == NULL || dest_org == NULL ||
	    out == NULL || (kind != DG_DMARC_REPORT_AGGREGATE &&
	    kind != DG_DMARC_REPORT_FAILURE))
		return DG_EINVAL;
	if (dg_domain_normalize(policy_domain, pol, sizeof(pol)) != DG_OK ||
	    dg_domain_normalize(policy_org, po, sizeof(po)) != DG_OK ||
	    dg_domain_normalize(dest_host, dst, sizeof(dst)) != DG_OK ||
	    dg_domain_normalize(dest_org, dor, sizeof(dor)) != DG_OK)
		return DG_EINVAL;
	memset(&x, 0, sizeof(x));

	if (strcmp(po, dor) == 0) {
		err = finish(a, &x, DG_DMARC_EXTAUTH_NOT_NEEDED,
		    "same Organizational Domain: no authorization needed");
		goto out;
	}

	/* Steps 1-4: the name, within DNS limits. */
	if (strlen(pol) + strlen("._report._dmarc.") + strlen(dst) >
	    DG_DNS_NAME_MAX) {
		err = finish(a, &x, DG_DMARC_EXTAUTH_NOT_AUTHORIZED,
		    "the authorization name would exceed 253 octets");
		goto out;
	}
	x.qname = dg_arena_printf(a, "%s._report._dmarc.%s", pol, dst);
	if (x.qname == NULL)
		return dg_arena_err(a);

	/* Step 5 */
	err = dg_dns_query(res, x.qname, DG_DNS_T_TXT, a, &ans);
	if (err == DG_EINVAL) {
		err = finish(a, &x, DG_DMARC_EXTAUTH_NOT_AUTHORIZED,
		    "the authorization name is not a valid DNS name");
		goto out;
	}
	if (err != DG_OK)
		return err;
	x.dns = ans.status;
	switch (ans.status) {
	case DG_DNS_OK:
		break;
	case DG_DNS_NXDOMAIN:
	case DG_DNS_NODATA:
		err = finish(a, &x, DG_DMARC_EXTAUTH_NOT_AUTHORIZED,
		    "no authorization record");
		goto out;
	default:
		/* SERVFAIL, TIMEOUT, MALFORMED: the receiver may defer */
		err = finish(a, &x, DG_DMARC_EXTAUTH_TEMPERROR,
		    "the authorization lookup failed");
		goto out;
	}

	/* Steps 6-8 */
	for (i = 0; i < ans.count; i++) {
		const struct dg_dns_rr	*rr = &ans.rrs[i];
		const char		*txt;
		size_t			 len;

		if (rr->type != DG_DNS_T_TXT)
			continue;
		x.ntxt++;
		if ((txt = dg_dns_txt_join(a, rr, &len)) == NULL)
			return dg_arena_err(a);
		if (!dg_dmarc_record_is_dmarc(txt, len, NULL))
			continue;
		if (x.ndmarc++ == 0) {
			first = txt;
			first_len = len;
		}
	}
	if ((flags & DG_DMARC_EXTAUTH_RFC7489) != 0 && x.ntxt > 1) {
		err = finish(a, &x, DG_DMARC_EXTAUTH_NOT_AUTHORIZED,
		    "several TXT records (RFC 7489 7.1 step 5)");
		goto out;
	}
	if (x.ndmarc == 0) {
		err = finish(a, &x, DG_DMARC_EXTAUTH_NOT_AUTHORIZED,
		    "no TXT record starting with v=DMARC1");
		goto out;
	}

	/* Step 9 */
	err = take_override(a, first, first_len, dst, kind, &x, &foreign);
	if (err != DG_OK)
		return err;
	if (foreign) {
		x.override = NULL;
		x.noverride = 0;
		err = finish(a, &x, DG_DMARC_EXTAUTH_NOT_AUTHORIZED,
		    "the authorization record redirects reports to another "
		    "host: no report to either URI");
		goto out;
	}
	err = finish(a, &x, DG_DMARC_EXTAUTH_AUTHORIZED,
	    x.noverride > 0 ? "authorized, with a destination override" :
	    "authorized");
out:
	if (err != DG_OK)
		return err;
	*out = x;
	return DG_OK;
}

enum dg_err
dg_dmarc_extauth_check_walk(struct dg_resolver *res, struct dg_arena *a,
    const char *policy_domain, const char *dest_host,
    enum dg_dmarc_report_kind kind, struct dg_dmarc_extauth *out)
{
	struct dg_dmarc_walk	 pw, dw;
	struct dg_dmarc_extauth	 x;
	enum dg_err		 err;

	if (res == NULL || a == NULL || policy_domain == NULL ||
	    dest_host == NULL || out == NULL)
		return DG_EINVAL;
	memset(&dw, 0, sizeof(dw));
	if ((err = dg_dmarc_tree_walk(res, policy_domain, a, &pw)) != DG_OK)
		return err;
	if (pw.status != DG_DMARC_WALK_TEMPERROR &&
	    (err = dg_dmarc_tree_walk(res, dest_host, a, &dw)) != DG_OK)
		return err;
	if (pw.status == DG_DMARC_WALK_TEMPERROR ||
	    dw.status == DG_DMARC_WALK_TEMPERROR) {
		memset(&x, 0, sizeof(x));
		if ((err = finish(a, &x, DG_DMARC_EXTAUTH_TEMPERROR,
		    "the tree walk for an Organizational Domain failed")) !=
		    DG_OK)
			return err;
		*out = x;
		return DG_OK;
	}
	return dg_dmarc_extauth_check(res, a, policy_domain, pw.org_domain,
	    dest_host, dw.org_domain, kind, 0, out);
}

const char *
dg_dmarc_extauth_result_str(enum dg_dmarc_extauth_result r)
{
	switch (r) {
	case DG_DMARC_EXTAUTH_UNSET:
		return "unset";
	case DG_DMARC_EXTAUTH_NOT_NEEDED:
		return "not-needed";
	case DG_DMARC_EXTAUTH_AUTHORIZED:
		return "authorized";
	case DG_DMARC_EXTAUTH_NOT_AUTHORIZED:
		return "not-authorized";
	case DG_DMARC_EXTAUTH_TEMPERROR:
		return "temperror";
	}
	return "?";
}
