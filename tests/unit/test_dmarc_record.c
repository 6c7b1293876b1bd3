/*
 * tests/unit/test_dmarc_record.c -- the DMARC Policy Record parser
 * (RFC 9989 4.7, 4.8, 4.10.1; RFC 7489 6.3 for pct, rf, ri).
 *
 * Each row gives the record, the parse flags, a summary of the values in
 * effect and the findings as "code@pos" in record order.  The summary is
 * "<status>[:<reason>] p=<p>/<sp>/<np>" followed by every value that
 * differs from its default.  Every row also checks that the parser and
 * the tree walk's dg_dmarc_record_is_dmarc() agree on what is a DMARC
 * record and on psd.
 */
#include "testutil.h"

#include <dmarcguard/dmarc.h>

#include "util/alloc.h"
#include "util/limits.h"

#define R7489	DG_DMARC_PARSE_RFC7489

static const struct {
	const char	*name;
	const char	*record;
	unsigned	 flags;
	const char	*want;
	const char	*findings;
} rows[] = {
	/* policies */
	{ "minimal-none", "v=DMARC1; p=none", 0,
	  "valid p=none/none/none", "" },
	{ "reject", "v=DMARC1; p=reject", 0,
	  "valid p=reject/reject/reject", "" },
	{ "quarantine-sp-none", "v=DMARC1; p=quarantine; sp=none", 0,
	  "valid p=quarantine/none/none", "" },
	{ "np-only", "v=DMARC1; p=reject; np=quarantine", 0,
	  "valid p=reject/reject/quarantine", "" },
	{ "sp-np", "v=DMARC1; p=none; sp=quarantine; np=reject", 0,
	  "valid p=none/quarantine/reject", "" },
	{ "case-values", "v=DMARC1; P=REJECT; SP=Quarantine", 0,
	  "valid p=reject/quarantine/quarantine", "" },
	{ "v-name-upper", "V=DMARC1; p=none", 0,
	  "valid p=none/none/none", "" },
	{ "v-spaces-around-eq", "v = DMARC1 ; p = reject", 0,
	  "valid p=reject/reject/reject", "" },

	/* not a DMARC record */
	{ "v-lower-value", "v=dmarc1; p=none", 0,
	  "invalid:not a DMARC record p=unset/unset/unset", "not-dmarc@2" },
	{ "v-DMARC2", "v=DMARC2; p=none", 0,
	  "invalid:not a DMARC record p=unset/unset/unset", "not-dmarc@2" },
	{ "v-not-first", "p=none; v=DMARC1", 0,
	  "invalid:not a DMARC record p=unset/unset/unset", "not-dmarc@0" },
	{ "no-v", "p=reject", 0,
	  "invalid:not a DMARC record p=unset/unset/unset", "not-dmarc@0" },
	{ "leading-space", " v=DMARC1; p=none", 0,
	  "invalid:not a DMARC record p=unset/unset/unset", "not-dmarc@0" },
	{ "empty", "", 0,
	  "invalid:not a DMARC record p=unset/unset/unset", "not-dmarc@0" },
	{ "v-no-separator", "v=DMARC1 p=none", 0,
	  "invalid:not a DMARC record p=unset/unset/unset", "not-dmarc@2" },
	{ "spf-record", "v=spf1 -all", 0,
	  "invalid:not a DMARC record p=unset/unset/unset", "not-dmarc@2" },
	{ "v-empty", "v=; p=none", 0,
	  "invalid:not a DMARC record p=unset/unset/unset", "not-dmarc@2" },

	/* RFC 9989 4.10.1: missing or invalid policies */
	{ "v-only", "v=DMARC1", 0,
	  "invalid:no valid policy and no valid rua p=unset/unset/unset",
	  "missing-p@0,no-policy@0" },
	{ "v-only-semi", "v=DMARC1;", 0,
	  "invalid:no valid policy and no valid rua p=unset/unset/unset",
	  "missing-p@0,no-policy@0" },
	{ "missing-p-rua", "v=DMARC1; rua=mailto:d@example.com", 0,
	  "valid-with-warnings p=none/none/none fallback rua=1",
	  "missing-p@0,policy-fallback@0" },
	{ "invalid-p-rua", "v=DMARC1; p=rejct; rua=mailto:d@example.com", 0,
	  "valid-with-warnings p=none/none/none fallback rua=1",
	  "invalid-value@12,policy-fallback@0" },
	{ "invalid-p-no-rua", "v=DMARC1; p=rejct", 0,
	  "invalid:no valid policy and no valid rua p=unset/unset/unset",
	  "invalid-value@12,no-policy@0" },
	{ "empty-p", "v=DMARC1; p=", 0,
	  "invalid:no valid policy and no valid rua p=unset/unset/unset",
	  "invalid-value@12,no-policy@0" },
	{ "invalid-sp-no-rua", "v=DMARC1; p=reject; sp=bogus", 0,
	  "invalid:no valid policy and no valid rua p=unset/unset/unset",
	  "invalid-value@23,no-policy@0" },
	{ "invalid-np-rua",
	  "v=DMARC1; p=reject; np=x; rua=mailto:a@example.com", 0,
	  "valid-with-warnings p=none/none/none fallback rua=1",
	  "invalid-value@23,policy-fallback@0" },
	{ "invalid-p-bad-rua", "v=DMARC1; p=x; rua=a@example.com", 0,
	  "invalid:no valid policy and no valid rua p=unset/unset/unset "
	  "rua=1",
	  "invalid-value@12,bad-uri@19,no-policy@0" },
	{ "invalid-p-https-rua",
	  "v=DMARC1; p=x; rua=https://r.example.com/", 0,
	  "valid-with-warnings p=none/none/none fallback rua=1",
	  "invalid-value@12,unsupported-scheme@19,policy-fallback@0" },

	/* separators and white space */
	{ "trailing-semi", "v=DMARC1; p=none;", 0,
	  "valid p=none/none/none", "" },
	{ "trailing-semi-space", "v=DMARC1; p=none; ", 0,
	  "valid p=none/none/none", "" },
	{ "double-semi", "v=DMARC1;; p=none", 0,
	  "valid p=none/none/none", "empty-tag@9" },
	{ "only-semis", "v=DMARC1;;;", 0,
	  "invalid:no valid policy and no valid rua p=unset/unset/unset",
	  "empty-tag@9,empty-tag@10,missing-p@0,no-policy@0" },
	{ "no-spaces", "v=DMARC1;p=quarantine;adkim=s", 0,
	  "valid p=quarantine/quarantine/quarantine adkim=s", "" },
	{ "tabs", "v=DMARC1\t;\tp\t=\treject\t;\taspf=s", 0,
	  "valid p=reject/reject/reject aspf=s", "" },
	{ "bare-lf-end", "v=DMARC1; p=none\n", 0,
	  "invalid:no valid policy and no valid rua p=unset/unset/unset",
	  "syntax@16,missing-p@0,no-policy@0" },
	{ "folded", "v=DMARC1;\r\n p=reject", 0,
	  "valid p=reject/reject/reject", "" },

	/* alignment, psd, t */
	{ "adkim-aspf-s", "v=DMARC1; p=none; adkim=s; aspf=s", 0,
	  "valid p=none/none/none adkim=s aspf=s", "" },
	{ "adkim-r", "v=DMARC1; p=none; adkim=R", 0,
	  "valid p=none/none/none", "" },
	{ "adkim-bad", "v=DMARC1; p=none; adkim=x", 0,
	  "valid-with-warnings p=none/none/none", "invalid-value@24" },
	{ "aspf-word", "v=DMARC1; p=none; aspf=strict", 0,
	  "valid-with-warnings p=none/none/none", "invalid-value@23" },
	{ "psd-y", "v=DMARC1; p=reject; psd=y", 0,
	  "valid p=reject/reject/reject psd=y", "" },
	{ "psd-n", "v=DMARC1; p=reject; psd=N", 0,
	  "valid p=reject/reject/reject psd=n", "" },
	{ "psd-u", "v=DMARC1; p=reject; psd=u", 0,
	  "valid p=reject/reject/reject", "" },
	{ "psd-bad", "v=DMARC1; p=reject; psd=yes", 0,
	  "valid-with-warnings p=reject/reject/reject", "invalid-value@24" },
	{ "psd-7489", "v=DMARC1; p=reject; psd=y", R7489,
	  "valid-with-warnings p=reject/reject/reject unknown=1",
	  "unknown-tag@20" },
	{ "t-y", "v=DMARC1; p=reject; t=y", 0,
	  "valid p=reject/reject/reject t=y", "" },
	{ "t-n", "v=DMARC1; p=reject; t=n", 0,
	  "valid p=reject/reject/reject", "" },
	{ "t-bad", "v=DMARC1; p=reject; t=1", 0,
	  "valid-with-warnings p=reject/reject/reject", "invalid-value@22" },
	{ "t-7489", "v=DMARC1; p=reject; t=y", R7489,
	  "valid-with-warnings p=reject/reject/reject unknown=1",
	  "unknown-tag@20" },

	/* fo */
	{ "fo-1", "v=DMARC1; p=none; ruf=mailto:f@example.com; fo=1", 0,
	  "valid p=none/none/none fo=1 ruf=1", "" },
	{ "fo-d-s", "v=DMARC1; p=none; ruf=mailto:f@example.com; fo=d:S", 0,
	  "valid p=none/none/none fo=ds ruf=1", "" },
	{ "fo-0-d", "v=DMARC1; p=none; ruf=mailto:f@example.com; fo=d:0", 0,
	  "valid p=none/none/none fo=0d ruf=1", "" },
	{ "fo-0-1", "v=DMARC1; p=none; ruf=mailto:f@example.com; fo=0:1", 0,
	  "valid-with-warnings p=none/none/none ruf=1", "invalid-value@47" },
	{ "fo-dup", "v=DMARC1; p=none; ruf=mailto:f@example.com; fo=d:d", 0,
	  "valid-with-warnings p=none/none/none ruf=1", "invalid-value@47" },
	{ "fo-empty-item",
	  "v=DMARC1; p=none; ruf=mailto:f@example.com; fo=0::d", 0,
	  "valid-with-warnings p=none/none/none ruf=1", "invalid-value@47" },
	{ "fo-trailing-colon",
	  "v=DMARC1; p=none; ruf=mailto:f@example.com; fo=1:", 0,
	  "valid-with-warnings p=none/none/none ruf=1", "invalid-value@47" },
	{ "fo-comma", "v=DMARC1; p=none; ruf=mailto:f@example.com; fo=1,d", 0,
	  "valid-with-warnings p=none/none/none ruf=1", "invalid-value@47" },
	{ "fo-without-ruf", "v=DMARC1; p=none; fo=1", 0,
	  "valid p=none/none/none fo=1", "fo-without-ruf@21" },

	/* removed tags */
	{ "pct-obsolete", "v=DMARC1;p=quarantine;pct=50", 0,
	  "valid-with-warnings p=quarantine/quarantine/quarantine pct=50",
	  "obsolete-tag@22" },
	{ "pct-7489", "v=DMARC1; p=reject; pct=25", R7489,
	  "valid p=reject/reject/reject pct=25", "" },
	{ "pct-0", "v=DMARC1; p=reject; pct=0", R7489,
	  "valid p=reject/reject/reject pct=0", "" },
	{ "pct-101", "v=DMARC1; p=reject; pct=101", 0,
	  "valid-with-warnings p=reject/reject/reject",
	  "obsolete-tag@20,invalid-value@24" },
	{ "pct-neg", "v=DMARC1; p=reject; pct=-1", R7489,
	  "valid-with-warnings p=reject/reject/reject", "invalid-value@24" },
	{ "pct-4-digits", "v=DMARC1; p=reject; pct=0100", R7489,
	  "valid-with-warnings p=reject/reject/reject", "invalid-value@24" },
	{ "pct-003", "v=DMARC1; p=reject; pct=003", R7489,
	  "valid p=reject/reject/reject pct=3", "" },
	{ "rf-ri", "v=DMARC1; p=none; rf=afrf; ri=3600", 0,
	  "valid-with-warnings p=none/none/none ri=3600",
	  "obsolete-tag@18,obsolete-tag@27" },
	{ "rf-iodef-7489", "v=DMARC1; p=none; rf=iodef:afrf", R7489,
	  "valid p=none/none/none rf=iodef:afrf", "" },
	{ "rf-bad-7489", "v=DMARC1; p=none; rf=-x", R7489,
	  "valid-with-warnings p=none/none/none", "invalid-value@21" },
	{ "rf-empty-kw-7489", "v=DMARC1; p=none; rf=afrf:", R7489,
	  "valid-with-warnings p=none/none/none", "invalid-value@21" },
	{ "ri-unit-7489", "v=DMARC1; p=none; ri=1h", R7489,
	  "valid-with-warnings p=none/none/none", "invalid-value@21" },
	{ "ri-overflow-7489", "v=DMARC1; p=none; ri=4294967296", R7489,
	  "valid-with-warnings p=none/none/none", "invalid-value@21" },
	{ "ri-max-7489", "v=DMARC1; p=none; ri=4294967295", R7489,
	  "valid p=none/none/none ri=4294967295", "" },

	/* unknown tags, duplicates, syntax errors */
	{ "unknown-tag", "v=DMARC1; p=none; foo=bar", 0,
	  "valid-with-warnings p=none/none/none unknown=1",
	  "unknown-tag@18" },
	{ "unknown-typo-name", "v=DMARC1; p=none; policy=reject", 0,
	  "valid-with-warnings p=none/none/none unknown=1",
	  "unknown-tag@18" },
	{ "bad-name-char", "v=DMARC1; p=none; ruf-mailto:x", 0,
	  "valid-with-warnings p=none/none/none",
	  "syntax@21" },
	{ "no-equals", "v=DMARC1; p=none; reject", 0,
	  "valid-with-warnings p=none/none/none", "syntax@24" },
	{ "starts-with-equals", "v=DMARC1; p=reject; =x; adkim=s", 0,
	  "valid-with-warnings p=reject/reject/reject adkim=s", "syntax@20" },
	{ "two-tags-no-semi", "v=DMARC1; p=none adkim=s", 0,
	  "invalid:no valid policy and no valid rua p=unset/unset/unset",
	  "invalid-value@12,no-policy@0" },
	{ "duplicate-p", "v=DMARC1; p=reject; p=none", 0,
	  "valid-with-warnings p=reject/reject/reject", "duplicate-tag@20" },
	{ "duplicate-after-invalid", "v=DMARC1; p=bogus; p=reject", 0,
	  "valid-with-warnings p=reject/reject/reject",
	  "invalid-value@12,duplicate-tag@19" },
	{ "duplicate-v", "v=DMARC1; v=DMARC1; p=none", 0,
	  "valid-with-warnings p=none/none/none", "duplicate-tag@10" },
	{ "duplicate-psd", "v=DMARC1; p=none; psd=x; psd=y", 0,
	  "valid-with-warnings p=none/none/none psd=y",
	  "invalid-value@22,duplicate-tag@25" },
	{ "nul-in-value", "v=DMARC1; p=re\0ject", 0,
	  "invalid:no valid policy and no valid rua p=unset/unset/unset",
	  "syntax@14,missing-p@0,no-policy@0" },
	{ "nul-in-v", "v=DMARC1\0; p=none", 0,
	  "invalid:not a DMARC record p=unset/unset/unset", "not-dmarc@0" },
	{ "non-ascii", "v=DMARC1; p=none; rua=mailto:\xc3\xa4@example.com", 0,
	  "valid-with-warnings p=none/none/none", "syntax@29" },
	{ "long-value-quoted", "v=DMARC1; p=none; adkim="
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	  0, "valid-with-warnings p=none/none/none", "invalid-value@24" },

	/* rua / ruf lists */
	{ "rua-two", "v=DMARC1; p=none; "
	  "rua=mailto:a@example.com,mailto:b@example.net", 0,
	  "valid p=none/none/none rua=2", "" },
	{ "rua-spaces", "v=DMARC1; p=none; "
	  "rua=mailto:a@example.com , mailto:b@example.net", 0,
	  "valid p=none/none/none rua=2", "" },
	{ "rua-size", "v=DMARC1; p=none; rua=mailto:a@example.com!10m", 0,
	  "valid p=none/none/none rua=1", "obsolete-size@22" },
	{ "rua-size-7489", "v=DMARC1; p=none; rua=mailto:a@example.com!10m",
	  R7489, "valid p=none/none/none rua=1", "" },
	{ "rua-https", "v=DMARC1; p=none; rua=https://r.example.com/x", 0,
	  "valid-with-warnings p=none/none/none rua=1",
	  "unsupported-scheme@22" },
	{ "rua-empty-item", "v=DMARC1; p=none; "
	  "rua=mailto:a@example.com,,mailto:b@example.com", 0,
	  "valid-with-warnings p=none/none/none rua=2", "empty-uri@43" },
	{ "rua-trailing-comma", "v=DMARC1; p=none; rua=mailto:a@example.com,",
	  0, "valid-with-warnings p=none/none/none rua=1", "empty-uri@43" },
	{ "rua-empty", "v=DMARC1; p=none; rua=", 0,
	  "valid-with-warnings p=none/none/none", "empty-uri@22" },
	{ "rua-no-scheme", "v=DMARC1; p=none; rua=dmarc@example.com", 0,
	  "valid-with-warnings p=none/none/none rua=1", "bad-uri@22" },
	{ "rua-space-no-comma", "v=DMARC1; p=none; "
	  "rua=mailto:a@example.com mailto:b@example.com", 0,
	  "valid-with-warnings p=none/none/none rua=1", "bad-uri@22" },
	{ "ruf-and-rua", "v=DMARC1; p=reject; rua=mailto:a@example.com; "
	  "ruf=mailto:f@example.com; fo=1", 0,
	  "valid p=reject/reject/reject fo=1 rua=1 ruf=1", "" },
	{ "duplicate-rua", "v=DMARC1; p=none; rua=mailto:a@example.com; "
	  "rua=mailto:b@example.com", 0,
	  "valid-with-warnings p=none/none/none rua=1", "duplicate-tag@44" },

	/* a real-world record */
	{ "full", "v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; "
	  "aspf=r; psd=n; t=n; fo=1:d; rua=mailto:agg@example.com; "
	  "ruf=mailto:fail@example.com", 0,
	  "valid p=reject/quarantine/reject adkim=s psd=n fo=1d rua=1 ruf=1",
	  "" },
};

