/*
 * lib/spf/spf_int.h -- what the SPF files share: the parsed record, the
 * macro expander and the evaluation helpers the analyzer reuses.
 */
#ifndef DG_SPF_INT_H
#define DG_SPF_INT_H

#include <dmarcguard/arena.h>
#include <dmarcguard/buf.h>
#include <dmarcguard/spf.h>

#include "util/str.h"

/* Terms of RFC 7208 5 and 6, plus modifiers we do not know (6). */
enum spf_term_kind {
	SPF_T_ALL = 1,
	SPF_T_INCLUDE,
	SPF_T_A,
	SPF_T_MX,
	SPF_T_PTR,
	SPF_T_IP4,
	SPF_T_IP6,
	SPF_T_EXISTS,
	SPF_T_REDIRECT,
	SPF_T_EXP,
	SPF_T_UNKNOWN		/* unknown modifier: ignored (6) */
};

struct spf_term {
	enum spf_term_kind	 kind;
	enum dg_spf_result	 qual;		/* mechanisms: + - ~ ? */
	struct dg_span		 text;		/* the whole term */
	struct dg_span		 spec;		/* domain-spec; len 0: none */
	bool			 has_spec;
	struct dg_ip		 ip;		/* ip4, ip6 */
	unsigned		 cidr4;		/* 32 unless given */
	unsigned		 cidr6;		/* 128 unless given */
	size_t			 pos;		/* offset in the record */
};

struct spf_record {
	struct spf_term		*terms;
	size_t			 nterms;
	const struct spf_term	*redirect;	/* NULL: none */
	const struct spf_term	*exp;		/* NULL: none */
	bool			 has_all;
};

/*
 * Is p[0..len) an SPF record by RFC 7208 4.5: "v=spf1" (any case) ending
 * the text or followed by a space?
 */
bool	spf_is_record(const char *p, size_t len);

/*
 * Parse the record p[0..len) (RFC 7208 4.6, 12) into *out, terms in a.
 * DG_OK: *out is filled and syn->ok is true.  DG_ESYNTAX: syn says where
 * and why.  DG_ENOMEM / DG_ETOOBIG from the arena.
 */
enum dg_err	spf_record_parse(struct dg_arena *a, const char *p,
		    size_t len, struct spf_record *out,
		    struct dg_spf_syntax *syn);

/*
 * Parsed records shared by the evaluations of one dg_spf_check_many()
 * call (spf_cache.c).  One thread; freed at the end of the call.
 */
struct spf_pcache;

struct spf_pcache	*spf_pcache_new(void);
void			 spf_pcache_free(struct spf_pcache *c);
/*
 * spf_record_parse() through the cache c: the terms of a record seen
 * before are reused (they stay valid until c is freed), a new record is
 * parsed into c's memory, or into a when c is NULL or full.  Same returns
 * as spf_record_parse().
 */
enum dg_err	spf_pcache_parse(struct spf_pcache *c, struct dg_arena *a,
		    const char *p, size_t len, struct spf_record *out,
		    struct dg_spf_syntax *syn);

/* The values macros expand to (RFC 7208 7.2). */
struct spf_macro_env {
	struct dg_span	 sender;	/* s: local-part@domain */
	struct dg_span	 local;		/* l */
	struct dg_span	 sender_dom;	/* o */
	struct dg_span	 domain;	/* d: current domain */
	struct dg_span	 helo;		/* h */
	struct dg_span	 receiver;	/* r */
	struct dg_ip	 ip;		/* i, c, v (already unmapped) */
	int64_t		 now;		/* t */
	/* p: the validated name, fetched on first use; NULL gives
	 * "unknown".  Returns DG_OK with the name, or an error. */
	enum dg_err	(*get_p)(void *ctx, struct dg_span *out);
	void		*ctx;
};

/* Why an expansion failed, when spf_macro_expand() says DG_ESYNTAX. */
enum spf_macro_fail {
	SPF_MACRO_OK = 0,
	SPF_MACRO_SYNTAX,	/* bad %-sequence */
	SPF_MACRO_LETTER,	/* unknown letter, or c r t outside exp */
	SPF_MACRO_TOOBIG	/* output over DG_SPF_MACRO_MAX */
};

/*
 * Check the macro-string p[0..len) without expanding it.  is_exp allows
 * the c, r and t letters (explanation text, 7.2).  Returns true when it
 * is valid; else *fail_pos is the offset of the bad '%'.
 */
bool	spf_macro_valid(const char *p, size_t len, bool is_exp,
	    size_t *fail_pos);

/*
 * Expand p[0..len) (RFC 7208 7) into out (reset first), whose length is
 * capped at DG_SPF_MACRO_MAX.  Returns DG_OK; DG_ESYNTAX with *why set for
 * bad syntax or output over the cap; DG_ENOMEM; or whatever get_p
 * returned.
 */
enum dg_err	spf_macro_expand(const struct spf_macro_env *env,
		    const char *p, size_t len, bool is_exp,
		    struct dg_buf *out, enum spf_macro_fail *why);

/*
 * RFC 7208 7.3: cut a name longer than 253 octets from the left, whole
 * labels at a time; drop one final dot.  Returns the start within s and
 * the new length in *len; false when nothing valid is left.
 */
bool	spf_name_trim(const char *s, size_t *len, const char **start);

/* Is p[0..len) a usable domain name (4.3): labels 1..63, at least two? */
bool	spf_domain_valid(const char *p, size_t len);

/*
 * One DNS query for evaluation or analysis: a name that is not a valid
 * DNS name counts as NXDOMAIN (it cannot exist); the query is counted in
 * *lookups and, while there is room, recorded in trace[*trace_len].
 */
enum dg_err	spf_traced_query(struct dg_resolver *res, struct dg_arena *a,
		    const char *name, enum dg_dns_type type, unsigned depth,
		    struct dg_spf_lookup *trace, size_t *trace_len,
		    unsigned *lookups, struct dg_dns_answer *ans);

#endif /* DG_SPF_INT_H */
