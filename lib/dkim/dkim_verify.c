/*
 * lib/dkim/dkim_verify.c -- the streaming DKIM verifier, RFC 6376 6.1:
 * header fields are kept (h= selects among them only once all are
 * known); at the end of the header every DKIM-Signature (up to the cap,
 * topmost first) is parsed and checked, and its key fetched, so failed
 * signatures cost no body work; body chunks feed one canonicalizer and
 * hash per live signature; finish compares body hashes, hashes the
 * selected header fields and verifies.  dg_dkim_verify_message() drives
 * the same stream for a message in memory.
 */
#include <string.h>
#include <time.h>

#include <dmarcguard/msg.h>

#include "dkim/dkim_int.h"

struct vsig {
	struct dg_dkim_sig_result	*res;
	struct dg_dkim_sig		*sig;
	size_t				 field;
	bool				 live;
	struct dg_dkim_key		*key;
	struct dg_dkim_hash		*bhash;
	struct dg_dkim_bodycanon	 bc;
};

enum vstate { V_HEADER, V_BODY, V_DONE };

struct dg_dkim_verifier {
	struct dg_arena			*a;
	struct dg_resolver		*res;
	struct dg_dkim_opts		 opts;
	uint64_t			 now;
	enum vstate			 state;
	struct dg_dkim_field			*fields;
	size_t				 nfields, capfields, header_bytes;
	struct vsig			*vs;
	size_t				 nvs;
	struct dg_dkim_sig_result	*results;
	struct dg_dkim_verdict		 verdict;
	struct dg_buf			 scratch;
};

enum dg_err
dg_dkim_verifier_new(struct dg_arena *a, struct dg_resolver *res,
    const struct dg_dkim_opts *opts, struct dg_dkim_verifier **out)
{
	struct dg_dkim_verifier	*v;

	if (a == NULL || out == NULL)
		return DG_EINVAL;
	if ((v = dg_arena_calloc(a, 1, sizeof(*v))) == NULL)
		return dg_arena_err(a);
	v->a = a;
	v->res = res;
	if (opts != NULL)
		v->opts = *opts;
	if (v->opts.max_sigs == 0)
		v->opts.max_sigs = DG_DKIM_MAX_SIGS_DEFAULT;
	if (v->opts.max_sigs > DG_DKIM_MAX_SIGS_HARD)
		v->opts.max_sigs = DG_DKIM_MAX_SIGS_HARD;
	if (v->opts.clock_skew == 0)
		v->opts.clock_skew = DG_DKIM_CLOCK_SKEW;
	if (v->opts.min_rsa_bits < DG_DKIM_MIN_RSA_BITS)
		v->opts.min_rsa_bits = DG_DKIM_MIN_RSA_BITS;
	v->now = v->opts.now != 0 ? v->opts.now : (uint64_t)time(NULL);
	/* The signature field plus every signed field, canonicalized. */
	dg_buf_init(&v->scratch, 2 * DG_HDR_SECTION_MAX);
	*out = v;
	return DG_OK;
}

void
dg_dkim_verifier_free(struct dg_dkim_verifier *v)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; i < v->nvs; i++) {
		dg_dkim_hash_free(v->vs[i].bhash);
		v->vs[i].bhash = NULL;
		dg_dkim_key_unref(v->vs[i].key);
		v->vs[i].key = NULL;
	}
	dg_buf_free(&v->scratch);
}

