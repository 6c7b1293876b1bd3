/*
 * lib/arc/arc_seal.c -- add the next ARC set to a message (RFC 8617 5.1):
 * the chain is validated first (its result is the new seal's cv=), then
 *   1. ARC-Authentication-Results: i=N; authserv-id; results
 *   2. ARC-Message-Signature over the chosen header fields (relaxed/
 *      relaxed, the new AAR visible to it) and the body,
 *   3. ARC-Seal over the sets 1..N in order, relaxed, its b= empty.
 * Signing goes through the DKIM layer (dg_dkim_sign_field for the AMS,
 * dg_dkim_pkey_sign for the seal).
 */
#include <inttypes.h>
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

/* The AMS's default h=: what identifies and describes the message, in
 * this order, those present signed (RFC 8617 4.1.2 leaves it open; ARC-*
 * and Authentication-Results are left out, since the seal covers them). */
static const char *const default_headers[] = {
	"from", "to", "cc", "subject", "date", "message-id", "reply-to",
	"in-reply-to", "references", "mime-version", "content-type",
	"content-transfer-encoding", "list-id", "list-post", "dkim-signature",
};

#define NELEM(x)	(sizeof(x) / sizeof((x)[0]))

/* The template with its signature put after " b=". */
static const char *
with_b(struct dg_arena *a, const char *tmpl, const char *b64)
{
	const char	*at = strstr(tmpl, " b=;");
	size_t		 head, tl = strlen(tmpl), bl = strlen(b64);
	char		*out;

	if (at == NULL || (out = dg_arena_alloc(a, tl + bl + 1)) == NULL)
		return NULL;
	head = (size_t)(at - tmpl) + 3;
	memcpy(out, tmpl, head);
	memcpy(out + head, b64, bl);
	memcpy(out + head + bl, tmpl + head, tl - head + 1);
	return out;
}

static void
set_field(struct dg_dkim_field *f, const char *raw)
{
	const char	*colon = strchr(raw, ':');

	f->raw = raw;
	f->len = strlen(raw);
	f->value_off = (size_t)(colon - raw) + 1;
	f->name_len = (size_t)(colon - raw);
}

static bool
present(const struct dg_dkim_field *f, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (dg_memcaseeq(f[i].raw, f[i].name_len, name, strlen(name)))
			return true;
	return false;
}

