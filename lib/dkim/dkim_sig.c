/*
 * lib/dkim/dkim_sig.c -- the DKIM-Signature field's tag-list, RFC 6376
 * 3.5, split by the shared tag-list parser (3.2) and checked strictly:
 * every broken tag is a permerror with a named reason (6.1.1).
 *
 * Left out on purpose: i= is not decoded from dkim-quoted-printable (only
 * its domain matters here, and domains are never encoded); z= is accepted
 * but not interpreted (copied header fields are diagnostic only).
 */
#include <string.h>

#include "dkim/dkim_int.h"
#include "util/base64.h"
#include "util/taglist.h"

enum sig_tag {
	TAG_V, TAG_A, TAG_B, TAG_BH, TAG_C, TAG_D, TAG_H, TAG_I, TAG_L,
	TAG_Q, TAG_S, TAG_T, TAG_X, TAG_Z, TAG_COUNT
};

/* RFC 6376 3.5; tag names are case-sensitive (3.2). */
static const struct dg_tagdef sig_tags[] = {
	{ "v", TAG_V }, { "a", TAG_A }, { "b", TAG_B }, { "bh", TAG_BH },
	{ "c", TAG_C }, { "d", TAG_D }, { "h", TAG_H }, { "i", TAG_I },
	{ "l", TAG_L }, { "q", TAG_Q }, { "s", TAG_S }, { "t", TAG_T },
	{ "x", TAG_X }, { "z", TAG_Z }
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

static struct dg_span
trim(struct dg_span s)
{
	while (s.len > 0 && is_fws((unsigned char)s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len > 0 && is_fws((unsigned char)s.p[s.len - 1]))
		s.len--;
	return s;
}

static bool
span_is(struct dg_span s, const char *lit)
{
	return dg_memcaseeq(s.p, s.len, lit, strlen(lit));
}

bool
dg_dkim_domain_ok(struct dg_span s, bool selector, char *out)
{
	size_t	i, label = 0, labels = 1;

	if (s.len == 0 || s.len > DG_DNS_NAME_MAX)
		return false;
	for (i = 0; i < s.len; i++) {
		unsigned char	c = (unsigned char)s.p[i];

		if (c == '.') {
			/* A label ends: not empty, not ending in '-'. */
			if (label == 0 || s.p[i - 1] == '-')
				return false;
			label = 0;
			labels++;
			out[i] = '.';
			continue;
		}
		/*
		 * RFC 6376 3.5 sub-domain: Let-dig [Ldh-str].  Selectors
		 * with '_' exist in the wild and are harmless in a DNS
		 * name, so a selector may have them.
		 */
		if (!dg_isalnum(c) && !(c == '-' && label > 0) &&
		    !(selector && c == '_'))
			return false;
		if (++label > DG_DNS_LABEL_MAX)
			return false;
		out[i] = (char)dg_tolower(c);
	}
	if (label == 0 || s.p[s.len - 1] == '-')
		return false;
	out[s.len] = '\0';
	/* d= is domain-name: at least two labels (RFC 6376 3.5). */
	return selector || labels >= 2;
}

bool
dg_dkim_canon_parse(struct dg_span s, enum dg_dkim_canon *hdr,
    enum dg_dkim_canon *body)
{
	struct dg_span	h = s, b = { NULL, 0 };
	const char	*slash = memchr(s.p, '/', s.len);

	if (slash != NULL) {
		h.len = (size_t)(slash - s.p);
		b.p = slash + 1;
		b.len = s.len - h.len - 1;
	}
	if (span_is(h, "simple"))
		*hdr = DG_DKIM_CANON_SIMPLE;
	else if (span_is(h, "relaxed"))
		*hdr = DG_DKIM_CANON_RELAXED;
	else
		return false;
	/* RFC 6376 3.5 c=: body defaults to simple when absent. */
	if (slash == NULL || span_is(b, "simple"))
		*body = DG_DKIM_CANON_SIMPLE;
	else if (span_is(b, "relaxed"))
		*body = DG_DKIM_CANON_RELAXED;
	else
		return false;
	return true;
}

static bool
parse_digits(struct dg_span s, size_t maxdigits, uint64_t *out)
{
	uint64_t	v = 0;
	size_t		i;

	if (s.len == 0 || s.len > maxdigits)
		return false;
	for (i = 0; i < s.len; i++) {
		unsigned	d;

		if (!dg_isdigit((unsigned char)s.p[i]))
			return false;
		d = (unsigned)(s.p[i] - '0');
		/* l= has up to 76 digits: saturate, any such value covers
		 * every body we could be handed. */
		if (v > (UINT64_MAX - d) / 10)
			v = UINT64_MAX;
		else
			v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* RFC 5322 ftext: %d33-57 / %d59-126. */
static bool
is_ftext(unsigned char c)
{
	return c >= 33 && c <= 126 && c != ':';
}

/* h= : hdr-name *( *FWS ":" *FWS hdr-name ) */
static enum dg_err
parse_h(struct dg_span v, bool arc, struct dg_dkim_sig *sig,
    enum dg_dkim_reason *reason, char *detail, size_t dlen)
{
	size_t	i = 0, k;
	bool	from = false;

	sig->nh = 0;
	for (;;) {
		struct dg_span	name;
		size_t		start = i;

		while (i < v.len && v.p[i] != ':')
			i++;
		name.p = v.p + start;
		name.len = i - start;
		name = trim(name);
		/* An AMS's h= may be empty or hold an empty name (the
		 * ARC suite's ams_fields_h_empty, ams_fields_h_mis_hdr):
		 * such a name selects nothing. */
		if (name.len == 0 && arc) {
			if (i == v.len)
				break;
			i++;
			continue;
		}
		if (name.len == 0)
			return bad(reason, detail, dlen, DG_DKIM_R_BAD_H,
			    "h= has an empty header name");
		for (k = 0; k < name.len; k++)
			if (!is_ftext((unsigned char)name.p[k]))
				return bad(reason, detail, dlen,
				    DG_DKIM_R_BAD_H,
				    "h= has a byte not allowed in a header "
				    "name");
		if (sig->nh >= DG_DKIM_MAX_H_NAMES)
			return bad(reason, detail, dlen, DG_DKIM_R_LIMIT,
			    "h= lists more than DG_DKIM_MAX_H_NAMES (128) "
			    "names");
		sig->h[sig->nh++] = name;
		if (span_is(name, "from"))
			from = true;
		if (i == v.len)
			break;
		i++;	/* ':' */
	}
	/* RFC 6376 5.4: "The From header field MUST be signed" (not an
	 * ARC rule: RFC 8617 4.1.2 lists no required field). */
	if (!from && !arc)
		return bad(reason, detail, dlen, DG_DKIM_R_H_MISSING_FROM,
		    "h= does not include From (RFC 6376 5.4)");
	return DG_OK;
}

/* i= : [ Local-part ] "@" domain-name, within d= (RFC 6376 3.5). */
static enum dg_err
parse_i(struct dg_span v, struct dg_dkim_sig *sig,
    enum dg_dkim_reason *reason, char *detail, size_t dlen)
{
	char		dom[DG_DNS_NAME_MAX + 1];
	const char	*at = NULL;
	size_t		i, dl, il;

	for (i = v.len; i > 0; i--)
		if (v.p[i - 1] == '@') {
			at = v.p + i - 1;
			break;
		}
	if (at == NULL)
		return bad(reason, detail, dlen, DG_DKIM_R_BAD_I,
		    "i= has no \"@\"");
	sig->identity = v;
	sig->i_domain.p = at + 1;
	sig->i_domain.len = v.len - (size_t)(at + 1 - v.p);
	if (!dg_dkim_domain_ok(sig->i_domain, false, dom))
		return bad(reason, detail, dlen, DG_DKIM_R_BAD_I,
		    "i= domain is not a valid domain name");
	/* The same as d=, or a subdomain of it. */
	dl = strlen(sig->domain);
	il = strlen(dom);
	if (!(il == dl && memcmp(dom, sig->domain, dl) == 0) &&
	    !(il > dl && dom[il - dl - 1] == '.' &&
	    memcmp(dom + il - dl, sig->domain, dl) == 0))
		return bad(reason, detail, dlen, DG_DKIM_R_I_NOT_IN_D,
		    "i= domain is not d= or a subdomain of it "
		    "(RFC 6376 3.5)");
	return DG_OK;
}

static enum dg_err
parse_alg(struct dg_span v, struct dg_dkim_sig *sig,
    enum dg_dkim_reason *reason, char *detail, size_t dlen)
{
	if (span_is(v, "rsa-sha256"))
		sig->alg = DG_DKIM_ALG_RSA_SHA256;
	else if (span_is(v, "ed25519-sha256"))
		sig->alg = DG_DKIM_ALG_ED25519_SHA256;
	else if (span_is(v, "rsa-sha1"))
		sig->alg = DG_DKIM_ALG_RSA_SHA1;	/* refused later */
	else
		return bad(reason, detail, dlen, DG_DKIM_R_BAD_ALGORITHM,
		    "a= is not rsa-sha256, ed25519-sha256 or rsa-sha1");
	sig->keytype = dg_dkim_alg_keytype(sig->alg);
	sig->hashalg = dg_dkim_alg_hash(sig->alg);
	return DG_OK;
}

/* q= : a colon-separated list that must offer dns/txt (RFC 6376 3.5). */
static bool
q_has_dns_txt(struct dg_span v)
{
	size_t	i = 0;

	while (i <= v.len) {
		struct dg_span	m;
		size_t		start = i;

		while (i < v.len && v.p[i] != ':')
			i++;
		m.p = v.p + start;
		m.len = i - start;
		if (span_is(trim(m), "dns/txt"))
			return true;
		i++;
	}
	return false;
}

enum dg_err
dg_dkim_sig_parse(const char *p, size_t len, unsigned flags,
    struct dg_dkim_sig *sig, enum dg_dkim_reason *reason, char *detail,
    size_t dlen)
{
	struct dg_tag		 tags[DG_TAGLIST_MAX];
	const struct dg_tag	*by[TAG_COUNT];
	struct dg_taglist_error	 te;
	enum dg_err		 err;
	size_t			 n, i;
	bool			 arc = (flags & DG_DKIM_SIG_ARC) != 0;
	char			 msg[DG_DETAIL_MAX];

	if (p == NULL || sig == NULL || reason == NULL)
		return DG_EINVAL;
	memset(sig, 0, sizeof(*sig));
	*reason = DG_DKIM_R_NONE;
	if (detail != NULL && dlen > 0)
		detail[0] = '\0';

	err = dg_taglist_parse(p, len, 0, tags, DG_TAGLIST_MAX, &n, &te);
	if (err != DG_OK) {
		if (err == DG_EINVAL)
			return err;
		dg_fmt(msg, sizeof(msg), "%s at offset %zu",
		    dg_taglist_reason_str(te.reason), te.pos);
		return bad(reason, detail, dlen,
		    te.reason == DG_TAGLIST_R_DUPLICATE ?
		    DG_DKIM_R_DUPLICATE_TAG : te.reason ==
		    DG_TAGLIST_R_TOO_MANY ? DG_DKIM_R_LIMIT : DG_DKIM_R_SYNTAX,
		    msg);
	}
	memset(by, 0, sizeof(by));
	for (i = 0; i < n; i++) {
		int	id = dg_taglist_match(sig_tags,
		    sizeof(sig_tags) / sizeof(sig_tags[0]), tags[i].name,
		    false);

		if (id >= 0)
			by[id] = &tags[i];	/* unknown tags: ignored */
	}

	/* d= and s= first, so a broken signature still names them. */
	if (by[TAG_D] != NULL &&
	    !dg_dkim_domain_ok(by[TAG_D]->value, false, sig->domain)) {
		sig->domain[0] = '\0';
		return bad(reason, detail, dlen, DG_DKIM_R_BAD_DOMAIN,
		    "d= is not a valid domain name");
	}
	if (by[TAG_S] != NULL &&
	    !dg_dkim_domain_ok(by[TAG_S]->value, true, sig->selector)) {
		sig->selector[0] = '\0';
		return bad(reason, detail, dlen, DG_DKIM_R_BAD_SELECTOR,
		    "s= is not a valid selector");
	}

	/* RFC 6376 3.5: required tags (ARC drops v=, RFC 8617 4.1.2). */
	{
		static const enum sig_tag req[] = { TAG_V, TAG_A, TAG_B,
		    TAG_BH, TAG_D, TAG_H, TAG_S };

		for (i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
			if (by[req[i]] != NULL || (arc && req[i] == TAG_V))
				continue;
			dg_fmt(msg, sizeof(msg), "required tag \"%s=\" is "
			    "missing", sig_tags[req[i]].name);
			return bad(reason, detail, dlen,
			    DG_DKIM_R_MISSING_TAG, msg);
		}
		if (arc && by[TAG_I] == NULL)
			return bad(reason, detail, dlen,
			    DG_DKIM_R_MISSING_TAG,
			    "required tag \"i=\" is missing");
	}
	if (!arc && !span_is(by[TAG_V]->value, "1"))
		return bad(reason, detail, dlen, DG_DKIM_R_BAD_VERSION,
		    "v= is not 1");

	if ((err = parse_alg(by[TAG_A]->value, sig, reason, detail, dlen)) !=
	    DG_OK)
		return err;

	/* b= and bh=: base64 with FWS ignored (RFC 6376 3.5). */
	sig->b_value = by[TAG_B]->value;
	err = dg_base64_decode(by[TAG_B]->value.p, by[TAG_B]->value.len,
	    DG_BASE64_SKIP_FWS, sig->b, sizeof(sig->b), &sig->blen);
	if (err == DG_ETOOBIG)
		return bad(reason, detail, dlen, DG_DKIM_R_LIMIT,
		    "b= is longer than DG_DKIM_MAX_SIG_BYTES (1024)");
	if (err == DG_OK && sig->blen == 0 &&
	    (flags & DG_DKIM_SIG_TEMPLATE) != 0)
		err = DG_OK;	/* a template to sign */
	else if (err != DG_OK || sig->blen == 0)
		return bad(reason, detail, dlen, DG_DKIM_R_BAD_BASE64,
		    sig->blen == 0 && err == DG_OK ? "b= is empty" :
		    "b= is not valid base64");
	err = dg_base64_decode(by[TAG_BH]->value.p, by[TAG_BH]->value.len,
	    DG_BASE64_SKIP_FWS, sig->bh, sizeof(sig->bh), &sig->bhlen);
	if (err != DG_OK && err != DG_ETOOBIG)
		return bad(reason, detail, dlen, DG_DKIM_R_BAD_BASE64,
		    "bh= is not valid base64");
	if (err == DG_ETOOBIG || sig->bhlen != dg_dkim_hash_len(sig->hashalg))
		return bad(reason, detail, dlen, DG_DKIM_R_BH_LENGTH,
		    "bh= length does not match the a= hash");

	/* The b= value with the FWS around it: from after "=" to the ";"
	 * or the end (RFC 6376 3.7, "including all surrounding
	 * whitespace"). */
	{
		const struct dg_tag	*b = by[TAG_B];
		size_t			 k;

		k = (size_t)(b->name.p + b->name.len - p);
		while (k < len && p[k] != '=')
			k++;
		sig->b_start = k + 1;
		k = (size_t)(b->value.p + b->value.len - p);
		while (k < len && p[k] != ';')
			k++;
		sig->b_end = k;
	}

	if (by[TAG_C] == NULL) {
		/* DKIM's default is simple/simple (RFC 6376 3.5).  An AMS
		 * without c= is read as relaxed/relaxed, as the ARC
		 * reference implementation (dkimpy) and the ValiMail ARC
		 * suite (ams_fields_c_na) do: ARC signers use relaxed. */
		sig->header_canon = arc ? DG_DKIM_CANON_RELAXED :
		    DG_DKIM_CANON_SIMPLE;
		sig->body_canon = arc ? DG_DKIM_CANON_RELAXED :
		    DG_DKIM_CANON_SIMPLE;
	} else if (!dg_dkim_canon_parse(by[TAG_C]->value, &sig->header_canon,
	    &sig->body_canon)) {
		return bad(reason, detail, dlen, DG_DKIM_R_BAD_CANON,
		    "c= is not simple or relaxed (header/body)");
	}

	if ((err = parse_h(by[TAG_H]->value, arc, sig, reason, detail,
	    dlen)) !=
	    DG_OK)
		return err;

	if (by[TAG_I] != NULL) {
		if (arc) {
			uint64_t	inst;

			/* RFC 8617 4.2.1: instance 1..50. */
			if (!parse_digits(by[TAG_I]->value, 2, &inst) ||
			    inst < 1 || inst > 50)
				return bad(reason, detail, dlen,
				    DG_DKIM_R_BAD_I,
				    "i= is not an ARC instance (1-50)");
			sig->instance = (unsigned)inst;
		} else if ((err = parse_i(by[TAG_I]->value, sig, reason,
		    detail, dlen)) != DG_OK) {
			return err;
		}
	}

	if (by[TAG_L] != NULL) {
		if (!parse_digits(by[TAG_L]->value, DG_DKIM_L_DIGITS,
		    &sig->l))
			return bad(reason, detail, dlen, DG_DKIM_R_BAD_L,
			    "l= is not 1 to 76 digits");
		sig->has_l = true;
	}

	if (by[TAG_Q] != NULL && !q_has_dns_txt(by[TAG_Q]->value))
		return bad(reason, detail, dlen, DG_DKIM_R_BAD_Q,
		    "q= does not offer dns/txt");

	if (by[TAG_T] != NULL) {
		if (!parse_digits(by[TAG_T]->value, DG_DKIM_TIME_DIGITS,
		    &sig->t))
			return bad(reason, detail, dlen, DG_DKIM_R_BAD_TIME,
			    "t= is not 1 to 12 digits");
		sig->has_t = true;
	}
	if (by[TAG_X] != NULL) {
		if (!parse_digits(by[TAG_X]->value, DG_DKIM_TIME_DIGITS,
		    &sig->x))
			return bad(reason, detail, dlen, DG_DKIM_R_BAD_TIME,
			    "x= is not 1 to 12 digits");
		sig->has_x = true;
	}
	/* RFC 6376 3.5 x=: "MUST be greater than the value of the t=
	 * tag". */
	if (sig->has_t && sig->has_x && sig->x <= sig->t)
		return bad(reason, detail, dlen, DG_DKIM_R_BAD_TIME,
		    "x= is not later than t=");
	return DG_OK;
}
