/*
 * lib/ar/ar_gen.c -- writing an Authentication-Results field value
 * (RFC 8601 2.2): the authserv-id, then one resinfo per folded line for
 * spf, dkim (one per signature), arc and dmarc.
 *
 * Safety (the class of OpenDMARC CVE-2020-12272): every value that comes
 * from the message -- MAIL FROM, HELO, d=, s=, the b= prefix, the From
 * domain -- goes out as an RFC 2045 token only if it is one, otherwise as
 * a quoted-string with '"' and '\' escaped and control characters and
 * non-ASCII bytes replaced by '?'.  Comments escape '(' ')' '\' the same
 * way.  So no message can end a resinfo (';'), open a comment, break the
 * line or start a field of its own.  Method and result words are ours.
 */
#include <string.h>

#include <dmarcguard/ar.h>
#include <dmarcguard/buf.h>

#include "util/limits.h"
#include "util/str.h"

/* RFC 2045 5.1 tspecials. */
static bool
is_tspecial(int c)
{
	return strchr("()<>@,;:\\\"/[]?=", c) != NULL;
}

static bool
is_token_char(int c)
{
	return c > 0x20 && c < 0x7f && !is_tspecial(c);
}

static bool
is_token(const char *s)
{
	size_t	i;

	if (s == NULL || *s == '\0')
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (!is_token_char((unsigned char)s[i]) || i >= DG_AR_VALUE_MAX)
			return false;
	return true;
}

/* RFC 5322 atext (for a dot-atom local-part). */
static bool
is_atext(int c)
{
	return dg_isalnum(c) || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c)
	    != NULL);
}

/* [local-part "@"] domain-name with a dot-atom local-part. */
static bool
is_addr(const char *s)
{
	const char	*at = strrchr(s, '@');
	size_t		 i;

	if (at == NULL || at[1] == '\0' || strlen(s) > DG_AR_VALUE_MAX)
		return false;
	for (i = 0; s + i < at; i++) {
		if (s[i] == '.' ? (i == 0 || s[i + 1] == '.' ||
		    s + i + 1 == at) : !is_atext((unsigned char)s[i]))
			return false;
	}
	for (i = 1; at[i] != '\0'; i++)
		if (!dg_isalnum((unsigned char)at[i]) && at[i] != '-' &&
		    at[i] != '.' && at[i] != '_')
			return false;
	return true;
}

/* A value from the message: token, address form, or quoted-string. */
static void
put_value(struct dg_buf *b, const char *s, bool addr_ok)
{
	size_t	i;
	int	c;

	if (is_token(s) || (addr_ok && is_addr(s))) {
		dg_buf_puts(b, s);
		return;
	}
	dg_buf_putc(b, '"');
	for (i = 0; s != NULL && s[i] != '\0' && i < DG_AR_VALUE_MAX; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			dg_buf_putc(b, '\\');
		dg_buf_putc(b, c < 0x20 || c >= 0x7f ? '?' : (char)c);
	}
	dg_buf_putc(b, '"');
}

/* " (text)": ( ) \ escaped, control and non-ASCII bytes as '?'. */
static void
put_comment(struct dg_buf *b, const char *s)
{
	size_t	i;
	int	c;

	if (s == NULL || *s == '\0')
		return;
	dg_buf_puts(b, " (");
	for (i = 0; s[i] != '\0' && i < 2 * DG_AR_VALUE_MAX; i++) {
		c = (unsigned char)s[i];
		if (c == '(' || c == ')' || c == '\\')
			dg_buf_putc(b, '\\');
		dg_buf_putc(b, c < 0x20 || c >= 0x7f ? '?' : (char)c);
	}
	dg_buf_putc(b, ')');
}

static void
put_prop(struct dg_buf *b, const char *ptype, const char *prop,
    const char *value, bool addr_ok)
{
	if (value == NULL || *value == '\0')
		return;
	dg_buf_printf(b, " %s.%s=", ptype, prop);
	put_value(b, value, addr_ok);
}

/* RFC 5321 Keyword-like word: letters, digits, '-'. */
static bool
is_keyword(const char *s)
{
	size_t	i;

	if (s == NULL || !dg_isalnum((unsigned char)s[0]))
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if ((!dg_isalnum((unsigned char)s[i]) && s[i] != '-') ||
		    i >= 64)
			return false;
	return true;
}

static bool
is_domain(const char *s)
{
	size_t	i;

	if (s == NULL || *s == '\0' || strlen(s) > DG_DNS_NAME_MAX)
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (!dg_isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '.' && s[i] != '_')
			return false;
	return true;
}

