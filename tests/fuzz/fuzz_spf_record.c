/*
 * tests/fuzz/fuzz_spf_record.c -- the SPF record parser on any bytes, and
 * check_host() over a record made of them.
 *
 * The input is parsed as a record (and again with "v=spf1 " in front, so
 * the fuzzer reaches the term parser); term spans must lie inside the
 * input and error offsets inside the record.  Then dg_spf_check() runs
 * against a resolver that serves that record as the TXT of every name
 * (so include and redirect recurse into it until the limits stop them),
 * and addresses, MX and PTR answers, NXDOMAIN or timeouts chosen from
 * the name, for an IPv4, an IPv4-mapped and an IPv6 client;
 * dg_spf_check_many() over the same queries, each twice, must give the
 * same verdicts (its parse cache and shared arena); and dg_spf_analyze()
 * over the same tree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/dns.h>
#include <dmarcguard/spf.h>

#include "spf/spf_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz {
	const char	*rec;
	size_t		 len;
};

static struct fz	 cur;

static void
check_parse(const char *p, size_t len)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct spf_record	 rec;
	struct dg_spf_syntax	 syn;
	size_t			 i;

	if (a == NULL)
		return;
	if (spf_record_parse(a, p, len, &rec, &syn) == DG_OK) {
		for (i = 0; i < rec.nterms; i++) {
			const struct spf_term *t = &rec.terms[i];

			if (t->text.p < p || t->text.p + t->text.len > p + len)
				abort();
			if (t->has_spec && (t->spec.p < t->text.p ||
			    t->spec.p + t->spec.len > t->text.p + t->text.len))
				abort();
		}
	} else if (syn.pos > len) {
		abort();
	}
	dg_arena_free(a);
}

/* Answers by the name's first byte and length: varied but repeatable. */
static enum dg_err
fz_query(void *ctx, const char *name, enum dg_dns_type type,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct fz		*f = ctx;
	struct dg_dns_rr	*rr;
	struct dg_dns_str	*s;
	size_t			 n = strlen(name);
	unsigned		 sel = ((unsigned char)name[0] + n) % 7;

	if (sel == 5) {
		out->status = DG_DNS_NXDOMAIN;
		return DG_OK;
	}
	if (sel == 6 && type != DG_DNS_T_TXT) {
		out->status = DG_DNS_TIMEOUT;
		return DG_OK;
	}
	rr = dg_arena_calloc(a, 12, sizeof(*rr));
	if (rr == NULL)
		return dg_arena_err(a);
	out->status = DG_DNS_OK;
	out->rrs = rr;
	out->count = 1;
	rr[0].type = type;
	switch (type) {
	case DG_DNS_T_TXT:
		s = dg_arena_calloc(a, 1, sizeof(*s));
		if (s == NULL)
			return dg_arena_err(a);
		s->p = f->rec;
		s->len = f->len;
		rr[0].u.txt.count = 1;
		rr[0].u.txt.strings = s;
		break;
	case DG_DNS_T_A:
		memcpy(rr[0].u.a, "\xc0\x00\x02\x01", 4);
		rr[0].u.a[3] = (uint8_t)sel;
		break;
	case DG_DNS_T_AAAA:
		memset(rr[0].u.aaaa, 0x20, 16);
		rr[0].u.aaaa[15] = (uint8_t)sel;
		break;
	case DG_DNS_T_MX:
		/* sel 4: eleven MX names, one over the limit. */
		out->count = sel == 4 ? 11 : 2;
		for (n = 0; n < out->count; n++) {
			rr[n].type = DG_DNS_T_MX;
			rr[n].u.mx.pref = (uint16_t)n;
			rr[n].u.mx.host = n % 2 ? "mx.example.com" : "";
		}
		break;
	case DG_DNS_T_PTR:
		out->count = sel == 3 ? 12 : 1;
		for (n = 0; n < out->count; n++) {
			rr[n].type = DG_DNS_T_PTR;
			rr[n].u.name = n % 2 ? "a.example.com" : "mail.example";
		}
		break;
	default:
		out->status = DG_DNS_NODATA;
		out->count = 0;
		break;
	}
	return DG_OK;
}