enum dg_err
dg_dkim_header(struct dg_dkim_verifier *v, const char *field, size_t len)
{
	struct dg_dkim_field	*f;
	const char	*colon;
	char		*copy;
	size_t		 n;

	if (v == NULL || field == NULL || v->state != V_HEADER)
		return DG_EINVAL;
	/* One final terminator is the caller's choice; drop it. */
	if (len > 0 && field[len - 1] == '\n') {
		len--;
		if (len > 0 && field[len - 1] == '\r')
			len--;
	}
	if ((colon = memchr(field, ':', len)) == NULL)
		return DG_EINVAL;
	/* One field: every other line end must start a fold (RFC 5322
	 * 2.2.3); two fields in one call would skew h= selection. */
	for (n = 0; n < len; n++)
		if (field[n] == '\n' && (n + 1 == len ||
		    (field[n + 1] != ' ' && field[n + 1] != '\t')))
			return DG_EINVAL;
	if (len > DG_HDR_FIELD_MAX ||
	    v->header_bytes + len > DG_HDR_SECTION_MAX ||
	    v->nfields >= DG_HDR_FIELDS_MAX)
		return DG_ETOOBIG;
	if (v->nfields == v->capfields) {
		struct dg_dkim_field	*nf;
		size_t		 ncap = v->capfields == 0 ? 32 :
			    v->capfields * 2;

		if (ncap > DG_HDR_FIELDS_MAX)
			ncap = DG_HDR_FIELDS_MAX;
		if ((nf = dg_arena_calloc(v->a, ncap, sizeof(*nf))) == NULL)
			return dg_arena_err(v->a);
		if (v->nfields > 0)
			memcpy(nf, v->fields, v->nfields * sizeof(*nf));
		v->fields = nf;
		v->capfields = ncap;
	}
	if ((copy = dg_arena_strndup(v->a, field, len)) == NULL)
		return dg_arena_err(v->a);
	f = &v->fields[v->nfields++];
	f->raw = copy;
	f->len = len;
	n = (size_t)(colon - field);
	f->value_off = n + 1;
	while (n > 0 && (field[n - 1] == ' ' || field[n - 1] == '\t'))
		n--;
	f->name_len = n;
	v->header_bytes += len;
	return DG_OK;
}

enum dg_err
dg_dkim_header_nv(struct dg_dkim_verifier *v, const char *name,
    size_t name_len, const char *value, size_t value_len)
{
	char		*joined;

	if (v == NULL || name == NULL || value == NULL ||
	    v->state != V_HEADER)
		return DG_EINVAL;
	if (name_len > DG_HDR_FIELD_MAX || value_len > DG_HDR_FIELD_MAX)
		return DG_ETOOBIG;
	/* Joined in the arena; dg_dkim_header() copies it again, which
	 * costs a little memory for a much simpler ownership story. */
	if ((joined = dg_arena_alloc(v->a, name_len + value_len + 2)) ==
	    NULL)
		return dg_arena_err(v->a);
	memcpy(joined, name, name_len);
	joined[name_len] = ':';
	memcpy(joined + name_len + 1, value, value_len);
	return dg_dkim_header(v, joined, name_len + 1 + value_len);
}

static bool
field_is(const struct dg_dkim_field *f, const char *name, size_t len)
{
	return dg_memcaseeq(f->raw, f->name_len, name, len);
}

static void
settle(struct vsig *s, enum dg_dkim_result r, enum dg_dkim_reason reason,
    const char *detail)
{
	s->res->result = r;
	s->res->reason = reason;
	dg_strlcpy(s->res->detail, detail, sizeof(s->res->detail));
	s->live = false;
}

static const char *
dup_span(struct dg_arena *a, struct dg_span s)
{
	return dg_arena_strndup(a, s.p, s.len);
}

/*
 * Check what needs no key, then the key.  Every outcome but "go on to the
 * body" settles the signature.  Order follows RFC 6376 6.1.1 then 6.1.2.
 */
