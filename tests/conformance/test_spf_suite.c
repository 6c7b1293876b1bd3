/*
 * tests/conformance/test_spf_suite.c -- the openspf RFC 7208 test suite
 * (../shared/conformance/spf/rfc7208-tests.yml) through dg_spf_check().
 *
 * Each scenario's zonedata becomes zone-file text loaded with
 * dg_resolver_zone_text(); the harness rules of the suite's README that a
 * zone file cannot say are applied by a thin custom resolver around it:
 *   - an SPF (type 99) entry is served as TXT only when the name has no
 *     TXT entry at all ("TXT: NONE" counts as an entry);
 *   - a bare TIMEOUT item becomes "$TIMEOUT name" (types with records at
 *     the name still answer; in the suite TIMEOUT is always listed last,
 *     so "a record of the queried type before it" is the same thing);
 *   - {TYPE: TIMEOUT} times out that type only (wrapper table);
 *   - a missing name starting with "error." times out (wrapper).
 * A test passes when our result is one of the listed results and, for
 * fail results with an "explanation", the explanation matches exactly.
 * Usage: test_spf_suite [YAML] [TEST-ID]; prints per-scenario counts and
 * "N passed, N failed, N skipped"; exits 1 if anything failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/buf.h>
#include <dmarcguard/dns.h>
#include <dmarcguard/spf.h>

#include "dns/zonefile.h"
#include "util/str.h"

/*
 * Tests we judge wrong and the RFC section that says so.  They stay in
 * the suite and still run; the runner prints each one it applies.
 *   EXP_CASE: the explanation is compared ignoring ASCII case.
 */
enum dev_kind { DEV_EXP_CASE = 1 };

static const struct deviation {
	const char	*id;
	enum dev_kind	 kind;
	const char	*section;
	const char	*why;
} deviations[] = {
	{ "v-macro-ip6", DEV_EXP_CASE, "7.3, 7.4",
	  "%{ir} nibbles are lower case hex, as in the 7.4 example "
	  "(1.0.b.c...ip6); the suite expects upper case" },
	{ NULL, 0, NULL, NULL },
};

static const struct deviation *
find_deviation(const char *id, enum dev_kind kind)
{
	size_t	i;

	for (i = 0; deviations[i].id != NULL; i++)
		if (strcmp(deviations[i].id, id) == 0 &&
		    deviations[i].kind == kind)
			return &deviations[i];
	return NULL;
}

#define MAX_TYPE_TIMEOUTS	64

struct harness {
	struct dg_resolver	*zone;
	size_t			 ntt;
	struct {
		char			name[256];
		enum dg_dns_type	type;
	}			 tt[MAX_TYPE_TIMEOUTS];
};

static enum dg_err
harness_query(void *ctx, const char *name, enum dg_dns_type type,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct harness	*h = ctx;
	enum dg_err	 err;
	size_t		 i;

	for (i = 0; i < h->ntt; i++) {
		if (h->tt[i].type == type &&
		    dg_strcaseeq(h->tt[i].name, name)) {
			memset(out, 0, sizeof(*out));
			out->status = DG_DNS_TIMEOUT;
			return DG_OK;
		}
	}
	err = dg_dns_query(h->zone, name, type, a, out);
	if (err != DG_OK)
		return err;
	if (out->status == DG_DNS_NXDOMAIN && dg_strncaseeq(name, "error.", 6))
		out->status = DG_DNS_TIMEOUT;
	return DG_OK;
}