static void
check_eval(const char *rec, size_t len)
{
	static struct dg_resolver	*res;
	static const char *const	 ips[] = {
		"192.0.2.1", "::ffff:192.0.2.4", "2020:2020::2020:2003"
	};
	struct dg_spf_query		 q, mq[6];
	struct dg_spf_verdict		*v, *one, *many;
	struct dg_spf_analysis		*an;
	size_t				 i;
	bool				 all_ok = true;

	if (res == NULL && dg_resolver_custom(fz_query, &cur, &res) != DG_OK)
		return;
	v = malloc(sizeof(*v));
	one = calloc(3, sizeof(*one));
	many = calloc(6, sizeof(*many));
	if (v == NULL || one == NULL || many == NULL) {
		free(v);
		free(one);
		free(many);
		return;
	}
	cur.rec = rec;
	cur.len = len;
	for (i = 0; i < sizeof(ips) / sizeof(ips[0]); i++) {
		memset(&q, 0, sizeof(q));
		if (!dg_ip_parse(ips[i], strlen(ips[i]), &q.client))
			abort();
		q.mail_from = i == 1 ? "" : "us.er@send.example.com";
		q.helo = "helo.example.org";
		q.check_helo = i == 2;
		mq[i] = mq[i + 3] = q;
		if (dg_spf_check(res, &q, v) != DG_OK) {
			all_ok = false;
			continue;
		}
		one[i] = *v;
		if (v->result == DG_SPF_UNSET || v->reason == DG_SPF_R_UNSET ||
		    v->dns_queries > 10 || v->trace_len > DG_SPF_TRACE_LEN ||
		    memchr(v->explanation, '\0',
		    sizeof(v->explanation)) == NULL)
			abort();
	}
	/* dg_spf_check_many() shares parsed records and memory between its
	 * queries (each asked twice here): same verdicts as one by one. */
	if (all_ok && dg_spf_check_many(res, mq, 6, many) == DG_OK) {
		for (i = 0; i < 6; i++) {
			const struct dg_spf_verdict	*a = &one[i % 3];
			const struct dg_spf_verdict	*b = &many[i];

			if (a->result != b->result || a->reason != b->reason ||
			    a->scope != b->scope ||
			    a->lookups != b->lookups ||
			    a->dns_queries != b->dns_queries ||
			    a->void_lookups != b->void_lookups ||
			    a->trace_len != b->trace_len ||
			    strcmp(a->mechanism, b->mechanism) != 0 ||
			    strcmp(a->explanation, b->explanation) != 0 ||
			    strcmp(a->detail, b->detail) != 0)
				abort();
		}
	}
	free(v);
	free(one);
	free(many);
	an = malloc(sizeof(*an));
	if (an == NULL)
		return;
	if (dg_spf_analyze(res, "fuzz.example.com", an) == DG_OK &&
	    (an->result == DG_SPF_UNSET || an->issues_len > DG_SPF_ISSUES_MAX ||
	    an->trace_len > DG_SPF_TRACE_LEN))
		abort();
	free(an);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_spf_syntax	 syn;
	char			*buf;

	if (size > 65536)
		return 0;
	check_parse((const char *)data, size);
	if (dg_spf_record_validate((const char *)data, size, &syn) == DG_OK &&
	    !syn.ok && syn.pos > size)
		abort();
	buf = malloc(size + 7);
	if (buf == NULL)
		return 0;
	memcpy(buf, "v=spf1 ", 7);
	if (size > 0)
		memcpy(buf + 7, data, size);
	check_parse(buf, size + 7);
	check_eval(buf, size + 7);
	free(buf);
	return 0;
}
