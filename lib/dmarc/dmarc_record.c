/*
 * lib/dmarc/dmarc_record.c -- the DMARC Policy Record parser, RFC 9989
 * 4.7 (tags), 4.8 (formal definition) and 4.10.1 (what a receiver does
 * with a missing or invalid policy), with RFC 7489 6.3 for the removed
 * tags pct, rf and ri.
 *
 * Splitting follows dg_dmarc_record_is_dmarc() (orgdomain.c), so the two
 * agree on what is a DMARC record: the record is cut at every ";" and
 * each piece goes through the shared tag-list parser on its own.  The
 * first piece must be v=DMARC1 (tag name any case, value exact, no
 * leading space: RFC 9989 4.7 "v" and the dmarc-version ABNF); otherwise
 * the record is not a DMARC record and nothing else is looked at.  Any
 * later piece that does not parse is ignored with a finding (4.8:
 * "Syntax errors in the remainder of the record MUST be discarded in
 * favor of default values (if any) or ignored outright").
 *
 * Tag names and keyword values compare case-insensitively (RFC 5234 2.3:
 * ABNF strings are case-insensitive; only "DMARC1" is %s, sensitive).
 * Duplicates: RFC 9989 does not say; RFC 6376 3.2 would void the whole
 * tag-list, which 4.8 does not ask for.  We keep the first valid
 * occurrence (as the tree walk does for psd) and report the others.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dmarc/dmarc_int.h"
#include "util/limits.h"
#include "util/str.h"
#include "util/taglist.h"

static const struct dg_tagdef tagdefs[] = {
	{ "v", DG_DMARC_TAG_V },
	{ "p", DG_DMARC_TAG_P },
	{ "sp", DG_DMARC_TAG_SP },
	{ "np", DG_DMARC_TAG_NP },
	{ "psd", DG_DMARC_TAG_PSD },
	{ "t", DG_DMARC_TAG_T },
	{ "adkim", DG_DMARC_TAG_ADKIM },
	{ "aspf", DG_DMARC_TAG_ASPF },
	{ "rua", DG_DMARC_TAG_RUA },
	{ "ruf", DG_DMARC_TAG_RUF },
	{ "fo", DG_DMARC_TAG_FO },
	{ "pct", DG_DMARC_TAG_PCT },
	{ "rf", DG_DMARC_TAG_RF },
	{ "ri", DG_DMARC_TAG_RI },
};

enum dg_err
dg_dmarc_finding_add(struct dg_dmarc_fsink *fs,
    enum dg_dmarc_finding_code code, enum dg_dmarc_severity sev,
    enum dg_dmarc_tag tag, size_t pos, const char *fmt, ...)
{
	struct dg_dmarc_finding	*f;
	char			 msg[DG_DETAIL_MAX];
	va_list			 ap;

	if (fs->v == NULL) {
		fs->v = dg_arena_calloc(fs->a, DG_DMARC_MAX_FINDINGS,
		    sizeof(*fs->v));
		if (fs->v == NULL)
			return dg_arena_err(fs->a);
	}
	if (fs->n >= DG_DMARC_MAX_FINDINGS) {
		fs->dropped++;
		return DG_OK;
	}
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f = &fs->v[fs->n];
	if ((f->message = dg_arena_strdup(fs->a, msg)) == NULL)
		return dg_arena_err(fs->a);
	f->code = code;
	f->severity = sev;
	f->tag = tag;
	f->pos = pos;
	fs->n++;
	return DG_OK;
}

/* State of one parse. */
struct rparse {
	struct dg_dmarc_fsink	 fs;
	struct dg_dmarc_record	 r;
	struct dg_dmarc_unknown	*unknown;
	size_t			 rua_valid, ruf_valid;
	bool			 seen[DG_DMARC_TAG__COUNT];
};

static int
quote_len(size_t len)
{
	return (int)(len > DG_DMARC_QUOTE_MAX ? DG_DMARC_QUOTE_MAX : len);
}