static void
gen_dkim(struct dg_buf *b, const char *fold, const struct dg_dkim_sig_result
    *s)
{
	char	c[DG_DETAIL_MAX];

	dg_buf_printf(b, ";%sdkim=%s", fold, dg_dkim_result_str(s->result));
	if (s->result == DG_DKIM_PASS && s->key_bits > 0)
		dg_fmt(c, sizeof(c), "%u-bit key", s->key_bits);
	else if (s->result != DG_DKIM_PASS && s->detail[0] != '\0')
		dg_fmt(c, sizeof(c), "%s", s->detail);
	else if (s->result != DG_DKIM_PASS)
		dg_fmt(c, sizeof(c), "%s", dg_dkim_reason_str(s->reason));
	else
		c[0] = '\0';
	put_comment(b, c);
	put_prop(b, "header", "d", s->domain, false);
	put_prop(b, "header", "s", s->selector, false);
	if (s->alg != DG_DKIM_ALG_UNSET)
		put_prop(b, "header", "a", dg_dkim_alg_str(s->alg), false);
	if (s->b_prefix != NULL && *s->b_prefix != '\0') {
		char	pfx[DG_AR_B_PREFIX + 1];

		dg_strlcpy(pfx, s->b_prefix, sizeof(pfx));
		put_prop(b, "header", "b", pfx, false);
	}
}

static void
gen_dmarc(struct dg_buf *b, const char *fold, const struct dg_dmarc_verdict
    *v, const struct dg_shield_verdict *sh)
{
	enum dg_dmarc_disposition	d = v->disposition;
	char				c[3 * DG_DETAIL_MAX];
	size_t				n;

	if (sh != NULL && sh->disposition > d)
		d = sh->disposition;
	dg_buf_printf(b, ";%sdmarc=%s", fold, dg_dmarc_result_str(v->result));
	c[0] = '\0';
	if (v->policy != DG_DMARC_POLICY_UNSET)
		dg_fmt(c, sizeof(c), "%s=%s ", v->policy_tag ==
		    DG_DMARC_PTAG_UNSET ? "p" : dg_dmarc_policy_tag_str(
		    v->policy_tag), dg_dmarc_policy_str(v->policy));
	n = strlen(c);
	dg_fmt(c + n, sizeof(c) - n, "dis=%s", dg_dmarc_disposition_str(d));
	n = strlen(c);
	if (sh != NULL && sh->raised)
		dg_fmt(c + n, sizeof(c) - n, "; %s", sh->reason);
	else if (v->result != DG_DMARC_RESULT_PASS && v->nreasons > 0)
		dg_fmt(c + n, sizeof(c) - n, "; %s", v->reasons[0]);
	put_comment(b, c);
	put_prop(b, "header", "from", v->from_domain, false);
	if (v->result != DG_DMARC_RESULT_NONE &&
	    v->result != DG_DMARC_RESULT_TEMPERROR)
		put_prop(b, "policy", "dmarc", dg_dmarc_disposition_str(d),
		    false);
}

enum dg_err
dg_ar_generate(struct dg_arena *a, const struct dg_ar_gen *g,
    const char **out)
{
	struct dg_buf	 b;
	const char	*fold;
	const char	*mf;
	size_t		 i;
	enum dg_err	 err;

	if (a == NULL || g == NULL || out == NULL ||
	    !is_domain(g->authserv_id) || (g->ndkim > 0 && g->dkim == NULL) ||
	    (g->arc != NULL && !is_keyword(g->arc)))
		return DG_EINVAL;
	fold = g->lf ? "\n\t" : "\r\n\t";
	dg_buf_init(&b, DG_HDR_FIELD_MAX);
	dg_buf_puts(&b, g->authserv_id);
	if (g->spf.result != DG_SPF_UNSET) {
		dg_buf_printf(&b, ";%sspf=%s", fold,
		    dg_spf_result_str(g->spf.result));
		put_comment(&b, g->spf.comment);
		mf = g->spf.mail_from;
		if (mf != NULL && *mf != '\0')
			put_prop(&b, "smtp", "mailfrom", mf, true);
		else
			put_prop(&b, "smtp", "helo", g->spf.helo, false);
	}
	for (i = 0; i < g->ndkim; i++)
		gen_dkim(&b, fold, &g->dkim[i]);
	if (g->ndkim == 0 && g->dkim_none)
		dg_buf_printf(&b, ";%sdkim=none", fold);
	if (g->arc != NULL) {
		dg_buf_printf(&b, ";%sarc=", fold);
		for (i = 0; g->arc[i] != '\0'; i++)
			dg_buf_putc(&b, (char)dg_tolower((unsigned char)
			    g->arc[i]));
		put_comment(&b, g->arc_comment);
	}
	if (g->dmarc != NULL)
		gen_dmarc(&b, fold, g->dmarc, g->shield);
	if (g->spf.result == DG_SPF_UNSET && g->ndkim == 0 && !g->dkim_none &&
	    g->arc == NULL && g->dmarc == NULL)
		dg_buf_puts(&b, "; none");
	if ((err = dg_buf_err(&b)) != DG_OK) {
		dg_buf_free(&b);
		return err;
	}
	*out = dg_arena_strndup(a, dg_buf_str(&b), b.len);
	dg_buf_free(&b);
	return *out == NULL ? dg_arena_err(a) : DG_OK;
}
