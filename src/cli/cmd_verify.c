/*
 * src/cli/cmd_verify.c -- `dmarcguard verify`: the receiver's verdict for
 * messages: SPF for the envelope, every DKIM signature, DMARC (RFC 9989,
 * or RFC 7489 with --dmarc-mode), and the local "p=none shield" of the
 * configuration file; prints the Authentication-Results field to add and
 * the disposition, as text or one JSON object a message (docs/verify.md).
 *
 * Inputs: files, "-", maildir folders (cur/ and new/, sorted) and mbox
 * files (--mbox, "From " lines, mboxrd ">From " unquoted).  Each message
 * streams through the DKIM verifier in chunks (or lines, for mbox): the
 * header section is kept (bounded by DG_HDR_SECTION_MAX) and parsed once,
 * the body is not kept.  The envelope is the same for every message, so
 * SPF is evaluated once; one resolver and one DKIM key cache serve the run.
 *
 * Exit status: 0 when every message was verified (any verdict); 2 for a
 * usage error, a bad configuration, or (after all inputs) an input that
 * could not be read or parsed.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include <dmarcguard/ar.h>
#include <dmarcguard/arc.h>
#include <dmarcguard/arena.h>
#include <dmarcguard/buf.h>
#include <dmarcguard/dkim.h>
#include <dmarcguard/dmarc_eval.h>
#include <dmarcguard/dmarc_shield.h>
#include <dmarcguard/ip.h>
#include <dmarcguard/msg.h>
#include <dmarcguard/orgdomain.h>
#include <dmarcguard/spf.h>

#include "cli.h"
#include "commands.h"

#define CMD		"verify"
#define VERIFY_CHUNK	(64u * 1024)
/* The RFC 5322 header cap of lib/util/limits.h (DG_HDR_SECTION_MAX). */
#define VERIFY_HDR_MAX	(1024u * 1024)
/* A configuration file larger than this is not one. */
#define VERIFY_CONFIG_MAX	(1024u * 1024)
/* Maildir entries read from one folder. */
#define VERIFY_MAILDIR_MAX	1000000u

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "Usage: dmarcguard verify --ip IP --helo NAME --mail-from ADDR\n"
	    "           [OPTIONS] MESSAGE...|MAILDIR...|-\n"
	    "       dmarcguard verify --ip IP --helo NAME --mail-from ADDR\n"
	    "           [OPTIONS] --mbox FILE\n"
	    "\n"
	    "Authenticate messages as a receiver: SPF for the envelope, every\n"
	    "DKIM signature, DMARC, and the local policy of --config; print\n"
	    "the Authentication-Results field and the disposition.\n"
	    "\n"
	    "Envelope (the same for every message):\n"
	    "  --ip IP              the connecting client's address\n"
	    "  --helo NAME          its HELO/EHLO name\n"
	    "  --mail-from ADDR     the MAIL FROM address; \"<>\" or \"\" for\n"
	    "                       the null reverse-path\n"
	    "\n"
	    "Options:\n"
	    "  --mbox FILE          read the messages of an mbox file\n"
	    "  --config FILE        configuration: the shield.* and dmarc.*\n"
	    "                       keys (docs/config.md)\n"
	    "  --authserv-id ID     the A-R authserv-id (default: host name)\n"
	    "  --dmarc-mode MODE    rfc9989 (default) or rfc7489 (PSL, pct)\n"
	    "  --pct-seed N         pct sampling seed (rfc7489 mode)\n"
	    "  --trusted-arc-sealer DOMAIN\n"
	    "                       trust this ARC sealer's recorded verdict\n"
	    "                       when DMARC fails (repeatable)\n"
	    "  --now EPOCH          the time for DKIM t=/x= and SPF %%{t}\n"
	    "  -f, --format FMT     text (default) or json (one object a\n"
	    "                       message, then a summary line)\n"
	    "  -h, --help           show this help\n"
	    "\n"
	    CLI_DNS_HELP
	    "\n"
	    "Exit status: 0 every message was verified (any verdict), 2 usage\n"
	    "or configuration error, or an input could not be read.\n");
}

struct verify_run {
	struct dg_resolver		*res;
	struct dg_dkim_opts		 dkim_opts;
	struct dg_dmarc_eval_opts	 dmarc_opts;
	struct dg_shield_config		 shield;
	struct dg_arena			*cfg_arena;
	struct dg_psl			*psl;
	enum cli_format			 fmt;
	const char			*authserv_id;
	const char			*mail_from;	/* "" for <> */
	const char			*helo;
	struct dg_spf_query		 spf_q;
	struct dg_spf_verdict		 spf;
	bool				 spf_done;
	uint64_t			 seed;
	bool				 have_seed;
	/* --trusted-arc-sealer, then dmarc.trusted_arc_sealers */
	const char			*trusted[64];
	size_t				 ntrusted;
	/* counts for the summary */
	size_t				 messages, errors;
	size_t				 disp[4];	/* by disposition */
};

