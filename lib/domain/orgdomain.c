/*
 * lib/domain/orgdomain.c -- the RFC 9989 DNS Tree Walk (section 4.10):
 * policy discovery (4.10.1) and the Organizational Domain (4.10.2), plus
 * the domain-name normalisation the domain module shares (5.3.1: U-labels
 * become A-labels before any lookup).  This is the module's one file that
 * includes <idn2.h>.
 *
 * Left out on purpose: full DMARC record parsing (p, sp, np, rua, ...),
 * which is the dmarc module's; here a record is only "does it start with
 * v=DMARC1, and what is its psd tag" (RFC 9989 4.7, 4.8).  Caching across
 * walks is the resolver's business.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>


#include <dmarcguard/orgdomain.h>

#include "domain/domain_int.h"
#include "util/idn.h"
#include "util/limits.h"
#include "util/str.h"
#include "util/taglist.h"

/* The bound on one step's answer and on the whole walk. */
_Static_assert(DG_DMARC_WALK_MAX_QUERIES == 1 + DG_DMARC_WALK_MAX_LABELS,
    "RFC 9989 4.10: one query for the subject, then at most 7 labels");

/* Longest input we hand to libidn2: a U-label name can be longer in
 * bytes than its A-label form, but not by more than this. */
#define DOMAIN_INPUT_MAX	1024

/* ------------------------------------------------------------------ */
/* Domain names                                                        */

bool
dg_domain_is_ascii(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/*
 * Letters, digits, "-" and "_" (SPF and DKIM names carry underscores);
 * labels of 1..63 octets, at most 253 octets (RFC 1035 2.3.4).  Anything
 * else (space, "@", control bytes, "*") is not a domain we look up.
 */
static bool
valid_ascii_name(const char *s, size_t len)
{
	size_t	i, label = 0;

	if (len == 0 || len > DG_DNS_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)s[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!dg_isalnum(c) && c != '-' && c != '_')
			return false;
		if (++label > DG_DNS_LABEL_MAX)
			return false;
	}
	return label > 0;
}

enum dg_err
dg_domain_normalize(const char *domain, char *out, size_t cap)
{
	char	 buf[DOMAIN_INPUT_MAX + 1];
	size_t	 len, i;

	if (domain == NULL || out == NULL)
		return DG_EINVAL;
	len = strlen(domain);
	if (len > 0 && domain[len - 1] == '.')
		len--;
	if (len == 0 || len > DOMAIN_INPUT_MAX)
		return DG_EINVAL;

	if (dg_domain_is_ascii(domain, len)) {
		for (i = 0; i < len; i++)
			buf[i] = (char)dg_tolower((unsigned char)domain[i]);
		buf[len] = '\0';
	} else {
		char	res[DOMAIN_INPUT_MAX + 1];

		memcpy(buf, domain, len);
		buf[len] = '\0';
		if (dg_idn_to_ascii(buf, res, sizeof(res)) != DG_IDN_OK)
			return DG_EINVAL;
		len = strlen(res);
		memcpy(buf, res, len + 1);
		if (len > 0 && buf[len - 1] == '.')
			buf[--len] = '\0';
	}
	if (!valid_ascii_name(buf, len))
		return DG_EINVAL;
	if (len + 1 > cap)
		return DG_ETOOBIG;
	memcpy(out, buf, len + 1);
	return DG_OK;
}

enum dg_err
dg_domain_to_unicode(const char *alabels, char *out, size_t cap)
{
	switch (dg_idn_to_unicode(alabels, out, cap)) {
	case DG_IDN_OK:
		return DG_OK;
	case DG_IDN_NO_ROOM:
		return DG_ETOOBIG;
	default:
		return DG_EINVAL;
	}
}

size_t
dg_domain_label_count(const char *name)
{
	size_t	n = 1;

	for (; *name != '\0'; name++)
		if (*name == '.')
			n++;
	return n;
}

const char *
dg_domain_last_labels(const char *name, size_t n)
{
	size_t	total = dg_domain_label_count(name), skip;

	assert(n >= 1 && n <= total);
	for (skip = total - n; skip > 0; skip--) {
		name = strchr(name, '.');
		assert(name != NULL);
		name++;
	}
	return name;
}

/* ------------------------------------------------------------------ */
/* The record checks the walk needs                                    */