static bool
parse_policy(struct dg_span v, enum dg_dmarc_policy *out)
{
	if (dg_memcaseeq(v.p, v.len, "none", 4))
		*out = DG_DMARC_POLICY_NONE;
	else if (dg_memcaseeq(v.p, v.len, "quarantine", 10))
		*out = DG_DMARC_POLICY_QUARANTINE;
	else if (dg_memcaseeq(v.p, v.len, "reject", 6))
		*out = DG_DMARC_POLICY_REJECT;
	else
		return false;
	return true;
}

/* One letter out of set (lower case), any case. */
static int
parse_letter(struct dg_span v, const char *set)
{
	int	c;

	if (v.len != 1)
		return -1;
	c = dg_tolower((unsigned char)v.p[0]);
	if (c == '\0' || strchr(set, c) == NULL)
		return -1;
	return c;
}

/*
 * dmarc-fo: "0" / "1" / "d" / "s" joined by ":", each at most once, "0"
 * and "1" mutually exclusive (RFC 9989 4.7 "fo").
 */
static bool
parse_fo(struct dg_span v, unsigned *out)
{
	unsigned	fo = 0, bit;
	size_t		i;

	if (v.len == 0)
		return false;
	for (i = 0; i < v.len; i += 2) {
		switch (dg_tolower((unsigned char)v.p[i])) {
		case '0':
			bit = DG_DMARC_FO_0;
			break;
		case '1':
			bit = DG_DMARC_FO_1;
			break;
		case 'd':
			bit = DG_DMARC_FO_D;
			break;
		case 's':
			bit = DG_DMARC_FO_S;
			break;
		default:
			return false;
		}
		if ((fo & bit) != 0)
			return false;
		fo |= bit;
		if (i + 1 < v.len && (v.p[i + 1] != ':' || i + 2 == v.len))
			return false;
	}
	if ((fo & DG_DMARC_FO_0) && (fo & DG_DMARC_FO_1))
		return false;
	*out = fo;
	return true;
}

/* RFC 7489 6.3 rf: Keyword *(":" Keyword), Keyword = Ldh-str (RFC 5321). */
static bool
parse_rf(struct dg_span v)
{
	size_t	i, start = 0;

	if (v.len == 0)
		return false;
	for (i = 0; i <= v.len; i++) {
		if (i < v.len && v.p[i] != ':') {
			if (!dg_isalnum((unsigned char)v.p[i]) && v.p[i] != '-')
				return false;
			continue;
		}
		if (i == start || !dg_isalnum((unsigned char)v.p[start]) ||
		    v.p[i - 1] == '-')
			return false;
		start = i + 1;
	}
	return true;
}

static const char *
want_str(enum dg_dmarc_tag t)
{
	switch (t) {
	case DG_DMARC_TAG_P:
	case DG_DMARC_TAG_SP:
	case DG_DMARC_TAG_NP:
		return "none, quarantine or reject";
	case DG_DMARC_TAG_PSD:
		return "y, n or u";
	case DG_DMARC_TAG_T:
		return "y or n";
	case DG_DMARC_TAG_ADKIM:
	case DG_DMARC_TAG_ASPF:
		return "r or s";
	case DG_DMARC_TAG_FO:
		return "0, 1, d, s joined by \":\"; not both 0 and 1";
	case DG_DMARC_TAG_PCT:
		return "an integer 0-100";
	case DG_DMARC_TAG_RI:
		return "seconds, 0-4294967295";
	case DG_DMARC_TAG_RF:
		return "keywords joined by \":\"";
	case DG_DMARC_TAG_RUA:
	case DG_DMARC_TAG_RUF:
		return "a list of mailto: URIs";
	default:
		return "?";
	}
}

/*
 * Check v as the value of tag and store it in the record.  *valid says
 * whether it was; findings for URIs are added here.
 */