static void
summarize(const struct dg_dmarc_record *r, char *buf, size_t cap)
{
	size_t	off;

	off = (size_t)snprintf(buf, cap, "%s",
	    dg_dmarc_record_status_str(r->status));
	if (r->status == DG_DMARC_REC_INVALID)
		off += (size_t)snprintf(buf + off, cap - off, ":%s",
		    dg_dmarc_invalid_str(r->invalid_reason));
	off += (size_t)snprintf(buf + off, cap - off, " p=%s/%s/%s",
	    dg_dmarc_policy_str(r->p_eff), dg_dmarc_policy_str(r->sp_eff),
	    dg_dmarc_policy_str(r->np_eff));
	if (r->policy_fallback)
		off += (size_t)snprintf(buf + off, cap - off, " fallback");
	if (r->adkim != DG_DMARC_ALIGN_RELAXED)
		off += (size_t)snprintf(buf + off, cap - off, " adkim=%s",
		    dg_dmarc_align_str(r->adkim));
	if (r->aspf != DG_DMARC_ALIGN_RELAXED)
		off += (size_t)snprintf(buf + off, cap - off, " aspf=%s",
		    dg_dmarc_align_str(r->aspf));
	if (r->psd != DG_DMARC_PSD_U)
		off += (size_t)snprintf(buf + off, cap - off, " psd=%s",
		    dg_dmarc_psd_str(r->psd));
	if (r->t)
		off += (size_t)snprintf(buf + off, cap - off, " t=y");
	if (r->fo != DG_DMARC_FO_0)
		off += (size_t)snprintf(buf + off, cap - off, " fo=%s%s%s%s",
		    r->fo & DG_DMARC_FO_0 ? "0" : "",
		    r->fo & DG_DMARC_FO_1 ? "1" : "",
		    r->fo & DG_DMARC_FO_D ? "d" : "",
		    r->fo & DG_DMARC_FO_S ? "s" : "");
	if (r->pct != 100)
		off += (size_t)snprintf(buf + off, cap - off, " pct=%u",
		    r->pct);
	if (strcmp(r->rf, "afrf") != 0)
		off += (size_t)snprintf(buf + off, cap - off, " rf=%s", r->rf);
	if (r->ri != 86400)
		off += (size_t)snprintf(buf + off, cap - off, " ri=%lu",
		    (unsigned long)r->ri);
	if (r->nrua > 0)
		off += (size_t)snprintf(buf + off, cap - off, " rua=%zu",
		    r->nrua);
	if (r->nruf > 0)
		off += (size_t)snprintf(buf + off, cap - off, " ruf=%zu",
		    r->nruf);
	if (r->nunknown > 0)
		(void)snprintf(buf + off, cap - off, " unknown=%zu",
		    r->nunknown);
}