/*
 * RFC 9989 4.8: dmarc-record = dmarc-version *(dmarc-sep dmarc-tag)
 * [dmarc-sep], dmarc-version = "v" equals %s"DMARC1".  So the record
 * starts with "v" (the tag name is case-insensitive, no space before it)
 * and the value is exactly "DMARC1".  4.7: "If the tag is not the first in
 * the list, or the tag is absent, or the value is not "DMARC1", then the
 * entire record MUST be ignored."
 *
 * psd: 4.8 says syntax errors in the rest of the record are discarded in
 * favour of defaults, so each tag-spec is parsed on its own through the
 * shared tag-list parser and a broken one does not hide the others.  The
 * first well-formed psd tag with a valid value (y, n, u; any case) counts;
 * none means "u".
 */
bool
dg_dmarc_record_is_dmarc(const char *p, size_t len, enum dg_dmarc_psd *psd)
{
	struct dg_tag	tag;
	size_t		i, start, n;
	bool		first = true, have_psd = false;

	if (p == NULL || len == 0 || (p[0] != 'v' && p[0] != 'V'))
		return false;
	if (psd != NULL)
		*psd = DG_DMARC_PSD_U;

	for (start = 0; start <= len; start = i + 1) {
		for (i = start; i < len && p[i] != ';'; i++)
			continue;
		if (dg_taglist_parse(p + start, i - start, 0, &tag, 1, &n,
		    NULL) != DG_OK) {
			if (first)
				return false;
			continue;	/* ignored, RFC 9989 4.8 */
		}
		if (first) {
			if (!dg_memcaseeq(tag.name.p, tag.name.len, "v", 1) ||
			    tag.value.len != 6 ||
			    memcmp(tag.value.p, "DMARC1", 6) != 0)
				return false;
			first = false;
			if (psd == NULL)
				return true;
			continue;
		}
		if (!have_psd &&
		    dg_memcaseeq(tag.name.p, tag.name.len, "psd", 3) &&
		    tag.value.len == 1) {
			switch (dg_tolower((unsigned char)tag.value.p[0])) {
			case 'y':
				*psd = DG_DMARC_PSD_Y;
				have_psd = true;
				break;
			case 'n':
				*psd = DG_DMARC_PSD_N;
				have_psd = true;
				break;
			case 'u':
				have_psd = true;
				break;
			default:
				break;	/* invalid value: default u */
			}
		}
	}
	return !first;
}

/* ------------------------------------------------------------------ */
/* The walk                                                            */

/*
 * RFC 9989 4.10 steps 1-2 and 5-6 for one target: query _dmarc.<target>
 * TXT, discard the records that do not start with v=DMARC1, and discard
 * them all if more than one remains.
 */
static enum dg_err
walk_query(struct dg_resolver *res, struct dg_arena *a, const char *target,
    struct dg_dmarc_walk_step *st, unsigned *nqueries)
{
	struct dg_dns_answer	 ans;
	enum dg_err		 err;
	size_t			 i;

	memset(st, 0, sizeof(*st));
	st->domain = dg_arena_strdup(a, target);
	st->qname = dg_arena_printf(a, "_dmarc.%s", target);
	if (st->domain == NULL || st->qname == NULL)
		return dg_arena_err(a);

	/* A name that long cannot exist, so it has no record; asking
	 * would only fail as a caller error. */
	if (strlen(st->qname) > DG_DNS_NAME_MAX) {
		st->dns = DG_DNS_UNSET;
		st->answer = DG_DMARC_ANS_NOT_ASKED;
		return DG_OK;
	}

	err = dg_dns_query(res, st->qname, DG_DNS_T_TXT, a, &ans);
	if (err != DG_OK)
		return err;
	(*nqueries)++;
	st->dns = ans.status;

	switch (ans.status) {
	case DG_DNS_OK:
		break;
	case DG_DNS_NXDOMAIN:
	case DG_DNS_NODATA:
		st->answer = DG_DMARC_ANS_NONE;
		return DG_OK;
	case DG_DNS_SERVFAIL:
	case DG_DNS_TIMEOUT:
	case DG_DNS_MALFORMED:
		/* RFC 9989 4.10.1: "no such record" is only an answer that
		 * says so, never a transient error. */
		st->answer = DG_DMARC_ANS_TEMPERROR;
		return DG_OK;
	default:
		return DG_EINTERNAL;	/* backend left the status unset */
	}

