/*
 * lib/dmarc/dmarc_eval_int.h -- what dmarc_eval.c, dmarc_policy.c and
 * dmarc_shield.c share.
 */
#ifndef DG_DMARC_EVAL_INT_H
#define DG_DMARC_EVAL_INT_H

#include <stdbool.h>
#include <stdint.h>

/* Equal domain names, ignoring case and one final dot; false for "". */
bool		dg_dmarc_domain_eq(const char *a, const char *b);
/* d is parent or below it (label boundary), ignoring case. */
bool		dg_dmarc_domain_under(const char *d, const char *parent);
/* RFC 7489 6.6.4: a number in [0, 100) from seed and domain. */
unsigned	dg_dmarc_pct_roll(uint64_t seed, const char *domain);

#endif /* DG_DMARC_EVAL_INT_H */
