/*
 * lib/engine/audit_dkim.c -- the DKIM part of the domain audit: look for
 * keys at <selector>._domainkey.<domain> (RFC 6376 3.6.2.1) for the
 * selectors the caller gives (--selector and the shipped list of common
 * ones) and judge each key: revoked (empty p=, 3.6.1), testing (t=y),
 * type (RSA, ed25519 RFC 8463) and RSA size (RFC 8301 3.2: at least 1024
 * bits, 2048 recommended).
 *
 * key_inspect() reads each key record through the DKIM module's parser
 * (lib/dkim/dkim_int.h), so the audit and the verifier agree on what a
 * usable key is.  A selector that is not there is normal (the
 * list is a guess) and is not a finding; only "no key at any selector"
 * is, at INFO, since a domain may sign with a selector nobody can guess.
 */
#include <string.h>

#include <dmarcguard/dkim.h>

#include "dkim/dkim_int.h"
#include "engine/audit_int.h"
#include "util/str.h"

enum key_type {
	KEY_UNKNOWN = 0,
	KEY_RSA,
	KEY_ED25519
};

struct key_info {
	bool		 ok;		/* usable record */
	const char	*why;		/* !ok: the reason, or NULL: detail */
	char		 detail[DG_DETAIL_MAX];
	bool		 revoked;	/* p= empty */
	bool		 testing;	/* t=y */
	enum key_type	 type;
	unsigned	 bits;		/* RSA modulus size; 0: not known */
};

/*
 * Read a DKIM key record (RFC 6376 3.6.1) with the DKIM module's own key
 * parser (dg_dkim_key_parse) and build the key (dg_dkim_key_new, the one
 * place that touches the crypto library) to learn its type and size.
 */
static enum dg_err
key_inspect(const char *txt, size_t len, struct key_info *k)
{
	struct dg_dkim_keyrec	 rec;
	struct dg_dkim_key	*key = NULL;
	enum dg_dkim_reason	 reason = DG_DKIM_R_NONE;
	enum dg_err		 err;
	char			 detail[DG_DETAIL_MAX];

	memset(k, 0, sizeof(*k));
	detail[0] = '\0';
	err = dg_dkim_key_parse(txt, len, &rec, &reason, detail,
	    sizeof(detail));
	if (err == DG_ENOMEM || err == DG_ETOOBIG)
		return err;
	if (err != DG_OK) {
		k->why = detail[0] != '\0' ? NULL : dg_dkim_reason_str(reason);
		memcpy(k->detail, detail, sizeof(k->detail));
		return DG_OK;
	}
	k->testing = rec.testing;
	k->type = rec.type == DG_DKIM_KEY_ED25519 ? KEY_ED25519 : KEY_RSA;
	if (rec.revoked) {
		k->revoked = true;
		k->ok = true;
		return DG_OK;
	}
	err = dg_dkim_key_new(&rec, &key, &reason);
	if (err == DG_ENOMEM || err == DG_ETOOBIG)
		return err;
	if (err != DG_OK) {
		k->why = reason == DG_DKIM_R_KEY_TOO_BIG ?
		    "the key is larger than receivers accept" :
		    "p= does not hold a public key of the type k= names";
		return DG_OK;
	}
	k->bits = k->type == KEY_RSA ? key->bits : 0;
	dg_dkim_key_unref(key);
	k->ok = true;
	return DG_OK;
}

static bool
seen_before(const char *const *sel, size_t i)
{
	size_t	j;

	for (j = 0; j < i; j++)
		if (dg_strcaseeq(sel[i], sel[j]))
			return true;
	return false;
}

/* The guesses go to the resolver as one batch. */
_Static_assert(DG_AUDIT_MAX_SELECTORS <= DG_DNS_MANY_MAX,
    "the selector batch must fit dg_dns_query_many()");

