/*
 * include/dmarcguard/msg.h -- RFC 5322 message headers over raw bytes:
 * the header section, address lists (RFC 5322 3.4), RFC 2047 encoded
 * words and the author (From) extraction that DMARC depends on.
 *
 * Ownership: every result is allocated in the caller's struct dg_arena and
 * lives until that arena is freed or reset.  Pointers inside the result
 * structs are borrowed from that arena; nothing here keeps a pointer into
 * the caller's input buffer, which may be freed right after the call.
 * Out-parameters are written only on success.  All functions are
 * thread-safe as long as each thread uses its own arena.
 *
 * docs/internals/msg.md describes behaviour on bad input and the limits.
 */
#ifndef DMARCGUARD_MSG_H
#define DMARCGUARD_MSG_H

#include <dmarcguard/common.h>
#include <dmarcguard/arena.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Why a parse failed: the 1-based line of the header section (0 when not
 * line based), the byte offset into the input, and a message naming the
 * rule or the limit, e.g. "line 12: field exceeds DG_HDR_FIELD_MAX
 * (65536 bytes)".
 */
struct dg_msg_error {
	unsigned	line;
	size_t		offset;
	char		msg[DG_DETAIL_MAX];
};

/* ---- Header section (RFC 5322 2.2, 3.6; obsolete syntax 4.5) ---- */

/* One header field. */
struct dg_msg_field {
	/*
	 * The exact bytes of the field: name, colon, value, every folded
	 * continuation line and every line terminator as they appeared
	 * (CRLF or bare LF).  The last field of a header with no final
	 * terminator has none.  Not NUL-terminated (raw[raw_len] is '\0'
	 * only by accident); use raw_len.
	 */
	const char	*raw;
	size_t		 raw_len;
	/* The field name as written, inside raw; no trailing WSP. */
	const char	*name;
	size_t		 name_len;
	/*
	 * Unfolded value, NUL-terminated: the bytes after the colon with
	 * every line terminator (CRLF or LF) removed (RFC 5322 2.2.3), then
	 * leading WSP removed.  Trailing WSP and inner WSP are kept as
	 * written.  Contains no NUL (NUL in a header is rejected).
	 */
	const char	*value;
	size_t		 value_len;
	unsigned	 line;		/* 1-based line of the name */
	unsigned	 nlines;	/* lines, continuations included */
	bool		 obs_wsp_colon;	/* "Name : value" (RFC 5322 4.5) */
};

/* Flags for dg_msg_hdr_parse(). */
#define DG_MSG_HDR_LENIENT	0x1u	/* skip lines that are neither a
					 * field nor a continuation (counted
					 * in skipped_lines) instead of
					 * failing */

struct dg_msg_hdr {
	struct dg_msg_field	*fields;	/* in message order */
	size_t			 nfields;
	/*
	 * Offsets into the input: header_len is where the header section
	 * ends (the start of the empty line, or the input length when there
	 * is none), body_offset where the body starts (after the empty
	 * line's terminator; the input length when there is no body).
	 */
	size_t			 header_len;
	size_t			 body_offset;
	bool			 has_separator;	/* the empty line was seen */
	/* A leading mbox "From " line was skipped: its bytes, or NULL. */
	const char		*mbox_from;
	size_t			 mbox_from_len;
	unsigned		 long_lines;	/* lines over 998 octets,
						 * tolerated (RFC 5322 2.1.1) */
	unsigned		 skipped_lines;	/* DG_MSG_HDR_LENIENT only */
	bool			 crlf;		/* some line ended in CRLF */
	bool			 bare_lf;	/* some line ended in bare LF */
};

/*
 * Parse the header section at the start of p[0..len) (a whole message or
 * just its header).  Returns DG_OK, DG_ENOMEM, DG_EINVAL (NULL argument),
 * DG_ESYNTAX (a line that is neither a field nor a continuation, a
 * continuation before any field, a NUL byte) or DG_ETOOBIG (a limit in
 * lib/util/limits.h: DG_HDR_FIELDS_MAX, DG_HDR_FIELD_MAX,
 * DG_HDR_SECTION_MAX, DG_HDR_NAME_MAX, or the arena's ceiling).  On
 * failure *err (may be NULL) names the line and the rule or limit.
 */
DG_API DG_NODISCARD enum dg_err	dg_msg_hdr_parse(struct dg_arena *a,
				    const char *p, size_t len,
				    unsigned flags,
				    struct dg_msg_hdr *out,
				    struct dg_msg_error *err);