static enum dg_err
prepare(struct dg_dkim_verifier *v, struct vsig *s)
{
	const struct dg_dkim_field	*f = &v->fields[s->field];
	struct dg_dkim_sig	*sig = s->sig;
	struct dg_dkim_sig_result *r = s->res;
	struct dg_dkim_keyfail	 why;
	struct dg_dkim_key	*key = NULL;
	enum dg_dkim_reason	 reason;
	enum dg_err		 err;
	char			 detail[DG_DETAIL_MAX];

	err = dg_dkim_sig_parse(f->raw + f->value_off, f->len - f->value_off,
	    0, sig, &reason, detail, sizeof(detail));
	if (sig->domain[0] != '\0' &&
	    (r->domain = dg_arena_strdup(v->a, sig->domain)) == NULL)
		return dg_arena_err(v->a);
	if (sig->selector[0] != '\0' &&
	    (r->selector = dg_arena_strdup(v->a, sig->selector)) == NULL)
		return dg_arena_err(v->a);
	if (err == DG_ESYNTAX) {
		/* 6.1.1: a broken signature is PERMFAIL. */
		settle(s, DG_DKIM_PERMERROR, reason, detail);
		return DG_OK;
	}
	if (err != DG_OK)
		return err;

	r->alg = sig->alg;
	r->header_canon = sig->header_canon;
	r->body_canon = sig->body_canon;
	r->has_l = sig->has_l;
	r->l = sig->l;
	r->has_t = sig->has_t;
	r->t = sig->t;
	r->has_x = sig->has_x;
	r->x = sig->x;
	if (sig->identity.len > 0)
		r->identity = dup_span(v->a, sig->identity);
	else
		r->identity = dg_arena_printf(v->a, "@%s", sig->domain);
	{
		/* RFC 6008: the first 8 characters of b=, FWS removed. */
		char	 pre[9];
		size_t	 i, n = 0;

		for (i = 0; i < sig->b_value.len && n < 8; i++) {
			char	c = sig->b_value.p[i];

			if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
				pre[n++] = c;
		}
		pre[n] = '\0';
		r->b_prefix = dg_arena_strdup(v->a, pre);
	}
	if (r->identity == NULL || r->b_prefix == NULL)
		return dg_arena_err(v->a);

	/* RFC 8301 3.1: rsa-sha1 "MUST NOT be used for signing or
	 * verifying". */
	if (sig->alg == DG_DKIM_ALG_RSA_SHA1) {
		settle(s, DG_DKIM_FAIL, DG_DKIM_R_RSA_SHA1,
		    "rsa-sha1 is not accepted (RFC 8301 3.1)");
		return DG_OK;
	}
	/* RFC 6376 3.5 x=, 6.1.1: expired signatures; t= in the future
	 * beyond the allowed skew. */
	if (sig->has_x && v->now > sig->x &&
	    v->now - sig->x > v->opts.clock_skew) {
		dg_fmt(detail, sizeof(detail), "signature expired at x=%llu "
		    "(now %llu)", (unsigned long long)sig->x,
		    (unsigned long long)v->now);
		settle(s, DG_DKIM_PERMERROR, DG_DKIM_R_EXPIRED, detail);
		return DG_OK;
	}
	if (sig->has_t && sig->t > v->now &&
	    sig->t - v->now > v->opts.clock_skew) {
		dg_fmt(detail, sizeof(detail), "signature timestamp t=%llu is "
		    "in the future (now %llu)", (unsigned long long)sig->t,
		    (unsigned long long)v->now);
		settle(s, DG_DKIM_PERMERROR, DG_DKIM_R_FUTURE, detail);
		return DG_OK;
	}
	if (sig->has_l && v->opts.reject_l) {
		settle(s, DG_DKIM_POLICY, DG_DKIM_R_L_TAG,
		    "l= signatures are refused by local policy");
		return DG_OK;
	}

	err = dg_dkim_key_fetch(v->res, v->opts.cache, sig->selector,
	    sig->domain, v->a, &key, &why);
	if (err != DG_OK)
		return err;
	if (key == NULL) {
		r->testing = why.testing;
		settle(s, why.result, why.reason, why.detail);
		return DG_OK;
	}
	s->key = key;
	r->key_bits = key->bits;
	r->testing = key->testing;

	/* RFC 6376 6.1.2 steps 6-9 and 3.6.1 t=s. */
	if (key->type != sig->keytype) {
		settle(s, DG_DKIM_PERMERROR, DG_DKIM_R_KEY_ALG_MISMATCH,
		    "key k= does not match the a= key type");
		return DG_OK;
	}
	if (key->hashes != 0 &&
	    (key->hashes & (1u << sig->hashalg)) == 0) {
		settle(s, DG_DKIM_PERMERROR, DG_DKIM_R_KEY_HASH_RESTRICTED,
		    "key h= does not allow the a= hash");
		return DG_OK;
	}
	if (!key->email) {
		settle(s, DG_DKIM_PERMERROR, DG_DKIM_R_KEY_SERVICE,
		    "key s= does not include email");
		return DG_OK;
	}
	if (key->strict && sig->i_domain.len > 0 &&
	    !dg_memcaseeq(sig->i_domain.p, sig->i_domain.len, sig->domain,
	    strlen(sig->domain))) {
		settle(s, DG_DKIM_PERMERROR, DG_DKIM_R_KEY_STRICT,
		    "key t=s forbids an i= domain below d=");
		return DG_OK;
	}
	if (key->type == DG_DKIM_KEY_RSA) {
		if (key->bits < DG_DKIM_MIN_RSA_BITS) {
			dg_fmt(detail, sizeof(detail), "RSA key of %u bits is "
			    "under 1024 (RFC 8301 3.2)", key->bits);
			settle(s, DG_DKIM_FAIL, DG_DKIM_R_KEY_TOO_SMALL,
			    detail);
			return DG_OK;
		}
		if (key->bits < v->opts.min_rsa_bits) {
			dg_fmt(detail, sizeof(detail), "RSA key of %u bits is "
			    "under the local minimum of %u", key->bits,
			    v->opts.min_rsa_bits);
			settle(s, DG_DKIM_POLICY, DG_DKIM_R_KEY_TOO_SMALL,
			    detail);
			return DG_OK;
		}
	}

	if ((s->bhash = dg_dkim_hash_new(sig->hashalg)) == NULL)
		return DG_ENOMEM;
	dg_dkim_bodycanon_init(&s->bc, sig->body_canon, sig->has_l, sig->l,
	    dg_dkim_hash_sink, s->bhash);
	s->live = true;
	return DG_OK;
}

