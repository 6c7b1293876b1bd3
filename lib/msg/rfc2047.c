/*
 * lib/msg/rfc2047.c -- RFC 2047 encoded words to UTF-8, through iconv.
 *
 * "=?charset[*lang]?Q|B?text?=" (RFC 2047 2, 4; RFC 2231 5 language
 * suffix).  Words are recognised only as whole whitespace-delimited
 * tokens (RFC 2047 5(1)); a token made of several words back to back is
 * accepted too, since common senders produce it.  Whitespace between two
 * encoded words is dropped (6.2), and the bytes of adjacent words in the
 * same charset are converted together, so a multibyte character split
 * across two words comes out whole.  A malformed word, or a charset iconv
 * does not know, is left as written (6.3).  The output is always valid
 * UTF-8 with no control characters: anything else becomes U+FFFD.
 * Left out on purpose: decoding inside quoted strings of structured
 * fields is the caller's choice (addr.c does, as common MUAs do).
 *
 * This is the only file that includes <iconv.h>.
 */
#include <errno.h>
#include <iconv.h>
#include <string.h>

#include <dmarcguard/msg.h>

#include "msg/msg_int.h"
#include "util/limits.h"
#include "util/str.h"

static const char	replacement[] = "\xef\xbf\xbd";	/* U+FFFD */

/* The length of the valid UTF-8 sequence at p, or 0 (RFC 3629 4). */
static size_t
utf8_seq(const unsigned char *p, size_t len)
{
	unsigned char	c = p[0];
	size_t		n, i;
	unsigned long	cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

void
dg_msg_utf8_append(struct dg_buf *b, const char *p, size_t len)
{
	const unsigned char	*u = (const unsigned char *)p;
	size_t			 i = 0, start = 0, n;

	while (i < len) {
		if (u[i] >= 0x20 && u[i] < 0x7f) {
			i++;
			continue;
		}
		n = utf8_seq(u + i, len - i);
		if (n > 1) {
			i += n;
			continue;
		}
		/* Control character or invalid byte. */
		dg_buf_append(b, p + start, i - start);
		if (u[i] == '\t')
			dg_buf_putc(b, ' ');
		else
			dg_buf_append(b, replacement, 3);
		i++;
		start = i;
	}
	dg_buf_append(b, p + start, i - start);
}

/* RFC 2047 2 token characters: no SPACE, CTLs or especials. */
static bool
is_token_char(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return false;
	return strchr("()<>@,;:\"/[]?.=", c) == NULL;
}

struct eword {
	const char	*charset;	/* without "*lang" */
	size_t		 charset_len;
	char		 enc;		/* 'Q' or 'B' */
	const char	*text;
	size_t		 text_len;
	size_t		 len;		/* whole word */
};

/* Parse the encoded word at the start of p[0..len). */
static bool
parse_word(const char *p, size_t len, struct eword *w)
{
	size_t	i, cs_end, lang = 0, t;

	if (len < 8 || p[0] != '=' || p[1] != '?')
		return false;
	for (i = 2; i < len && p[i] != '?'; i++) {
		if (p[i] == '*' && lang == 0)
			lang = i;
		else if (!is_token_char((unsigned char)p[i]) &&
		    p[i] != '.')
			return false;
	}
	/* "." is an especial but appears in no charset we decode; it is
	 * allowed in the scan above only so RFC 2231 "*en.x" passes. */
	cs_end = lang != 0 ? lang : i;
	if (i >= len || cs_end == 2 || cs_end - 2 > DG_RFC2047_CHARSET_MAX)
		return false;
	if (memchr(p + 2, '.', cs_end - 2) != NULL)
		return false;
	w->charset = p + 2;
	w->charset_len = cs_end - 2;
	i++;
	if (i + 1 >= len || p[i + 1] != '?')
		return false;
	w->enc = (char)dg_toupper((unsigned char)p[i]);
	if (w->enc != 'Q' && w->enc != 'B')
		return false;
	i += 2;
	t = i;
	while (i < len && p[i] != '?') {
		if ((unsigned char)p[i] <= 0x20 || (unsigned char)p[i] >= 0x7f)
			return false;
		i++;
	}
	if (i + 1 >= len || p[i + 1] != '=')
		return false;
	w->text = p + t;
	w->text_len = i - t;
	w->len = i + 2;
	return w->len <= DG_RFC2047_WORD_MAX;
}

static int
hexval(unsigned char c)
{
	if (dg_isdigit(c))
		return c - '0';
	c = (unsigned char)dg_toupper(c);
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (dg_isdigit(c))
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Decode w's text into out[] (room for text_len bytes is enough for both
 * encodings).  False when malformed.
 */
static bool
decode_text(const struct eword *w, unsigned char *out, size_t *outlen)
{
	size_t		i, o = 0, pad = 0;
	unsigned long	acc = 0;
	unsigned	bits = 0;
	int		h, l, v;

	if (w->enc == 'Q') {
		/* RFC 2047 4.2. */
		for (i = 0; i < w->text_len; i++) {
			unsigned char	c = (unsigned char)w->text[i];

			if (c == '_')
				out[o++] = ' ';
			else if (c == '=') {
				if (i + 2 >= w->text_len)
					return false;
				h = hexval((unsigned char)w->text[i + 1]);
				l = hexval((unsigned char)w->text[i + 2]);
				if (h < 0 || l < 0)
					return false;
				out[o++] = (unsigned char)(h * 16 + l);
				i += 2;
			} else
				out[o++] = c;
		}
		*outlen = o;
		return true;
	}
	/* RFC 2047 4.1, base64 (RFC 2045 6.8); missing padding tolerated. */
	for (i = 0; i < w->text_len; i++) {
		unsigned char	c = (unsigned char)w->text[i];

		if (c == '=') {
			pad++;
			continue;
		}
		if (pad > 0)
			return false;
		v = b64val(c);
		if (v < 0)
			return false;
		acc = (acc << 6) | (unsigned long)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1ul << bits) - 1;
		}
	}
	if (pad > 2 || bits >= 6)
		return false;
	*outlen = o;
	return true;
}

