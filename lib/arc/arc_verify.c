/*
 * lib/arc/arc_verify.c -- ARC chain validation, RFC 8617 5.2.
 *
 * Built on the DKIM layer: the AMS is a DKIM signature without v= (parsed
 * by dg_dkim_sig_parse with DG_DKIM_SIG_ARC, hashed with the DKIM
 * canonicalizations), and a seal is verified like a DKIM signature over
 * the ARC sets 1..i in order (AAR, AMS, AS each), relaxed header
 * canonicalization, its own b= emptied (RFC 8617 5.1.1).  Keys come from
 * the DKIM key fetch and cache.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <dmarcguard/arc.h>
#include <dmarcguard/buf.h>
#include <dmarcguard/msg.h>

#include "arc/arc_int.h"
#include "dkim/dkim_int.h"
#include "util/base64.h"
#include "util/limits.h"
#include "util/str.h"
#include "util/taglist.h"

/* RFC 8617 4.2.1: instances 1..50. */
#define ARC_MAX_INSTANCES	50

enum arc_kind { K_AAR = DG_ARC_AAR, K_AMS = DG_ARC_AMS, K_AS = DG_ARC_AS,
	K_COUNT };

struct arc_seal {
	enum dg_dkim_keytype	 keytype;
	enum dg_dkim_hashalg	 hashalg;
	char			 domain[DG_DNS_NAME_MAX + 1];
	char			 selector[DG_DNS_NAME_MAX + 1];
	enum { CV_NONE = 1, CV_PASS, CV_FAIL } cv;
	uint8_t			 b[DG_DKIM_MAX_SIG_BYTES];
	size_t			 blen;
	size_t			 b_start, b_end;	/* in the value */
};

/* An AMS being verified: its signature and its body hash so far. */
struct arc_ams {
	struct dg_dkim_sig		 sig;
	bool				 parsed;
	struct dg_dkim_hash		*bh;
	struct dg_dkim_bodycanon	 bc;
};

struct arc_chain {
	struct dg_dkim_field	*f;		/* every header field */
	size_t			 nf, capf;
	/* set[i][kind]: index into f + 1 (0: absent), for i = 1..N */
	size_t			 set[ARC_MAX_INSTANCES + 1][K_COUNT];
	unsigned		 n;
	struct arc_ams		 ams[ARC_MAX_INSTANCES + 1];
};