static void
list_findings(const struct dg_dmarc_record *r, char *buf, size_t cap)
{
	size_t	i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nfindings && off < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, "%s%s@%zu",
		    i ? "," : "",
		    dg_dmarc_finding_code_str(r->findings[i].code),
		    r->findings[i].pos);
}

/* Record lengths: rows hold NUL bytes, so use the literal's size. */
static size_t
row_len(size_t i)
{
	const char	*s = rows[i].record;

	if (strcmp(rows[i].name, "nul-in-value") == 0)
		return sizeof("v=DMARC1; p=re\0ject") - 1;
	if (strcmp(rows[i].name, "nul-in-v") == 0)
		return sizeof("v=DMARC1\0; p=none") - 1;
	return strlen(s);
}

static void
test_rows(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_dmarc_record	 r;
		enum dg_dmarc_psd	 psd;
		char			 got[512], f[1024];
		size_t			 len = row_len(i), k;
		bool			 is;

		assert_non_null(a);
		CHECK_INT(rows[i].name, dg_dmarc_record_parse_ex(a,
		    rows[i].record, len, rows[i].flags, &r), DG_OK);
		summarize(&r, got, sizeof(got));
		list_findings(&r, f, sizeof(f));
		CHECK_STR(rows[i].name, got, rows[i].want);
		CHECK_STR(rows[i].name, f, rows[i].findings);

		/* Agreement with the tree walk's record check. */
		is = dg_dmarc_record_is_dmarc(rows[i].record, len, &psd);
		CHECK_INT(rows[i].name, r.is_dmarc, is);
		if (is && rows[i].flags == 0)
			CHECK_INT(rows[i].name, r.psd, psd);

		/* Every finding has a message, a severity and a position
		 * inside the record (or at its end). */
		for (k = 0; k < r.nfindings; k++) {
			assert_non_null(r.findings[k].message);
			if (r.findings[k].severity == DG_DMARC_SEV_UNSET ||
			    r.findings[k].pos > len ||
			    r.findings[k].message[0] == '\0')
				fail_msg("%s: finding %zu malformed",
				    rows[i].name, k);
		}
		dg_arena_free(a);
	}
}

