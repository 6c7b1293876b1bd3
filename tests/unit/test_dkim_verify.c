/*
 * tests/unit/test_dkim_verify.c -- the verifier end to end, with messages
 * signed at test time by dg_dkim_sign() with the keys in tests/data/dkim:
 * tamper rows (header, body, whitespace under simple and relaxed,
 * over-signing, content past l=), RFC 8301 (rsa-sha1, small keys), key
 * record outcomes, time (x=, t=, skew), several signatures and the cap,
 * streaming equivalence in every body chunk size, the milter-style
 * name/value feed, and the ENOMEM loop.
 */
#include "testutil.h"

#include <dmarcguard/dkim.h>

#include "dkim_test.h"
#include "util/alloc.h"
#include "util/limits.h"

#define NOW	1700000000ULL

static struct tdns		 dns;
static struct dg_resolver	*res;
static struct dg_dkim_privkey	*k512, *k1024, *k2048, *ked;

static const char	base_msg[] =
    "From: Joe SixPack <joe@example.com>\r\n"
    "To: Suzie Q <suzie@example.org>\r\n"
    "Subject: Is dinner   ready?\r\n"
    "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
    "Message-ID: <20030712040037.46341.5F8J@example.com>\r\n"
    "\r\n"
    "Hi.\r\n"
    "\r\n"
    "We lost the game.  Are you hungry yet?\r\n"
    "\r\n"
    "Joe.\r\n";

static char *
slurp(const char *name)
{
	char	 path[256];
	char	*s;
	size_t	 n;

	snprintf(path, sizeof(path), "data/dkim/%s", name);
	if ((s = test_read_file(path, &n)) == NULL)
		fail_msg("cannot read %s (run from tests/)", path);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static struct dg_dkim_privkey *
load_priv(const char *name)
{
	struct dg_dkim_privkey	*k = NULL;
	char			*pem = slurp(name);

	if (dg_dkim_privkey_pem(pem, strlen(pem), &k) != DG_OK)
		fail_msg("key %s does not load", name);
	free(pem);
	return k;
}

static void
add_key(const char *sel, const char *fmt, const char *pubfile)
{
	char	 name[128], rec[2048];
	char	*pub = slurp(pubfile);

	snprintf(name, sizeof(name), "%s._domainkey.example.com", sel);
	snprintf(rec, sizeof(rec), "%s%s", fmt, pub);
	tdns_add(&dns, name, rec);
	free(pub);
}

static int
setup(void **state)
{
	(void)state;
	memset(&dns, 0, sizeof(dns));
	add_key("k512", "v=DKIM1; k=rsa; p=", "rsa512.pub");
	add_key("k1024", "v=DKIM1; k=rsa; p=", "rsa1024.pub");
	add_key("k2048", "v=DKIM1; p=", "rsa2048.pub");
	add_key("ked", "v=DKIM1; k=ed25519; p=", "ed25519.pub");
	add_key("testing", "v=DKIM1; t=y; p=", "rsa2048.pub");
	add_key("strict", "v=DKIM1; t=s; p=", "rsa2048.pub");
	add_key("sha1only", "v=DKIM1; h=sha1; p=", "rsa2048.pub");
	add_key("sha256ok", "v=DKIM1; h=sha1:sha256; p=", "rsa2048.pub");
	add_key("notemail", "v=DKIM1; s=tlsrpt; p=", "rsa2048.pub");
	add_key("edkey", "v=DKIM1; k=ed25519; p=", "ed25519.pub");
	tdns_add(&dns, "revoked._domainkey.example.com", "v=DKIM1; p=");
	tdns_add(&dns, "broken._domainkey.example.com", "v=DKIM1; p=@@");
	tdns_put(&dns, "sf._domainkey.example.com", NULL, DG_DNS_SERVFAIL);
	tdns_put(&dns, "to._domainkey.example.com", NULL, DG_DNS_TIMEOUT);
	if (dg_resolver_custom(tdns_query, &dns, &res) != DG_OK)
		return -1;
	k512 = load_priv("rsa512.pem");
	k1024 = load_priv("rsa1024.pem");
	k2048 = load_priv("rsa2048.pem");
	ked = load_priv("ed25519.pem");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	dg_dkim_privkey_free(k512);
	dg_dkim_privkey_free(k1024);
	dg_dkim_privkey_free(k2048);
	dg_dkim_privkey_free(ked);
	dg_resolver_free(res);
	tdns_free(&dns);
	return 0;
}

/* "DKIM-Signature: <value>\r\n" + msg, malloc'd. */
static char *
signed_msg(const char *msg, struct dg_dkim_privkey *key, const char *sel,
    const char *h, enum dg_dkim_canon hc, enum dg_dkim_canon bc,
    uint64_t t, uint64_t x, bool l, const char *identity)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dkim_sign_opts o;
	const char		*v;
	char			*out;
	size_t			 n;

	memset(&o, 0, sizeof(o));
	o.domain = "example.com";
	o.selector = sel;
	o.headers = h != NULL ? h : "from:to:subject:date:message-id";
	o.header_canon = hc;
	o.body_canon = bc;
	o.t = t;
	o.x = x;
	o.body_length = l;
	o.identity = identity;
	if (dg_dkim_sign(a, key, &o, msg, strlen(msg), &v) != DG_OK)
		fail_msg("dg_dkim_sign failed for %s", sel);
	n = strlen(v) + strlen(msg) + 32;
	out = malloc(n);
	snprintf(out, n, "DKIM-Signature: %s\r\n%s", v, msg);
	dg_arena_free(a);
	return out;
}