/* Charsets senders mislabel: decode with the superset, as browsers do. */
static const struct {
	const char	*label;
	const char	*iconv_name;
} aliases[] = {
	{ "iso-8859-1",		"WINDOWS-1252" },
	{ "latin1",		"WINDOWS-1252" },
	{ "gb2312",		"GB18030" },
	{ "gbk",		"GB18030" },
	{ "ks_c_5601-1987",	"CP949" },
	{ "euc-kr",		"CP949" },
	{ "shift_jis",		"CP932" },
	{ "sjis",		"CP932" },
	{ "x-sjis",		"CP932" },
};

#define NALIASES	(sizeof(aliases) / sizeof(aliases[0]))

/* A run of adjacent encoded words in one charset. */
struct run {
	struct dg_buf	 bytes;
	const char	*charset;
	size_t		 charset_len;
	const char	*raw;		/* as written, for an unknown charset */
	size_t		 raw_len;
	bool		 active;
};

static bool
is_utf8_label(const char *cs, size_t len)
{
	return dg_memcaseeq(cs, len, "utf-8", 5) ||
	    dg_memcaseeq(cs, len, "utf8", 4) ||
	    dg_memcaseeq(cs, len, "us-ascii", 8) ||
	    dg_memcaseeq(cs, len, "ascii", 5);
}

/* Convert with iconv; false when the charset is unknown. */
static bool
convert(struct dg_buf *out, const char *cs, size_t cslen, struct dg_buf *in)
{
	char	 name[DG_RFC2047_CHARSET_MAX + 1];
	char	 chunk[512];
	char	*ip, *op;
	size_t	 ileft, oleft, i, r;
	iconv_t	 cd;

	memcpy(name, cs, cslen);
	name[cslen] = '\0';
	for (i = 0; i < NALIASES; i++) {
		if (dg_strcaseeq(name, aliases[i].label)) {
			dg_strlcpy(name, aliases[i].iconv_name, sizeof(name));
			break;
		}
	}
	cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return false;
	ip = in->data;
	ileft = in->len;
	while (ileft > 0 && dg_buf_err(out) == DG_OK) {
		op = chunk;
		oleft = sizeof(chunk);
		r = iconv(cd, &ip, &ileft, &op, &oleft);
		dg_msg_utf8_append(out, chunk, sizeof(chunk) - oleft);
		if (r != (size_t)-1 || errno == E2BIG)
			continue;
		/* EILSEQ, or EINVAL for a sequence cut at the end. */
		dg_buf_append(out, replacement, 3);
		ip++;
		ileft--;
		(void)iconv(cd, NULL, NULL, NULL, NULL);
	}
	op = chunk;
	oleft = sizeof(chunk);
	(void)iconv(cd, NULL, NULL, &op, &oleft);
	dg_msg_utf8_append(out, chunk, sizeof(chunk) - oleft);
	iconv_close(cd);
	return true;
}

static void
flush(struct dg_buf *out, struct run *r)
{
	if (!r->active)
		return;
	if (r->bytes.len > 0 || r->bytes.err != DG_OK) {
		if (r->bytes.err != DG_OK) {
			if (out->err == DG_OK)
				out->err = r->bytes.err;
		} else if (is_utf8_label(r->charset, r->charset_len))
			dg_msg_utf8_append(out, r->bytes.data, r->bytes.len);
		else if (!convert(out, r->charset, r->charset_len, &r->bytes))
			dg_msg_utf8_append(out, r->raw, r->raw_len);
	}
	dg_buf_reset(&r->bytes);
	r->active = false;
}