	for (i = 0; i < ans.count; i++) {
		const struct dg_dns_rr	*rr = &ans.rrs[i];
		enum dg_dmarc_psd	 psd;
		size_t			 len;
		char			*txt;

		if (rr->type != DG_DNS_T_TXT)
			continue;
		st->ntxt++;
		/* The character-strings of one RR are joined with no
		 * separator (RFC 6376 3.6.2.2, as for DKIM keys). */
		txt = dg_dns_txt_join(a, rr, &len);
		if (txt == NULL)
			return dg_arena_err(a);
		if (!dg_dmarc_record_is_dmarc(txt, len, &psd))
			continue;
		if (++st->ndmarc == 1) {
			st->record = txt;
			st->record_len = len;
			st->psd = psd;
		}
	}
	if (st->ndmarc == 1) {
		st->answer = DG_DMARC_ANS_RECORD;
	} else {
		/* None, or several: "If multiple DMARC Policy Records are
		 * returned for a single target, they are all discarded." */
		st->answer = st->ndmarc == 0 ? DG_DMARC_ANS_NONE :
		    DG_DMARC_ANS_MULTIPLE;
		st->record = NULL;
		st->record_len = 0;
		st->psd = DG_DMARC_PSD_UNSET;
	}
	return DG_OK;
}

/*
 * RFC 9989 4.10.2: among the records the walk retrieved, from the longest
 * name to the shortest:
 *   1. psd=n: that domain is the Organizational Domain;
 *   2. psd=y, at a name other than the one the walk started at: the
 *      domain one label below it (the subject's last labels(psd)+1);
 *   3. otherwise the record at the name with the fewest labels.
 * No record at all: the subject itself.  Since the walk stops at the first
 * psd=y or psd=n, only the last record found can carry one.
 */
static const char *
select_org(const struct dg_dmarc_walk *w, struct dg_dmarc_walk_step *steps,
    const struct dg_dmarc_walk_step **psd_step)
{
	const struct dg_dmarc_walk_step	*last = NULL;
	size_t				 i;

	*psd_step = NULL;
	for (i = 0; i < w->nsteps; i++) {
		const struct dg_dmarc_walk_step	*st = &steps[i];

		if (st->answer != DG_DMARC_ANS_RECORD)
			continue;
		if (st->psd == DG_DMARC_PSD_N)
			return st->domain;
		if (st->psd == DG_DMARC_PSD_Y && i > 0) {
			*psd_step = st;
			return dg_domain_last_labels(w->domain,
			    dg_domain_label_count(st->domain) + 1);
		}
		last = st;
	}
	return last != NULL ? last->domain : w->domain;
}

enum dg_err
dg_dmarc_tree_walk(struct dg_resolver *res, const char *domain,
    struct dg_arena *a, struct dg_dmarc_walk *out)
{
	struct dg_dmarc_walk		 w;
	struct dg_dmarc_walk_step	*steps, *failed = NULL;
	const struct dg_dmarc_walk_step	*psd_step = NULL, *applied = NULL;
	char				 norm[DG_DOMAIN_BUF];
	const char			*target;
	size_t				 labels, next, i;
	enum dg_err			 err;

	if (res == NULL || domain == NULL || a == NULL || out == NULL)
		return DG_EINVAL;
	if ((err = dg_domain_normalize(domain, norm, sizeof(norm))) != DG_OK)
		return err;

	memset(&w, 0, sizeof(w));
	w.domain = dg_arena_strdup(a, norm);
	steps = dg_arena_calloc(a, DG_DMARC_WALK_MAX_QUERIES, sizeof(*steps));
	if (w.domain == NULL || steps == NULL)
		return dg_arena_err(a);
	w.steps = steps;

	/*
	 * RFC 9989 4.10: the first query is at the subject itself (4.10.1:
	 * "Policy discovery starts first with a query ... Author Domain").
	 * Step 4: with x labels, x < 8 drops the left-most label, x >= 8
	 * drops labels until 7 remain; step 7: then one label at a time
	 * until a record has psd=y or psd=n, or no labels are left.  At
	 * most 1 + 7 queries (DG_DMARC_WALK_MAX_QUERIES).
	 */
	target = w.domain;
	labels = dg_domain_label_count(target);
	for (;;) {
		struct dg_dmarc_walk_step	*st = &steps[w.nsteps];

		assert(w.nsteps < DG_DMARC_WALK_MAX_QUERIES);
		err = walk_query(res, a, target, st, &w.dns_queries);
		if (err != DG_OK)
			return err;
		w.nsteps++;
		if (st->answer == DG_DMARC_ANS_TEMPERROR) {
			failed = st;
			break;
		}
		if (st->answer == DG_DMARC_ANS_RECORD &&
		    (st->psd == DG_DMARC_PSD_Y || st->psd == DG_DMARC_PSD_N))
			break;
		if (labels == 1)
			break;
		next = labels > DG_DMARC_WALK_MAX_LABELS ?
		    DG_DMARC_WALK_MAX_LABELS : labels - 1;
		target = dg_domain_last_labels(target, next);
		labels = next;
	}