/*
 * Case-insensitive lookup by name.  *idx is a cursor:
 * top-down:  size_t i = 0; while ((f = dg_msg_hdr_next(h, "From", &i)))
 * bottom-up: size_t i = h->nfields; while ((f = dg_msg_hdr_prev(...)))
 * (DKIM h= selects instances bottom-up, RFC 6376 5.4.2).  NULL when no
 * more instances.
 */
DG_API const struct dg_msg_field *dg_msg_hdr_next(const struct dg_msg_hdr *h,
				    const char *name, size_t *idx);
DG_API const struct dg_msg_field *dg_msg_hdr_prev(const struct dg_msg_hdr *h,
				    const char *name, size_t *idx);
/* How many fields are called name. */
DG_API size_t			 dg_msg_hdr_count(const struct dg_msg_hdr *h,
				    const char *name);
/* Does field f have this name (case-insensitive)? */
DG_API bool			 dg_msg_field_is(const struct dg_msg_field *f,
				    const char *name);

/* ---- Addresses (RFC 5322 3.4, obsolete syntax 4.4) ---- */

/* Why a syntactically parsed mailbox is still unusable. */
enum dg_msg_addr_problem {
	DG_MSG_ADDR_P_NONE = 0,		/* valid */
	DG_MSG_ADDR_P_DOMAIN_EMPTY_LABEL,	/* "a@x..y" */
	DG_MSG_ADDR_P_DOMAIN_TOO_LONG,	/* over 253 octets (A-label form) */
	DG_MSG_ADDR_P_LABEL_TOO_LONG,	/* a label over 63 octets */
	DG_MSG_ADDR_P_DOMAIN_BAD_CHAR,	/* not letter, digit or hyphen */
	DG_MSG_ADDR_P_DOMAIN_HYPHEN,	/* label starts or ends with '-' */
	DG_MSG_ADDR_P_DOMAIN_BAD_IDN,	/* libidn2 rejected it */
	DG_MSG_ADDR_P_DOMAIN_LITERAL,	/* [192.0.2.1]: not a hostname */
	DG_MSG_ADDR_P_DOMAIN_SINGLE_LABEL,	/* "a@localhost": no dot */
	DG_MSG_ADDR_P_DOMAIN_NUMERIC_TLD,	/* "a@192.0.2.1": last label
						 * all digits (RFC 3696 2) */
	DG_MSG_ADDR_P_LOCAL_TOO_LONG	/* over 64 octets (RFC 5321) */
};

struct dg_msg_mailbox {
	/*
	 * Display name decoded to UTF-8 (RFC 2047 words decoded, quoted
	 * strings unquoted, words joined by one space), or NULL when there
	 * is none.  Never a source of a domain.
	 */
	const char	*display;
	/* The local-part, unquoted and unescaped ("john doe" for the
	 * quoted form), CFWS of obs-local-part removed. */
	const char	*local;
	bool		 local_quoted;	/* was a quoted-string */
	/*
	 * Domain of the addr-spec, lower-case A-label ("xn--bcher-kva.
	 * example"), or the literal "[192.0.2.1]"; domain_utf8 is the
	 * U-label form for display (same as domain when ASCII).  Never NULL;
	 * when problem is set they hold the lower-cased domain as written.
	 */
	const char	*domain;
	const char	*domain_utf8;
	/* The group this mailbox is in, decoded like display, or NULL. */
	const char	*group;
	bool		 route;		/* obs-route "<@r1,@r2:u@h>" dropped */
	enum dg_msg_addr_problem problem;	/* NONE when valid */
	/*
	 * The display name itself contains an address ("paypal@paypal.com"
	 * <x@evil.example>): display_addr is what was found, display_domain
	 * its domain (lower-case, A-label when convertible), and
	 * display_domain_differs whether that differs from domain.
	 */
	bool		 display_has_addr;
	const char	*display_addr;
	const char	*display_domain;
	bool		 display_domain_differs;
};

struct dg_msg_addr_list {
	struct dg_msg_mailbox	*mb;		/* in order */
	size_t			 n;
	size_t			 ngroups;	/* groups seen */
	size_t			 nempty_groups;	/* groups with no mailbox */
	bool			 unterminated_group;	/* "x:" with no ';'
							 * (tolerated) */
};