static enum dg_err
apply_value(struct rparse *rp, enum dg_dmarc_tag tag, struct dg_span v,
    size_t vpos, bool *valid)
{
	struct dg_dmarc_record	*r = &rp->r;
	uint64_t		 n;
	int			 c;
	enum dg_err		 err;

	*valid = false;
	switch (tag) {
	case DG_DMARC_TAG_P:
		*valid = parse_policy(v, &r->p);
		break;
	case DG_DMARC_TAG_SP:
		*valid = parse_policy(v, &r->sp);
		break;
	case DG_DMARC_TAG_NP:
		*valid = parse_policy(v, &r->np);
		break;
	case DG_DMARC_TAG_PSD:
		if ((c = parse_letter(v, "ynu")) < 0)
			break;
		r->psd = c == 'y' ? DG_DMARC_PSD_Y : c == 'n' ?
		    DG_DMARC_PSD_N : DG_DMARC_PSD_U;
		*valid = true;
		break;
	case DG_DMARC_TAG_T:
		if ((c = parse_letter(v, "yn")) < 0)
			break;
		r->t = c == 'y';
		*valid = true;
		break;
	case DG_DMARC_TAG_ADKIM:
	case DG_DMARC_TAG_ASPF:
		if ((c = parse_letter(v, "rs")) < 0)
			break;
		*(tag == DG_DMARC_TAG_ADKIM ? &r->adkim : &r->aspf) =
		    c == 's' ? DG_DMARC_ALIGN_STRICT : DG_DMARC_ALIGN_RELAXED;
		*valid = true;
		break;
	case DG_DMARC_TAG_FO:
		*valid = parse_fo(v, &r->fo);
		break;
	case DG_DMARC_TAG_PCT:
		/* RFC 7489 6.4: dmarc-percent = 1*3DIGIT, 0-100 */
		if (v.len <= 3 && dg_parse_uint(v.p, v.len, 100, &n)) {
			r->pct = (unsigned)n;
			*valid = true;
		}
		break;
	case DG_DMARC_TAG_RI:
		if (dg_parse_uint(v.p, v.len, UINT32_MAX, &n)) {
			r->ri = (uint32_t)n;
			*valid = true;
		}
		break;
	case DG_DMARC_TAG_RF:
		if (parse_rf(v)) {
			if ((r->rf = dg_arena_strndup(rp->fs.a, v.p,
			    v.len)) == NULL)
				return dg_arena_err(rp->fs.a);
			*valid = true;
		}
		break;
	case DG_DMARC_TAG_RUA:
		err = dg_dmarc_urilist_parse(&rp->fs, tag, v.p, v.len, vpos,
		    &r->rua, &r->nrua, &rp->rua_valid);
		if (err != DG_OK)
			return err;
		*valid = rp->rua_valid > 0;
		break;
	case DG_DMARC_TAG_RUF:
		err = dg_dmarc_urilist_parse(&rp->fs, tag, v.p, v.len, vpos,
		    &r->ruf, &r->nruf, &rp->ruf_valid);
		if (err != DG_OK)
			return err;
		*valid = rp->ruf_valid > 0;
		break;
	default:
		break;
	}
	return DG_OK;
}

static enum dg_err
add_unknown(struct rparse *rp, const struct dg_tag *t, size_t pos)
{
	struct dg_dmarc_unknown	*u;
	struct dg_arena		*a = rp->fs.a;

	if (rp->r.nunknown >= DG_DMARC_MAX_UNKNOWN)
		return DG_OK;
	if (rp->unknown == NULL) {
		rp->unknown = dg_arena_calloc(a, DG_DMARC_MAX_UNKNOWN,
		    sizeof(*rp->unknown));
		if (rp->unknown == NULL)
			return dg_arena_err(a);
		rp->r.unknown = rp->unknown;
	}
	u = &rp->unknown[rp->r.nunknown];
	u->name = dg_arena_strndup(a, t->name.p, t->name.len);
	u->value = dg_arena_strndup(a, t->value.p, t->value.len);
	if (u->name == NULL || u->value == NULL)
		return dg_arena_err(a);
	u->pos = pos;
	rp->r.nunknown++;
	return DG_OK;
}

