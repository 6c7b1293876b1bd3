/*
 * lib/msg/msg_int.h -- what the msg module's files share: error filling,
 * the RFC 2047 word-run decoder used for display names, and the domain
 * normaliser (the one file that includes <idn2.h>).
 */
#ifndef DG_MSG_INT_H
#define DG_MSG_INT_H

#include <dmarcguard/msg.h>
#include <dmarcguard/buf.h>

/* Fill *e (may be NULL) with a formatted message, line and offset. */
void	dg_msg_seterr(struct dg_msg_error *e, unsigned line, size_t offset,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Append the decoded form of p[0..len) to b (RFC 2047 unstructured rules,
 * see dg_msg_rfc2047_decode()).  Errors are left in b's sticky state.
 */
void	dg_msg_rfc2047_append(struct dg_buf *b, const char *p, size_t len);

/* Append p[0..len) to b as valid UTF-8: bad sequences and C0/DEL
 * controls become U+FFFD (TAB becomes a space). */
void	dg_msg_utf8_append(struct dg_buf *b, const char *p, size_t len);

/*
 * Normalise a hostname for comparison and DNS: lower-case A-label in
 * *alabel and U-label form in *ulabel (both in the arena).  Returns
 * DG_MSG_ADDR_P_NONE or the problem; *alabel and *ulabel are set to the
 * lower-cased input when it cannot be converted.  *err gets DG_ENOMEM or
 * DG_ETOOBIG when the arena failed (then the return value is
 * meaningless).
 */
enum dg_msg_addr_problem dg_msg_domain_norm(struct dg_arena *a,
	    const char *p, size_t len, const char **alabel,
	    const char **ulabel, enum dg_err *err);

#endif /* DG_MSG_INT_H */