/* Replace the first occurrence of from with to; malloc'd. */
static char *
replace(const char *s, const char *from, const char *to)
{
	const char	*p = strstr(s, from);
	char		*out;
	size_t		 n;

	if (p == NULL)
		fail_msg("replace: \"%s\" not found", from);
	n = strlen(s) - strlen(from) + strlen(to) + 1;
	out = malloc(n);
	snprintf(out, n, "%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
	return out;
}

static const struct dg_dkim_verdict *
verify(struct dg_arena *a, const char *msg, const struct dg_dkim_opts *o)
{
	struct dg_dkim_opts		 def;
	const struct dg_dkim_verdict	*vd = NULL;

	if (o == NULL) {
		memset(&def, 0, sizeof(def));
		def.now = NOW;
		o = &def;
	}
	if (dg_dkim_verify_message(a, res, o, msg, strlen(msg), &vd) != DG_OK)
		fail_msg("dg_dkim_verify_message failed");
	return vd;
}

#define R	DG_DKIM_CANON_RELAXED
#define S	DG_DKIM_CANON_SIMPLE

enum key { KEY_1024, KEY_2048, KEY_ED, KEY_512 };

/* A signed message, a tamper (from -> to; NULL: none), a verdict. */
static const struct {
	const char		*name;
	enum key		 key;
	const char		*sel;
	const char		*h;
	enum dg_dkim_canon	 hc, bc;
	bool			 l;
	const char		*from, *to;
	enum dg_dkim_result	 result;
	enum dg_dkim_reason	 reason;
} rows[] = {
	{ "rsa2048-relaxed", KEY_2048, "k2048", NULL, R, R, false, NULL,
	  NULL, DG_DKIM_PASS, DG_DKIM_R_OK },
	{ "rsa1024-simple", KEY_1024, "k1024", NULL, S, S, false, NULL, NULL,
	  DG_DKIM_PASS, DG_DKIM_R_OK },
	{ "ed25519-relaxed", KEY_ED, "ked", NULL, R, R, false, NULL, NULL,
	  DG_DKIM_PASS, DG_DKIM_R_OK },
	{ "ed25519-simple-relaxed", KEY_ED, "ked", NULL, S, R, false, NULL,
	  NULL, DG_DKIM_PASS, DG_DKIM_R_OK },
	/* tampering */
	{ "header-changed", KEY_2048, "k2048", NULL, R, R, false,
	  "Subject: Is dinner", "Subject: Is lunch", DG_DKIM_FAIL,
	  DG_DKIM_R_SIG_MISMATCH },
	{ "header-changed-ed", KEY_ED, "ked", NULL, R, R, false,
	  "To: Suzie", "To: Evil", DG_DKIM_FAIL, DG_DKIM_R_SIG_MISMATCH },
	{ "body-byte-changed", KEY_2048, "k2048", NULL, R, R, false,
	  "lost the game", "won the game", DG_DKIM_FAIL,
	  DG_DKIM_R_BODY_HASH_MISMATCH },
	{ "body-wsp-relaxed", KEY_2048, "k2048", NULL, R, R, false,
	  "game.  Are", "game.\t  Are", DG_DKIM_PASS, DG_DKIM_R_OK },
	{ "body-wsp-eol-relaxed", KEY_2048, "k2048", NULL, R, R, false,
	  "Hi.\r\n", "Hi. \t\r\n", DG_DKIM_PASS, DG_DKIM_R_OK },
	{ "body-wsp-simple", KEY_2048, "k2048", NULL, S, S, false,
	  "game.  Are", "game. Are", DG_DKIM_FAIL,
	  DG_DKIM_R_BODY_HASH_MISMATCH },
	{ "header-wsp-relaxed", KEY_2048, "k2048", NULL, R, R, false,
	  "Subject: Is dinner   ready?", "subject :Is\r\n dinner ready?  ",
	  DG_DKIM_PASS, DG_DKIM_R_OK },
	{ "header-wsp-simple", KEY_2048, "k2048", NULL, S, S, false,
	  "Subject: Is dinner   ready?", "Subject: Is dinner ready?",
	  DG_DKIM_FAIL, DG_DKIM_R_SIG_MISMATCH },
	{ "header-refold-simple", KEY_2048, "k2048", NULL, S, S, false,
	  "Subject: Is dinner   ready?", "Subject: Is dinner\r\n   ready?",
	  DG_DKIM_FAIL, DG_DKIM_R_SIG_MISMATCH },
	{ "trailing-lines-simple", KEY_2048, "k2048", NULL, S, S, false,
	  "Joe.\r\n", "Joe.\r\n\r\n\r\n", DG_DKIM_PASS, DG_DKIM_R_OK },
	{ "unsigned-header-added", KEY_2048, "k2048", NULL, R, R, false,
	  "From:", "X-Added: yes\r\nFrom:", DG_DKIM_PASS, DG_DKIM_R_OK },
	/* RFC 6376 5.4.2: an extra Subject above the signed one is not
	 * seen unless Subject is over-signed; below it, it replaces it. */
	{ "subject-added-above", KEY_2048, "k2048", NULL, R, R, false,
	  "From:", "Subject: evil\r\nFrom:", DG_DKIM_PASS, DG_DKIM_R_OK },
	{ "subject-added-below", KEY_2048, "k2048", NULL, R, R, false,
	  "Message-ID:", "Subject: evil\r\nMessage-ID:", DG_DKIM_FAIL,
	  DG_DKIM_R_SIG_MISMATCH },
	{ "oversigned-subject-added", KEY_2048, "k2048",
	  "from:to:subject:subject:date:message-id", R, R, false,
	  "From:", "Subject: evil\r\nFrom:", DG_DKIM_FAIL,
	  DG_DKIM_R_SIG_MISMATCH },
	{ "oversigned-untouched", KEY_2048, "k2048",
	  "from:from:to:subject:subject:reply-to:date:message-id", R, R,
	  false, NULL, NULL, DG_DKIM_PASS, DG_DKIM_R_OK },
	{ "oversigned-reply-to-added", KEY_2048, "k2048",
	  "from:to:subject:reply-to:date:message-id", R, R, false,
	  "From:", "Reply-To: evil@example.net\r\nFrom:", DG_DKIM_FAIL,
	  DG_DKIM_R_SIG_MISMATCH },
	{ "l-content-appended", KEY_2048, "k2048", NULL, R, R, true,
	  "Joe.\r\n", "Joe.\r\nClick http://evil.example/\r\n",
	  DG_DKIM_PASS, DG_DKIM_R_OK },
	{ "l-body-cut", KEY_2048, "k2048", NULL, R, R, true,
	  "\r\nJoe.\r\n", "\r\n", DG_DKIM_FAIL,
	  DG_DKIM_R_BODY_HASH_MISMATCH },
	{ "bare-lf", KEY_2048, "k2048", NULL, S, S, false, NULL, NULL,
	  DG_DKIM_PASS, DG_DKIM_R_OK },
	/* RFC 8301 */
	{ "rsa512", KEY_512, "k512", NULL, R, R, false, NULL, NULL,
	  DG_DKIM_FAIL, DG_DKIM_R_KEY_TOO_SMALL },
	/* keys */
	{ "testing-key", KEY_2048, "testing", NULL, R, R, false, NULL, NULL,
	  DG_DKIM_PASS, DG_DKIM_R_OK },
	{ "key-h-sha1-only", KEY_2048, "sha1only", NULL, R, R, false, NULL,
	  NULL, DG_DKIM_PERMERROR, DG_DKIM_R_KEY_HASH_RESTRICTED },
	{ "key-h-list", KEY_2048, "sha256ok", NULL, R, R, false, NULL, NULL,
	  DG_DKIM_PASS, DG_DKIM_R_OK },
	{ "key-s-not-email", KEY_2048, "notemail", NULL, R, R, false, NULL,
	  NULL, DG_DKIM_PERMERROR, DG_DKIM_R_KEY_SERVICE },
	{ "key-type-mismatch", KEY_2048, "edkey", NULL, R, R, false, NULL,
	  NULL, DG_DKIM_PERMERROR, DG_DKIM_R_KEY_ALG_MISMATCH },
	{ "key-revoked", KEY_2048, "revoked", NULL, R, R, false, NULL, NULL,
	  DG_DKIM_PERMERROR, DG_DKIM_R_KEY_REVOKED },
	{ "key-broken", KEY_2048, "broken", NULL, R, R, false, NULL, NULL,
	  DG_DKIM_PERMERROR, DG_DKIM_R_KEY_BAD_DATA },
	{ "key-missing", KEY_2048, "nosuch", NULL, R, R, false, NULL, NULL,
	  DG_DKIM_PERMERROR, DG_DKIM_R_KEY_NOT_FOUND },
	{ "key-servfail", KEY_2048, "sf", NULL, R, R, false, NULL, NULL,
	  DG_DKIM_TEMPERROR, DG_DKIM_R_KEY_DNS_TEMPERROR },
	{ "key-timeout", KEY_2048, "to", NULL, R, R, false, NULL, NULL,
	  DG_DKIM_TEMPERROR, DG_DKIM_R_KEY_DNS_TEMPERROR },
	{ "key-wrong", KEY_1024, "k2048", NULL, R, R, false, NULL, NULL,
	  DG_DKIM_FAIL, DG_DKIM_R_SIG_MISMATCH },
};

static struct dg_dkim_privkey *
key_of(enum key k)
{
	switch (k) {
	case KEY_1024:
		return k1024;
	case KEY_2048:
		return k2048;
	case KEY_ED:
		return ked;
	case KEY_512:
		return k512;
	}
	return NULL;
}

static void
test_rows(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		struct dg_arena			*a = dg_arena_new(0);
		const struct dg_dkim_verdict	*vd;
		char				*m, *t;

		m = signed_msg(base_msg, key_of(rows[i].key), rows[i].sel,
		    rows[i].h, rows[i].hc, rows[i].bc, NOW - 10, 0, rows[i].l,
		    NULL);
		if (rows[i].from != NULL) {
			t = replace(m, rows[i].from, rows[i].to);
			free(m);
			m = t;
		}
		if (strcmp(rows[i].name, "bare-lf") == 0) {
			/* The stored form: every CRLF as LF. */
			char	*p, *q;

			for (p = q = m; *p != '\0'; p++)
				if (!(p[0] == '\r' && p[1] == '\n'))
					*q++ = *p;
			*q = '\0';
		}
		vd = verify(a, m, NULL);
		CHECK_INT(rows[i].name, vd->nsigs, 1);
		CHECK_STR(rows[i].name, dg_dkim_result_str(vd->sigs[0].result),
		    dg_dkim_result_str(rows[i].result));
		CHECK_STR(rows[i].name, dg_dkim_reason_str(vd->sigs[0].reason),
		    dg_dkim_reason_str(rows[i].reason));
		CHECK_STR(rows[i].name, dg_dkim_result_str(vd->result),
		    dg_dkim_result_str(rows[i].result));
		CHECK_STR(rows[i].name, vd->sigs[0].domain, "example.com");
		CHECK_STR(rows[i].name, vd->sigs[0].selector, rows[i].sel);
		if (vd->sigs[0].detail[0] == '\0')
			fail_msg("%s: no detail", rows[i].name);
		free(m);
		dg_arena_free(a);
	}
}