/* Explicit vs defaulted, raw values and positions. */
static void
test_explicit(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dmarc_record	 r;
	const char		*rec = "v=DMARC1; p=reject; adkim=x; aspf=s; "
				    "fo=1";

	(void)state;
	assert_non_null(a);
	assert_int_equal(dg_dmarc_record_parse(a, rec, strlen(rec), &r),
	    DG_OK);
	CHECK_INT("v", dg_dmarc_record_explicit(&r, DG_DMARC_TAG_V), 1);
	CHECK_INT("p", dg_dmarc_record_explicit(&r, DG_DMARC_TAG_P), 1);
	CHECK_INT("sp", dg_dmarc_record_explicit(&r, DG_DMARC_TAG_SP), 0);
	CHECK_INT("adkim", dg_dmarc_record_explicit(&r, DG_DMARC_TAG_ADKIM),
	    0);
	CHECK_INT("aspf", dg_dmarc_record_explicit(&r, DG_DMARC_TAG_ASPF), 1);
	CHECK_INT("fo", dg_dmarc_record_explicit(&r, DG_DMARC_TAG_FO), 1);
	CHECK_INT("bad-tag", dg_dmarc_record_explicit(&r,
	    DG_DMARC_TAG__COUNT), 0);
	CHECK_STR("raw-p", r.raw[DG_DMARC_TAG_P], "reject");
	CHECK_INT("raw-p-pos", r.raw_pos[DG_DMARC_TAG_P], 12);
	CHECK_STR("raw-adkim", r.raw[DG_DMARC_TAG_ADKIM], "x");
	CHECK_STR("raw-sp", r.raw[DG_DMARC_TAG_SP], NULL);
	CHECK_STR("raw-v", r.raw[DG_DMARC_TAG_V], "DMARC1");
	CHECK_INT("adkim-default", r.adkim, DG_DMARC_ALIGN_RELAXED);
	CHECK_INT("published-sp", r.sp, DG_DMARC_POLICY_UNSET);
	CHECK_INT("effective-sp", r.sp_eff, DG_DMARC_POLICY_REJECT);
	CHECK_INT("nfindings", r.nfindings, 2);
	CHECK_STR("msg0", r.findings[0].message,
	    "invalid adkim value \"x\" (want r or s); default used");
	CHECK_INT("sev0", r.findings[0].severity, DG_DMARC_SEV_WARNING);
	CHECK_INT("tag0", r.findings[0].tag, DG_DMARC_TAG_ADKIM);
	CHECK_STR("msg1", r.findings[1].message,
	    "fo has no effect without a valid ruf (RFC 9989 4.7)");
	dg_arena_free(a);
}