/*
 * Is the token p[0..len) made only of encoded words?  Counts them in *n.
 */
static bool
all_words(const char *p, size_t len, size_t *n)
{
	struct eword	w;
	size_t		i = 0;

	*n = 0;
	while (i < len) {
		if (!parse_word(p + i, len - i, &w))
			return false;
		i += w.len;
		(*n)++;
	}
	return *n > 0;
}

/* Whitespace between tokens, as written; folding CR/LF dropped. */
static void
emit_ws(struct dg_buf *out, const char *p, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (dg_iswsp((unsigned char)p[i]))
			dg_buf_putc(out, ' ');
}

void
dg_msg_rfc2047_append(struct dg_buf *out, const char *p, size_t len)
{
	struct run	 r;
	struct eword	 w;
	unsigned char	 tmp[DG_RFC2047_WORD_MAX];
	size_t		 i = 0, j, k, nw, tl, words = 0;
	const char	*ws = NULL;
	size_t		 ws_len = 0;
	bool		 after_ew;

	memset(&r, 0, sizeof(r));
	dg_buf_init(&r.bytes, DG_HDR_FIELD_MAX);
	while (i < len && dg_buf_err(out) == DG_OK) {
		if (dg_iswsp((unsigned char)p[i]) || p[i] == '\r' ||
		    p[i] == '\n') {
			j = i;
			while (j < len && (dg_iswsp((unsigned char)p[j]) ||
			    p[j] == '\r' || p[j] == '\n'))
				j++;
			ws = p + i;
			ws_len = j - i;
			i = j;
			continue;
		}
		j = i;
		while (j < len && !dg_iswsp((unsigned char)p[j]) &&
		    p[j] != '\r' && p[j] != '\n')
			j++;
		if (words < DG_RFC2047_MAX_WORDS && all_words(p + i, j - i,
		    &nw) && words + nw <= DG_RFC2047_MAX_WORDS) {
			words += nw;
			for (k = i; k < j; k += w.len) {
				(void)parse_word(p + k, j - k, &w);
				if (!decode_text(&w, tmp, &tl)) {
					/* Malformed: as written (6.3). */
					flush(out, &r);
					if (ws != NULL)
						emit_ws(out, ws, ws_len);
					ws = NULL;
					dg_msg_utf8_append(out, p + k, w.len);
					continue;
				}
				if (r.active && dg_memcaseeq(r.charset,
				    r.charset_len, w.charset,
				    w.charset_len)) {
					/* Same charset: one conversion. */
					r.raw_len = (size_t)(p + k + w.len -
					    r.raw);
				} else {
					/* 6.2 holds across charsets too. */
					after_ew = r.active;
					flush(out, &r);
					if (ws != NULL && !after_ew)
						emit_ws(out, ws, ws_len);
					r.active = true;
					r.charset = w.charset;
					r.charset_len = w.charset_len;
					r.raw = p + k;
					r.raw_len = w.len;
				}
				/* 6.2: whitespace between words goes. */
				ws = NULL;
				dg_buf_append(&r.bytes, tmp, tl);
			}
			i = j;
			continue;
		}
		flush(out, &r);
		if (ws != NULL)
			emit_ws(out, ws, ws_len);
		ws = NULL;
		dg_msg_utf8_append(out, p + i, j - i);
		i = j;
	}
	flush(out, &r);
	if (ws != NULL)
		emit_ws(out, ws, ws_len);
	dg_buf_free(&r.bytes);
}

enum dg_err
dg_msg_rfc2047_decode(struct dg_arena *a, const char *p, size_t len,
    const char **out, size_t *outlen)
{
	struct dg_buf	 b;
	enum dg_err	 e;
	char		*s;

	if (a == NULL || out == NULL || (p == NULL && len > 0))
		return DG_EINVAL;
	if (len > DG_HDR_FIELD_MAX)
		return DG_ETOOBIG;
	/* Worst case: each input byte becomes U+FFFD (3 bytes), or an
	 * iconv character of up to 4. */
	dg_buf_init(&b, 4 * len + 16);
	dg_msg_rfc2047_append(&b, p, len);
	e = dg_buf_err(&b);
	if (e == DG_OK) {
		s = dg_arena_strndup(a, dg_buf_str(&b), b.len);
		if (s == NULL)
			e = dg_arena_err(a);
		else {
			*out = s;
			if (outlen != NULL)
				*outlen = b.len;
		}
	}
	dg_buf_free(&b);
	return e;
}