/* The per-signature facts a report or A-R needs. */
static void
test_details(void **state)
{
	struct dg_arena			*a = dg_arena_new(0);
	const struct dg_dkim_verdict	*vd;
	const struct dg_dkim_sig_result	*s;
	char				*m, *t;

	(void)state;
	m = signed_msg(base_msg, k2048, "testing", NULL, R, S, NOW - 10,
	    NOW + 3600, true, "joe@mail.example.com");
	t = replace(m, "Joe.\r\n", "Joe.\r\nP.S. appended\r\n");
	vd = verify(a, t, NULL);
	s = &vd->sigs[0];
	CHECK_STR("details result", dg_dkim_result_str(s->result), "pass");
	CHECK_STR("details identity", s->identity, "joe@mail.example.com");
	CHECK_STR("details alg", dg_dkim_alg_str(s->alg), "rsa-sha256");
	CHECK_STR("details hc", dg_dkim_canon_str(s->header_canon), "relaxed");
	CHECK_STR("details bc", dg_dkim_canon_str(s->body_canon), "simple");
	CHECK_INT("details bits", s->key_bits, 2048);
	CHECK_INT("details testing", s->testing, 1);
	CHECK_INT("details has_t", s->has_t, 1);
	CHECK_INT("details t", s->t, NOW - 10);
	CHECK_INT("details x", s->x, NOW + 3600);
	CHECK_INT("details has_l", s->has_l, 1);
	/* the simple body as signed: 43 + 2 + 6 ... count it */
	CHECK_INT("details l", s->l, strlen("Hi.\r\n\r\nWe lost the game.  "
	    "Are you hungry yet?\r\n\r\nJoe.\r\n"));
	CHECK_INT("details unsigned", s->unsigned_bytes,
	    strlen("P.S. appended\r\n"));
	CHECK_INT("details body_len", s->body_len, s->l + s->unsigned_bytes);
	CHECK_INT("details b_prefix len", strlen(s->b_prefix), 8);
	CHECK_INT("details field", s->field_index, 0);
	free(m);
	free(t);
	m = signed_msg(base_msg, ked, "ked", NULL, R, R, 0, 0, false, NULL);
	vd = verify(a, m, NULL);
	CHECK_STR("default identity", vd->sigs[0].identity, "@example.com");
	CHECK_INT("ed bits", vd->sigs[0].key_bits, 256);
	CHECK_INT("no t", vd->sigs[0].has_t, 0);
	CHECK_INT("no l unsigned", vd->sigs[0].unsigned_bytes, 0);
	free(m);
	dg_arena_free(a);
}