/* One tag after the first: dispatch, check, record findings. */
static enum dg_err
do_tag(struct rparse *rp, const struct dg_tag *t, size_t npos, size_t vpos)
{
	struct dg_dmarc_record	*r = &rp->r;
	struct dg_dmarc_fsink	*fs = &rp->fs;
	bool			 rfc7489 = (fs->flags &
				    DG_DMARC_PARSE_RFC7489) != 0;
	bool			 valid;
	int			 id;
	enum dg_dmarc_tag	 tag;
	enum dg_err		 err;

	id = dg_taglist_match(tagdefs, sizeof(tagdefs) / sizeof(tagdefs[0]),
	    t->name, true);
	if (rfc7489 && (id == DG_DMARC_TAG_PSD || id == DG_DMARC_TAG_T))
		id = -1;
	if (id < 0) {
		if ((err = add_unknown(rp, t, npos)) != DG_OK)
			return err;
		return dg_dmarc_finding_add(fs, DG_DMARC_F_UNKNOWN_TAG,
		    DG_DMARC_SEV_WARNING, DG_DMARC_TAG_UNKNOWN, npos,
		    "unknown tag \"%.*s\" ignored", quote_len(t->name.len),
		    t->name.p);
	}
	tag = (enum dg_dmarc_tag)id;

	if (tag == DG_DMARC_TAG_V || (r->explicit_mask & (1u << tag)) != 0)
		return dg_dmarc_finding_add(fs, DG_DMARC_F_DUPLICATE_TAG,
		    DG_DMARC_SEV_ERROR, tag, npos,
		    "duplicate %s tag ignored (the first one counts)",
		    dg_dmarc_tag_str(tag));
	if (rp->seen[tag]) {
		err = dg_dmarc_finding_add(fs, DG_DMARC_F_DUPLICATE_TAG,
		    DG_DMARC_SEV_ERROR, tag, npos,
		    "duplicate %s tag (the earlier one was invalid)",
		    dg_dmarc_tag_str(tag));
		if (err != DG_OK)
			return err;
	}
	if (!rfc7489 && (tag == DG_DMARC_TAG_PCT || tag == DG_DMARC_TAG_RF ||
	    tag == DG_DMARC_TAG_RI)) {
		err = dg_dmarc_finding_add(fs, DG_DMARC_F_OBSOLETE_TAG,
		    DG_DMARC_SEV_WARNING, tag, npos,
		    "%s was removed by RFC 9989; only RFC 7489 receivers "
		    "use it",
		    dg_dmarc_tag_str(tag));
		if (err != DG_OK)
			return err;
	}

	if ((err = apply_value(rp, tag, t->value, vpos, &valid)) != DG_OK)
		return err;
	if (valid || !rp->seen[tag]) {
		r->raw[tag] = dg_arena_strndup(fs->a, t->value.p,
		    t->value.len);
		if (r->raw[tag] == NULL)
			return dg_arena_err(fs->a);
		r->raw_pos[tag] = vpos;
	}
	rp->seen[tag] = true;
	if (valid) {
		r->explicit_mask |= 1u << tag;
		return DG_OK;
	}
	/* rua/ruf: each bad or empty URI already has its finding. */
	if (tag == DG_DMARC_TAG_RUA || tag == DG_DMARC_TAG_RUF)
		return DG_OK;
	return dg_dmarc_finding_add(fs, DG_DMARC_F_INVALID_VALUE,
	    tag == DG_DMARC_TAG_P || tag == DG_DMARC_TAG_SP ||
	    tag == DG_DMARC_TAG_NP ? DG_DMARC_SEV_ERROR : DG_DMARC_SEV_WARNING,
	    tag, vpos, "invalid %s value \"%.*s\" (want %s)%s",
	    dg_dmarc_tag_str(tag), quote_len(t->value.len), t->value.p,
	    want_str(tag), tag == DG_DMARC_TAG_P || tag == DG_DMARC_TAG_SP ||
	    tag == DG_DMARC_TAG_NP ? "" : "; default used");
}