/* One message being read. */
struct vmsg {
	const char		*name;
	long			 index;		/* mbox: 1, 2, ...; else -1 */
	struct dg_arena		*a;
	struct dg_dkim_verifier	*v;
	struct dg_arc_verifier	*arc;
	struct dg_buf		 hdr;		/* the header section */
	size_t			 scan;
	bool			 in_body;
	bool			 failed;
	char			 why[256];
	const struct dg_msg_hdr	*h;
};

/* ---- the header section ---- */

static void	vmsg_fail(struct vmsg *m, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* The first failure of a message is the one reported. */
static void
vmsg_fail(struct vmsg *m, const char *fmt, ...)
{
	va_list	ap;

	if (!m->failed) {
		va_start(ap, fmt);
		vsnprintf(m->why, sizeof(m->why), fmt, ap);
		va_end(ap);
	}
	m->failed = true;
}

/* Parse the collected header section and give it to the verifier. */
static void
vmsg_header(struct vmsg *m)
{
	struct dg_msg_hdr	*h;
	struct dg_msg_error	 merr;
	size_t			 i;
	enum dg_err		 err;

	if ((h = dg_arena_calloc(m->a, 1, sizeof(*h))) == NULL) {
		vmsg_fail(m, "%s", dg_strerror(DG_ENOMEM));
		return;
	}
	memset(&merr, 0, sizeof(merr));
	err = dg_msg_hdr_parse(m->a, m->hdr.data != NULL ? m->hdr.data : "",
	    m->hdr.len, 0, h, &merr);
	if (err != DG_OK) {
		vmsg_fail(m, "header: %s", merr.msg[0] != '\0' ? merr.msg :
		    dg_strerror(err));
		return;
	}
	m->h = h;
	for (i = 0; i < h->nfields; i++) {
		if ((err = dg_dkim_header(m->v, h->fields[i].raw,
		    h->fields[i].raw_len)) != DG_OK) {
			vmsg_fail(m, "header: %s", dg_strerror(err));
			return;
		}
		if ((err = dg_arc_header(m->arc, h->fields[i].raw,
		    h->fields[i].raw_len)) != DG_OK && err != DG_EINVAL) {
			vmsg_fail(m, "header: %s", dg_strerror(err));
			return;
		}
	}
	if ((err = dg_dkim_eoh(m->v)) != DG_OK) {
		vmsg_fail(m, "%s", dg_strerror(err));
		return;
	}
	if (h->body_offset < m->hdr.len &&
	    ((err = dg_dkim_body(m->v, m->hdr.data + h->body_offset,
	    m->hdr.len - h->body_offset)) != DG_OK ||
	    (err = dg_arc_body(m->arc, m->hdr.data + h->body_offset,
	    m->hdr.len - h->body_offset)) != DG_OK))
		vmsg_fail(m, "body: %s", dg_strerror(err));
	m->in_body = true;
}

static bool
vmsg_begin(struct verify_run *r, struct vmsg *m, const char *name,
    long index)
{
	enum dg_err	err;

	memset(m, 0, sizeof(*m));
	m->name = name;
	m->index = index;
	dg_buf_init(&m->hdr, 0);
	if ((m->a = dg_arena_new(0)) == NULL) {
		vmsg_fail(m, "%s", dg_strerror(DG_ENOMEM));
		return false;
	}
	if ((err = dg_dkim_verifier_new(m->a, r->res, &r->dkim_opts,
	    &m->v)) != DG_OK ||
	    (err = dg_arc_verifier_new(m->a, r->res, r->dkim_opts.cache,
	    &m->arc)) != DG_OK) {
		vmsg_fail(m, "%s", dg_strerror(err));
		return false;
	}
	return true;
}

static void
vmsg_feed(struct vmsg *m, const char *p, size_t n)
{
	enum dg_err	err;

	if (m->failed || n == 0)
		return;
	if (m->in_body) {
		if ((err = dg_dkim_body(m->v, p, n)) != DG_OK ||
		    (err = dg_arc_body(m->arc, p, n)) != DG_OK)
			vmsg_fail(m, "body: %s", dg_strerror(err));
		return;
	}
	dg_buf_append(&m->hdr, p, n);
	if (dg_buf_err(&m->hdr) != DG_OK) {
		vmsg_fail(m, "%s", dg_strerror(DG_ENOMEM));
		return;
	}
	if (cli_header_end(m->hdr.data, m->hdr.len, &m->scan) == 0) {
		if (m->hdr.len > VERIFY_HDR_MAX)
			vmsg_fail(m, "header: section over %u bytes "
			    "(DG_HDR_SECTION_MAX)", VERIFY_HDR_MAX);
		return;
	}
	vmsg_header(m);
}

/* ---- the verdict ---- */

static const char *
disp_str(enum dg_dmarc_disposition d)
{
	return d == DG_DMARC_DISP_UNSET ? "none" :
	    dg_dmarc_disposition_str(d);
}

/* A JSON string; bytes that are not UTF-8 become "?". */
static json_t *
jstr(const char *s)
{
	json_t	*j;
	char	*c, *q;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	if ((c = strdup(s)) == NULL)
		return json_null();
	for (q = c; *q != '\0'; q++)
		if ((unsigned char)*q > 0x7e || (unsigned char)*q < 0x20)
			*q = '?';
	j = json_string(c);
	free(c);
	return j != NULL ? j : json_null();
}

static void
spf_once(struct verify_run *r)
{
	enum dg_err	err;

	if (r->spf_done)
		return;
	r->spf_done = true;
	err = dg_spf_check(r->res, &r->spf_q, &r->spf);
	if (err != DG_OK) {
		memset(&r->spf, 0, sizeof(r->spf));
		r->spf.result = DG_SPF_TEMPERROR;
		snprintf(r->spf.detail, sizeof(r->spf.detail), "%s",
		    dg_strerror(err));
	}
}

static void
print_result(struct verify_run *r, const struct vmsg *m,
    const struct dg_dkim_verdict *dk, const struct dg_arc_verdict *arc,
    const struct dg_dmarc_verdict *dm,
    const struct dg_shield_verdict *sh, const char *override, const char *ar)
{
	enum dg_dmarc_disposition	 final = sh != NULL &&
					    sh->disposition != DG_DMARC_DISP_UNSET ?
					    sh->disposition : dm->disposition;
	json_t				*o, *spf, *dkim, *jarc, *dmarc;
	json_t				*reasons, *s;
	size_t				 i;

	if (final == DG_DMARC_DISP_UNSET || override != NULL)
		final = DG_DMARC_DISP_NONE;
	r->disp[final]++;
	if (r->fmt != CLI_FMT_JSON) {
		printf("%s%s\n", m->index >= 0 ? "" : m->name,
		    m->index >= 0 ? "" : ":");
		if (m->index >= 0)
			printf("%s #%ld:\n", m->name, m->index);
		printf("Authentication-Results: %s\n", ar);
		printf("disposition: %s", disp_str(final));
		if (override != NULL)
			printf(" (%s)", override);
		else if (sh != NULL && sh->raised)
			printf(" (%s)", sh->reason);
		else if (dm->nreasons > 0)
			printf(" (%s)", dm->reasons[0]);
		printf("\n");
		return;
	}
	o = json_object();
	json_object_set_new(o, "file", jstr(m->name));
	if (m->index >= 0)
		json_object_set_new(o, "index", json_integer(m->index));
	spf = json_object();
	json_object_set_new(spf, "result", json_string(dg_spf_result_str(
	    r->spf.result)));
	json_object_set_new(spf, "domain", jstr(r->spf.domain));
	json_object_set_new(spf, "scope", json_string(dg_spf_scope_str(
	    r->spf.scope)));
	json_object_set_new(o, "spf", spf);
	dkim = json_array();
	for (i = 0; i < dk->nsigs; i++) {
		const struct dg_dkim_sig_result	*g = &dk->sigs[i];

		s = json_object();
		json_object_set_new(s, "result", json_string(
		    dg_dkim_result_str(g->result)));
		json_object_set_new(s, "domain", jstr(g->domain));
		json_object_set_new(s, "selector", jstr(g->selector));
		json_object_set_new(s, "algorithm", json_string(
		    dg_dkim_alg_str(g->alg)));
		json_object_set_new(s, "reason", json_string(
		    dg_dkim_reason_str(g->reason)));
		json_array_append_new(dkim, s);
	}
	json_object_set_new(o, "dkim", dkim);
	jarc = json_object();
	json_object_set_new(jarc, "result", json_string(dg_arc_result_str(
	    arc->result)));
	json_object_set_new(jarc, "instances", json_integer(arc->instances));
	json_object_set_new(jarc, "oldest_pass",
	    json_integer(arc->oldest_pass));
	json_object_set_new(jarc, "sealer", arc->sealer[0] != '\0' ?
	    jstr(arc->sealer) : json_null());
	json_object_set_new(jarc, "reason", jstr(arc->reason));
	json_object_set_new(o, "arc", jarc);
	dmarc = json_object();
	json_object_set_new(dmarc, "result", json_string(
	    dg_dmarc_result_str(dm->result)));
	json_object_set_new(dmarc, "from_domain", jstr(dm->from_domain));
	json_object_set_new(dmarc, "org_domain", jstr(dm->org_domain));
	json_object_set_new(dmarc, "policy", dm->policy ==
	    DG_DMARC_POLICY_UNSET ? json_null() :
	    json_string(dg_dmarc_policy_str(dm->policy)));
	json_object_set_new(dmarc, "applied_policy", json_string(
	    disp_str(dm->disposition)));
	json_object_set_new(dmarc, "spf_aligned",
	    json_boolean(dm->spf_aligned));
	json_object_set_new(dmarc, "dkim_aligned",
	    json_boolean(dm->dkim_aligned));
	json_object_set_new(dmarc, "record", jstr(dm->record));
	json_object_set_new(dmarc, "mode", json_string(dg_dmarc_mode_str(
	    dm->mode)));
	json_object_set_new(o, "dmarc", dmarc);
	json_object_set_new(o, "disposition", json_string(disp_str(final)));
	reasons = json_array();
	for (i = 0; i < dm->nreasons; i++)
		json_array_append_new(reasons, jstr(dm->reasons[i]));
	if (sh != NULL && sh->raised)
		json_array_append_new(reasons, jstr(sh->reason));
	if (override != NULL)
		json_array_append_new(reasons, jstr(override));
	json_object_set_new(o, "reasons", reasons);
	json_object_set_new(o, "authentication_results", jstr(ar));
	json_dumpf(o, stdout, JSON_PRESERVE_ORDER | JSON_COMPACT);
	fputc('\n', stdout);
	json_decref(o);
}

static void
print_error(struct verify_run *r, const struct vmsg *m)
{
	json_t	*o;

	r->errors++;
	if (m->index >= 0)
		cli_error(CMD, "%s #%ld: %s", m->name, m->index, m->why);
	else
		cli_error(CMD, "%s: %s", m->name, m->why);
	if (r->fmt != CLI_FMT_JSON)
		return;
	o = json_object();
	json_object_set_new(o, "file", jstr(m->name));
	if (m->index >= 0)
		json_object_set_new(o, "index", json_integer(m->index));
	json_object_set_new(o, "error", jstr(m->why));
	json_dumpf(o, stdout, JSON_PRESERVE_ORDER | JSON_COMPACT);
	fputc('\n', stdout);
	json_decref(o);
}

static bool
trusted_sealer(const struct verify_run *r, const char *d)
{
	size_t	i;

	for (i = 0; d != NULL && i < r->ntrusted; i++)
		if (strcmp(r->trusted[i], d) == 0)
			return true;
	return false;
}

/* d is the From domain, its organizational domain, or under it. */
static bool
org_aligned(const char *d, const struct dg_dmarc_verdict *dm)
{
	size_t	dl, ol;

	if (d == NULL || dm->from_domain == NULL)
		return false;
	if (strcmp(d, dm->from_domain) == 0)
		return true;
	if (dm->org_domain == NULL)
		return false;
	dl = strlen(d);
	ol = strlen(dm->org_domain);
	return strcmp(d, dm->org_domain) == 0 || (dl > ol + 1 &&
	    d[dl - ol - 1] == '.' && strcmp(d + dl - ol, dm->org_domain) == 0);
}

/*
 * RFC 8617 7.2.1 / RFC 9989: DMARC failed, the ARC chain passes, and the
 * newest seal by a trusted sealer recorded in its AAR a DMARC pass, or an
 * SPF or DKIM pass aligned with From: the message may be delivered.
 * why[] gets the reason.
 */
static bool
arc_override(const struct verify_run *r, const struct vmsg *m,
    const struct dg_arc_verdict *arc, const struct dg_dmarc_verdict *dm,
    char *why, size_t wlen)
{
	const struct dg_ar_result	*res;
	struct dg_ar			 ar;
	struct dg_msg_error		 err;
	static const char *const	 methods[3] = { "dmarc", "dkim",
					    "spf" };
	const char			*sealer, *aar, *d, *at;
	size_t				 len, k;
	unsigned			 i;
	int				 pass;

	if (dm->result != DG_DMARC_RESULT_FAIL || arc->result != DG_ARC_PASS)
		return false;
	for (i = arc->instances; i >= 1; i--) {
		sealer = dg_arc_set_sealer(m->arc, i);
		if (!trusted_sealer(r, sealer))
			continue;
		if ((aar = dg_arc_set_aar(m->arc, i, &len)) == NULL ||
		    dg_ar_parse(m->a, aar, len, DG_AR_PARSE_ARC, &ar,
		    &err) != DG_OK)
			return false;
		/* dmarc=pass first, then an aligned DKIM, then SPF. */
		for (pass = 0; pass < 3; pass++)
			for (k = 0; k < ar.nresults; k++) {
				res = &ar.results[k];
				if (strcmp(res->result, "pass") != 0 ||
				    strcmp(res->method, methods[pass]) != 0)
					continue;
				if (pass == 0)
					d = dg_ar_prop_get(res, "header",
					    "from");
				else if (pass == 1)
					d = dg_ar_prop_get(res, "header", "d");
				else if ((d = dg_ar_prop_get(res, "smtp",
				    "mailfrom")) != NULL &&
				    (at = strrchr(d, '@')) != NULL)
					d = at + 1;
				if (!org_aligned(d, dm))
					continue;
				snprintf(why, wlen, "arc=pass; trusted sealer "
				    "%s (i=%u) recorded %s=pass for %s", sealer,
				    i, res->method, d);
				return true;
			}
		return false;	/* only the newest trusted sealer counts */
	}
	return false;
}

/* Finish the message: DKIM, DMARC, the shield, the A-R field, output. */
static void
vmsg_end(struct verify_run *r, struct vmsg *m)
{
	const struct dg_dkim_verdict	*dk = NULL;
	struct dg_dmarc_eval_input	 in;
	struct dg_dmarc_eval_opts	 o = r->dmarc_opts;
	struct dg_dmarc_verdict		*dm = NULL;
	struct dg_shield_verdict	*sh = NULL;
	struct dg_msg_from		 from;
	struct dg_arc_verdict		 arc;
	struct dg_dmarc_verdict		*dm_ar = NULL;
	struct dg_ar_gen		 g;
	char				 override[DG_DETAIL_MAX];
	bool				 overridden = false;
	const char			*ar = NULL;
	enum dg_err			 err;

	r->messages++;
	if (!m->failed && !m->in_body)
		vmsg_header(m);		/* no empty line: all header */
	if (!m->failed && (err = dg_dkim_finish(m->v, &dk)) != DG_OK)
		vmsg_fail(m, "%s", dg_strerror(err));
	memset(&arc, 0, sizeof(arc));
	if (!m->failed && (err = dg_arc_finish(m->arc, &arc)) != DG_OK)
		vmsg_fail(m, "ARC: %s", dg_strerror(err));
	if (!m->failed && (err = dg_msg_from_extract(m->a, m->h, &from)) !=
	    DG_OK)
		vmsg_fail(m, "From: %s", dg_strerror(err));
	if (!m->failed) {
		spf_once(r);
		memset(&in, 0, sizeof(in));
		in.from = &from;
		in.spf = r->spf.result;
		in.mail_from = r->mail_from;
		in.helo = r->helo;
		in.dkim = dk->sigs;
		in.ndkim = dk->nsigs;
		if (!r->have_seed) {
			/* A reproducible sample per message: its
			 * Message-ID, else its From domain. */
			size_t ix = 0;
			const struct dg_msg_field *f = dg_msg_hdr_next(m->h,
			    "Message-ID", &ix);
			const char *k = f != NULL ? f->value : "";
			uint64_t h = 1469598103934665603ull;

			for (; *k != '\0'; k++)
				h = (h ^ (unsigned char)*k) *
				    1099511628211ull;
			o.seed = h;
		}
		dm = dg_arena_calloc(m->a, 1, sizeof(*dm));
		sh = dg_arena_calloc(m->a, 1, sizeof(*sh));
		if (dm == NULL || sh == NULL)
			vmsg_fail(m, "%s", dg_strerror(DG_ENOMEM));
		else if ((err = dg_dmarc_evaluate(r->res, m->a, &in, &o,
		    dm)) != DG_OK)
			vmsg_fail(m, "DMARC: %s", dg_strerror(err));
	}
	if (!m->failed && r->shield.enabled &&
	    (err = dg_shield_apply(&r->shield, m->a, dm, m->h, sh)) != DG_OK)
		vmsg_fail(m, "local policy: %s", dg_strerror(err));
	if (!m->failed && arc_override(r, m, &arc, dm, override,
	    sizeof(override))) {
		/* The A-R says dmarc=fail with the override (RFC 8617
		 * 7.2.1); the disposition is none. */
		struct dg_dmarc_verdict *ov = dg_arena_alloc(m->a,
		    sizeof(*ov));

		if (ov == NULL) {
			vmsg_fail(m, "%s", dg_strerror(DG_ENOMEM));
		} else {
			*ov = *dm;
			ov->disposition = DG_DMARC_DISP_NONE;
			ov->nreasons = 1;
			snprintf(ov->reasons[0], sizeof(ov->reasons[0]),
			    "%s", override);
			dm_ar = ov;
			overridden = true;
		}
	}
	if (!m->failed) {
		memset(&g, 0, sizeof(g));
		g.authserv_id = r->authserv_id;
		g.spf.result = r->spf.result;
		g.spf.mail_from = r->mail_from;
		g.spf.helo = r->helo;
		g.dkim = dk->sigs;
		g.ndkim = dk->nsigs;
		g.dkim_none = true;
		g.arc = dg_arc_result_str(arc.result);
		g.dmarc = dm_ar != NULL ? dm_ar : dm;
		g.shield = r->shield.enabled && !overridden ? sh : NULL;
		if ((err = dg_ar_generate(m->a, &g, &ar)) != DG_OK)
			vmsg_fail(m, "Authentication-Results: %s",
			    dg_strerror(err));
	}
	if (m->failed)
		print_error(r, m);
	else
		print_result(r, m, dk, &arc, dm, r->shield.enabled &&
		    !overridden ? sh : NULL, overridden ? override : NULL, ar);
	fflush(stdout);
	dg_dkim_verifier_free(m->v);
	dg_arc_verifier_free(m->arc);
	dg_buf_free(&m->hdr);
	dg_arena_free(m->a);
	m->v = NULL;
	m->a = NULL;
}

/* ---- inputs ---- */

static void
verify_fp(struct verify_run *r, const char *name, FILE *fp, char *chunk)
{
	struct vmsg	m;
	size_t		n;

	if (vmsg_begin(r, &m, name, -1)) {
		while ((n = fread(chunk, 1, VERIFY_CHUNK, fp)) > 0)
			vmsg_feed(&m, chunk, n);
		if (ferror(fp))
			vmsg_fail(&m, "read error: %s", strerror(errno));
	}
	vmsg_end(r, &m);
}

static void
verify_path(struct verify_run *r, const char *path, char *chunk)
{
	struct vmsg	m;
	FILE		*fp;

	if (strcmp(path, "-") == 0) {
		verify_fp(r, "-", stdin, chunk);
		return;
	}
	if ((fp = fopen(path, "rb")) == NULL) {
		memset(&m, 0, sizeof(m));
		m.name = path;
		m.index = -1;
		vmsg_fail(&m, "cannot open: %s", strerror(errno));
		r->messages++;
		print_error(r, &m);
		return;
	}
	verify_fp(r, path, fp, chunk);
	fclose(fp);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A maildir: the messages of cur/ and new/, each sorted by name. */
static void
verify_maildir(struct verify_run *r, const char *dir, char *chunk)
{
	static const char *const	 subs[] = { "cur", "new" };
	struct dirent			*de;
	char				**names = NULL, **nn, path[4096];
	size_t				 n, cap, i, k;
	DIR				*d;

	for (k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, subs[k]);
		if ((d = opendir(path)) == NULL)
			continue;
		n = cap = 0;
		while ((de = readdir(d)) != NULL && n < VERIFY_MAILDIR_MAX) {
			if (de->d_name[0] == '.')
				continue;
			if (n == cap) {
				cap = cap != 0 ? cap * 2 : 64;
				if ((nn = realloc(names, cap *
				    sizeof(*names))) == NULL)
					break;
				names = nn;
			}
			size_t	 sz = strlen(path) + strlen(de->d_name) + 2;

			if ((names[n] = malloc(sz)) == NULL)
				break;
			snprintf(names[n], sz, "%s/%s", path, de->d_name);
			n++;
		}
		closedir(d);
		if (n > 0)
			qsort(names, n, sizeof(*names), cmp_str);
		for (i = 0; i < n; i++) {
			verify_path(r, names[i], chunk);
			free(names[i]);
		}
	}
	free(names);
}

/* "From " at a line start opens a message (mboxo/mboxrd); ">From " lines
 * lose one '>' (mboxrd). */
static void
verify_mbox(struct verify_run *r, const char *path)
{
	struct vmsg	 m;
	FILE		*fp;
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 n;
	long		 index = 0;
	bool		 open_msg = false, blank_before = true;
	const char	*p;

	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "rb")) == NULL) {
		memset(&m, 0, sizeof(m));
		m.name = path;
		m.index = -1;
		vmsg_fail(&m, "cannot open: %s", strerror(errno));
		r->messages++;
		print_error(r, &m);
		return;
	}
	while ((n = getline(&line, &cap, fp)) > 0) {
		if (n >= 5 && memcmp(line, "From ", 5) == 0 && blank_before) {
			if (open_msg)
				vmsg_end(r, &m);
			open_msg = vmsg_begin(r, &m, path, ++index) || true;
			blank_before = false;
			continue;
		}
		blank_before = (n == 1 && line[0] == '\n') ||
		    (n == 2 && line[0] == '\r' && line[1] == '\n');
		if (!open_msg)
			continue;	/* junk before the first "From " */
		p = line;
		if (line[0] == '>') {
			const char *q = line;

			while (*q == '>')
				q++;
			if (strncmp(q, "From ", 5) == 0)
				p = line + 1;
		}
		vmsg_feed(&m, p, (size_t)n - (size_t)(p - line));
	}
	if (open_msg)
		vmsg_end(r, &m);
	if (index == 0) {
		memset(&m, 0, sizeof(m));
		m.name = path;
		m.index = -1;
		vmsg_fail(&m, "%s", "no \"From \" line: not an mbox file");
		r->messages++;
		print_error(r, &m);
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
}