	for (i = 0; i < w.nsteps; i++) {
		if (steps[i].answer == DG_DMARC_ANS_RECORD &&
		    steps[i].psd == DG_DMARC_PSD_Y) {
			w.psd_seen = true;
			w.psd_domain = steps[i].domain;
		}
	}

	/*
	 * Precedence: any temperror beats none and found.  A record at the
	 * subject itself is still reported (it applies whatever lies
	 * above), but the Organizational Domain is unknown.
	 */
	if (failed != NULL) {
		w.status = DG_DMARC_WALK_TEMPERROR;
		w.failed_qname = failed->qname;
		w.failed_dns = failed->dns;
		if (steps[0].answer == DG_DMARC_ANS_RECORD) {
			applied = &steps[0];
			w.policy_source = DG_DMARC_SRC_AUTHOR;
		}
	} else {
		w.org_domain = select_org(&w, steps, &psd_step);

		/* RFC 9989 4.10.1: the record at the Author Domain, else at
		 * its Organizational Domain, else at its PSD. */
		if (steps[0].answer == DG_DMARC_ANS_RECORD) {
			applied = &steps[0];
			w.policy_source = DG_DMARC_SRC_AUTHOR;
		} else {
			for (i = 1; i < w.nsteps; i++) {
				if (steps[i].answer == DG_DMARC_ANS_RECORD &&
				    strcmp(steps[i].domain, w.org_domain) ==
				    0) {
					applied = &steps[i];
					w.policy_source = DG_DMARC_SRC_ORG;
					break;
				}
			}
			if (applied == NULL && psd_step != NULL) {
				applied = psd_step;
				w.policy_source = DG_DMARC_SRC_PSD;
			}
		}
		w.status = applied != NULL ? DG_DMARC_WALK_FOUND :
		    DG_DMARC_WALK_NONE;
	}
	if (applied != NULL) {
		w.policy_record = applied->record;
		w.policy_record_len = applied->record_len;
		w.policy_domain = applied->domain;
		w.policy_psd = applied->psd;
	}
	*out = w;
	return DG_OK;
}

/* ------------------------------------------------------------------ */

const char *
dg_dmarc_walk_status_str(enum dg_dmarc_walk_status s)
{
	switch (s) {
	case DG_DMARC_WALK_UNSET:	return "unset";
	case DG_DMARC_WALK_FOUND:	return "found";
	case DG_DMARC_WALK_NONE:	return "none";
	case DG_DMARC_WALK_TEMPERROR:	return "temperror";
	}
	return "unknown";
}

const char *
dg_dmarc_psd_str(enum dg_dmarc_psd p)
{
	switch (p) {
	case DG_DMARC_PSD_UNSET:	return "unset";
	case DG_DMARC_PSD_U:		return "u";
	case DG_DMARC_PSD_Y:		return "y";
	case DG_DMARC_PSD_N:		return "n";
	}
	return "unknown";
}

const char *
dg_dmarc_answer_str(enum dg_dmarc_answer a)
{
	switch (a) {
	case DG_DMARC_ANS_UNSET:	return "unset";
	case DG_DMARC_ANS_NONE:		return "none";
	case DG_DMARC_ANS_RECORD:	return "record";
	case DG_DMARC_ANS_MULTIPLE:	return "multiple";
	case DG_DMARC_ANS_TEMPERROR:	return "temperror";
	case DG_DMARC_ANS_NOT_ASKED:	return "not-asked";
	}
	return "unknown";
}

const char *
dg_dmarc_source_str(enum dg_dmarc_source s)
{
	switch (s) {
	case DG_DMARC_SRC_UNSET:	return "unset";
	case DG_DMARC_SRC_AUTHOR:	return "author";
	case DG_DMARC_SRC_ORG:		return "organizational";
	case DG_DMARC_SRC_PSD:		return "psd";
	}
	return "unknown";
}