/* Rows with a hand-made DKIM-Signature: refused before any key. */
static void
test_handmade(void **state)
{
	static const struct {
		const char		*name;
		const char		*sig;
		enum dg_dkim_result	 result;
		enum dg_dkim_reason	 reason;
	} hrows[] = {
		{ "rsa-sha1", "v=1; a=rsa-sha1; d=example.com; s=k2048; "
		  "h=from; bh=AAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA",
		  DG_DKIM_FAIL, DG_DKIM_R_RSA_SHA1 },
		{ "from-not-signed", "v=1; a=rsa-sha256; d=example.com; "
		  "s=k2048; h=to:subject; bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7"
		  "XIkfJVOzv8=; b=AAAA", DG_DKIM_PERMERROR,
		  DG_DKIM_R_H_MISSING_FROM },
		{ "i-not-in-d", "v=1; a=rsa-sha256; d=example.com; s=k2048; "
		  "i=joe@example.net; h=from; bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO"
		  "6Sn7XIkfJVOzv8=; b=AAAA", DG_DKIM_PERMERROR,
		  DG_DKIM_R_I_NOT_IN_D },
		{ "dup-tag", "v=1; a=rsa-sha256; d=example.com; s=k2048; "
		  "d=example.com; h=from; bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO"
		  "6Sn7XIkfJVOzv8=; b=AAAA", DG_DKIM_PERMERROR,
		  DG_DKIM_R_DUPLICATE_TAG },
		{ "garbage", "\x01\x02 garbage", DG_DKIM_PERMERROR,
		  DG_DKIM_R_SYNTAX },
		{ "empty", "", DG_DKIM_PERMERROR, DG_DKIM_R_SYNTAX },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(hrows); i++) {
		struct dg_arena			*a = dg_arena_new(0);
		const struct dg_dkim_verdict	*vd;
		char				 m[2048];
		unsigned			 q = dns.queries;

		snprintf(m, sizeof(m), "DKIM-Signature: %s\r\n%s",
		    hrows[i].sig, base_msg);
		vd = verify(a, m, NULL);
		CHECK_INT(hrows[i].name, vd->nsigs, 1);
		CHECK_STR(hrows[i].name,
		    dg_dkim_result_str(vd->sigs[0].result),
		    dg_dkim_result_str(hrows[i].result));
		CHECK_STR(hrows[i].name,
		    dg_dkim_reason_str(vd->sigs[0].reason),
		    dg_dkim_reason_str(hrows[i].reason));
		CHECK_INT(hrows[i].name, dns.queries - q, 0);
		dg_arena_free(a);
	}
}