/* ---- configuration ---- */

static int
load_config(struct verify_run *r, const char *path)
{
	FILE	*fp;
	char	*text, err[256];
	size_t	 n;

	if ((fp = fopen(path, "rb")) == NULL)
		return cli_error(CMD, "--config %s: %s", path,
		    strerror(errno));
	text = malloc(VERIFY_CONFIG_MAX + 1);
	n = text != NULL ? fread(text, 1, VERIFY_CONFIG_MAX + 1, fp) : 0;
	fclose(fp);
	if (text == NULL)
		return cli_error(CMD, "%s", dg_strerror(DG_ENOMEM));
	if (n > VERIFY_CONFIG_MAX) {
		free(text);
		return cli_error(CMD, "--config %s: over %u bytes", path,
		    VERIFY_CONFIG_MAX);
	}
	err[0] = '\0';
	if (dg_shield_config_parse(r->cfg_arena, text, n, &r->shield, err,
	    sizeof(err)) != DG_OK) {
		free(text);
		return cli_error(CMD, "--config %s: %s", path, err[0] != '\0' ?
		    err : "does not parse");
	}
	free(text);
	return DG_EXIT_OK;
}

/* data/freemail.txt when the configuration names none. */
static void
default_freemail(struct verify_run *r)
{
	FILE	*fp;
	char	*text, path[4096 + 64];
	size_t	 n;

	if (r->shield.nfreemail > 0 ||
	    (fp = cli_data_open("freemail.txt", path, sizeof(path))) == NULL)
		return;
	text = malloc(VERIFY_CONFIG_MAX);
	n = text != NULL ? fread(text, 1, VERIFY_CONFIG_MAX, fp) : 0;
	fclose(fp);
	/* A list that does not load leaves the free-mail signal off. */
	if (text != NULL && dg_shield_freemail_load(r->cfg_arena, text, n,
	    &r->shield, NULL, 0) != DG_OK)
		r->shield.nfreemail = 0;
	free(text);
}