/* libyaml document helpers. */
static yaml_node_t *
map_get(yaml_document_t *d, yaml_node_t *m, const char *key)
{
	yaml_node_pair_t	*p;

	if (m == NULL || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	    p++) {
		yaml_node_t	*k = yaml_document_get_node(d, p->key);

		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

static const char *
scalar(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

/* Zone names are written absolute; the suite writes some with a dot. */
static void
put_name(struct dg_buf *b, const char *name)
{
	char	tmp[300];
	size_t	n;

	dg_strlcpy(tmp, name, sizeof(tmp));
	n = strlen(tmp);
	if (n > 1 && tmp[n - 1] == '.')
		tmp[n - 1] = '\0';
	dg_zonefile_put_name(b, tmp);
}

static void
put_txt(struct dg_buf *b, yaml_node_t *node)
{
	const char	*s = scalar(node);
	size_t		 len = node->data.scalar.length, off = 0;

	/* A character-string holds 255 octets; the RR's strings are
	 * joined again by the reader, so chunking changes nothing. */
	do {
		size_t	n = len - off > 255 ? 255 : len - off;

		dg_buf_putc(b, ' ');
		dg_zonefile_put_string(b, s + off, n);
		off += n;
	} while (off < len);
}

/* Append one TXT RR built from a scalar or a list of strings. */
static void
put_txt_rr(yaml_document_t *d, struct dg_buf *b, const char *name,
    yaml_node_t *v)
{
	yaml_node_item_t	*it;

	put_name(b, name);
	dg_buf_puts(b, " TXT");
	if (v->type == YAML_SCALAR_NODE) {
		put_txt(b, v);
	} else if (v->type == YAML_SEQUENCE_NODE) {
		for (it = v->data.sequence.items.start;
		    it < v->data.sequence.items.top; it++)
			put_txt(b, yaml_document_get_node(d, *it));
		/* An RR of no strings joins to "", like one empty one. */
		if (v->data.sequence.items.top ==
		    v->data.sequence.items.start)
			dg_buf_puts(b, " \"\"");
	}
	dg_buf_putc(b, '\n');
}

static bool
is_none(yaml_node_t *v)
{
	return v->type == YAML_SCALAR_NODE &&
	    strcmp(scalar(v), "NONE") == 0;
}

/* Zone text for one scenario's zonedata; per-type timeouts into h. */
static int
build_zone(yaml_document_t *d, yaml_node_t *zd, struct dg_buf *b,
    struct harness *h)
{
	yaml_node_pair_t	*p;

	if (zd == NULL || zd->type != YAML_MAPPING_NODE)
		return 0;
	for (p = zd->data.mapping.pairs.start; p < zd->data.mapping.pairs.top;
	    p++) {
		const char		*name = scalar(
		    yaml_document_get_node(d, p->key));
		yaml_node_t		*list = yaml_document_get_node(d,
		    p->value);
		yaml_node_item_t	*it;
		bool			 has_txt = false;
		int			 pass;

		if (name == NULL || list == NULL ||
		    list->type != YAML_SEQUENCE_NODE)
			return -1;
		/* Pass 0 notes TXT entries; pass 1 writes records. */
		for (pass = 0; pass < 2; pass++)
		for (it = list->data.sequence.items.start;
		    it < list->data.sequence.items.top; it++) {
			yaml_node_t	*rec = yaml_document_get_node(d, *it);
			yaml_node_pair_t *rp;
			const char	*type;
			yaml_node_t	*v;

			if (rec->type == YAML_SCALAR_NODE) {
				if (pass == 1 &&
				    strcmp(scalar(rec), "TIMEOUT") == 0) {
					dg_buf_puts(b, "$TIMEOUT ");
					put_name(b, name);
					dg_buf_putc(b, '\n');
				}
				continue;
			}
			if (rec->type != YAML_MAPPING_NODE)
				return -1;
			rp = rec->data.mapping.pairs.start;
			type = scalar(yaml_document_get_node(d, rp->key));
			v = yaml_document_get_node(d, rp->value);
			if (type == NULL || v == NULL)
				return -1;
			if (pass == 0) {
				if (strcmp(type, "TXT") == 0)
					has_txt = true;
				continue;
			}
			if (v->type == YAML_SCALAR_NODE &&
			    strcmp(scalar(v), "TIMEOUT") == 0) {
				enum dg_dns_type	t;

				if (h->ntt == MAX_TYPE_TIMEOUTS ||
				    !dg_dns_type_parse(type, &t))
					return -1;
				dg_strlcpy(h->tt[h->ntt].name, name,
				    sizeof(h->tt[h->ntt].name));
				h->tt[h->ntt++].type = t;
				continue;
			}
			if (is_none(v))
				continue;
			if (strcmp(type, "TXT") == 0 ||
			    (strcmp(type, "SPF") == 0 && !has_txt)) {
				put_txt_rr(d, b, name, v);
			} else if (strcmp(type, "SPF") == 0) {
				continue;	/* RFC 7208: TXT only */
			} else if (strcmp(type, "MX") == 0) {
				yaml_node_item_t *mi;

				if (v->type != YAML_SEQUENCE_NODE)
					return -1;
				mi = v->data.sequence.items.start;
				put_name(b, name);
				dg_buf_printf(b, " MX %s ", scalar(
				    yaml_document_get_node(d, mi[0])));
				put_name(b, scalar(
				    yaml_document_get_node(d, mi[1])));
				dg_buf_putc(b, '\n');
			} else if (strcmp(type, "PTR") == 0 ||
			    strcmp(type, "CNAME") == 0) {
				put_name(b, name);
				dg_buf_printf(b, " %s ", type);
				put_name(b, scalar(v));
				dg_buf_putc(b, '\n');
			} else {
				put_name(b, name);
				dg_buf_printf(b, " %s %s\n", type, scalar(v));
			}
		}
	}
	return 0;
}

struct counts {
	unsigned	passed, failed, skipped;
};

static void
run_test(struct dg_resolver *res, yaml_document_t *d, const char *id,
    yaml_node_t *t, struct counts *c, unsigned *sp, unsigned *sf)
{
	struct dg_spf_query	 q;
	struct dg_spf_verdict	 v;
	yaml_node_t		*want = map_get(d, t, "result");
	const char		*host = scalar(map_get(d, t, "host"));
	const char		*exp = scalar(map_get(d, t, "explanation"));
	char			 wanttxt[128] = "";
	bool			 ok = false;
	enum dg_spf_result	 r;
	yaml_node_item_t	*it;

	memset(&q, 0, sizeof(q));
	if (host == NULL || !dg_ip_parse(host, strlen(host), &q.client)) {
		printf("  SKIP %s: bad host\n", id);
		c->skipped++;
		return;
	}
	q.mail_from = scalar(map_get(d, t, "mailfrom"));
	q.helo = scalar(map_get(d, t, "helo"));
	if (dg_spf_check(res, &q, &v) != DG_OK) {
		printf("  FAIL %s: dg_spf_check error\n", id);
		c->failed++;
		(*sf)++;
		return;
	}
	if (want != NULL && want->type == YAML_SCALAR_NODE) {
		dg_strlcpy(wanttxt, scalar(want), sizeof(wanttxt));
		ok = dg_spf_result_parse(scalar(want), &r) && r == v.result;
	} else if (want != NULL && want->type == YAML_SEQUENCE_NODE) {
		for (it = want->data.sequence.items.start;
		    it < want->data.sequence.items.top; it++) {
			const char	*s = scalar(
			    yaml_document_get_node(d, *it));

			if (wanttxt[0] != '\0')
				dg_strlcpy(wanttxt + strlen(wanttxt), "|",
				    sizeof(wanttxt) - strlen(wanttxt));
			dg_strlcpy(wanttxt + strlen(wanttxt), s,
			    sizeof(wanttxt) - strlen(wanttxt));
			if (dg_spf_result_parse(s, &r) && r == v.result)
				ok = true;
		}
	}
	/* "DEFAULT": the receiver's own text, i.e. no exp= was used. */
	if (ok && exp != NULL && v.result == DG_SPF_FAIL) {
		const struct deviation	*dv;
		const char		*w = strcmp(exp, "DEFAULT") == 0 ?
		    "" : exp;

		dv = find_deviation(id, DEV_EXP_CASE);
		if (dv != NULL && strcmp(w, v.explanation) != 0 &&
		    dg_strcaseeq(w, v.explanation)) {
			printf("  DEVIATION %s (RFC 7208 %s): %s\n", id,
			    dv->section, dv->why);
		} else if (strcmp(w, v.explanation) != 0) {
			printf("  FAIL %s: explanation \"%s\", want \"%s\"\n",
			    id, v.explanation, exp);
			c->failed++;
			(*sf)++;
			return;
		}
	}
	if (!ok) {
		printf("  FAIL %s: got %s (%s: %s; mechanism \"%s\"), "
		    "want %s\n", id, dg_spf_result_str(v.result),
		    dg_spf_reason_str(v.reason), v.detail, v.mechanism,
		    wanttxt);
		c->failed++;
		(*sf)++;
		return;
	}
	c->passed++;
	(*sp)++;
}

int
main(int argc, char **argv)
{
	const char		*dir = getenv("DG_SHARED_DIR");
	const char		*only = argc > 2 ? argv[2] : NULL;
	char			 path[4096], err[256];
	FILE			*fp;
	yaml_parser_t		 parser;
	yaml_document_t		 doc;
	struct counts		 c = { 0, 0, 0 };
	unsigned		 scen = 0;

	if (argc > 1 && strcmp(argv[1], "-") != 0)
		dg_strlcpy(path, argv[1], sizeof(path));
	else
		snprintf(path, sizeof(path), "%s/conformance/spf/"
		    "rfc7208-tests.yml", dir != NULL ? dir : "../../shared");
	fp = fopen(path, "rb");
	if (fp == NULL) {
		perror(path);
		return 1;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, fp);
	for (;;) {
		yaml_node_t		*root, *tests;
		yaml_node_pair_t	*p;
		struct harness		 h;
		struct dg_resolver	*res = NULL;
		struct dg_buf		 zone;
		const char		*desc;
		unsigned		 sp = 0, sf = 0;
		char			 origin[64];

		if (!yaml_parser_load(&parser, &doc)) {
			fprintf(stderr, "%s: YAML error: %s\n", path,
			    parser.problem != NULL ? parser.problem : "?");
			c.failed++;
			break;
		}
		root = yaml_document_get_root_node(&doc);
		if (root == NULL) {
			yaml_document_delete(&doc);
			break;
		}
		scen++;
		desc = scalar(map_get(&doc, root, "description"));
		memset(&h, 0, sizeof(h));
		dg_buf_init(&zone, 0);
		snprintf(origin, sizeof(origin), "scenario-%u", scen);
		if (build_zone(&doc, map_get(&doc, root, "zonedata"), &zone,
		    &h) != 0 || dg_buf_err(&zone) != DG_OK ||
		    dg_resolver_zone_text(dg_buf_str(&zone), zone.len, origin,
		    &h.zone, err, sizeof(err)) != DG_OK ||
		    dg_resolver_custom(harness_query, &h, &res) != DG_OK) {
			printf("scenario %u (%s): zone does not load: %s\n%s",
			    scen, desc, err, dg_buf_str(&zone));
			c.failed++;
			dg_resolver_free(h.zone);
			dg_buf_free(&zone);
			yaml_document_delete(&doc);
			continue;
		}
		tests = map_get(&doc, root, "tests");
		if (tests != NULL && tests->type == YAML_MAPPING_NODE) {
			for (p = tests->data.mapping.pairs.start;
			    p < tests->data.mapping.pairs.top; p++) {
				const char *id = scalar(
				    yaml_document_get_node(&doc, p->key));

				if (only != NULL && strcmp(only, id) != 0)
					continue;
				run_test(res, &doc, id,
				    yaml_document_get_node(&doc, p->value),
				    &c, &sp, &sf);
			}
		}
		if (only == NULL || sp + sf > 0)
			printf("scenario %u (%s): %u passed, %u failed\n",
			    scen, desc, sp, sf);
		dg_resolver_free(res);
		dg_resolver_free(h.zone);
		dg_buf_free(&zone);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	fclose(fp);
	printf("%u passed, %u failed, %u skipped\n", c.passed, c.failed,
	    c.skipped);
	return c.failed != 0 || c.passed == 0;
}