/* Messages a person reads: a few exact ones. */
static void
test_messages(void **state)
{
	static const struct {
		const char	*name, *record, *msg;
	} m[] = {
		{ "case", "v=dmarc1; p=none", "not a DMARC record: v=dmarc1 "
		  "(the value is case-sensitive: DMARC1)" },
		{ "not-first", "p=none; v=DMARC1",
		  "not a DMARC record: v=DMARC1 must be the first tag" },
		{ "space", " v=DMARC1", "not a DMARC record: white space "
		  "before v=DMARC1" },
		{ "unknown", "v=DMARC1; p=none; foo=1",
		  "unknown tag \"foo\" ignored" },
		{ "p-bad", "v=DMARC1; p=rejct; rua=mailto:a@example.com",
		  "invalid p value \"rejct\" (want none, quarantine or "
		  "reject)" },
		{ "pct", "v=DMARC1; p=none; pct=5", "pct was removed by "
		  "RFC 9989; only RFC 7489 receivers use it" },
		{ "bad-uri", "v=DMARC1; p=none; rua=mailto:a@",
		  "rua: \"mailto:a@\": invalid domain in address; ignored" },
		{ "syntax", "v=DMARC1; p=none; a b=c",
		  "syntax error: expected \"=\" after tag name; tag ignored" },
		{ "long", "v=DMARC1; p=none; fo=0123456789012345678901234567"
		  "890123456789012345678901234567890123456789",
		  "invalid fo value \"0123456789012345678901234567890123456789"
		  "\" (want 0, 1, d, s joined by \":\"; not both 0 and 1); "
		  "default used" },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(m); i++) {
		struct dg_arena		*a = dg_arena_new(0);
		struct dg_dmarc_record	 r;

		assert_non_null(a);
		CHECK_INT(m[i].name, dg_dmarc_record_parse(a, m[i].record,
		    strlen(m[i].record), &r), DG_OK);
		if (r.nfindings == 0)
			fail_msg("%s: no findings", m[i].name);
		CHECK_STR(m[i].name, r.findings[0].message, m[i].msg);
		dg_arena_free(a);
	}
}