/* x= and t= against the caller's clock, with the skew. */
static void
test_time(void **state)
{
	static const struct {
		const char		*name;
		int64_t			 t, x;	/* relative to NOW; 0: none */
		unsigned		 skew;
		enum dg_dkim_result	 result;
		enum dg_dkim_reason	 reason;
	} trows[] = {
		{ "valid", -100, 3600, 0, DG_DKIM_PASS, DG_DKIM_R_OK },
		{ "expired", -7200, -3600, 0, DG_DKIM_PERMERROR,
		  DG_DKIM_R_EXPIRED },
		{ "expired-within-skew", -7200, -200, 0, DG_DKIM_PASS,
		  DG_DKIM_R_OK },
		{ "expired-past-skew", -7200, -301, 0, DG_DKIM_PERMERROR,
		  DG_DKIM_R_EXPIRED },
		{ "expired-custom-skew", -7200, -200, 100, DG_DKIM_PERMERROR,
		  DG_DKIM_R_EXPIRED },
		{ "future", 3600, 7200, 0, DG_DKIM_PERMERROR,
		  DG_DKIM_R_FUTURE },
		{ "future-within-skew", 250, 7200, 0, DG_DKIM_PASS,
		  DG_DKIM_R_OK },
		{ "future-past-skew", 301, 7200, 0, DG_DKIM_PERMERROR,
		  DG_DKIM_R_FUTURE },
		{ "x-only-expired", 0, -1000, 0, DG_DKIM_PERMERROR,
		  DG_DKIM_R_EXPIRED },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(trows); i++) {
		struct dg_arena			*a = dg_arena_new(0);
		const struct dg_dkim_verdict	*vd;
		struct dg_dkim_opts		 o;
		char				*m;

		m = signed_msg(base_msg, ked, "ked", NULL, R, R,
		    trows[i].t ? (uint64_t)((int64_t)NOW + trows[i].t) : 0,
		    (uint64_t)((int64_t)NOW + trows[i].x), false, NULL);
		memset(&o, 0, sizeof(o));
		o.now = NOW;
		o.clock_skew = trows[i].skew;
		vd = verify(a, m, &o);
		CHECK_STR(trows[i].name,
		    dg_dkim_result_str(vd->sigs[0].result),
		    dg_dkim_result_str(trows[i].result));
		CHECK_STR(trows[i].name,
		    dg_dkim_reason_str(vd->sigs[0].reason),
		    dg_dkim_reason_str(trows[i].reason));
		free(m);
		dg_arena_free(a);
	}
}

/* Caller policy: l= refused, a higher RSA minimum. */
static void
test_policy(void **state)
{
	struct dg_arena			*a = dg_arena_new(0);
	const struct dg_dkim_verdict	*vd;
	struct dg_dkim_opts		 o;
	char				*m;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.now = NOW;
	o.reject_l = true;
	m = signed_msg(base_msg, k2048, "k2048", NULL, R, R, 0, 0, true, NULL);
	vd = verify(a, m, &o);
	CHECK_STR("reject_l", dg_dkim_result_str(vd->sigs[0].result),
	    "policy");
	CHECK_STR("reject_l", dg_dkim_reason_str(vd->sigs[0].reason),
	    "l_tag");
	free(m);

	memset(&o, 0, sizeof(o));
	o.now = NOW;
	o.min_rsa_bits = 2048;
	m = signed_msg(base_msg, k1024, "k1024", NULL, R, R, 0, 0, false,
	    NULL);
	vd = verify(a, m, &o);
	CHECK_STR("min 2048", dg_dkim_result_str(vd->sigs[0].result),
	    "policy");
	CHECK_STR("min 2048", dg_dkim_reason_str(vd->sigs[0].reason),
	    "key_too_small");
	o.min_rsa_bits = 512;	/* below RFC 8301: held at 1024 */
	vd = verify(a, m, &o);
	CHECK_STR("min 512 held", dg_dkim_result_str(vd->sigs[0].result),
	    "pass");
	free(m);

	/* t=s: i= must be exactly d= */
	m = signed_msg(base_msg, k2048, "strict", NULL, R, R, 0, 0, false,
	    "@mail.example.com");
	vd = verify(a, m, NULL);
	CHECK_STR("strict sub", dg_dkim_reason_str(vd->sigs[0].reason),
	    "key_strict");
	free(m);
	m = signed_msg(base_msg, k2048, "strict", NULL, R, R, 0, 0, false,
	    "joe@example.com");
	vd = verify(a, m, NULL);
	CHECK_STR("strict same", dg_dkim_result_str(vd->sigs[0].result),
	    "pass");
	free(m);
	dg_arena_free(a);
}