enum dg_err
dg_arc_seal(struct dg_arena *a, struct dg_resolver *res,
    const struct dg_dkim_privkey *key, const struct dg_arc_seal_opts *o,
    const char *msg, size_t len, struct dg_arc_sealed *out)
{
	struct dg_arc_verifier	*v = NULL;
	const struct dg_dkim_field *old_f;
	struct dg_dkim_field	*f = NULL, *sets;
	struct dg_dkim_pkey	*pk;
	enum dg_dkim_keytype	 kt;
	struct dg_dkim_bodycanon bc;
	struct dg_dkim_hash	*hh = NULL;
	struct dg_buf		 b, scratch;
	const char		*alg, *b64, *cv;
	uint8_t			 digest[DG_DKIM_HASH_MAX];
	uint8_t			 sig[DG_DKIM_MAX_SIG_BYTES];
	char			 bh64[64], *s64;
	size_t			 n = 0, i, dlen, slen, k, body_off = 0;
	unsigned		 inst, j;
	int			 kk;
	enum dg_err		 err;

	if (a == NULL || res == NULL || key == NULL || o == NULL ||
	    o->domain == NULL || o->selector == NULL ||
	    o->authserv_id == NULL || (msg == NULL && len > 0) || out == NULL)
		return DG_EINVAL;
	memset(out, 0, sizeof(*out));
	/* Validate through the verifier, which keeps the fields and the
	 * sets for the seal below. */
	if ((err = dg_arc_run(a, res, NULL, msg, len, &v, &body_off,
	    &out->chain)) != DG_OK)
		return err;
	if (out->chain.ended) {
		dg_arc_verifier_free(v);
		return DG_OK;	/* 5.1: a failed chain gets no more sets */
	}
	if (out->chain.instances >= 50) {
		dg_arc_verifier_free(v);
		return DG_ETOOBIG;	/* RFC 8617 4.2.1: at most 50 */
	}
	/* 5.1.1: cv is the validation result; a chain with no sets is
	 * none.  A set whose instance count is unknown (a broken chain)
	 * continues after the highest instance seen. */
	inst = out->chain.instances + 1;
	cv = out->chain.result == DG_ARC_PASS ? "pass" :
	    out->chain.result == DG_ARC_NONE ? "none" : "fail";
	if (out->chain.result == DG_ARC_NONE && inst > 1)
		cv = "fail";
	if (o->cv != NULL)
		cv = o->cv;
	pk = dg_dkim_privkey_pkey(key, &kt);
	alg = kt == DG_DKIM_KEY_ED25519 ? "ed25519-sha256" : "rsa-sha256";
	/* The fields the AMS sees: the new AAR on top, then the message's. */
	old_f = dg_arc_fields(v, &n);
	if ((f = dg_arena_calloc(a, n + 2, sizeof(*f))) == NULL) {
		dg_arc_verifier_free(v);
		return dg_arena_err(a);
	}
	if (n > 0)
		memcpy(f + 1, old_f, n * sizeof(*f));
	n++;

	dg_buf_init(&b, 0);
	dg_buf_init(&scratch, 0);
	/* 1. the AAR, visible to the AMS below (prepended). */
	dg_buf_printf(&b, "ARC-Authentication-Results: i=%u; %s; %s", inst,
	    o->authserv_id, o->results != NULL && o->results[0] != '\0' ?
	    o->results : "arc=none");
	if ((err = dg_buf_err(&b)) != DG_OK ||
	    (out->aar = dg_arena_strdup(a, dg_buf_str(&b))) == NULL) {
		err = err != DG_OK ? err : dg_arena_err(a);
		goto out;
	}
	set_field(&f[0], out->aar);

	/* 2. the AMS: the body hash, then the fields. */
	if ((hh = dg_dkim_hash_new(DG_DKIM_HASH_SHA256)) == NULL) {
		err = DG_ENOMEM;
		goto out;
	}
	dg_dkim_bodycanon_init(&bc, DG_DKIM_CANON_RELAXED, false, 0,
	    dg_dkim_hash_sink, hh);
	dg_dkim_bodycanon_update(&bc, msg != NULL ? msg + body_off : "",
	    len - body_off);
	dg_dkim_bodycanon_final(&bc);
	if ((err = dg_dkim_hash_final(hh, digest, &dlen)) != DG_OK ||
	    (err = dg_base64_encode(digest, dlen, bh64, sizeof(bh64),
	    NULL)) != DG_OK)
		goto out;
	dg_dkim_hash_free(hh);
	hh = NULL;
	/* Tags in alphabetical order with "; " between them: the form the
	 * ARC test suite standardizes on (the hash covers the text). */
	{
		struct dg_buf	hl;

		dg_buf_init(&hl, 0);
		k = 0;
		if (o->headers != NULL) {
			for (i = 0; i < o->nheaders; i++)
				dg_buf_printf(&hl, "%s%s", k++ > 0 ? ":" : "",
				    o->headers[i]);
		} else {
			for (i = 0; i < NELEM(default_headers); i++)
				if (present(f, n, default_headers[i]))
					dg_buf_printf(&hl, "%s%s", k++ > 0 ?
					    ":" : "", default_headers[i]);
		}
		if (k == 0)
			dg_buf_puts(&hl, "from");
		dg_buf_reset(&b);
		dg_buf_printf(&b, "ARC-Message-Signature: a=%s; b=; bh=%s; "
		    "c=relaxed/relaxed; d=%s; h=%s; i=%u; s=%s; t=%" PRIu64,
		    alg, bh64, o->domain, dg_buf_str(&hl), inst, o->selector,
		    o->now);
		err = dg_buf_err(&hl);
		dg_buf_free(&hl);
		if (err != DG_OK || (err = dg_buf_err(&b)) != DG_OK)
			goto out;
	}
	if ((err = dg_dkim_sign_field(a, pk, kt, f, n, b.data, b.len,
	    &b64)) != DG_OK)
		goto out;
	if ((out->ams = with_b(a, dg_buf_str(&b), b64)) == NULL) {
		err = dg_arena_err(a);
		goto out;
	}

	/* 3. the seal over the sets 1..inst: the old ones from the
	 * message, then the new AAR, AMS and this seal (b= empty). */
	dg_buf_reset(&b);
	dg_buf_printf(&b, "ARC-Seal: a=%s; b=; cv=%s; d=%s; i=%u; s=%s; t=%"
	    PRIu64, alg, cv, o->domain, inst, o->selector, o->now);
	if ((err = dg_buf_err(&b)) != DG_OK)
		goto out;
	if ((sets = dg_arena_calloc(a, 3, sizeof(*sets))) == NULL) {
		err = dg_arena_err(a);
		goto out;
	}
	if ((hh = dg_dkim_hash_new(DG_DKIM_HASH_SHA256)) == NULL) {
		err = DG_ENOMEM;
		goto out;
	}
	/* 5.1.1: with cv=fail the seal covers its own set only. */
	for (j = strcmp(cv, "fail") == 0 ? inst : 1; j < inst; j++)
		for (kk = DG_ARC_AAR; kk <= DG_ARC_AS; kk++) {
			const struct dg_dkim_field *hit =
			    dg_arc_set_field(v, j, kk);

			if (hit == NULL) {
				err = DG_ESYNTAX;	/* broken old set */
				goto out;
			}
			dg_buf_reset(&scratch);
			dg_dkim_canon_header(DG_DKIM_CANON_RELAXED, hit->raw,
			    hit->len, 0, 0, true, &scratch);
			if ((err = dg_buf_err(&scratch)) != DG_OK)
				goto out;
			dg_dkim_hash_update(hh, scratch.data, scratch.len);
		}
	set_field(&sets[0], out->aar);
	set_field(&sets[1], out->ams);
	for (i = 0; i < 3; i++) {
		dg_buf_reset(&scratch);
		if (i < 2)
			dg_dkim_canon_header(DG_DKIM_CANON_RELAXED,
			    sets[i].raw, sets[i].len, 0, 0, true, &scratch);
		else
			dg_dkim_canon_header(DG_DKIM_CANON_RELAXED, b.data,
			    b.len, 0, 0, false, &scratch);
		if ((err = dg_buf_err(&scratch)) != DG_OK)
			goto out;
		dg_dkim_hash_update(hh, scratch.data, scratch.len);
	}
	if ((err = dg_dkim_hash_final(hh, digest, &dlen)) != DG_OK ||
	    (err = dg_dkim_pkey_sign(pk, kt, DG_DKIM_HASH_SHA256, digest,
	    dlen, sig, sizeof(sig), &slen)) != DG_OK)
		goto out;
	if ((s64 = dg_arena_alloc(a, 4 * ((slen + 2) / 3) + 1)) == NULL) {
		err = dg_arena_err(a);
		goto out;
	}
	if ((err = dg_base64_encode(sig, slen, s64, 4 * ((slen + 2) / 3) + 1,
	    NULL)) != DG_OK)
		goto out;
	if ((out->as = with_b(a, dg_buf_str(&b), s64)) == NULL)
		err = dg_arena_err(a);
	out->instance = inst;
out:
	dg_dkim_hash_free(hh);
	dg_buf_free(&b);
	dg_buf_free(&scratch);
	dg_arc_verifier_free(v);
	return err;
}