enum dg_err
dg_dkim_eoh(struct dg_dkim_verifier *v)
{
	size_t		i, n = 0, seen = 0;
	enum dg_err	err;

	if (v == NULL)
		return DG_EINVAL;
	if (v->state != V_HEADER)
		return DG_OK;
	v->state = V_BODY;

	for (i = 0; i < v->nfields; i++)
		if (field_is(&v->fields[i], "DKIM-Signature", 14))
			seen++;
	v->verdict.nseen = seen;
	n = seen < v->opts.max_sigs ? seen : v->opts.max_sigs;
	if (n == 0)
		return DG_OK;
	v->results = dg_arena_calloc(v->a, n, sizeof(*v->results));
	v->vs = dg_arena_calloc(v->a, n, sizeof(*v->vs));
	if (v->results == NULL || v->vs == NULL)
		return dg_arena_err(v->a);
	/* RFC 6376 6.1: the cap bounds the work an attacker can cause; the
	 * topmost signatures (the last added) are the ones evaluated. */
	for (i = 0; i < v->nfields && v->nvs < n; i++) {
		struct vsig	*s;

		if (!field_is(&v->fields[i], "DKIM-Signature", 14))
			continue;
		s = &v->vs[v->nvs];
		s->res = &v->results[v->nvs];
		s->res->field_index = i;
		s->res->domain = s->res->selector = s->res->identity =
		    s->res->b_prefix = "";
		s->field = i;
		v->nvs++;
		if ((s->sig = dg_arena_alloc(v->a, sizeof(*s->sig))) == NULL)
			return dg_arena_err(v->a);
		if ((err = prepare(v, s)) != DG_OK)
			return err;
	}
	return DG_OK;
}