void
audit_dkim(struct audit *au)
{
	const struct dg_audit_opts	*o = au->opts;
	struct dg_dns_answer		 ans, *answers;
	struct dg_dns_question		*qs;
	struct key_info			 k;
	const char			*name, *txt[2];
	size_t				 i, j, n, asked = 0, rsa = 0, ed = 0;

	if (o->nselectors == 0)
		return;
	/*
	 * RFC 8020: NXDOMAIN for _domainkey.<domain> means there is nothing
	 * below it, so no selector can have a key and the guesses need not
	 * be asked (most domains; saves a query per selector).  An empty
	 * non-terminal above real keys answers NODATA and the loop runs.
	 */
	name = audit_printf(au, "_domainkey.%s", au->r->domain);
	if (!audit_query(au, name, DG_DNS_T_TXT, &ans))
		return;
	if (ans.status == DG_DNS_NXDOMAIN) {
		if (!au->r->parked)
			audit_add(au, DG_AUDIT_F_DKIM_NONE_FOUND, 0,
			    "If you sign mail, publish its key at "
			    "<selector>._domainkey of the domain.",
			    "%s has no DKIM keys at all: %s does not exist.",
			    au->r->domain, name);
		return;
	}
	/* Every guess at once: over real DNS, 32 selectors take one round
	 * trip instead of 32. */
	qs = dg_arena_calloc(au->a, DG_AUDIT_MAX_SELECTORS, sizeof(*qs));
	answers = dg_arena_calloc(au->a, DG_AUDIT_MAX_SELECTORS,
	    sizeof(*answers));
	if (qs == NULL || answers == NULL) {
		au->err = dg_arena_err(au->a);
		return;
	}
	for (i = 0; i < o->nselectors && asked < DG_AUDIT_MAX_SELECTORS &&
	    au->err == DG_OK; i++) {
		if (o->selectors[i] == NULL || o->selectors[i][0] == '\0' ||
		    seen_before(o->selectors, i))
			continue;
		qs[asked].name = audit_printf(au, "%s._domainkey.%s",
		    o->selectors[i], au->r->domain);
		qs[asked++].type = DG_DNS_T_TXT;
	}
	if (asked == 0 || !audit_query_many(au, qs, asked, answers))
		return;
	for (j = 0; j < asked && au->err == DG_OK; j++) {
		const struct dg_dns_answer	*a = &answers[j];

		name = qs[j].name;
		if (a->status == DG_DNS_NXDOMAIN ||
		    a->status == DG_DNS_NODATA)
			continue;
		if (a->status != DG_DNS_OK) {
			audit_seen(au, "dkim", name, DG_DNS_T_TXT, a->status,
			    NULL);
			audit_add(au, DG_AUDIT_F_DKIM_DNS_ERROR, 0,
			    "Check the name servers, then run the check "
			    "again.",
			    "The DKIM key lookup of %s failed (%s).", name,
			    dg_dns_status_str(a->status));
			continue;
		}
		/* Any TXT RR at a _domainkey name is taken for a key
		 * record (3.6.2.2); the first one is used. */
		n = audit_txt_matching(au, a, "", txt, 1);
		if (n == 0)
			continue;
		audit_seen(au, "dkim", name, DG_DNS_T_TXT, a->status, txt[0]);
		au->r->dkim_keys++;
		if ((au->err = key_inspect(txt[0], strlen(txt[0]), &k)) !=
		    DG_OK)
			return;
		if (!k.ok) {
			audit_add(au, DG_AUDIT_F_DKIM_KEY_INVALID, 0,
			    "Publish the key record exactly as your mail "
			    "service gives it.",
			    "The DKIM key at %s is not usable: %s.", name,
			    k.why != NULL ? k.why : k.detail);
			continue;
		}
		if (k.revoked) {
			audit_add(au, DG_AUDIT_F_DKIM_REVOKED, 0,
			    "Nothing, if the key was retired on purpose; "
			    "delete the record when no mail uses it.",
			    "The DKIM key at %s is revoked (empty p=): "
			    "signatures with it fail.", name);
			continue;
		}
		if (k.testing)
			audit_add(au, DG_AUDIT_F_DKIM_TESTING, 0,
			    "Remove t=y once signing works.",
			    "The DKIM key at %s is in test mode (t=y): "
			    "receivers may treat its signatures as unsigned "
			    "mail.", name);
		if (k.type == KEY_ED25519) {
			ed++;
			continue;
		}
		rsa++;
		if (k.bits != 0 && k.bits < 1024)
			audit_add(au, DG_AUDIT_F_DKIM_RSA_TOO_SHORT, 0,
			    "Generate a 2048-bit RSA key and publish it at a "
			    "new selector.",
			    "The DKIM key at %s is RSA %u bits; receivers "
			    "must reject keys under 1024 bits (RFC 8301 "
			    "3.2), so its signatures fail.", name, k.bits);
		else if (k.bits != 0 && k.bits < 2048)
			audit_add(au, DG_AUDIT_F_DKIM_RSA_WEAK, 0,
			    "Generate a 2048-bit RSA key and publish it at a "
			    "new selector.",
			    "The DKIM key at %s is RSA %u bits; 2048 bits is "
			    "the recommended size (RFC 8301 3.2).", name,
			    k.bits);
	}
	if (au->err != DG_OK || asked == 0)
		return;
	if (ed > 0 && rsa == 0)
		audit_add(au, DG_AUDIT_F_DKIM_ED25519_ONLY, 0,
		    "Sign with an RSA key as well (RFC 8463 3 suggests "
		    "both).",
		    "%s publishes only ed25519 DKIM keys, which many "
		    "receivers cannot verify yet.", au->r->domain);
	if (au->r->dkim_keys == 0 && !au->r->parked)
		audit_add(au, DG_AUDIT_F_DKIM_NONE_FOUND, 0,
		    "If you sign mail, give your selector with --selector "
		    "to have its key checked.",
		    "No DKIM key was found at the %zu selectors checked for "
		    "%s.", asked, au->r->domain);
}