/*
 * The results of this hop's Authentication-Results fields (RFC 8617 5.1.1
 * and the ARC suite's consolidation): for each field whose authserv-id is
 * id, the text after "id;" (a version number allowed), in message order,
 * joined with "; ".  "arc=CV" first unless they name arc already.
 */
enum dg_err
dg_arc_aar_results(struct dg_arena *a, const char *msg, size_t len,
    const char *id, const char *cv, const char **out)
{
	struct dg_msg_hdr		 h;
	struct dg_msg_error		 merr;
	struct dg_buf			 b, c;
	const struct dg_msg_field	*f;
	size_t				 ix = 0, idlen;
	bool				 has_arc = false;
	enum dg_err			 err;

	if (a == NULL || id == NULL || cv == NULL || out == NULL ||
	    (msg == NULL && len > 0))
		return DG_EINVAL;
	idlen = strlen(id);
	memset(&merr, 0, sizeof(merr));
	dg_buf_init(&b, 0);
	if (dg_msg_hdr_parse(a, msg != NULL ? msg : "", len, 0, &h,
	    &merr) == DG_OK)
		while ((f = dg_msg_hdr_next(&h, "Authentication-Results",
		    &ix)) != NULL) {
			const char	*v = f->value, *p, *q;

			while (*v == ' ' || *v == '\t')
				v++;
			if (strlen(v) < idlen || !dg_memcaseeq(v, idlen, id,
			    idlen))
				continue;
			p = v + idlen;
			while (*p == ' ' || *p == '\t')
				p++;
			while (*p >= '0' && *p <= '9')
				p++;		/* a version */
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p != ';')
				continue;
			for (p++; *p == ' ' || *p == '\t'; p++)
				;
			if (*p == '\0' || strncmp(p, "none", 4) == 0)
				continue;
			for (q = p; (q = strstr(q, "arc=")) != NULL; q++)
				if (q == p || q[-1] == ' ' || q[-1] == '\t' ||
				    q[-1] == ';')
					has_arc = true;	/* not "dmarc=" */
			dg_buf_printf(&b, "%s%s", b.len > 0 ? "; " : "", p);
		}
	dg_buf_init(&c, 0);
	if (has_arc)
		dg_buf_puts(&c, dg_buf_str(&b));
	else
		dg_buf_printf(&c, "arc=%s%s%s", cv, b.len > 0 ? "; " : "",
		    b.len > 0 ? dg_buf_str(&b) : "");
	err = dg_buf_err(&b) != DG_OK ? dg_buf_err(&b) : dg_buf_err(&c);
	if (err == DG_OK && (*out = dg_arena_strdup(a, dg_buf_str(&c))) ==
	    NULL)
		err = dg_arena_err(a);
	dg_buf_free(&b);
	dg_buf_free(&c);
	return err;
}