static void	why(struct dg_arc_verdict *out, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* The chain fails; the first reason is kept. */
static void
why(struct dg_arc_verdict *out, const char *fmt, ...)
{
	va_list	ap;

	if (out->result != DG_ARC_FAIL) {
		va_start(ap, fmt);
		vsnprintf(out->reason, sizeof(out->reason), fmt, ap);
		va_end(ap);
	}
	out->result = DG_ARC_FAIL;
}

static bool
name_is(const struct dg_dkim_field *f, const char *name)
{
	return dg_memcaseeq(f->raw, f->name_len, name, strlen(name));
}

/* The value of a field: after the colon, the final terminator gone. */
static struct dg_span
value_of(const struct dg_dkim_field *f)
{
	struct dg_span	v;

	v.p = f->raw + f->value_off;
	v.len = f->len - f->value_off;
	return v;
}

static bool
is_fws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* 1..50 from 1-2 digits; 0 when not that. */
static unsigned
instance_of(struct dg_span s)
{
	unsigned	v = 0;
	size_t		i;

	if (s.len == 0 || s.len > 2)
		return 0;
	for (i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return 0;
		v = v * 10 + (unsigned)(s.p[i] - '0');
	}
	return v >= 1 && v <= ARC_MAX_INSTANCES ? v : 0;
}

/* AAR (RFC 8617 4.1.1): "i=" instance ";" first, FWS around. */
static unsigned
aar_instance(struct dg_span v)
{
	size_t		k = 0, d;
	struct dg_span	num;

	while (k < v.len && is_fws(v.p[k]))
		k++;
	if (k >= v.len || (v.p[k] != 'i' && v.p[k] != 'I'))
		return 0;
	for (k++; k < v.len && is_fws(v.p[k]); k++)
		;
	if (k >= v.len || v.p[k] != '=')
		return 0;
	for (k++; k < v.len && is_fws(v.p[k]); k++)
		;
	for (d = k; d < v.len && v.p[d] >= '0' && v.p[d] <= '9'; d++)
		;
	num.p = v.p + k;
	num.len = d - k;
	for (k = d; k < v.len && is_fws(v.p[k]); k++)
		;
	if (k >= v.len || v.p[k] != ';')
		return 0;
	return instance_of(num);
}

static const struct dg_tag *
tag(const struct dg_tag *t, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (t[i].name.len == strlen(name) &&
		    memcmp(t[i].name.p, name, t[i].name.len) == 0)
			return &t[i];
	return NULL;
}

static bool
span_eq(struct dg_span s, const char *lit)
{
	return s.len == strlen(lit) && memcmp(s.p, lit, s.len) == 0;
}

/* The instance of an AS or AMS from its tag-list; 0 when not there. */
static unsigned
tagged_instance(struct dg_span v)
{
	struct dg_tag		 t[DG_TAGLIST_MAX];
	struct dg_taglist_error	 te;
	const struct dg_tag	*i;
	size_t			 n;

	if (dg_taglist_parse(v.p, v.len, 0, t, DG_TAGLIST_MAX, &n, &te) !=
	    DG_OK || (i = tag(t, n, "i")) == NULL)
		return 0;
	return instance_of(i->value);
}

/* Parse a seal (RFC 8617 4.1.3): i a b cv d s [t], no h=. */
static bool
seal_parse(struct dg_span v, struct arc_seal *s, const char **bad)
{
	struct dg_tag		 t[DG_TAGLIST_MAX];
	struct dg_taglist_error	 te;
	const struct dg_tag	*a, *b, *cv, *d, *sel;
	size_t			 n, k;

	memset(s, 0, sizeof(*s));
	if (dg_taglist_parse(v.p, v.len, 0, t, DG_TAGLIST_MAX, &n, &te) !=
	    DG_OK) {
		*bad = "its tag-list does not parse";
		return false;
	}
	a = tag(t, n, "a");
	b = tag(t, n, "b");
	cv = tag(t, n, "cv");
	d = tag(t, n, "d");
	sel = tag(t, n, "s");
	if (a == NULL || b == NULL || cv == NULL || d == NULL ||
	    sel == NULL || tag(t, n, "i") == NULL) {
		*bad = "a required tag (i a b cv d s) is missing";
		return false;
	}
	if (tag(t, n, "h") != NULL) {
		*bad = "it has h= (RFC 8617 4.1.3)";
		return false;
	}
	if (span_eq(a->value, "rsa-sha256"))
		s->keytype = DG_DKIM_KEY_RSA;
	else if (span_eq(a->value, "ed25519-sha256"))
		s->keytype = DG_DKIM_KEY_ED25519;
	else {
		*bad = "a= is not rsa-sha256 or ed25519-sha256";
		return false;
	}
	s->hashalg = DG_DKIM_HASH_SHA256;
	if (span_eq(cv->value, "none"))
		s->cv = CV_NONE;
	else if (span_eq(cv->value, "pass"))
		s->cv = CV_PASS;
	else if (span_eq(cv->value, "fail"))
		s->cv = CV_FAIL;
	else {
		*bad = "cv= is not none, pass or fail";
		return false;
	}
	if (!dg_dkim_domain_ok(d->value, false, s->domain) ||
	    !dg_dkim_domain_ok(sel->value, true, s->selector)) {
		*bad = "d= or s= is not a domain name";
		return false;
	}
	if (dg_base64_decode(b->value.p, b->value.len, DG_BASE64_SKIP_FWS,
	    s->b, sizeof(s->b), &s->blen) != DG_OK || s->blen == 0) {
		*bad = "b= is not base64";
		return false;
	}
	k = (size_t)(b->name.p + b->name.len - v.p);
	while (k < v.len && v.p[k] != '=')
		k++;
	s->b_start = k + 1;
	k = (size_t)(b->value.p + b->value.len - v.p);
	while (k < v.len && v.p[k] != ';')
		k++;
	s->b_end = k;
	return true;
}

/* The key at selector._domainkey.domain for keytype, or NULL (*why). */
static enum dg_err
key_for(struct dg_resolver *res, struct dg_dkim_keycache *kc,
    struct dg_arena *a, const char *sel, const char *dom,
    enum dg_dkim_keytype kt, struct dg_dkim_key **out, const char **bad)
{
	struct dg_dkim_keyfail	 kf;
	enum dg_err		 err;

	*out = NULL;
	memset(&kf, 0, sizeof(kf));
	if ((err = dg_dkim_key_fetch(res, kc, sel, dom, a, out, &kf)) !=
	    DG_OK)
		return err;
	if (*out == NULL) {
		*bad = kf.result == DG_DKIM_TEMPERROR ?
		    "its key could not be fetched (DNS)" : "it has no key";
		return DG_OK;
	}
	if ((*out)->type != kt) {
		dg_dkim_key_unref(*out);
		*out = NULL;
		*bad = "its key does not match a=";
		return DG_OK;
	}
	if (kt == DG_DKIM_KEY_RSA && (*out)->bits < DG_DKIM_MIN_RSA_BITS) {
		dg_dkim_key_unref(*out);
		*out = NULL;
		*bad = "its RSA key is under 1024 bits (RFC 8301)";
	}
	return DG_OK;
}

/* Parse the AMS of instance i and start its body hash; false (and *bad)
 * when it cannot be verified at all. */
static bool
ams_prepare(struct arc_chain *c, unsigned i, const char **bad)
{
	struct arc_ams		*m = &c->ams[i];
	struct dg_span		 v = value_of(&c->f[c->set[i][K_AMS] - 1]);
	enum dg_dkim_reason	 reason;
	size_t			 k;
	char			 detail[DG_DETAIL_MAX];

	if (dg_dkim_sig_parse(v.p, v.len, DG_DKIM_SIG_ARC, &m->sig, &reason,
	    detail, sizeof(detail)) != DG_OK) {
		*bad = "it does not parse";
		return false;
	}
	if (m->sig.keytype == DG_DKIM_KEY_RSA &&
	    m->sig.hashalg == DG_DKIM_HASH_SHA1) {
		*bad = "it uses rsa-sha1 (RFC 8301)";
		return false;
	}
	for (k = 0; k < m->sig.nh; k++)
		if (dg_memcaseeq(m->sig.h[k].p, m->sig.h[k].len, "arc-seal",
		    8)) {
			*bad = "its h= covers ARC-Seal (RFC 8617 4.1.2)";
			return false;
		}
	if ((m->bh = dg_dkim_hash_new(m->sig.hashalg)) == NULL) {
		*bad = "out of memory";
		return false;
	}
	dg_dkim_bodycanon_init(&m->bc, m->sig.body_canon, m->sig.has_l,
	    m->sig.l, dg_dkim_hash_sink, m->bh);
	m->parsed = true;
	return true;
}

/* Finish the AMS of instance i: *ok, or *bad says why not. */
static enum dg_err
ams_check(struct arc_chain *c, unsigned i, struct dg_resolver *res,
    struct dg_dkim_keycache *kc, struct dg_arena *a, struct dg_buf *scratch,
    bool *ok, const char **bad)
{
	struct arc_ams			*m = &c->ams[i];
	struct dg_dkim_sig		*sig = &m->sig;
	size_t				 ix = c->set[i][K_AMS] - 1;
	const struct dg_dkim_field	*self = &c->f[ix];
	struct dg_dkim_hash		*hh = NULL;
	struct dg_dkim_key		*key = NULL;
	uint8_t				 digest[DG_DKIM_HASH_MAX];
	size_t				 dlen;
	bool				*used;
	enum dg_err			 err;

	*ok = false;
	if (!m->parsed) {
		*bad = "it does not parse";
		return DG_OK;
	}
	dg_dkim_bodycanon_final(&m->bc);
	if ((err = dg_dkim_hash_final(m->bh, digest, &dlen)) != DG_OK)
		return err;
	if (dlen != sig->bhlen || memcmp(digest, sig->bh, dlen) != 0) {
		*bad = "its body hash does not verify";
		return DG_OK;
	}
	if ((used = dg_arena_calloc(a, c->nf + 1, sizeof(*used))) == NULL)
		return dg_arena_err(a);
	if ((err = key_for(res, kc, a, sig->selector, sig->domain,
	    sig->keytype, &key, bad)) != DG_OK || key == NULL)
		return err;
	if ((hh = dg_dkim_hash_new(sig->hashalg)) == NULL) {
		err = DG_ENOMEM;
		goto out;
	}
	err = dg_dkim_hash_fields(sig->header_canon, c->f, c->nf, sig->h,
	    sig->nh, ix, used, scratch, hh);
	if (err != DG_OK)
		goto out;
	dg_buf_reset(scratch);
	dg_dkim_canon_header(sig->header_canon, self->raw, self->len,
	    self->value_off + sig->b_start, self->value_off + sig->b_end,
	    false, scratch);
	if ((err = dg_buf_err(scratch)) != DG_OK)
		goto out;
	if (scratch->len > 0)
		dg_dkim_hash_update(hh, scratch->data, scratch->len);
	if ((err = dg_dkim_hash_final(hh, digest, &dlen)) != DG_OK)
		goto out;
	if ((err = dg_dkim_pkey_verify(key->pkey, sig->keytype, sig->hashalg,
	    digest, dlen, sig->b, sig->blen, ok)) != DG_OK)
		goto out;
	if (!*ok)
		*bad = "its signature does not verify";
out:
	dg_dkim_hash_free(hh);
	if (key != NULL)
		dg_dkim_key_unref(key);
	return err;
}

/* Verify the seal of instance i over the sets 1..i (RFC 8617 5.1.1). */
static enum dg_err
as_verify(struct arc_chain *c, unsigned inst, const struct arc_seal *s,
    struct dg_resolver *res, struct dg_dkim_keycache *kc,
    struct dg_arena *a, struct dg_buf *scratch, bool *ok, const char **bad)
{
	struct dg_dkim_hash	*hh;
	struct dg_dkim_key	*key = NULL;
	uint8_t			 digest[DG_DKIM_HASH_MAX];
	size_t			 dlen;
	unsigned		 j;
	int			 k;
	enum dg_err		 err;

	*ok = false;
	if ((err = key_for(res, kc, a, s->selector, s->domain, s->keytype,
	    &key, bad)) != DG_OK || key == NULL)
		return err;
	if ((hh = dg_dkim_hash_new(s->hashalg)) == NULL) {
		dg_dkim_key_unref(key);
		return DG_ENOMEM;
	}
	for (j = 1; j <= inst; j++)
		for (k = 0; k < K_COUNT; k++) {
			const struct dg_dkim_field *f =
			    &c->f[c->set[j][k] - 1];
			bool last = j == inst && k == K_AS;

			dg_buf_reset(scratch);
			dg_dkim_canon_header(DG_DKIM_CANON_RELAXED, f->raw,
			    f->len, last ? f->value_off + s->b_start : 0,
			    last ? f->value_off + s->b_end : 0, !last,
			    scratch);
			if ((err = dg_buf_err(scratch)) != DG_OK)
				goto out;
			if (scratch->len > 0)
				dg_dkim_hash_update(hh, scratch->data,
				    scratch->len);
		}
	if ((err = dg_dkim_hash_final(hh, digest, &dlen)) != DG_OK)
		goto out;
	if ((err = dg_dkim_pkey_verify(key->pkey, s->keytype, s->hashalg,
	    digest, dlen, s->b, s->blen, ok)) != DG_OK)
		goto out;
	if (!*ok)
		*bad = "its signature does not verify";
out:
	dg_dkim_hash_free(hh);
	dg_dkim_key_unref(key);
	return err;
}

struct dg_arc_verifier {
	struct dg_arena			*a;
	struct dg_resolver		*res;
	struct dg_dkim_keycache		*kc;
	struct arc_chain		*c;
	struct arc_seal			*seals;
	struct dg_arc_verdict		 v;
	size_t				 header_bytes;
	bool				 any;		/* ARC fields seen */
	bool				 eoh, done;
	enum dg_err			 err;		/* sticky */
};

enum dg_err
dg_arc_verifier_new(struct dg_arena *a, struct dg_resolver *res,
    struct dg_dkim_keycache *kc, struct dg_arc_verifier **out)
{
	struct dg_arc_verifier	*v;

	if (a == NULL || res == NULL || out == NULL)
		return DG_EINVAL;
	if ((v = dg_arena_calloc(a, 1, sizeof(*v))) == NULL ||
	    (v->c = dg_arena_calloc(a, 1, sizeof(*v->c))) == NULL ||
	    (v->seals = dg_arena_calloc(a, ARC_MAX_INSTANCES + 1,
	    sizeof(*v->seals))) == NULL)
		return dg_arena_err(a);
	v->a = a;
	v->res = res;
	v->kc = kc;
	*out = v;
	return DG_OK;
}

void
dg_arc_verifier_free(struct dg_arc_verifier *v)
{
	unsigned	i;

	if (v == NULL)
		return;
	for (i = 1; i <= ARC_MAX_INSTANCES; i++) {
		dg_dkim_hash_free(v->c->ams[i].bh);
		v->c->ams[i].bh = NULL;
	}
}

enum dg_err
dg_arc_header(struct dg_arc_verifier *v, const char *field, size_t len)
{
	struct arc_chain	*c;
	struct dg_dkim_field	*f;
	const char		*colon;
	char			*copy;
	size_t			 n;

	if (v == NULL || field == NULL || v->eoh)
		return DG_EINVAL;
	c = v->c;
	if (len > 0 && field[len - 1] == '\n') {
		len--;
		if (len > 0 && field[len - 1] == '\r')
			len--;
	}
	if ((colon = memchr(field, ':', len)) == NULL)
		return DG_EINVAL;
	if (len > DG_HDR_FIELD_MAX ||
	    v->header_bytes + len > DG_HDR_SECTION_MAX ||
	    c->nf >= DG_HDR_FIELDS_MAX)
		return DG_ETOOBIG;
	if (c->nf == c->capf) {
		size_t			 ncap = c->capf == 0 ? 32 : c->capf * 2;
		struct dg_dkim_field	*nf;

		if (ncap > DG_HDR_FIELDS_MAX)
			ncap = DG_HDR_FIELDS_MAX;
		if ((nf = dg_arena_calloc(v->a, ncap, sizeof(*nf))) == NULL)
			return dg_arena_err(v->a);
		if (c->nf > 0)
			memcpy(nf, c->f, c->nf * sizeof(*nf));
		c->f = nf;
		c->capf = ncap;
	}
	if ((copy = dg_arena_strndup(v->a, field, len)) == NULL)
		return dg_arena_err(v->a);
	f = &c->f[c->nf++];
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

/* End of the header: collect and check the sets (RFC 8617 5.2 steps
 * 1-3), and start the body hash of every AMS. */
static void
arc_eoh(struct dg_arc_verifier *v)
{
	static const char *const	 names[K_COUNT] = {
		"ARC-Authentication-Results", "ARC-Message-Signature",
		"ARC-Seal"
	};
	struct arc_chain	*c = v->c;
	struct dg_arc_verdict	*out = &v->v;
	const char		*bad = NULL;
	size_t			 i;
	unsigned		 inst, j;
	int			 k;

	v->eoh = true;
	for (i = 0; i < c->nf; i++)
		for (k = 0; k < K_COUNT; k++) {
			struct dg_span	s;

			if (!name_is(&c->f[i], names[k]))
				continue;
			v->any = true;
			s = value_of(&c->f[i]);
			inst = k == K_AAR ? aar_instance(s) :
			    tagged_instance(s);
			if (inst == 0) {
				why(out, "an %s field has no valid i= (1-50)",
				    names[k]);
				continue;
			}
			if (c->set[inst][k] != 0)
				why(out, "instance %u has two %s fields", inst,
				    names[k]);
			c->set[inst][k] = i + 1;
			if (inst > c->n)
				c->n = inst;
		}
	out->instances = c->n;
	if (!v->any || out->result == DG_ARC_FAIL)
		return;
	for (j = 1; j <= c->n; j++)
		for (k = 0; k < K_COUNT; k++)
			if (c->set[j][k] == 0) {
				why(out, "instance %u has no %s field", j,
				    names[k]);
				return;
			}
	for (j = 1; j <= c->n; j++)
		if (!seal_parse(value_of(&c->f[c->set[j][K_AS] - 1]),
		    &v->seals[j], &bad)) {
			why(out, "the ARC-Seal of instance %u is not valid: "
			    "%s", j, bad);
			return;
		}
	dg_strlcpy(out->sealer, v->seals[c->n].domain, sizeof(out->sealer));
	if (v->seals[c->n].cv == CV_FAIL) {
		out->ended = true;
		why(out, "the newest seal (i=%u) says cv=fail", c->n);
		return;
	}
	for (j = 1; j <= c->n; j++)
		if ((j == 1 && v->seals[j].cv != CV_NONE) ||
		    (j > 1 && v->seals[j].cv != CV_PASS)) {
			why(out, "the seal of instance %u has the wrong cv= "
			    "(%s)", j, j == 1 ? "must be none" :
			    "must be pass");
			return;
		}
	/* The newest AMS must verify; the older ones only tell the
	 * oldest-pass instance. */
	for (j = c->n; j >= 1; j--)
		if (!ams_prepare(c, j, &bad) && j == c->n) {
			why(out, "the ARC-Message-Signature of instance %u "
			    "does not verify: %s", j, bad);
			return;
		}
}

enum dg_err
dg_arc_body(struct dg_arc_verifier *v, const char *p, size_t len)
{
	unsigned	j;

	if (v == NULL || (p == NULL && len > 0) || v->done)
		return DG_EINVAL;
	if (!v->eoh)
		arc_eoh(v);
	if (v->v.result == DG_ARC_FAIL || !v->any)
		return DG_OK;
	for (j = 1; j <= v->c->n; j++)
		if (v->c->ams[j].parsed)
			dg_dkim_bodycanon_update(&v->c->ams[j].bc, p, len);
	return DG_OK;
}

enum dg_err
dg_arc_finish(struct dg_arc_verifier *v, struct dg_arc_verdict *out)
{
	struct arc_chain	*c;
	struct dg_buf		 scratch;
	const char		*bad = NULL;
	unsigned		 j;
	bool			 ok;
	enum dg_err		 err = DG_OK;

	if (v == NULL || out == NULL)
		return DG_EINVAL;
	if (v->done) {
		*out = v->v;
		return v->err;
	}
	if (!v->eoh)
		arc_eoh(v);
	v->done = true;
	c = v->c;
	if (!v->any) {
		v->v.result = DG_ARC_NONE;
		dg_strlcpy(v->v.reason, "no ARC sets", sizeof(v->v.reason));
	}
	if (v->v.result != DG_ARC_UNSET) {
		*out = v->v;
		return DG_OK;
	}
	dg_buf_init(&scratch, 0);
	/* 5.2 step 4: the newest AMS; step 6: the oldest passing one. */
	err = ams_check(c, c->n, v->res, v->kc, v->a, &scratch, &ok, &bad);
	if (err != DG_OK)
		goto out;
	if (!ok) {
		why(&v->v, "the ARC-Message-Signature of instance %u does "
		    "not verify: %s", c->n, bad);
		goto out;
	}
	v->v.oldest_pass = c->n;
	for (j = c->n - 1; j >= 1; j--) {
		err = ams_check(c, j, v->res, v->kc, v->a, &scratch, &ok,
		    &bad);
		if (err != DG_OK)
			goto out;
		if (!ok)
			break;
		v->v.oldest_pass = j;
	}
	/* 5.2 step 5: every seal, newest first. */
	for (j = c->n; j >= 1; j--) {
		err = as_verify(c, j, &v->seals[j], v->res, v->kc, v->a,
		    &scratch, &ok, &bad);
		if (err != DG_OK)
			goto out;
		if (!ok) {
			why(&v->v, "the ARC-Seal of instance %u does not "
			    "verify: %s", j, bad);
			goto out;
		}
	}
	v->v.result = DG_ARC_PASS;
	dg_fmt(v->v.reason, sizeof(v->v.reason), "%u ARC set%s verified",
	    c->n, c->n == 1 ? "" : "s");
out:
	dg_buf_free(&scratch);
	v->err = err;
	*out = v->v;
	return err;
}

enum dg_err
dg_arc_run(struct dg_arena *a, struct dg_resolver *res,
    struct dg_dkim_keycache *kc, const char *msg, size_t len,
    struct dg_arc_verifier **vout, size_t *body_off,
    struct dg_arc_verdict *out)
{
	struct dg_arc_verifier	*v;
	struct dg_msg_hdr	 h;
	struct dg_msg_error	 merr;
	size_t			 i;
	enum dg_err		 err;

	*vout = NULL;
	memset(out, 0, sizeof(*out));
	memset(&merr, 0, sizeof(merr));
	/* A header past the RFC 5322 limits does not parse (DG_ESYNTAX);
	 * only memory (or the arena's ceiling) is an error. */
	if ((err = dg_msg_hdr_parse(a, msg != NULL ? msg : "", len, 0, &h,
	    &merr)) != DG_OK)
		return err == DG_ENOMEM || merr.msg[0] == '\0' ? err :
		    DG_ESYNTAX;
	if ((err = dg_arc_verifier_new(a, res, kc, &v)) != DG_OK)
		return err;
	for (i = 0; i < h.nfields && err == DG_OK; i++) {
		err = dg_arc_header(v, h.fields[i].raw, h.fields[i].raw_len);
		if (err == DG_EINVAL)
			err = DG_OK;	/* not a field: nothing to hash */
		else if (err == DG_ETOOBIG)
			err = DG_ESYNTAX;	/* past the header limits */
	}
	if (err == DG_OK)
		err = dg_arc_body(v, msg != NULL ? msg + h.body_offset : "",
		    len - h.body_offset);
	if (err == DG_OK)
		err = dg_arc_finish(v, out);
	if (err != DG_OK) {
		dg_arc_verifier_free(v);
		return err;
	}
	*vout = v;
	if (body_off != NULL)
		*body_off = h.body_offset;
	return DG_OK;
}

enum dg_err
dg_arc_verify_message(struct dg_arena *a, struct dg_resolver *res,
    struct dg_dkim_keycache *kc, const char *msg, size_t len,
    struct dg_arc_verdict *out)
{
	struct dg_arc_verifier	*v;
	enum dg_err		 err;

	if (a == NULL || res == NULL || (msg == NULL && len > 0) ||
	    out == NULL)
		return DG_EINVAL;
	err = dg_arc_run(a, res, kc, msg, len, &v, NULL, out);
	if (err == DG_ESYNTAX) {
		out->result = DG_ARC_NONE;
		dg_strlcpy(out->reason, "the header does not parse",
		    sizeof(out->reason));
		return DG_OK;
	}
	dg_arc_verifier_free(v);
	return err;
}

const struct dg_dkim_field *
dg_arc_fields(const struct dg_arc_verifier *v, size_t *n)
{
	*n = v->c->nf;
	return v->c->f;
}

const struct dg_dkim_field *
dg_arc_set_field(const struct dg_arc_verifier *v, unsigned i, int kind)
{
	if (i < 1 || i > ARC_MAX_INSTANCES || kind < 0 || kind >= K_COUNT ||
	    v->c->set[i][kind] == 0)
		return NULL;
	return &v->c->f[v->c->set[i][kind] - 1];
}

const char *
dg_arc_set_sealer(const struct dg_arc_verifier *v, unsigned i)
{
	if (v == NULL || !v->done || i < 1 || i > v->c->n ||
	    v->c->set[i][K_AS] == 0 || v->seals[i].domain[0] == '\0')
		return NULL;
	return v->seals[i].domain;
}

const char *
dg_arc_set_aar(const struct dg_arc_verifier *v, unsigned i, size_t *len)
{
	const struct dg_dkim_field	*f;

	if (v == NULL || len == NULL || !v->done || i < 1 ||
	    i > v->c->n || v->c->set[i][K_AAR] == 0)
		return NULL;
	f = &v->c->f[v->c->set[i][K_AAR] - 1];
	*len = f->len - f->value_off;
	return f->raw + f->value_off;
}

const char *
dg_arc_result_str(enum dg_arc_result r)
{
	switch (r) {
	case DG_ARC_NONE:	return "none";
	case DG_ARC_PASS:	return "pass";
	case DG_ARC_FAIL:	return "fail";
	default:		return "unset";
	}
}