/* Several signatures: each its own verdict; the summary's precedence;
 * the cap. */
static void
test_multi(void **state)
{
	struct dg_arena			*a = dg_arena_new(0);
	const struct dg_dkim_verdict	*vd;
	struct dg_dkim_opts		 o;
	char				*m1, *m2, *m3, *big;
	size_t				 i, n;

	(void)state;
	vd = verify(a, base_msg, NULL);
	CHECK_STR("none", dg_dkim_result_str(vd->result), "none");
	CHECK_STR("none", dg_dkim_reason_str(vd->reason), "no_signature");
	CHECK_INT("none nsigs", vd->nsigs, 0);

	m1 = signed_msg(base_msg, k2048, "k2048", NULL, R, R, 0, 0, false,
	    NULL);
	m2 = signed_msg(m1, ked, "nosuch", NULL, R, R, 0, 0, false, NULL);
	m3 = signed_msg(m2, ked, "ked", NULL, R, R, 0, 0, false, NULL);
	vd = verify(a, m3, NULL);
	CHECK_INT("three nsigs", vd->nsigs, 3);
	CHECK_STR("three [0]", dg_dkim_result_str(vd->sigs[0].result), "pass");
	CHECK_STR("three [1]", dg_dkim_result_str(vd->sigs[1].result),
	    "permerror");
	CHECK_STR("three [2]", dg_dkim_result_str(vd->sigs[2].result), "pass");
	CHECK_STR("three summary", dg_dkim_result_str(vd->result), "pass");
	CHECK_INT("three field idx", vd->sigs[2].field_index, 2);

	/* tamper the body: both real ones fail; fail beats permerror */
	big = replace(m3, "lost", "won");
	vd = verify(a, big, NULL);
	CHECK_STR("tampered summary", dg_dkim_result_str(vd->result), "fail");
	CHECK_STR("tampered reason", dg_dkim_reason_str(vd->reason),
	    "body_hash_mismatch");
	free(big);

	/* temperror beats fail */
	big = signed_msg(m1, ked, "sf", NULL, R, R, 0, 0, false, NULL);
	m2 = (free(m2), replace(big, "lost", "won"));
	vd = verify(a, m2, NULL);
	CHECK_STR("temperror summary", dg_dkim_result_str(vd->result),
	    "temperror");
	free(big);
	free(m2);
	free(m3);

	/* Ten signatures: eight evaluated by default, two on request. */
	n = 0;
	big = malloc(64 * 1024);
	for (i = 0; i < 10; i++)
		n += (size_t)snprintf(big + n, 64 * 1024 - n,
		    "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; "
		    "s=nosuch%zu; h=from; bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7"
		    "XIkfJVOzv8=; b=AAAA\r\n", i);
	snprintf(big + n, 64 * 1024 - n, "%s", m1);
	{
		unsigned	q = dns.queries;

		vd = verify(a, big, NULL);
		CHECK_INT("cap seen", vd->nseen, 11);
		CHECK_INT("cap nsigs", vd->nsigs, DG_DKIM_MAX_SIGS_DEFAULT);
		CHECK_INT("cap queries", dns.queries - q, 8);
	}
	memset(&o, 0, sizeof(o));
	o.now = NOW;
	o.max_sigs = 2;
	vd = verify(a, big, &o);
	CHECK_INT("cap 2", vd->nsigs, 2);
	o.max_sigs = 1000;
	vd = verify(a, big, &o);
	CHECK_INT("cap 1000 -> all", vd->nsigs, 11);
	CHECK_STR("cap all summary", dg_dkim_result_str(vd->result), "pass");
	free(big);
	free(m1);
	dg_arena_free(a);
}

/* Feed one message: fields one at a time (or as name/value), then the
 * body in chunks. */
static const struct dg_dkim_verdict *
stream(struct dg_arena *a, const char *msg, size_t chunk, bool nv)
{
	struct dg_dkim_verifier		*v;
	const struct dg_dkim_verdict	*vd;
	struct dg_dkim_opts		 o;
	const char			*p = msg, *end, *body;
	size_t				 len, off;

	memset(&o, 0, sizeof(o));
	o.now = NOW;
	assert_int_equal(dg_dkim_verifier_new(a, res, &o, &v), DG_OK);
	body = strstr(msg, "\r\n\r\n") + 4;
	while (p < body - 2) {
		/* a field runs to a CRLF not followed by WSP */
		end = p;
		for (;;) {
			end = strstr(end, "\r\n");
			if (end[2] != ' ' && end[2] != '\t')
				break;
			end += 2;
		}
		if (nv) {
			const char	*c = memchr(p, ':', (size_t)(end - p));

			assert_int_equal(dg_dkim_header_nv(v, p,
			    (size_t)(c - p), c + 1, (size_t)(end - c - 1)),
			    DG_OK);
		} else {
			assert_int_equal(dg_dkim_header(v, p,
			    (size_t)(end + 2 - p)), DG_OK);
		}
		p = end + 2;
	}
	len = strlen(body);
	if (chunk == 0)
		chunk = len + 1;
	for (off = 0; off < len; off += chunk)
		assert_int_equal(dg_dkim_body(v, body + off,
		    len - off < chunk ? len - off : chunk), DG_OK);
	assert_int_equal(dg_dkim_finish(v, &vd), DG_OK);
	/* calling again gives the same verdict; the body is closed */
	{
		const struct dg_dkim_verdict	*again;

		assert_int_equal(dg_dkim_finish(v, &again), DG_OK);
		assert_ptr_equal(again, vd);
		assert_int_equal(dg_dkim_body(v, "x", 1), DG_EINVAL);
		assert_int_equal(dg_dkim_header(v, "A: b", 4), DG_EINVAL);
	}
	dg_dkim_verifier_free(v);
	return vd;
}

