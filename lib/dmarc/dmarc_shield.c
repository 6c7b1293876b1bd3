/*
 * lib/dmarc/dmarc_shield.c -- the local "p=none shield": local policy on
 * top of DMARC (RFC 9989 5.4 leaves final handling to the receiver).
 *
 * Applies when the verdict is fail under a weak published policy (p, sp or
 * np of none; t=y; RFC 7489 pct < 100) or none because nothing usable is
 * published.  Then any enabled signal raises the disposition to the
 * configured action:
 *  - a Reply-To mailbox outside From's Organizational Domain.  No DNS: a
 *    name can only share From's org domain O if it is O or below it;
 *  - a Reply-To at a free-mail provider while From is not one;
 *  - a From domain (or its org domain) that looks like a protected domain
 *    (dmarc_lookalike.c).
 * Never lowers a disposition; pass, temperror and permerror are left
 * alone.
 */
#include <string.h>

#include <dmarcguard/dmarc_shield.h>

#include "dmarc/dmarc_eval_int.h"
#include "util/str.h"

static void
weak_text(const struct dg_dmarc_verdict *v, char *buf, size_t cap,
    bool *weak)
{
	*weak = true;
	if (v->result == DG_DMARC_RESULT_NONE) {
		dg_strlcpy(buf, v->record != NULL ? "no usable DMARC policy "
		    "published" : "no DMARC policy published", cap);
	} else if (v->result != DG_DMARC_RESULT_FAIL) {
		*weak = false;
	} else if (v->policy == DG_DMARC_POLICY_NONE) {
		dg_strlcpy(buf, "policy none published", cap);
	} else if (v->testing) {
		dg_fmt(buf, cap, "policy %s in testing (t=y) published",
		    dg_dmarc_policy_str(v->policy));
	} else if (v->pct < 100) {
		dg_fmt(buf, cap, "policy %s with pct=%u published",
		    dg_dmarc_policy_str(v->policy), v->pct);
	} else {
		*weak = false;
	}
}

static void
add_signal(char *buf, size_t cap, const char *text)
{
	size_t	len = strlen(buf);

	dg_fmt(buf + len, cap - len, "%s%s", len > 0 ? ", " : "", text);
}

static enum dg_err
reply_to_signals(const struct dg_shield_config *c, struct dg_arena *a,
    const struct dg_dmarc_verdict *v, const struct dg_msg_hdr *h,
    struct dg_shield_verdict *out)
{
	const struct dg_msg_field	*f;
	struct dg_msg_addr_list		 l;
	const char			*org, *d;
	size_t				 idx = 0, i;
	bool				 from_free;
	enum dg_err			 err;

	org = v->org_domain != NULL ? v->org_domain : v->from_domain;
	from_free = dg_shield_is_freemail(c, v->from_domain);
	while ((f = dg_msg_hdr_next(h, "Reply-To", &idx)) != NULL) {
		err = dg_msg_addr_parse(a, f->value, f->value_len, &l, NULL);
		if (err == DG_ESYNTAX)
			continue;	/* an unreadable Reply-To: no signal */
		if (err != DG_OK)
			return err;
		for (i = 0; i < l.n; i++) {
			if (l.mb[i].problem != DG_MSG_ADDR_P_NONE)
				continue;
			d = l.mb[i].domain;
			if ((c->signals & DG_SHIELD_SIG_REPLY_TO_DIFFERS) &&
			    !dg_dmarc_domain_under(d, org)) {
				out->signals |= DG_SHIELD_SIG_REPLY_TO_DIFFERS;
				dg_strlcpy(out->reply_to_domain, d,
				    sizeof(out->reply_to_domain));
			}
			if ((c->signals & DG_SHIELD_SIG_REPLY_TO_FREEMAIL) &&
			    !from_free && dg_shield_is_freemail(c, d)) {
				out->signals |=
				    DG_SHIELD_SIG_REPLY_TO_FREEMAIL;
				dg_strlcpy(out->reply_to_domain, d,
				    sizeof(out->reply_to_domain));
			}
		}
	}
	return DG_OK;
}

enum dg_err
dg_shield_apply(const struct dg_shield_config *c, struct dg_arena *a,
    const struct dg_dmarc_verdict *v, const struct dg_msg_hdr *h,
    struct dg_shield_verdict *out)
{
	struct dg_shield_verdict	 r;
	char				 weak[DG_DETAIL_MAX];
	char				 sig[DG_DETAIL_MAX];
	size_t				 i;
	enum dg_err			 err;

	if (c == NULL || a == NULL || v == NULL || h == NULL || out == NULL)
		return DG_EINVAL;
	memset(&r, 0, sizeof(r));
	r.disposition = v->disposition;
	weak[0] = sig[0] = '\0';
	weak_text(v, weak, sizeof(weak), &r.weak);
	if (!c->enabled || !r.weak || v->from_domain == NULL ||
	    v->disposition >= c->action) {
		*out = r;
		return DG_OK;
	}
	if ((err = reply_to_signals(c, a, v, h, &r)) != DG_OK)
		return err;
	if (c->signals & DG_SHIELD_SIG_LOOKALIKE) {
		for (i = 0; i < c->nprotected; i++) {
			if (dg_shield_lookalike(v->from_domain,
			    c->protected_domains[i], c->lookalike_distance) ||
			    (v->org_domain != NULL && dg_shield_lookalike(
			    v->org_domain, c->protected_domains[i],
			    c->lookalike_distance))) {
				r.signals |= DG_SHIELD_SIG_LOOKALIKE;
				dg_strlcpy(r.lookalike_of,
				    c->protected_domains[i],
				    sizeof(r.lookalike_of));
				break;
			}
		}
	}
	if (r.signals == 0) {
		*out = r;
		return DG_OK;
	}
	if (r.signals & DG_SHIELD_SIG_REPLY_TO_DIFFERS)
		add_signal(sig, sizeof(sig), "reply-to domain differs");
	if (r.signals & DG_SHIELD_SIG_REPLY_TO_FREEMAIL)
		add_signal(sig, sizeof(sig), "reply-to at a free-mail "
		    "provider");
	if (r.signals & DG_SHIELD_SIG_LOOKALIKE)
		add_signal(sig, sizeof(sig), "from domain looks like a "
		    "protected domain");
	r.raised = true;
	r.disposition = c->action;
	dg_fmt(r.reason, sizeof(r.reason), "%s; %s by local policy: %s",
	    weak, c->action == DG_DMARC_DISP_REJECT ? "rejected" :
	    "quarantined", sig);
	*out = r;
	return DG_OK;
}