/* 1000 tags: findings and unknown tags are capped; later tags count. */
static void
test_many_tags(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dmarc_record	 r;
	char			*rec;
	size_t			 off, cap = 16 * 1024, i;

	(void)state;
	assert_non_null(a);
	rec = malloc(cap);
	assert_non_null(rec);
	off = (size_t)snprintf(rec, cap, "v=DMARC1");
	for (i = 0; i < 1000; i++)
		off += (size_t)snprintf(rec + off, cap - off, "; x%zu=y", i);
	off += (size_t)snprintf(rec + off, cap - off, "; p=reject");
	assert_true(off < cap);

	assert_int_equal(dg_dmarc_record_parse(a, rec, off, &r), DG_OK);
	CHECK_INT("status", r.status, DG_DMARC_REC_WARNINGS);
	CHECK_INT("p", r.p_eff, DG_DMARC_POLICY_REJECT);
	CHECK_INT("nunknown", r.nunknown, DG_DMARC_MAX_UNKNOWN);
	CHECK_STR("unknown0", r.unknown[0].name, "x0");
	CHECK_STR("unknown0v", r.unknown[0].value, "y");
	CHECK_INT("unknown0pos", r.unknown[0].pos, 10);
	CHECK_INT("nfindings", r.nfindings, DG_DMARC_MAX_FINDINGS);
	CHECK_INT("dropped", r.findings_dropped, 1000 -
	    DG_DMARC_MAX_FINDINGS);
	free(rec);
	dg_arena_free(a);
}