/* Is p[0..len) only white space (an empty tag-spec)? */
static bool
blank(const char *p, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (!dg_iswsp((unsigned char)p[i]) && p[i] != '\r' &&
		    p[i] != '\n')
			return false;
	return true;
}

/* The first tag-spec must be v=DMARC1 (RFC 9989 4.7 "v"). */
static enum dg_err
check_version(struct rparse *rp, const char *p, size_t len, size_t seglen)
{
	struct dg_tag	 t;
	size_t		 n, i;
	const char	*why;

	if (len > 0 && (p[0] == 'v' || p[0] == 'V') &&
	    dg_taglist_parse(p, seglen, 0, &t, 1, &n, NULL) == DG_OK &&
	    dg_memcaseeq(t.name.p, t.name.len, "v", 1)) {
		if (t.value.len == 6 && memcmp(t.value.p, "DMARC1", 6) == 0) {
			rp->r.is_dmarc = true;
			rp->r.raw[DG_DMARC_TAG_V] = "DMARC1";
			rp->r.raw_pos[DG_DMARC_TAG_V] =
			    (size_t)(t.value.p - p);
			rp->r.explicit_mask |= 1u << DG_DMARC_TAG_V;
			return DG_OK;
		}
		return dg_dmarc_finding_add(&rp->fs, DG_DMARC_F_NOT_DMARC,
		    DG_DMARC_SEV_ERROR, DG_DMARC_TAG_V,
		    (size_t)(t.value.p - p),
		    dg_memcaseeq(t.value.p, t.value.len, "DMARC1", 6) ?
		    "not a DMARC record: v=%.*s (the value is case-sensitive: "
		    "DMARC1)" : "not a DMARC record: v=%.*s (want DMARC1)",
		    quote_len(t.value.len), t.value.p);
	}

	/* Say why: v elsewhere, leading space, or no v at all. */
	why = "not a DMARC record: it must start with v=DMARC1";
	if (len > 0 && (dg_iswsp((unsigned char)p[0]) || p[0] == '\r' ||
	    p[0] == '\n'))
		why = "not a DMARC record: white space before v=DMARC1";
	for (i = 0; i + 1 < len; i++) {
		if (p[i] == ';' && i + 1 < len) {
			size_t	j = i + 1;

			while (j < len && dg_iswsp((unsigned char)p[j]))
				j++;
			if (j < len && (p[j] == 'v' || p[j] == 'V') &&
			    (j + 1 == len || p[j + 1] == '=' ||
			    dg_iswsp((unsigned char)p[j + 1]))) {
				why = "not a DMARC record: v=DMARC1 must be "
				    "the first tag";
				break;
			}
		}
	}
	return dg_dmarc_finding_add(&rp->fs, DG_DMARC_F_NOT_DMARC,
	    DG_DMARC_SEV_ERROR, DG_DMARC_TAG_V, 0, "%s", why);
}

/*
 * RFC 9989 4.10.1: "If a retrieved DMARC Policy Record does not contain a
 * valid "p" tag, or contains an "sp" or "np" tag that is not valid, then:
 * if a "rua" tag is present and contains at least one syntactically valid
 * reporting URI, the Mail Receiver MUST act as if a record containing
 * "p=none" was retrieved and continue processing; otherwise, the Mail
 * Receiver applies no DMARC processing to this message."  (RFC 7489 6.6.3
 * says the same for p and sp.)  4.7 says a record without p is treated as
 * p=none; 4.10.1 is the processing rule and the stricter one, so it wins
 * here; the difference is only for a record with neither p nor rua.
 */
