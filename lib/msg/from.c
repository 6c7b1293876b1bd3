/*
 * lib/msg/from.c -- the author of a message as DMARC needs it.
 *
 * RFC 5322 3.6.2 / 3.6 table: exactly one From field holding a
 * mailbox-list.  DMARC (RFC 9989 and RFC 7489 6.6.1) authenticates the
 * domain of that field's addr-spec, so every other shape is a distinct
 * outcome the caller decides on: no From, several From fields, several
 * mailboxes, no mailbox at all (empty value, empty group), a From that
 * does not parse, and one mailbox whose domain is not a hostname.  The
 * domains of every From field and mailbox are returned (deduplicated) so
 * a receiver may go on when they are all the same, as RFC 9989 allows.
 * Group syntax is not allowed in From; a From using it is still
 * evaluated on its mailboxes and flagged.
 *
 * The domain always comes from an addr-spec (addr.c): never from a
 * display name, a comment or an encoded word.
 */
#include <string.h>

#include <dmarcguard/msg.h>

#include "msg/msg_int.h"
#include "util/limits.h"
#include "util/str.h"

struct collect {
	const struct dg_msg_mailbox	**mb;
	size_t				  nmb;
	const char			**dom;
	size_t				  ndom;
};

static bool
seen_domain(const struct collect *c, const char *d)
{
	size_t	i;

	for (i = 0; i < c->ndom; i++)
		if (strcmp(c->dom[i], d) == 0)
			return true;
	return false;
}

static void
add_list(struct collect *c, const struct dg_msg_addr_list *l, size_t cap)
{
	size_t	i;

	for (i = 0; i < l->n && c->nmb < cap; i++) {
		const struct dg_msg_mailbox	*m = &l->mb[i];

		c->mb[c->nmb++] = m;
		if (m->problem == DG_MSG_ADDR_P_NONE && m->domain != NULL &&
		    !seen_domain(c, m->domain))
			c->dom[c->ndom++] = m->domain;
	}
}

enum dg_err
dg_msg_from_extract(struct dg_arena *a, const struct dg_msg_hdr *h,
    struct dg_msg_from *out)
{
	struct dg_msg_from		 r;
	struct dg_msg_addr_list		*lists;
	struct dg_msg_error		 perr;
	struct collect			 c;
	const struct dg_msg_field	*f;
	size_t				 idx = 0, k, total = 0, i;
	bool				 unparseable = false;
	enum dg_err			 e;

	if (a == NULL || h == NULL || out == NULL)
		return DG_EINVAL;
	memset(&r, 0, sizeof(r));
	memset(&c, 0, sizeof(c));
	r.nfields = dg_msg_hdr_count(h, "From");
	if (r.nfields == 0) {
		r.status = DG_MSG_FROM_NONE;
		dg_strlcpy(r.detail, "no From field", sizeof(r.detail));
		*out = r;
		return DG_OK;
	}
	lists = dg_arena_calloc(a, r.nfields, sizeof(*lists));
	if (lists == NULL)
		return dg_arena_err(a);
	for (k = 0; (f = dg_msg_hdr_next(h, "From", &idx)) != NULL; k++) {
		e = dg_msg_addr_parse(a, f->value, f->value_len, &lists[k],
		    &perr);
		if (e == DG_ENOMEM)
			return e;
		if (e == DG_ETOOBIG && dg_arena_over_limit(a))
			return e;
		if (e != DG_OK) {
			/* First failure names the field's line. */
			if (!unparseable)
				dg_fmt(r.detail, sizeof(r.detail),
				    "From at line %u: %s", f->line,
				    perr.msg);
			unparseable = true;
			memset(&lists[k], 0, sizeof(lists[k]));
			continue;
		}
		if (lists[k].ngroups > 0)
			r.group = true;
		total += lists[k].n;
	}
	if (total > 0) {
		c.mb = dg_arena_calloc(a, total, sizeof(*c.mb));
		c.dom = dg_arena_calloc(a, total, sizeof(*c.dom));
		if (c.mb == NULL || c.dom == NULL)
			return dg_arena_err(a);
		for (k = 0; k < r.nfields; k++)
			add_list(&c, &lists[k], total);
	}
	r.mb = c.mb;
	r.nmb = c.nmb;
	r.domains = c.dom;
	r.ndomains = c.ndom;
	for (i = 0; i < c.nmb; i++) {
		if (c.mb[i]->display_has_addr)
			r.display_has_addr = true;
		if (c.mb[i]->display_domain_differs)
			r.display_domain_differs = true;
	}

	/* Precedence: several fields, then a parse failure, then the shape
	 * of the one field's list. */
	if (r.nfields > 1) {
		r.status = DG_MSG_FROM_MULTIPLE_FIELDS;
		if (!unparseable)
			dg_fmt(r.detail, sizeof(r.detail), "%zu From fields",
			    r.nfields);
	} else if (unparseable) {
		r.status = DG_MSG_FROM_UNPARSEABLE;
	} else if (c.nmb == 0) {
		r.status = DG_MSG_FROM_NO_MAILBOX;
		dg_strlcpy(r.detail, lists[0].ngroups > 0 ?
		    "From is an empty group" : "From has no mailbox",
		    sizeof(r.detail));
	} else if (c.nmb > 1) {
		r.status = DG_MSG_FROM_MULTIPLE_MAILBOXES;
		dg_fmt(r.detail, sizeof(r.detail), "From has %zu mailboxes",
		    c.nmb);
	} else if (c.mb[0]->problem != DG_MSG_ADDR_P_NONE) {
		r.status = DG_MSG_FROM_BAD_DOMAIN;
		dg_fmt(r.detail, sizeof(r.detail), "From domain: %s",
		    dg_msg_addr_problem_str(c.mb[0]->problem));
	} else {
		r.status = DG_MSG_FROM_OK;
		r.author = c.mb[0];
		r.domain = c.mb[0]->domain;
	}
	*out = r;
	return DG_OK;
}

const char *
dg_msg_from_status_str(enum dg_msg_from_status s)
{
	switch (s) {
	case DG_MSG_FROM_UNSET:			return "unset";
	case DG_MSG_FROM_OK:			return "ok";
	case DG_MSG_FROM_NONE:			return "no-from";
	case DG_MSG_FROM_MULTIPLE_FIELDS:	return "multiple-from-fields";
	case DG_MSG_FROM_MULTIPLE_MAILBOXES:	return "multiple-mailboxes";
	case DG_MSG_FROM_UNPARSEABLE:		return "unparseable";
	case DG_MSG_FROM_NO_MAILBOX:		return "no-mailbox";
	case DG_MSG_FROM_BAD_DOMAIN:		return "bad-domain";
	}
	return "unknown";
}