enum dg_err
dg_dkim_body(struct dg_dkim_verifier *v, const char *p, size_t len)
{
	size_t		i;
	enum dg_err	err;

	if (v == NULL || (p == NULL && len > 0))
		return DG_EINVAL;
	if (v->state == V_HEADER && (err = dg_dkim_eoh(v)) != DG_OK)
		return err;
	if (v->state != V_BODY)
		return DG_EINVAL;
	for (i = 0; i < v->nvs; i++)
		if (v->vs[i].live)
			dg_dkim_bodycanon_update(&v->vs[i].bc, p, len);
	return DG_OK;
}

/* The signature's h= fields, then the signature field itself with b=
 * emptied and no CRLF (RFC 6376 3.7). */
static enum dg_err
hash_headers(struct dg_dkim_verifier *v, struct vsig *s, bool *used,
    struct dg_dkim_hash *hh)
{
	const struct dg_dkim_sig	*sig = s->sig;
	const struct dg_dkim_field	*self = &v->fields[s->field];
	enum dg_err			 err;

	err = dg_dkim_hash_fields(sig->header_canon, v->fields, v->nfields,
	    sig->h, sig->nh, s->field, used, &v->scratch, hh);
	if (err != DG_OK)
		return err;
	dg_buf_reset(&v->scratch);
	dg_dkim_canon_header(sig->header_canon, self->raw, self->len,
	    self->value_off + sig->b_start, self->value_off + sig->b_end,
	    false, &v->scratch);
	if ((err = dg_buf_err(&v->scratch)) != DG_OK)
		return err;
	if (v->scratch.data != NULL)
		dg_dkim_hash_update(hh, v->scratch.data, v->scratch.len);
	return DG_OK;
}

static enum dg_err
verify_one(struct dg_dkim_verifier *v, struct vsig *s, bool *used)
{
	struct dg_dkim_sig	*sig = s->sig;
	struct dg_dkim_hash	*hh;
	uint8_t			 digest[DG_DKIM_HASH_MAX];
	size_t			 dlen;
	enum dg_err		 err;
	bool			 ok;
	char			 detail[DG_DETAIL_MAX];

	dg_dkim_bodycanon_final(&s->bc);
	s->res->body_len = s->bc.total;
	if (sig->has_l && s->bc.total > sig->l)
		s->res->unsigned_bytes = s->bc.total - sig->l;
	if ((err = dg_dkim_hash_final(s->bhash, digest, &dlen)) != DG_OK)
		return err;
	if (dlen != sig->bhlen || memcmp(digest, sig->bh, dlen) != 0) {
		if (sig->has_l && sig->l > s->bc.total)
			dg_fmt(detail, sizeof(detail), "body hash did not "
			    "verify (body is shorter than l=%llu)",
			    (unsigned long long)sig->l);
		else
			dg_strlcpy(detail, "body hash did not verify",
			    sizeof(detail));
		settle(s, DG_DKIM_FAIL, DG_DKIM_R_BODY_HASH_MISMATCH, detail);
		return DG_OK;
	}

	if ((hh = dg_dkim_hash_new(sig->hashalg)) == NULL)
		return DG_ENOMEM;
	if ((err = hash_headers(v, s, used, hh)) != DG_OK) {
		dg_dkim_hash_free(hh);
		return err;
	}
	err = dg_dkim_hash_final(hh, digest, &dlen);
	dg_dkim_hash_free(hh);
	if (err != DG_OK)
		return err;
	err = dg_dkim_pkey_verify(s->key->pkey, sig->keytype, sig->hashalg,
	    digest, dlen, sig->b, sig->blen, &ok);
	if (err != DG_OK)
		return err;
	if (ok)
		settle(s, DG_DKIM_PASS, DG_DKIM_R_OK, "signature verified");
	else
		settle(s, DG_DKIM_FAIL, DG_DKIM_R_SIG_MISMATCH,
		    "signature did not verify");
	return DG_OK;
}

/*
 * Precedence of the summary: pass > temperror > fail > policy > neutral >
 * permerror > none.  Any valid signature is enough to say the message is
 * authenticated; a temporary failure might have been a pass.
 */