/* 17 URIs: 16 kept, one finding; hostile lengths. */
static void
test_limits(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dmarc_record	 r;
	char			*rec;
	size_t			 off, cap = DG_DMARC_RECORD_MAX + 100, i;

	(void)state;
	assert_non_null(a);
	rec = malloc(cap);
	assert_non_null(rec);

	off = (size_t)snprintf(rec, cap, "v=DMARC1; p=none; rua=");
	for (i = 0; i < DG_DMARC_MAX_URIS + 1; i++)
		off += (size_t)snprintf(rec + off, cap - off,
		    "%smailto:r%zu@example.com", i ? "," : "", i);
	assert_int_equal(dg_dmarc_record_parse(a, rec, off, &r), DG_OK);
	CHECK_INT("nrua", r.nrua, DG_DMARC_MAX_URIS);
	CHECK_STR("rua15", r.rua[15].address, "r15@example.com");
	CHECK_INT("nfindings", r.nfindings, 1);
	CHECK_INT("code", r.findings[0].code, DG_DMARC_F_TOO_MANY_URIS);
	CHECK_STR("msg", r.findings[0].message,
	    "rua lists more than 16 URIs; 1 dropped");

	/* Exactly the maximum: parsed.  One more byte: too long. */
	off = (size_t)snprintf(rec, cap, "v=DMARC1; p=reject; x=");
	memset(rec + off, 'a', DG_DMARC_RECORD_MAX - off);
	assert_int_equal(dg_dmarc_record_parse(a, rec, DG_DMARC_RECORD_MAX,
	    &r), DG_OK);
	CHECK_INT("max-status", r.status, DG_DMARC_REC_WARNINGS);
	CHECK_INT("max-p", r.p_eff, DG_DMARC_POLICY_REJECT);
	rec[DG_DMARC_RECORD_MAX] = 'a';
	assert_int_equal(dg_dmarc_record_parse(a, rec,
	    DG_DMARC_RECORD_MAX + 1, &r), DG_OK);
	CHECK_INT("long-status", r.status, DG_DMARC_REC_INVALID);
	CHECK_INT("long-reason", r.invalid_reason, DG_DMARC_INV_TOO_LONG);
	CHECK_INT("long-is-dmarc", r.is_dmarc, 1);
	CHECK_INT("long-code", r.findings[0].code, DG_DMARC_F_TOO_LONG);

	/* 64 KiB of ";": bounded, every empty tag noted up to the cap. */
	memcpy(rec, "v=DMARC1", 8);
	memset(rec + 8, ';', DG_DMARC_RECORD_MAX - 8);
	assert_int_equal(dg_dmarc_record_parse(a, rec, DG_DMARC_RECORD_MAX,
	    &r), DG_OK);
	CHECK_INT("semis-status", r.status, DG_DMARC_REC_INVALID);
	CHECK_INT("semis-findings", r.nfindings, DG_DMARC_MAX_FINDINGS);

	/* Bytes 0-255 after the version: never crashes. */
	off = (size_t)snprintf(rec, cap, "v=DMARC1; p=none; ");
	for (i = 0; i < 256; i++)
		rec[off + i] = (char)i;
	assert_int_equal(dg_dmarc_record_parse(a, rec, off + 256, &r), DG_OK);
	CHECK_INT("bytes-p", r.p_eff, DG_DMARC_POLICY_NONE);

	free(rec);
	dg_arena_free(a);
}