/* ---- arguments ---- */

enum {
	OPT_IP = 0x100, OPT_HELO, OPT_MAIL_FROM, OPT_MBOX, OPT_CONFIG,
	OPT_AUTHSERV, OPT_MODE, OPT_SEED, OPT_NOW, OPT_TRUSTED
};

static bool
parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 ||
	    v > max)
		return false;
	*out = v;
	return true;
}

int
cmd_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ip", required_argument, NULL, OPT_IP },
		{ "helo", required_argument, NULL, OPT_HELO },
		{ "mail-from", required_argument, NULL, OPT_MAIL_FROM },
		{ "mbox", required_argument, NULL, OPT_MBOX },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "authserv-id", required_argument, NULL, OPT_AUTHSERV },
		{ "dmarc-mode", required_argument, NULL, OPT_MODE },
		{ "pct-seed", required_argument, NULL, OPT_SEED },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "trusted-arc-sealer", required_argument, NULL, OPT_TRUSTED },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DNS_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_dns_opts	 dopts;
	struct cli_dns		 dns;
	struct verify_run	 r;
	struct dg_dkim_keycache	*kc = NULL;
	const char		*ip = NULL, *mbox = NULL, *config = NULL;
	const char		*mode = NULL;
	char			 host[256], *chunk = NULL;
	static char		 tbuf[64][256];
	unsigned long long	 v, now = 0;
	struct stat		 st;
	int			 c, i, rc = DG_EXIT_OK, crc;
	bool			 have_mf = false;

	memset(&dopts, 0, sizeof(dopts));
	memset(&r, 0, sizeof(r));
	dg_shield_config_init(&r.shield);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		switch (cli_dns_opt(CMD, &dopts, c, optarg)) {
		case 1:
			continue;
		case -1:
			return DG_EXIT_ERROR;
		default:
			break;
		}
		switch (c) {
		case OPT_IP:
			ip = optarg;
			break;
		case OPT_HELO:
			r.helo = optarg;
			break;
		case OPT_MAIL_FROM:
			r.mail_from = strcmp(optarg, "<>") == 0 ? "" : optarg;
			have_mf = true;
			break;
		case OPT_MBOX:
			mbox = optarg;
			break;
		case OPT_CONFIG:
			config = optarg;
			break;
		case OPT_AUTHSERV:
			r.authserv_id = optarg;
			break;
		case OPT_MODE:
			mode = optarg;
			break;
		case OPT_SEED:
			if (!parse_u64(optarg, UINT64_MAX, &v))
				return cli_usage_error(CMD, "--pct-seed '%s': "
				    "expected a number", optarg);
			r.seed = v;
			r.have_seed = true;
			break;
		case OPT_NOW:
			if (!parse_u64(optarg, 999999999999ULL, &now) ||
			    now == 0)
				return cli_usage_error(CMD, "--now '%s': "
				    "expected seconds since 1970", optarg);
			break;
		case OPT_TRUSTED:
			if (r.ntrusted == sizeof(r.trusted) /
			    sizeof(r.trusted[0]))
				return cli_usage_error(CMD, "at most 64 "
				    "--trusted-arc-sealer");
			if (!cli_dns_name(CMD, optarg, tbuf[r.ntrusted],
			    sizeof(tbuf[0])))
				return DG_EXIT_ERROR;
			for (i = 0; tbuf[r.ntrusted][i] != '\0'; i++)
				if (tbuf[r.ntrusted][i] >= 'A' &&
				    tbuf[r.ntrusted][i] <= 'Z')
					tbuf[r.ntrusted][i] += 'a' - 'A';
			r.trusted[r.ntrusted] = tbuf[r.ntrusted];
			r.ntrusted++;
			break;
		case 'f':
			if (!cli_format_parse(optarg, false, &r.fmt))
				return cli_usage_error(CMD, "--format '%s': "
				    "expected text or json", optarg);
			break;
		case 'h':
			usage(stdout);
			return DG_EXIT_OK;
		case ':':
			return cli_usage_error(CMD, "%s needs a value",
			    argv[optind - 1]);
		default:
			return cli_usage_error(CMD, "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (ip == NULL || r.helo == NULL || !have_mf)
		return cli_usage_error(CMD, "--ip, --helo and --mail-from are "
		    "required (the SMTP envelope)");
	if (!dg_ip_parse(ip, strlen(ip), &r.spf_q.client))
		return cli_usage_error(CMD, "--ip '%s': not an IPv4 or IPv6 "
		    "address", ip);
	if ((mbox != NULL) == (optind < argc))
		return cli_usage_error(CMD, mbox != NULL ? "--mbox excludes "
		    "MESSAGE arguments" : "expected MESSAGE..., a maildir, "
		    "\"-\" or --mbox FILE");
	if ((r.cfg_arena = dg_arena_new(0)) == NULL)
		return cli_error(CMD, "%s", dg_strerror(DG_ENOMEM));
	if (config != NULL && (rc = load_config(&r, config)) != DG_EXIT_OK)
		goto out_cfg;
	for (c = 0; (size_t)c < r.shield.ntrusted && r.ntrusted < 64; c++)
		r.trusted[r.ntrusted++] = r.shield.trusted_sealers[c];
	r.dmarc_opts.mode = r.shield.mode;
	r.dmarc_opts.bad_from = r.shield.bad_from;
	if (mode != NULL) {
		if (strcmp(mode, "rfc9989") == 0)
			r.dmarc_opts.mode = DG_DMARC_MODE_RFC9989;
		else if (strcmp(mode, "rfc7489") == 0)
			r.dmarc_opts.mode = DG_DMARC_MODE_RFC7489;
		else {
			rc = cli_usage_error(CMD, "--dmarc-mode '%s': expected "
			    "rfc9989 or rfc7489", mode);
			goto out_cfg;
		}
	}
	if (r.dmarc_opts.mode == DG_DMARC_MODE_RFC7489) {
		if (dg_psl_new_system(&r.psl) != DG_OK) {
			rc = cli_error(CMD, "rfc7489 mode needs the Public "
			    "Suffix List (Debian package publicsuffix)");
			goto out_cfg;
		}
		r.dmarc_opts.psl = r.psl;
	}
	r.dmarc_opts.seed = r.seed;
	if (r.shield.enabled)
		default_freemail(&r);
	if (r.authserv_id == NULL) {
		if (gethostname(host, sizeof(host)) != 0 || host[0] == '\0')
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
		r.authserv_id = host;
	}
	r.spf_q.mail_from = r.mail_from;
	r.spf_q.helo = r.helo;
	r.spf_q.now = now != 0 ? (int64_t)now : (int64_t)time(NULL);
	if ((rc = cli_dns_open(CMD, &dopts, &dns)) != DG_EXIT_OK)
		goto out_cfg;
	r.res = dns.res;
	if (dg_dkim_keycache_new(0, &kc) != DG_OK ||
	    (chunk = malloc(VERIFY_CHUNK)) == NULL) {
		rc = cli_error(CMD, "%s", dg_strerror(DG_ENOMEM));
		goto out;
	}
	r.dkim_opts.now = now;
	r.dkim_opts.cache = kc;

	if (mbox != NULL)
		verify_mbox(&r, mbox);
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") != 0 && stat(argv[i], &st) == 0 &&
		    S_ISDIR(st.st_mode))
			verify_maildir(&r, argv[i], chunk);
		else
			verify_path(&r, argv[i], chunk);
	}
	if (r.messages > 1 || mbox != NULL) {
		if (r.fmt == CLI_FMT_JSON)
			printf("{\"summary\":{\"messages\":%zu,\"none\":%zu,"
			    "\"quarantine\":%zu,\"reject\":%zu,\"errors\":%zu}}\n",
			    r.messages, r.disp[DG_DMARC_DISP_NONE],
			    r.disp[DG_DMARC_DISP_QUARANTINE],
			    r.disp[DG_DMARC_DISP_REJECT], r.errors);
		else
			printf("\n%zu messages: %zu none, %zu quarantine, %zu "
			    "reject, %zu errors\n", r.messages,
			    r.disp[DG_DMARC_DISP_NONE],
			    r.disp[DG_DMARC_DISP_QUARANTINE],
			    r.disp[DG_DMARC_DISP_REJECT], r.errors);
	}
	rc = r.errors > 0 ? DG_EXIT_ERROR : DG_EXIT_OK;
out:
	free(chunk);
	dg_dkim_keycache_free(kc);
	crc = cli_dns_close(CMD, &dns);
	if (rc == DG_EXIT_OK)
		rc = crc;
out_cfg:
	dg_psl_free(r.psl);
	dg_arena_free(r.cfg_arena);
	return rc;
}
