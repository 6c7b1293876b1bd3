/*
 * lib/msg/addr.c -- RFC 5322 3.4 address-list and mailbox-list.
 *
 * A lexer turns the (unfolded) field value into the RFC's lexical tokens
 * (atom, quoted-string, domain-literal, specials), skipping CFWS wherever
 * it occurs (3.2.2, and the obsolete syntax of 4.4 which allows it between
 * every token); comments nest up to DG_ADDR_COMMENT_DEPTH.  A small
 * recursive-descent parser on top handles name-addr, addr-spec, groups,
 * obs-route (4.4: "<@a,@b:u@h>", the route is dropped), obs-local-part,
 * obs-phrase (dots in display names) and obs-addr-list empty members
 * ("a@x,,b@y").
 *
 * Tolerated on purpose (and documented in docs/internals/msg.md): a group
 * with no closing ';' at the end of the value, leading, trailing or
 * doubled dots in a local-part.  Everything else that does not fit the
 * grammar is DG_ESYNTAX with the offset and the rule.  The domain comes
 * only from the addr-spec; display names and comments are never parsed
 * for one, except to flag a display name that looks like an address.
 */
#include <string.h>

#include <dmarcguard/msg.h>

#include "msg/msg_int.h"
#include "util/limits.h"
#include "util/str.h"

enum tok_type {
	T_END = 0,
	T_ATOM,
	T_QSTR,		/* p/len: the content between the quotes, raw */
	T_DLIT,		/* p/len: the whole "[...]" */
	T_SPECIAL	/* c: one of < > @ , ; : . */
};

struct tok {
	enum tok_type	 t;
	const char	*p;
	size_t		 len;
	char		 c;
	bool		 ws_before;	/* CFWS came before this token */
	size_t		 off;
};

struct lexer {
	const char		*p;
	size_t			 len;
	size_t			 pos;
	struct dg_msg_error	*err;
	enum dg_err		 e;
};

struct parser {
	struct lexer		 lx;
	struct dg_arena		*a;
	struct dg_msg_addr_list	*out;
	size_t			 cap;
};