static void
test_args(void **state)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dmarc_record	 r;

	(void)state;
	assert_non_null(a);
	CHECK_INT("null-arena", dg_dmarc_record_parse(NULL, "v=DMARC1", 8,
	    &r), DG_EINVAL);
	CHECK_INT("null-p", dg_dmarc_record_parse(a, NULL, 0, &r), DG_EINVAL);
	CHECK_INT("null-out", dg_dmarc_record_parse(a, "v=DMARC1", 8, NULL),
	    DG_EINVAL);
	CHECK_STR("tag-str", dg_dmarc_tag_str(DG_DMARC_TAG_NP), "np");
	CHECK_STR("tag-none", dg_dmarc_tag_str(DG_DMARC_TAG_NONE), "record");
	CHECK_STR("pol-str", dg_dmarc_policy_str(DG_DMARC_POLICY_QUARANTINE),
	    "quarantine");
	CHECK_STR("sev-str", dg_dmarc_severity_str(DG_DMARC_SEV_ERROR),
	    "error");
	CHECK_STR("uri-str", dg_dmarc_uri_status_str(
	    DG_DMARC_URI_UNSUPPORTED), "unsupported");
	CHECK_STR("status-str", dg_dmarc_record_status_str(
	    DG_DMARC_REC_WARNINGS), "valid-with-warnings");
	dg_arena_free(a);
}

/* ENOMEM: fail every allocation in turn; each must give DG_ENOMEM. */
static void
test_enomem(void **state)
{
	const char	*rec = "v=DMARC1; p=rejct; sp=none; foo=bar; pct=5; "
			    "rua=mailto:a@example.com!10m,https://x.example/,"
			    "bad; ruf=mailto:b@example.net; fo=1:d; ;; a b";
	unsigned long	 n;
	bool		 done = false;

	(void)state;
	for (n = 1; n < 500 && !done; n++) {
		struct dg_arena		*a;
		struct dg_dmarc_record	 r;
		enum dg_err		 err;

		dg_alloc_fail_after(n);
		a = dg_arena_new(0);
		if (a == NULL) {
			dg_alloc_fail_after(0);
			continue;
		}
		err = dg_dmarc_record_parse(a, rec, strlen(rec), &r);
		if (!dg_alloc_failed()) {
			CHECK_INT("final", err, DG_OK);
			CHECK_INT("final-status", r.status,
			    DG_DMARC_REC_WARNINGS);
			done = true;
		} else if (err != DG_ENOMEM) {
			fail_msg("n=%lu: got %d, want DG_ENOMEM", n, err);
		}
		dg_alloc_fail_after(0);
		dg_arena_free(a);
	}
	assert_true(done);

	/* A tiny arena ceiling gives DG_ETOOBIG, never a crash. */
	{
		struct dg_arena		*a = dg_arena_new(64);
		struct dg_dmarc_record	 r;

		assert_non_null(a);
		CHECK_INT("ceiling", dg_dmarc_record_parse(a, rec, strlen(rec),
		    &r), DG_ETOOBIG);
		dg_arena_free(a);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_explicit),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_many_tags),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