/* Every chunk size from 1 byte up gives the one-shot verdict. */
static void
test_streaming(void **state)
{
	const char	*tamper[] = { NULL, "lost", "game.  Are" };
	const char	*with[] = { NULL, "won", "game. Are" };
	char		*m1, *m2, *m;
	size_t		 t, chunk, k;

	(void)state;
	m1 = signed_msg(base_msg, k2048, "k2048", NULL, S, S, 0, 0, false,
	    NULL);
	m2 = signed_msg(m1, ked, "ked", NULL, R, R, 0, 0, true, NULL);
	free(m1);
	for (t = 0; t < NELEM(tamper); t++) {
		struct dg_arena			*a = dg_arena_new(0);
		const struct dg_dkim_verdict	*one, *vd;
		size_t				 blen;

		m = tamper[t] != NULL ? replace(m2, tamper[t], with[t]) :
		    strdup(m2);
		one = verify(a, m, NULL);
		blen = strlen(strstr(m, "\r\n\r\n") + 4);
		for (chunk = 1; chunk <= blen + 1; chunk++) {
			char	row[64];

			vd = stream(a, m, chunk, chunk % 2 == 0);
			snprintf(row, sizeof(row), "tamper %zu chunk %zu", t,
			    chunk);
			CHECK_INT(row, vd->nsigs, one->nsigs);
			for (k = 0; k < vd->nsigs; k++) {
				CHECK_INT(row, vd->sigs[k].result,
				    one->sigs[k].result);
				CHECK_INT(row, vd->sigs[k].reason,
				    one->sigs[k].reason);
				CHECK_INT(row, vd->sigs[k].body_len,
				    one->sigs[k].body_len);
			}
			dg_arena_reset(a);
			one = verify(a, m, NULL);
		}
		if (t == 0) {
			CHECK_STR("stream pass 0",
			    dg_dkim_result_str(one->sigs[0].result), "pass");
			CHECK_STR("stream pass 1",
			    dg_dkim_result_str(one->sigs[1].result), "pass");
		}
		free(m);
		dg_arena_free(a);
	}
	free(m2);
}

/* Caller errors and header limits. */
static void
test_api(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dkim_verifier	*v;
	const struct dg_dkim_verdict *vd;
	size_t			 i;

	(void)state;
	assert_int_equal(dg_dkim_verifier_new(NULL, res, NULL, &v), DG_EINVAL);
	assert_int_equal(dg_dkim_verifier_new(a, res, NULL, &v), DG_OK);
	assert_int_equal(dg_dkim_header(v, "no colon", 8), DG_EINVAL);
	assert_int_equal(dg_dkim_header(v, "A: b\r\nB: c\r\n", 12),
	    DG_EINVAL);
	assert_int_equal(dg_dkim_header(v, "A: b\n\r\n", 7), DG_EINVAL);
	assert_int_equal(dg_dkim_header(v, "A: b\r\n c\n", 9), DG_OK);
	for (i = 1; i < DG_HDR_FIELDS_MAX; i++)
		assert_int_equal(dg_dkim_header(v, "X: y\r\n", 6), DG_OK);
	assert_int_equal(dg_dkim_header(v, "X: y\r\n", 6), DG_ETOOBIG);
	assert_int_equal(dg_dkim_finish(v, &vd), DG_OK);
	CHECK_STR("api none", dg_dkim_result_str(vd->result), "none");
	dg_dkim_verifier_free(v);
	dg_dkim_verifier_free(NULL);
	assert_int_equal(dg_dkim_verify_message(a, res, NULL, "\x01 junk\r\n",
	    8, &vd), DG_ESYNTAX);
	/* the enum names */
	CHECK_STR("str", dg_dkim_result_str(DG_DKIM_UNSET), "unset");
	CHECK_STR("str", dg_dkim_result_str(DG_DKIM_NEUTRAL), "neutral");
	CHECK_STR("str", dg_dkim_reason_str(DG_DKIM_R_RSA_SHA1), "rsa_sha1");
	CHECK_STR("str", dg_dkim_alg_str(DG_DKIM_ALG_RSA_SHA1), "rsa-sha1");
	dg_arena_free(a);
}

/* The same keys served by the zone-file backend (what the CLI's --zone
 * uses): tests/data/dkim/keys.zone. */