/*
 * Parse an address-list (RFC 5322 3.4, with obs-addr-list empty members)
 * from an unfolded field value.  Input that is empty or only CFWS and
 * commas yields n == 0.  Invalid domains are not errors: the mailbox is
 * returned with problem set.  Returns DG_OK, DG_ENOMEM, DG_EINVAL,
 * DG_ESYNTAX (with *err), DG_ETOOBIG (DG_ADDR_LIST_MAX mailboxes,
 * DG_ADDR_COMMENT_DEPTH, DG_HDR_FIELD_MAX input, arena ceiling).
 */
DG_API DG_NODISCARD enum dg_err	dg_msg_addr_parse(struct dg_arena *a,
				    const char *p, size_t len,
				    struct dg_msg_addr_list *out,
				    struct dg_msg_error *err);
DG_API const char		*dg_msg_addr_problem_str(
				    enum dg_msg_addr_problem p);

/* ---- RFC 2047 encoded words ---- */

/*
 * Decode the encoded words in unstructured text (Subject, a display name)
 * to UTF-8.  Encoded words must be delimited by whitespace or the ends of
 * the text (RFC 2047 5(1)); whitespace between two encoded words is
 * dropped (RFC 2047 6.2); a malformed word or an unknown charset is left
 * as written; invalid bytes and control characters become U+FFFD, so the
 * result is always valid UTF-8 without NUL.  At most
 * DG_RFC2047_MAX_WORDS words are decoded; later ones stay as written.
 * *out is NUL-terminated in the arena.  Returns DG_OK, DG_ENOMEM,
 * DG_EINVAL or DG_ETOOBIG (input over DG_HDR_FIELD_MAX).
 */
DG_API DG_NODISCARD enum dg_err	dg_msg_rfc2047_decode(struct dg_arena *a,
				    const char *p, size_t len,
				    const char **out, size_t *outlen);

/* ---- Author: the From field (RFC 5322 3.6.2), as DMARC needs it ---- */

enum dg_msg_from_status {
	DG_MSG_FROM_UNSET = 0,		/* never returned */
	DG_MSG_FROM_OK,			/* one From, one valid mailbox */
	DG_MSG_FROM_NONE,		/* no From field */
	DG_MSG_FROM_MULTIPLE_FIELDS,	/* more than one From field */
	DG_MSG_FROM_MULTIPLE_MAILBOXES,	/* one From, several mailboxes */
	DG_MSG_FROM_UNPARSEABLE,	/* syntax error or limit: detail */
	DG_MSG_FROM_NO_MAILBOX,		/* empty, or only empty groups */
	DG_MSG_FROM_BAD_DOMAIN		/* one mailbox, unusable domain */
};

struct dg_msg_from {
	enum dg_msg_from_status	 status;
	size_t			 nfields;	/* From fields seen */
	/* The mailboxes of every From field that parsed, in order. */
	const struct dg_msg_mailbox *const *mb;
	size_t			 nmb;
	/*
	 * OK: the author mailbox and its domain (lower-case A-label).
	 * Otherwise NULL.  The domain always comes from an addr-spec, never
	 * from a display name, comment or encoded word.
	 */
	const struct dg_msg_mailbox *author;
	const char		*domain;
	/* Distinct valid domains of all mailboxes of all From fields
	 * (several for MULTIPLE_*; RFC 9989 lets a receiver go on when
	 * they are all the same). */
	const char *const	*domains;
	size_t			 ndomains;
	bool			 group;		/* a From used group syntax */
	/* Some From mailbox's display name looks like an address / one
	 * whose domain differs from that mailbox's domain. */
	bool			 display_has_addr;
	bool			 display_domain_differs;
	char			 detail[DG_DETAIL_MAX];	/* why, for errors */
};

/*
 * Find and parse the From field(s) of h.  Every outcome, including an
 * unparseable From, is a status with DG_OK; only DG_ENOMEM, DG_EINVAL
 * and an arena ceiling (DG_ETOOBIG) are errors.
 */
DG_API DG_NODISCARD enum dg_err	dg_msg_from_extract(struct dg_arena *a,
				    const struct dg_msg_hdr *h,
				    struct dg_msg_from *out);
DG_API const char		*dg_msg_from_status_str(
				    enum dg_msg_from_status s);

#ifdef __cplusplus
}
#endif
#endif /* DMARCGUARD_MSG_H */