static enum dg_err
resolve_policy(struct rparse *rp)
{
	struct dg_dmarc_record	*r = &rp->r;
	bool			 bad_p, bad_sub, missing_p;
	enum dg_err		 err;

	missing_p = !rp->seen[DG_DMARC_TAG_P];
	bad_p = r->p == DG_DMARC_POLICY_UNSET;
	bad_sub = (rp->seen[DG_DMARC_TAG_SP] &&
	    r->sp == DG_DMARC_POLICY_UNSET) ||
	    (rp->seen[DG_DMARC_TAG_NP] && r->np == DG_DMARC_POLICY_UNSET);

	if (missing_p) {
		err = dg_dmarc_finding_add(&rp->fs, DG_DMARC_F_MISSING_P,
		    DG_DMARC_SEV_WARNING, DG_DMARC_TAG_P, 0,
		    "no p tag (RFC 9989 4.7: RECOMMENDED)");
		if (err != DG_OK)
			return err;
	}
	if (!bad_p && !bad_sub) {
		r->p_eff = r->p;
		r->sp_eff = r->sp != DG_DMARC_POLICY_UNSET ? r->sp : r->p;
		r->np_eff = r->np != DG_DMARC_POLICY_UNSET ? r->np : r->sp_eff;
		return DG_OK;
	}
	if (rp->rua_valid > 0) {
		r->policy_fallback = true;
		r->p_eff = r->sp_eff = r->np_eff = DG_DMARC_POLICY_NONE;
		return dg_dmarc_finding_add(&rp->fs, DG_DMARC_F_POLICY_FALLBACK,
		    missing_p && !bad_sub ? DG_DMARC_SEV_INFO :
		    DG_DMARC_SEV_ERROR, DG_DMARC_TAG_NONE, 0,
		    "%s: receivers act as if the record said p=none, because "
		    "rua has a valid URI (RFC 9989 4.10.1)",
		    missing_p && !bad_sub ? "p is missing" :
		    "p, sp or np is invalid");
	}
	r->status = DG_DMARC_REC_INVALID;
	r->invalid_reason = DG_DMARC_INV_NO_POLICY;
	return dg_dmarc_finding_add(&rp->fs, DG_DMARC_F_NO_POLICY,
	    DG_DMARC_SEV_ERROR, DG_DMARC_TAG_NONE, 0,
	    "%s and rua has no valid URI: receivers apply no DMARC "
	    "processing (RFC 9989 4.10.1)", missing_p && !bad_sub ?
	    "p is missing" : "p, sp or np is invalid");
}