static int
rank(enum dg_dkim_result r)
{
	switch (r) {
	case DG_DKIM_PASS:
		return 7;
	case DG_DKIM_TEMPERROR:
		return 6;
	case DG_DKIM_FAIL:
		return 5;
	case DG_DKIM_POLICY:
		return 4;
	case DG_DKIM_NEUTRAL:
		return 3;
	case DG_DKIM_PERMERROR:
		return 2;
	case DG_DKIM_NONE:
		return 1;
	default:
		return 0;	/* unset: never wins */
	}
}

enum dg_err
dg_dkim_finish(struct dg_dkim_verifier *v, const struct dg_dkim_verdict **out)
{
	bool		*used = NULL;
	size_t		 i;
	enum dg_err	 err;

	if (v == NULL || out == NULL)
		return DG_EINVAL;
	if (v->state == V_DONE) {
		*out = &v->verdict;
		return DG_OK;
	}
	if (v->state == V_HEADER && (err = dg_dkim_eoh(v)) != DG_OK)
		return err;
	if (v->nvs > 0 && v->nfields > 0 &&
	    (used = dg_arena_calloc(v->a, v->nfields, sizeof(*used))) == NULL)
		return dg_arena_err(v->a);
	for (i = 0; i < v->nvs; i++) {
		if (!v->vs[i].live)
			continue;
		if ((err = verify_one(v, &v->vs[i], used)) != DG_OK)
			return err;
	}

	v->verdict.nsigs = v->nvs;
	v->verdict.sigs = v->results;
	v->verdict.result = DG_DKIM_NONE;
	v->verdict.reason = DG_DKIM_R_NO_SIGNATURE;
	for (i = 0; i < v->nvs; i++) {
		if (rank(v->results[i].result) > rank(v->verdict.result)) {
			v->verdict.result = v->results[i].result;
			v->verdict.reason = v->results[i].reason;
		}
	}
	v->state = V_DONE;
	*out = &v->verdict;
	return DG_OK;
}

enum dg_err
dg_dkim_verify_message(struct dg_arena *a, struct dg_resolver *res,
    const struct dg_dkim_opts *opts, const char *msg, size_t len,
    const struct dg_dkim_verdict **out)
{
	struct dg_dkim_verifier	*v = NULL;
	struct dg_msg_hdr	 hdr;
	enum dg_err		 err;
	size_t			 i;

	if (a == NULL || msg == NULL || out == NULL)
		return DG_EINVAL;
	if ((err = dg_msg_hdr_parse(a, msg, len, 0, &hdr, NULL)) != DG_OK)
		return err;
	if ((err = dg_dkim_verifier_new(a, res, opts, &v)) != DG_OK)
		return err;
	for (i = 0; i < hdr.nfields; i++) {
		err = dg_dkim_header(v, hdr.fields[i].raw,
		    hdr.fields[i].raw_len);
		if (err != DG_OK)
			goto out;
	}
	if ((err = dg_dkim_eoh(v)) != DG_OK)
		goto out;
	if ((err = dg_dkim_body(v, msg + hdr.body_offset,
	    len - hdr.body_offset)) != DG_OK)
		goto out;
	err = dg_dkim_finish(v, out);
out:
	dg_dkim_verifier_free(v);
	return err;
}

const char *
dg_dkim_result_str(enum dg_dkim_result r)
{
	switch (r) {
	case DG_DKIM_UNSET:
		return "unset";
	case DG_DKIM_NONE:
		return "none";
	case DG_DKIM_PASS:
		return "pass";
	case DG_DKIM_FAIL:
		return "fail";
	case DG_DKIM_POLICY:
		return "policy";
	case DG_DKIM_NEUTRAL:
		return "neutral";
	case DG_DKIM_TEMPERROR:
		return "temperror";
	case DG_DKIM_PERMERROR:
		return "permerror";
	}
	return "unknown";
}