/* RFC 5322 3.2.3 atext, plus UTF-8 bytes (RFC 6532 3.2). */
static bool
is_atext(unsigned char c)
{
	if (dg_isalnum(c) || c >= 0x80)
		return true;
	return c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

static void
lex_fail(struct lexer *lx, enum dg_err e, size_t off, const char *what)
{
	if (lx->e != DG_OK)
		return;
	lx->e = e;
	dg_msg_seterr(lx->err, 0, off, "offset %zu: %s", off, what);
}

/* Skip CFWS (RFC 5322 3.2.2).  Returns whether anything was skipped. */
static bool
skip_cfws(struct lexer *lx)
{
	size_t		start = lx->pos, copen = 0;
	unsigned	depth;

	while (lx->pos < lx->len) {
		unsigned char	c = (unsigned char)lx->p[lx->pos];

		if (dg_iswsp(c) || c == '\r' || c == '\n') {
			lx->pos++;
			continue;
		}
		if (c != '(')
			break;
		copen = lx->pos;
		depth = 0;
		while (lx->pos < lx->len) {
			c = (unsigned char)lx->p[lx->pos++];
			if (c == '\\') {
				if (lx->pos < lx->len)
					lx->pos++;
			} else if (c == '(') {
				if (++depth > DG_ADDR_COMMENT_DEPTH) {
					lex_fail(lx, DG_ETOOBIG, lx->pos - 1,
					    "comments nested deeper than "
					    "DG_ADDR_COMMENT_DEPTH");
					return true;
				}
			} else if (c == ')') {
				if (--depth == 0)
					break;
			} else if (c == '\0') {
				lex_fail(lx, DG_ESYNTAX, lx->pos - 1,
				    "NUL byte in comment");
				return true;
			}
		}
		if (depth != 0) {
			lex_fail(lx, DG_ESYNTAX, copen,
			    "unterminated comment");
			return true;
		}
	}
	return lx->pos != start;
}

/* Scan a quoted-string or domain-literal body up to its closing char. */
static bool
scan_delimited(struct lexer *lx, char close, const char *what)
{
	size_t	start = lx->pos - 1;

	while (lx->pos < lx->len) {
		char	c = lx->p[lx->pos++];

		if (c == close)
			return true;
		if (c == '\\') {
			if (lx->pos < lx->len)
				lx->pos++;
		} else if (c == '\0') {
			lex_fail(lx, DG_ESYNTAX, lx->pos - 1, "NUL byte");
			return false;
		} else if (close == ']' && c == '[') {
			lex_fail(lx, DG_ESYNTAX, lx->pos - 1,
			    "'[' inside a domain-literal");
			return false;
		}
	}
	lex_fail(lx, DG_ESYNTAX, start, what);
	return false;
}

/* The next token; T_END at the end or after an error (lx->e). */
static struct tok
lex_next(struct lexer *lx)
{
	struct tok	t;
	unsigned char	c;

	memset(&t, 0, sizeof(t));
	t.ws_before = skip_cfws(lx);
	t.off = lx->pos;
	if (lx->e != DG_OK || lx->pos >= lx->len)
		return t;
	c = (unsigned char)lx->p[lx->pos];
	if (is_atext(c)) {
		t.t = T_ATOM;
		t.p = lx->p + lx->pos;
		while (lx->pos < lx->len &&
		    is_atext((unsigned char)lx->p[lx->pos]))
			lx->pos++;
		t.len = (size_t)(lx->p + lx->pos - t.p);
		return t;
	}
	lx->pos++;
	switch (c) {
	case '"':
		if (!scan_delimited(lx, '"', "unterminated quoted string"))
			return t;
		t.t = T_QSTR;
		t.p = lx->p + t.off + 1;
		t.len = lx->pos - t.off - 2;
		return t;
	case '[':
		if (!scan_delimited(lx, ']', "unterminated domain-literal"))
			return t;
		t.t = T_DLIT;
		t.p = lx->p + t.off;
		t.len = lx->pos - t.off;
		return t;
	case '<': case '>': case '@': case ',': case ';': case ':': case '.':
		t.t = T_SPECIAL;
		t.c = (char)c;
		return t;
	case ')':
		lex_fail(lx, DG_ESYNTAX, t.off, "')' without '('");
		return t;
	case ']':
		lex_fail(lx, DG_ESYNTAX, t.off, "']' without '['");
		return t;
	case '\\':
		lex_fail(lx, DG_ESYNTAX, t.off,
		    "quoted-pair outside a quoted string");
		return t;
	default:
		lex_fail(lx, DG_ESYNTAX, t.off, c == '\0' ? "NUL byte" :
		    "control character");
		return t;
	}
}

static struct tok
lex_peek(struct lexer *lx)
{
	struct lexer	save = *lx;
	struct tok	t;

	t = lex_next(lx);
	if (lx->e == DG_OK)
		*lx = save;
	return t;
}

static bool
is_special(const struct tok *t, char c)
{
	return t->t == T_SPECIAL && t->c == c;
}

static bool
is_phrase_tok(const struct tok *t)
{
	return t->t == T_ATOM || t->t == T_QSTR || is_special(t, '.');
}

/* Append a quoted-string body with quoted-pairs undone (3.2.4). */
static size_t
unescape(char *dst, const char *p, size_t len)
{
	size_t	i, o = 0;

	for (i = 0; i < len; i++) {
		if (p[i] == '\\' && i + 1 < len)
			i++;
		/* Folding inside a quoted string is not part of it. */
		if (p[i] == '\r' || p[i] == '\n')
			continue;
		dst[o++] = p[i];
	}
	return o;
}

static enum dg_err
arena_fail(struct parser *ps)
{
	enum dg_err	e = dg_arena_err(ps->a);

	lex_fail(&ps->lx, e, ps->lx.pos, e == DG_ETOOBIG ?
	    "arena ceiling reached" : "out of memory");
	return e;
}

/*
 * Re-read the n phrase tokens starting at lexer state *from and join
 * them: display names get one space where CFWS separated two tokens
 * (obs-phrase dots stick to their neighbours as written), local-parts get
 * nothing (dots are tokens).  The result fits in the source span, since
 * joining never adds more than the CFWS it replaces.
 */
static char *
join_tokens(struct parser *ps, const struct lexer *from, size_t n,
    bool spaces, bool *quoted, size_t *outlen)
{
	struct lexer	 lx = *from;
	struct tok	 t;
	char		*s;
	size_t		 i, o = 0;

	s = dg_arena_alloc(ps->a, ps->lx.pos - from->pos + 1);
	if (s == NULL) {
		(void)arena_fail(ps);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		t = lex_next(&lx);
		if (spaces && i > 0 && t.ws_before)
			s[o++] = ' ';
		if (t.t == T_QSTR) {
			o += unescape(s + o, t.p, t.len);
			if (quoted != NULL)
				*quoted = true;
		} else if (t.t == T_ATOM) {
			memcpy(s + o, t.p, t.len);
			o += t.len;
		} else
			s[o++] = t.c;
	}
	s[o] = '\0';
	*outlen = o;
	return s;
}

/* Decode a joined phrase (RFC 2047); NULL result for an empty one. */
static enum dg_err
decode_phrase(struct parser *ps, const struct lexer *from, size_t n,
    const char **out)
{
	const char	*raw, *dec;
	size_t		 len, dlen;
	enum dg_err	 e;

	*out = NULL;
	if (n == 0)
		return DG_OK;
	raw = join_tokens(ps, from, n, true, NULL, &len);
	if (raw == NULL)
		return ps->lx.e;
	e = dg_msg_rfc2047_decode(ps->a, raw, len, &dec, &dlen);
	if (e != DG_OK) {
		lex_fail(&ps->lx, e, from->pos, "cannot decode phrase");
		return e;
	}
	*out = dlen > 0 ? dec : NULL;
	return DG_OK;
}

static struct dg_msg_mailbox *
new_mailbox(struct parser *ps, size_t off)
{
	struct dg_msg_addr_list	*l = ps->out;
	struct dg_msg_mailbox	*nm;
	size_t			 ncap;

	if (l->n >= DG_ADDR_LIST_MAX) {
		lex_fail(&ps->lx, DG_ETOOBIG, off, "more than "
		    "DG_ADDR_LIST_MAX mailboxes in one field");
		return NULL;
	}
	if (l->n == ps->cap) {
		ncap = ps->cap != 0 ? ps->cap * 2 : 4;
		nm = dg_arena_calloc(ps->a, ncap, sizeof(*nm));
		if (nm == NULL) {
			(void)arena_fail(ps);
			return NULL;
		}
		if (l->n > 0)
			memcpy(nm, l->mb, l->n * sizeof(*nm));
		l->mb = nm;
		ps->cap = ncap;
	}
	return &l->mb[l->n++];
}

/* Is s[i..len) an at sign: '@' or U+FF20 FULLWIDTH COMMERCIAL AT? */
static size_t
at_sign(const char *s, size_t len, size_t i)
{
	if (s[i] == '@')
		return 1;
	if (i + 3 <= len && memcmp(s + i, "\xef\xbc\xa0", 3) == 0)
		return 3;
	return 0;
}

/*
 * Find something shaped like an address in a display name: the first
 * at sign with a local-part-ish run before it and a dotted hostname-ish
 * run after it.  Both runs stop at the previous and next at sign, so the
 * scan is linear however many there are.
 */
static bool
find_display_addr(const char *s, size_t len, size_t *start, size_t *at,
    size_t *atlen, size_t *end)
{
	size_t	i, l, r, dot, al, prev_end = 0;

	for (i = 0; i < len; i++) {
		if ((al = at_sign(s, len, i)) == 0)
			continue;
		l = i;
		while (l > prev_end && (is_atext((unsigned char)s[l - 1]) ||
		    s[l - 1] == '.'))
			l--;
		r = i + al;
		dot = 0;
		while (r < len && at_sign(s, len, r) == 0 &&
		    (dg_isalnum((unsigned char)s[r]) || s[r] == '-' ||
		    s[r] == '.' || (unsigned char)s[r] >= 0x80)) {
			if (s[r] == '.' && r > i + al)
				dot = r;
			r++;
		}
		while (r > i + al && s[r - 1] == '.')
			r--;
		if (l < i && dot != 0 && dot + 1 < r) {
			*start = l;
			*at = i;
			*atlen = al;
			*end = r;
			return true;
		}
		i += al - 1;
		prev_end = i + 1;
	}
	return false;
}

static enum dg_err
check_display(struct parser *ps, struct dg_msg_mailbox *mb)
{
	const char	*d = mb->display, *al, *ul;
	size_t		 s, at, atl, end;
	enum dg_err	 e;

	if (d == NULL || !find_display_addr(d, strlen(d), &s, &at, &atl,
	    &end))
		return DG_OK;
	mb->display_has_addr = true;
	mb->display_addr = dg_arena_strndup(ps->a, d + s, end - s);
	if (mb->display_addr == NULL)
		return arena_fail(ps);
	(void)dg_msg_domain_norm(ps->a, d + at + atl, end - at - atl, &al,
	    &ul, &e);
	if (e != DG_OK) {
		lex_fail(&ps->lx, e, ps->lx.pos, "out of memory");
		return e;
	}
	mb->display_domain = al;
	mb->display_domain_differs = mb->domain == NULL ||
	    strcmp(al, mb->domain) != 0;
	return DG_OK;
}

/*
 * domain = dot-atom / domain-literal / obs-domain (3.4.1, 4.4).  Atoms
 * and dots are collected as they come (an empty label is a mailbox
 * problem, not a syntax error); CFWS between them is dropped.
 */
static enum dg_err
parse_domain(struct parser *ps, struct dg_msg_mailbox *mb, bool keep)
{
	struct lexer	 from = ps->lx;
	struct tok	 t;
	size_t		 n = 0, len;
	bool		 want_atom = true;
	char		*dom;
	const char	*al, *ul;
	enum dg_err	 e;

	t = lex_peek(&ps->lx);
	if (t.t == T_DLIT) {
		(void)lex_next(&ps->lx);
		if (!keep)
			return DG_OK;
		dom = dg_arena_strndup(ps->a, t.p, t.len);
		if (dom == NULL)
			return arena_fail(ps);
		dg_str_lower(dom);
		mb->domain = mb->domain_utf8 = dom;
		mb->problem = DG_MSG_ADDR_P_DOMAIN_LITERAL;
		return DG_OK;
	}
	for (;;) {
		t = lex_peek(&ps->lx);
		if (ps->lx.e != DG_OK)
			return ps->lx.e;
		if (is_special(&t, '.'))
			want_atom = true;
		else if (t.t == T_ATOM && want_atom)
			want_atom = false;
		else
			break;
		(void)lex_next(&ps->lx);
		n++;
	}
	if (n == 0) {
		lex_fail(&ps->lx, DG_ESYNTAX, t.off, "missing domain after "
		    "'@'");
		return DG_ESYNTAX;
	}
	if (!keep)
		return DG_OK;
	dom = join_tokens(ps, &from, n, false, NULL, &len);
	if (dom == NULL)
		return ps->lx.e;
	mb->problem = dg_msg_domain_norm(ps->a, dom, len, &al, &ul, &e);
	if (e != DG_OK) {
		lex_fail(&ps->lx, e, from.pos, "out of memory");
		return e;
	}
	mb->domain = al;
	mb->domain_utf8 = ul;
	return DG_OK;
}

/*
 * local-part "@" domain, the local-part's n tokens starting at *from
 * already consumed, the '@' next.  Words must be separated by dots:
 * "john doe@x" is a display name without angle brackets, an error.
 */
static enum dg_err
parse_addr_spec(struct parser *ps, struct dg_msg_mailbox *mb,
    const struct lexer *from, size_t n)
{
	struct lexer	 lx = *from;
	struct tok	 t;
	size_t		 i, len;
	bool		 prev_word = false;
	char		*local;

	if (n == 0) {
		lex_fail(&ps->lx, DG_ESYNTAX, ps->lx.pos, "empty local-part");
		return DG_ESYNTAX;
	}
	for (i = 0; i < n; i++) {
		t = lex_next(&lx);
		if (t.t != T_SPECIAL && prev_word) {
			lex_fail(&ps->lx, DG_ESYNTAX, t.off, "words without "
			    "'.' in a local-part (display name without "
			    "'<>'?)");
			return DG_ESYNTAX;
		}
		prev_word = t.t != T_SPECIAL;
	}
	local = join_tokens(ps, from, n, false, &mb->local_quoted, &len);
	if (local == NULL)
		return ps->lx.e;
	mb->local = local;
	(void)lex_next(&ps->lx);	/* the '@' */
	if (parse_domain(ps, mb, true) != DG_OK)
		return ps->lx.e;
	/* RFC 5321 4.5.3.1.1: 64 octets. */
	if (len > DG_ADDR_LOCAL_MAX && mb->problem == DG_MSG_ADDR_P_NONE)
		mb->problem = DG_MSG_ADDR_P_LOCAL_TOO_LONG;
	return DG_OK;
}

/* angle-addr after '<': [obs-route] addr-spec ">" (3.4, 4.4). */
static enum dg_err
parse_angle(struct parser *ps, struct dg_msg_mailbox *mb)
{
	struct lexer	 from;
	struct tok	 t;
	size_t		 n = 0;

	t = lex_peek(&ps->lx);
	if (is_special(&t, '@') || is_special(&t, ',')) {
		/* obs-route = obs-domain-list ":" */
		mb->route = true;
		for (;;) {
			t = lex_next(&ps->lx);
			if (is_special(&t, ':'))
				break;
			if (is_special(&t, ','))
				continue;
			if (!is_special(&t, '@')) {
				lex_fail(&ps->lx, DG_ESYNTAX, t.off,
				    "malformed obs-route");
				return DG_ESYNTAX;
			}
			if (parse_domain(ps, NULL, false) != DG_OK)
				return ps->lx.e;
		}
	}
	from = ps->lx;
	for (;;) {
		t = lex_peek(&ps->lx);
		if (ps->lx.e != DG_OK)
			return ps->lx.e;
		if (!is_phrase_tok(&t))
			break;
		(void)lex_next(&ps->lx);
		n++;
	}
	if (!is_special(&t, '@')) {
		lex_fail(&ps->lx, DG_ESYNTAX, t.off, is_special(&t, '>') &&
		    n == 0 ? "empty angle-addr" : "expected '@' in "
		    "angle-addr");
		return DG_ESYNTAX;
	}
	if (parse_addr_spec(ps, mb, &from, n) != DG_OK)
		return ps->lx.e;
	t = lex_next(&ps->lx);
	if (!is_special(&t, '>')) {
		lex_fail(&ps->lx, DG_ESYNTAX, t.off, "expected '>'");
		return DG_ESYNTAX;
	}
	return DG_OK;
}

static enum dg_err	parse_address(struct parser *, const char *, bool *);

/* group after "name:": [group-list] ";" (3.4; obs-group-list 4.4). */
static enum dg_err
parse_group(struct parser *ps, const char *name)
{
	struct tok	t;
	size_t		before = ps->out->n;
	bool		dummy;

	ps->out->ngroups++;
	for (;;) {
		t = lex_peek(&ps->lx);
		if (ps->lx.e != DG_OK)
			return ps->lx.e;
		if (is_special(&t, ';')) {
			(void)lex_next(&ps->lx);
			break;
		}
		if (t.t == T_END) {
			/* Tolerated: "undisclosed-recipients:" */
			ps->out->unterminated_group = true;
			break;
		}
		if (is_special(&t, ',')) {
			(void)lex_next(&ps->lx);
			continue;
		}
		if (parse_address(ps, name, &dummy) != DG_OK)
			return ps->lx.e;
		t = lex_peek(&ps->lx);
		if (!is_special(&t, ',') && !is_special(&t, ';') &&
		    t.t != T_END) {
			lex_fail(&ps->lx, DG_ESYNTAX, t.off,
			    "expected ',' or ';' in group");
			return DG_ESYNTAX;
		}
	}
	if (ps->out->n == before)
		ps->out->nempty_groups++;
	return DG_OK;
}

/*
 * address = mailbox / group; mailbox = name-addr / addr-spec.  group is
 * the enclosing group's name (NULL at top level; groups do not nest).
 */
static enum dg_err
parse_address(struct parser *ps, const char *group, bool *was_group)
{
	struct lexer		 from = ps->lx;
	struct dg_msg_mailbox	*mb;
	struct tok		 t;
	const char		*name;
	size_t			 n = 0;

	*was_group = false;
	for (;;) {
		t = lex_peek(&ps->lx);
		if (ps->lx.e != DG_OK)
			return ps->lx.e;
		if (!is_phrase_tok(&t))
			break;
		(void)lex_next(&ps->lx);
		n++;
	}
	if (is_special(&t, ':')) {
		if (group != NULL) {
			lex_fail(&ps->lx, DG_ESYNTAX, t.off,
			    "group inside a group");
			return DG_ESYNTAX;
		}
		if (n == 0) {
			lex_fail(&ps->lx, DG_ESYNTAX, t.off,
			    "group without a name");
			return DG_ESYNTAX;
		}
		if (decode_phrase(ps, &from, n, &name) != DG_OK)
			return ps->lx.e;
		(void)lex_next(&ps->lx);
		*was_group = true;
		return parse_group(ps, name != NULL ? name : "");
	}
	if (!is_special(&t, '<') && !is_special(&t, '@')) {
		lex_fail(&ps->lx, DG_ESYNTAX, t.off, n == 0 ?
		    "expected an address" : "address without '@'");
		return DG_ESYNTAX;
	}
	mb = new_mailbox(ps, from.pos);
	if (mb == NULL)
		return ps->lx.e;
	mb->group = group;
	if (is_special(&t, '<')) {
		if (decode_phrase(ps, &from, n, &mb->display) != DG_OK)
			return ps->lx.e;
		(void)lex_next(&ps->lx);
		if (parse_angle(ps, mb) != DG_OK)
			return ps->lx.e;
	} else if (parse_addr_spec(ps, mb, &from, n) != DG_OK)
		return ps->lx.e;
	return check_display(ps, mb);
}

enum dg_err
dg_msg_addr_parse(struct dg_arena *a, const char *p, size_t len,
    struct dg_msg_addr_list *out, struct dg_msg_error *err)
{
	struct dg_msg_addr_list	 l;
	struct parser		 ps;
	struct tok		 t;
	bool			 was_group;

	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (a == NULL || out == NULL || (p == NULL && len > 0))
		return DG_EINVAL;
	if (len > DG_HDR_FIELD_MAX) {
		dg_msg_seterr(err, 0, 0, "address list exceeds "
		    "DG_HDR_FIELD_MAX (%u bytes)", (unsigned)DG_HDR_FIELD_MAX);
		return DG_ETOOBIG;
	}
	memset(&l, 0, sizeof(l));
	memset(&ps, 0, sizeof(ps));
	ps.lx.p = p;
	ps.lx.len = len;
	ps.lx.err = err;
	ps.a = a;
	ps.out = &l;
	for (;;) {
		t = lex_peek(&ps.lx);
		if (ps.lx.e != DG_OK)
			return ps.lx.e;
		if (t.t == T_END)
			break;
		if (is_special(&t, ',')) {
			/* obs-addr-list: empty members (4.4). */
			(void)lex_next(&ps.lx);
			continue;
		}
		if (parse_address(&ps, NULL, &was_group) != DG_OK)
			return ps.lx.e;
		t = lex_peek(&ps.lx);
		if (ps.lx.e != DG_OK)
			return ps.lx.e;
		if (t.t != T_END && !is_special(&t, ',')) {
			lex_fail(&ps.lx, DG_ESYNTAX, t.off, was_group &&
			    is_special(&t, ';') ? "';' after a group" :
			    "expected ',' after an address");
			return DG_ESYNTAX;
		}
	}
	*out = l;
	return DG_OK;
}

const char *
dg_msg_addr_problem_str(enum dg_msg_addr_problem p)
{
	switch (p) {
	case DG_MSG_ADDR_P_NONE:		return "none";
	case DG_MSG_ADDR_P_DOMAIN_EMPTY_LABEL:	return "empty domain label";
	case DG_MSG_ADDR_P_DOMAIN_TOO_LONG:	return "domain too long";
	case DG_MSG_ADDR_P_LABEL_TOO_LONG:	return "domain label too long";
	case DG_MSG_ADDR_P_DOMAIN_BAD_CHAR:
		return "character not allowed in a hostname";
	case DG_MSG_ADDR_P_DOMAIN_HYPHEN:
		return "label starts or ends with a hyphen";
	case DG_MSG_ADDR_P_DOMAIN_BAD_IDN:	return "invalid IDN domain";
	case DG_MSG_ADDR_P_DOMAIN_LITERAL:
		return "domain-literal, not a hostname";
	case DG_MSG_ADDR_P_DOMAIN_SINGLE_LABEL:	return "single-label domain";
	case DG_MSG_ADDR_P_DOMAIN_NUMERIC_TLD:
		return "all-numeric top-level label";
	case DG_MSG_ADDR_P_LOCAL_TOO_LONG:	return "local-part too long";
	}
	return "unknown";
}