static void
test_zone(void **state)
{
	static const struct {
		const char		*sel;
		enum dg_dkim_result	 result;
		enum dg_dkim_reason	 reason;
	} zrows[] = {
		{ "k1024", DG_DKIM_PASS, DG_DKIM_R_OK },
		{ "k2048", DG_DKIM_PASS, DG_DKIM_R_OK },
		{ "ked", DG_DKIM_PASS, DG_DKIM_R_OK },
		{ "revoked", DG_DKIM_PERMERROR, DG_DKIM_R_KEY_REVOKED },
		{ "sf", DG_DKIM_TEMPERROR, DG_DKIM_R_KEY_DNS_TEMPERROR },
		{ "to", DG_DKIM_TEMPERROR, DG_DKIM_R_KEY_DNS_TEMPERROR },
		{ "absent", DG_DKIM_PERMERROR, DG_DKIM_R_KEY_NOT_FOUND },
	};
	struct dg_resolver	*zr = NULL;
	char			 err[256];
	size_t			 i;

	(void)state;
	if (dg_resolver_zone_file("data/dkim/keys.zone", &zr, err,
	    sizeof(err)) != DG_OK)
		fail_msg("keys.zone: %s", err);
	for (i = 0; i < NELEM(zrows); i++) {
		struct dg_arena			*a = dg_arena_new(0);
		const struct dg_dkim_verdict	*vd;
		struct dg_dkim_opts		 o;
		struct dg_dkim_privkey		*k;
		char				*m;

		k = strcmp(zrows[i].sel, "k1024") == 0 ? k1024 :
		    strcmp(zrows[i].sel, "ked") == 0 ? ked : k2048;
		m = signed_msg(base_msg, k, zrows[i].sel, NULL, R, R, 0, 0,
		    false, NULL);
		memset(&o, 0, sizeof(o));
		o.now = NOW;
		assert_int_equal(dg_dkim_verify_message(a, zr, &o, m,
		    strlen(m), &vd), DG_OK);
		CHECK_STR(zrows[i].sel, dg_dkim_result_str(vd->sigs[0].result),
		    dg_dkim_result_str(zrows[i].result));
		CHECK_STR(zrows[i].sel, dg_dkim_reason_str(vd->sigs[0].reason),
		    dg_dkim_reason_str(zrows[i].reason));
		free(m);
		dg_arena_free(a);
	}
	dg_resolver_free(zr);
}

/* Every allocation in turn fails: DG_ENOMEM and nothing leaks. */
static void
test_enomem(void **state)
{
	struct dg_dkim_keycache	*kc;
	char			*m1, *m;
	unsigned long		 n;
	int			 done = 0;

	(void)state;
	m1 = signed_msg(base_msg, k2048, "k2048", NULL, R, R, 0, 0, false,
	    NULL);
	m = signed_msg(m1, ked, "ked", NULL, S, S, 0, 0, true, NULL);
	assert_int_equal(dg_dkim_keycache_new(8, &kc), DG_OK);
	for (n = 1; n < 10000 && !done; n++) {
		struct dg_arena			*a;
		const struct dg_dkim_verdict	*vd = NULL;
		struct dg_dkim_opts		 o;
		enum dg_err			 err;

		memset(&o, 0, sizeof(o));
		o.now = NOW;
		o.cache = (n % 2) ? kc : NULL;
		dg_alloc_fail_after(n);
		a = dg_arena_new(0);
		if (a == NULL) {
			dg_alloc_fail_after(0);
			continue;
		}
		err = dg_dkim_verify_message(a, res, &o, m, strlen(m), &vd);
		if (!dg_alloc_failed()) {
			assert_int_equal(err, DG_OK);
			CHECK_STR("enomem final", dg_dkim_result_str(
			    vd->sigs[0].result), "pass");
			CHECK_STR("enomem final", dg_dkim_result_str(
			    vd->sigs[1].result), "pass");
			done = 1;
		} else if (err != DG_OK && err != DG_ENOMEM) {
			fail_msg("n=%lu: got %s, want ENOMEM or OK", n,
			    dg_strerror(err));
		}
		dg_alloc_fail_after(0);
		dg_arena_free(a);
	}
	assert_true(done);
	dg_dkim_keycache_free(kc);

	/* The signer too. */
	for (n = 1, done = 0; n < 10000 && !done; n++) {
		struct dg_arena		*a;
		struct dg_dkim_sign_opts o;
		const char		*v = NULL;
		enum dg_err		 err;

		memset(&o, 0, sizeof(o));
		o.domain = "example.com";
		o.selector = "ked";
		o.headers = "from:to:subject";
		dg_alloc_fail_after(n);
		if ((a = dg_arena_new(0)) == NULL) {
			dg_alloc_fail_after(0);
			continue;
		}
		err = dg_dkim_sign(a, ked, &o, base_msg, strlen(base_msg), &v);
		if (!dg_alloc_failed()) {
			assert_int_equal(err, DG_OK);
			assert_non_null(v);
			done = 1;
		} else if (err != DG_OK && err != DG_ENOMEM) {
			fail_msg("sign n=%lu: got %s", n, dg_strerror(err));
		}
		dg_alloc_fail_after(0);
		dg_arena_free(a);
	}
	assert_true(done);
	free(m1);
	free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_handmade),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_multi),
		cmocka_unit_test(test_streaming),
		cmocka_unit_test(test_api),
		cmocka_unit_test(test_zone),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