enum dg_err
dg_dmarc_record_parse_ex(struct dg_arena *a, const char *p, size_t len,
    unsigned flags, struct dg_dmarc_record *out)
{
	struct rparse	 rp;
	size_t		 start, i, k;
	bool		 first = true;
	enum dg_err	 err;

	if (a == NULL || p == NULL || out == NULL)
		return DG_EINVAL;
	memset(&rp, 0, sizeof(rp));
	rp.fs.a = a;
	rp.fs.flags = flags;
	rp.r.adkim = rp.r.aspf = DG_DMARC_ALIGN_RELAXED;
	rp.r.psd = DG_DMARC_PSD_U;
	rp.r.fo = DG_DMARC_FO_0;
	rp.r.pct = 100;
	rp.r.rf = "afrf";
	rp.r.ri = 86400;

	if (len > DG_DMARC_RECORD_MAX) {
		rp.r.is_dmarc = dg_dmarc_record_is_dmarc(p, len, NULL);
		rp.r.status = DG_DMARC_REC_INVALID;
		rp.r.invalid_reason = DG_DMARC_INV_TOO_LONG;
		err = dg_dmarc_finding_add(&rp.fs, DG_DMARC_F_TOO_LONG,
		    DG_DMARC_SEV_ERROR, DG_DMARC_TAG_NONE, DG_DMARC_RECORD_MAX,
		    "record longer than %u bytes: no TXT record can hold it",
		    (unsigned)DG_DMARC_RECORD_MAX);
		if (err != DG_OK)
			return err;
		goto done;
	}

	/* The loop is bounded by len: start grows by at least one. */
	for (start = 0; start <= len; start = i + 1) {
		struct dg_tag		 t;
		struct dg_taglist_error	 te;
		size_t			 n;

		for (i = start; i < len && p[i] != ';'; i++)
			continue;
		if (first) {
			first = false;
			if ((err = check_version(&rp, p, len, i)) != DG_OK)
				return err;
			if (!rp.r.is_dmarc) {
				rp.r.status = DG_DMARC_REC_INVALID;
				rp.r.invalid_reason = DG_DMARC_INV_NOT_DMARC;
				goto done;
			}
			continue;
		}
		if (blank(p + start, i - start)) {
			/* [dmarc-sep] at the end is allowed; ";;" is not */
			if (i == len)
				continue;
			err = dg_dmarc_finding_add(&rp.fs, DG_DMARC_F_EMPTY_TAG,
			    DG_DMARC_SEV_INFO, DG_DMARC_TAG_NONE, i,
			    "empty tag between \";\" separators");
			if (err != DG_OK)
				return err;
			continue;
		}
		if (dg_taglist_parse(p + start, i - start, 0, &t, 1, &n,
		    &te) != DG_OK) {
			err = dg_dmarc_finding_add(&rp.fs, DG_DMARC_F_SYNTAX,
			    DG_DMARC_SEV_ERROR, DG_DMARC_TAG_NONE,
			    start + te.pos, "syntax error: %s; tag ignored",
			    dg_taglist_reason_str(te.reason));
			if (err != DG_OK)
				return err;
			continue;
		}
		err = do_tag(&rp, &t, (size_t)(t.name.p - p),
		    (size_t)(t.value.p - p));
		if (err != DG_OK)
			return err;
	}

	if (rp.seen[DG_DMARC_TAG_FO] && rp.ruf_valid == 0) {
		err = dg_dmarc_finding_add(&rp.fs, DG_DMARC_F_FO_WITHOUT_RUF,
		    DG_DMARC_SEV_INFO, DG_DMARC_TAG_FO,
		    rp.r.raw_pos[DG_DMARC_TAG_FO],
		    "fo has no effect without a valid ruf (RFC 9989 4.7)");
		if (err != DG_OK)
			return err;
	}
	if ((err = resolve_policy(&rp)) != DG_OK)
		return err;

	if (rp.r.status == DG_DMARC_REC_UNSET) {
		rp.r.status = DG_DMARC_REC_VALID;
		for (k = 0; k < rp.fs.n; k++)
			if (rp.fs.v[k].severity >= DG_DMARC_SEV_WARNING)
				rp.r.status = DG_DMARC_REC_WARNINGS;
		if (rp.fs.dropped > 0)
			rp.r.status = DG_DMARC_REC_WARNINGS;
	}
done:
	rp.r.findings = rp.fs.v;
	rp.r.nfindings = rp.fs.n;
	rp.r.findings_dropped = rp.fs.dropped;
	*out = rp.r;
	return DG_OK;
}

enum dg_err
dg_dmarc_record_parse(struct dg_arena *a, const char *p, size_t len,
    struct dg_dmarc_record *out)
{
	return dg_dmarc_record_parse_ex(a, p, len, 0, out);
}

bool
dg_dmarc_record_explicit(const struct dg_dmarc_record *r,
    enum dg_dmarc_tag tag)
{
	if (r == NULL || (unsigned)tag >= DG_DMARC_TAG__COUNT)
		return false;
	return (r->explicit_mask & (1u << tag)) != 0;
}

const char *
dg_dmarc_tag_str(enum dg_dmarc_tag t)
{
	size_t	i;

	if (t == DG_DMARC_TAG_NONE)
		return "record";
	for (i = 0; i < sizeof(tagdefs) / sizeof(tagdefs[0]); i++)
		if (tagdefs[i].id == (int)t)
			return tagdefs[i].name;
	return "unknown";
}