const char *
dg_dkim_reason_str(enum dg_dkim_reason r)
{
	switch (r) {
	case DG_DKIM_R_NONE:		return "none";
	case DG_DKIM_R_OK:		return "ok";
	case DG_DKIM_R_NO_SIGNATURE:	return "no_signature";
	case DG_DKIM_R_SYNTAX:		return "syntax";
	case DG_DKIM_R_DUPLICATE_TAG:	return "duplicate_tag";
	case DG_DKIM_R_MISSING_TAG:	return "missing_tag";
	case DG_DKIM_R_BAD_VERSION:	return "bad_version";
	case DG_DKIM_R_BAD_ALGORITHM:	return "bad_algorithm";
	case DG_DKIM_R_BAD_BASE64:	return "bad_base64";
	case DG_DKIM_R_BAD_CANON:	return "bad_canon";
	case DG_DKIM_R_BAD_DOMAIN:	return "bad_domain";
	case DG_DKIM_R_BAD_SELECTOR:	return "bad_selector";
	case DG_DKIM_R_BAD_H:		return "bad_h";
	case DG_DKIM_R_H_MISSING_FROM:	return "h_missing_from";
	case DG_DKIM_R_BAD_I:		return "bad_i";
	case DG_DKIM_R_I_NOT_IN_D:	return "i_not_in_d";
	case DG_DKIM_R_BAD_L:		return "bad_l";
	case DG_DKIM_R_BAD_Q:		return "bad_q";
	case DG_DKIM_R_BAD_TIME:	return "bad_time";
	case DG_DKIM_R_BH_LENGTH:	return "bh_length";
	case DG_DKIM_R_EXPIRED:		return "expired";
	case DG_DKIM_R_FUTURE:		return "future";
	case DG_DKIM_R_LIMIT:		return "limit";
	case DG_DKIM_R_RSA_SHA1:	return "rsa_sha1";
	case DG_DKIM_R_KEY_TOO_SMALL:	return "key_too_small";
	case DG_DKIM_R_KEY_NOT_FOUND:	return "key_not_found";
	case DG_DKIM_R_KEY_DNS_TEMPERROR: return "key_dns_temperror";
	case DG_DKIM_R_KEY_SYNTAX:	return "key_syntax";
	case DG_DKIM_R_KEY_VERSION:	return "key_version";
	case DG_DKIM_R_KEY_REVOKED:	return "key_revoked";
	case DG_DKIM_R_KEY_BAD_DATA:	return "key_bad_data";
	case DG_DKIM_R_KEY_TOO_BIG:	return "key_too_big";
	case DG_DKIM_R_KEY_ALG_MISMATCH: return "key_alg_mismatch";
	case DG_DKIM_R_KEY_HASH_RESTRICTED: return "key_hash_restricted";
	case DG_DKIM_R_KEY_SERVICE:	return "key_service";
	case DG_DKIM_R_KEY_STRICT:	return "key_strict";
	case DG_DKIM_R_BODY_HASH_MISMATCH: return "body_hash_mismatch";
	case DG_DKIM_R_SIG_MISMATCH:	return "sig_mismatch";
	case DG_DKIM_R_L_TAG:		return "l_tag";
	}
	return "unknown";
}

const char *
dg_dkim_alg_str(enum dg_dkim_alg a)
{
	switch (a) {
	case DG_DKIM_ALG_UNSET:
		return "";
	case DG_DKIM_ALG_RSA_SHA1:
		return "rsa-sha1";
	case DG_DKIM_ALG_RSA_SHA256:
		return "rsa-sha256";
	case DG_DKIM_ALG_ED25519_SHA256:
		return "ed25519-sha256";
	}
	return "unknown";
}

const char *
dg_dkim_canon_str(enum dg_dkim_canon c)
{
	switch (c) {
	case DG_DKIM_CANON_UNSET:
		return "";
	case DG_DKIM_CANON_SIMPLE:
		return "simple";
	case DG_DKIM_CANON_RELAXED:
		return "relaxed";
	}
	return "unknown";
}