const char *
dg_dmarc_policy_str(enum dg_dmarc_policy p)
{
	switch (p) {
	case DG_DMARC_POLICY_UNSET:
		return "unset";
	case DG_DMARC_POLICY_NONE:
		return "none";
	case DG_DMARC_POLICY_QUARANTINE:
		return "quarantine";
	case DG_DMARC_POLICY_REJECT:
		return "reject";
	}
	return "?";
}

const char *
dg_dmarc_align_str(enum dg_dmarc_align a)
{
	switch (a) {
	case DG_DMARC_ALIGN_UNSET:
		return "unset";
	case DG_DMARC_ALIGN_RELAXED:
		return "r";
	case DG_DMARC_ALIGN_STRICT:
		return "s";
	}
	return "?";
}

const char *
dg_dmarc_severity_str(enum dg_dmarc_severity s)
{
	switch (s) {
	case DG_DMARC_SEV_UNSET:
		return "unset";
	case DG_DMARC_SEV_INFO:
		return "info";
	case DG_DMARC_SEV_WARNING:
		return "warning";
	case DG_DMARC_SEV_ERROR:
		return "error";
	}
	return "?";
}

const char *
dg_dmarc_finding_code_str(enum dg_dmarc_finding_code c)
{
	switch (c) {
	case DG_DMARC_F_UNSET:
		return "unset";
	case DG_DMARC_F_NOT_DMARC:
		return "not-dmarc";
	case DG_DMARC_F_TOO_LONG:
		return "too-long";
	case DG_DMARC_F_SYNTAX:
		return "syntax";
	case DG_DMARC_F_EMPTY_TAG:
		return "empty-tag";
	case DG_DMARC_F_UNKNOWN_TAG:
		return "unknown-tag";
	case DG_DMARC_F_OBSOLETE_TAG:
		return "obsolete-tag";
	case DG_DMARC_F_INVALID_VALUE:
		return "invalid-value";
	case DG_DMARC_F_DUPLICATE_TAG:
		return "duplicate-tag";
	case DG_DMARC_F_MISSING_P:
		return "missing-p";
	case DG_DMARC_F_POLICY_FALLBACK:
		return "policy-fallback";
	case DG_DMARC_F_NO_POLICY:
		return "no-policy";
	case DG_DMARC_F_BAD_URI:
		return "bad-uri";
	case DG_DMARC_F_EMPTY_URI:
		return "empty-uri";
	case DG_DMARC_F_UNSUPPORTED_SCHEME:
		return "unsupported-scheme";
	case DG_DMARC_F_OBSOLETE_SIZE:
		return "obsolete-size";
	case DG_DMARC_F_TOO_MANY_URIS:
		return "too-many-uris";
	case DG_DMARC_F_FO_WITHOUT_RUF:
		return "fo-without-ruf";
	}
	return "?";
}

const char *
dg_dmarc_record_status_str(enum dg_dmarc_record_status s)
{
	switch (s) {
	case DG_DMARC_REC_UNSET:
		return "unset";
	case DG_DMARC_REC_VALID:
		return "valid";
	case DG_DMARC_REC_WARNINGS:
		return "valid-with-warnings";
	case DG_DMARC_REC_INVALID:
		return "invalid";
	}
	return "?";
}

const char *
dg_dmarc_invalid_str(enum dg_dmarc_invalid r)
{
	switch (r) {
	case DG_DMARC_INV_NONE:
		return "none";
	case DG_DMARC_INV_NOT_DMARC:
		return "not a DMARC record";
	case DG_DMARC_INV_NO_POLICY:
		return "no valid policy and no valid rua";
	case DG_DMARC_INV_TOO_LONG:
		return "record too long";
	}
	return "?";
}

const char *
dg_dmarc_uri_status_str(enum dg_dmarc_uri_status s)
{
	switch (s) {
	case DG_DMARC_URI_UNSET:
		return "unset";
	case DG_DMARC_URI_OK:
		return "ok";
	case DG_DMARC_URI_UNSUPPORTED:
		return "unsupported";
	case DG_DMARC_URI_BAD:
		return "bad";
	}
	return "?";
}
