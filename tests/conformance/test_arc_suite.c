/*
 * tests/conformance/test_arc_suite.c -- the ValiMail ARC validation suite
 * (../shared/conformance/arc/arc-draft-validation-tests.yml) through
 * dg_arc_verify_message(): each scenario's txt-records become a zone,
 * each test's message (LF in the file, CRLF here) is validated, and the
 * chain result is compared with cv (Pass, Fail, None; an empty cv is
 * Fail, as other implementations read it).  Also the two real-world
 * Google chains (real-world/stalwart-arc-00N.txt): pass (ARC has no
 * expiry, so no clock is needed).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include <dmarcguard/arc.h>
#include <dmarcguard/arena.h>
#include <dmarcguard/buf.h>
#include <dmarcguard/dns.h>
#include <dmarcguard/msg.h>

#include "dns/zonefile.h"
#include "util/str.h"

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

/* One TXT RR, the text in 255-octet strings. */
static void
put_txt(struct dg_buf *b, const char *name, const char *text, size_t len)
{
	size_t	off = 0;

	dg_zonefile_put_name(b, name);
	dg_buf_puts(b, " IN TXT");
	do {
		size_t	n = len - off > 255 ? 255 : len - off;

		dg_buf_putc(b, ' ');
		dg_zonefile_put_string(b, text + off, n);
		off += n;
	} while (off < len);
	dg_buf_putc(b, '\n');
}

/* LF to CRLF (a CR already there is kept). */
static char *
crlf(const char *s, size_t len, size_t *outlen)
{
	char	*o = malloc(2 * len + 1);
	size_t	 i, n = 0;

	if (o == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			o[n++] = '\r';
		o[n++] = s[i];
	}
	o[n] = '\0';
	*outlen = n;
	return o;
}

static const char *
expected(const char *cv)
{
	const char	*p = cv;

	while (p != NULL && (*p == ' ' || *p == '\n' || *p == '\t'))
		p++;
	if (p == NULL || *p == '\0')
		return "fail";
	if (dg_memcaseeq(p, 4, "pass", 4))
		return "pass";
	if (dg_memcaseeq(p, 4, "none", 4))
		return "none";
	return "fail";
}

struct counts {
	unsigned	passed, failed;
};

/* The same through the streaming calls, the body 7 bytes at a time. */
static enum dg_err
streamed(struct dg_arena *a, struct dg_resolver *res, const char *m,
    size_t n, struct dg_arc_verdict *out)
{
	struct dg_arc_verifier	*v;
	struct dg_msg_hdr	 h;
	struct dg_msg_error	 merr;
	size_t			 i, off;
	enum dg_err		 err;

	memset(&merr, 0, sizeof(merr));
	if (dg_msg_hdr_parse(a, m, n, 0, &h, &merr) != DG_OK)
		return dg_arc_verify_message(a, res, NULL, m, n, out);
	if ((err = dg_arc_verifier_new(a, res, NULL, &v)) != DG_OK)
		return err;
	for (i = 0; i < h.nfields; i++)
		(void)!dg_arc_header(v, h.fields[i].raw, h.fields[i].raw_len);
	for (off = h.body_offset; off < n && err == DG_OK; off += 7)
		err = dg_arc_body(v, m + off, n - off < 7 ? n - off : 7);
	if (err == DG_OK)
		err = dg_arc_finish(v, out);
	dg_arc_verifier_free(v);
	return err;
}

static void
run_one(struct dg_resolver *res, const char *id, const char *msg,
    size_t len, const char *want, struct counts *c)
{
	struct dg_arc_verdict	 sv;
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_arc_verdict	 v;
	size_t			 n;
	char			*m = crlf(msg, len, &n);
	const char		*got;

	if (a == NULL || m == NULL ||
	    dg_arc_verify_message(a, res, NULL, m, n, &v) != DG_OK) {
		printf("FAIL %s: error\n", id);
		c->failed++;
	} else if (streamed(a, res, m, n, &sv) != DG_OK ||
	    sv.result != v.result) {
		printf("FAIL %s: streamed in 7-byte pieces: %s, whole: %s\n",
		    id, dg_arc_result_str(sv.result),
		    dg_arc_result_str(v.result));
		c->failed++;
	} else if (strcmp(got = dg_arc_result_str(v.result), want) != 0) {
		printf("FAIL %s: got %s (%s), want %s\n", id, got, v.reason,
		    want);
		c->failed++;
	} else {
		c->passed++;
	}
	free(m);
	dg_arena_free(a);
}

static void
validation(const char *path, const char *only, struct counts *c)
{
	FILE		*fp = fopen(path, "rb");
	yaml_parser_t	 parser;
	yaml_document_t	 doc;

	if (fp == NULL) {
		perror(path);
		c->failed++;
		return;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, fp);
	for (;;) {
		yaml_node_t		*root, *tests, *txt;
		yaml_node_pair_t	*p;
		struct dg_resolver	*res = NULL;
		struct dg_buf		 zone;
		char			 err[256];

		if (!yaml_parser_load(&parser, &doc)) {
			printf("%s: YAML error\n", path);
			c->failed++;
			break;
		}
		if ((root = yaml_document_get_root_node(&doc)) == NULL) {
			yaml_document_delete(&doc);
			break;
		}
		dg_buf_init(&zone, 0);
		txt = map_get(&doc, root, "txt-records");
		if (txt == NULL)
			txt = map_get(&doc, root, "txt_records");
		if (txt != NULL && txt->type == YAML_MAPPING_NODE)
			for (p = txt->data.mapping.pairs.start;
			    p < txt->data.mapping.pairs.top; p++) {
				yaml_node_t *k = yaml_document_get_node(&doc,
				    p->key);
				yaml_node_t *v = yaml_document_get_node(&doc,
				    p->value);

				if (scalar(k) != NULL && scalar(v) != NULL)
					put_txt(&zone, scalar(k), scalar(v),
					    v->data.scalar.length);
			}
		if (dg_buf_err(&zone) != DG_OK ||
		    dg_resolver_zone_text(zone.data != NULL ? zone.data : "",
		    zone.len, "arc", &res, err, sizeof(err)) != DG_OK) {
			printf("zone does not load: %s\n", err);
			c->failed++;
			dg_buf_free(&zone);
			yaml_document_delete(&doc);
			continue;
		}
		tests = map_get(&doc, root, "tests");
		if (tests != NULL && tests->type == YAML_MAPPING_NODE)
			for (p = tests->data.mapping.pairs.start;
			    p < tests->data.mapping.pairs.top; p++) {
				const char *id = scalar(
				    yaml_document_get_node(&doc, p->key));
				yaml_node_t *t = yaml_document_get_node(&doc,
				    p->value);
				yaml_node_t *msg = map_get(&doc, t, "message");

				if (id == NULL || msg == NULL ||
				    scalar(msg) == NULL)
					continue;
				if (only != NULL && strcmp(only, id) != 0)
					continue;
				run_one(res, id, scalar(msg),
				    msg->data.scalar.length,
				    expected(scalar(map_get(&doc, t, "cv"))), c);
			}
		dg_resolver_free(res);
		dg_buf_free(&zone);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	fclose(fp);
}

/* real-world/NAME: "name TXT" lines, a blank line, the message. */
static void
real_world(const char *path, struct counts *c)
{
	FILE			*fp = fopen(path, "rb");
	struct dg_resolver	*res = NULL;
	struct dg_buf		 zone, msg;
	char			 line[8192], err[256];
	bool			 in_msg = false;

	if (fp == NULL) {
		perror(path);
		c->failed++;
		return;
	}
	dg_buf_init(&zone, 0);
	dg_buf_init(&msg, 0);
	while (fgets(line, sizeof(line), fp) != NULL) {
		char	*sp;

		if (in_msg) {
			dg_buf_puts(&msg, line);
			continue;
		}
		if (line[0] == '\n') {
			in_msg = true;
			continue;
		}
		line[strcspn(line, "\n")] = '\0';
		if ((sp = strchr(line, ' ')) == NULL)
			continue;
		*sp = '\0';
		put_txt(&zone, line, sp + 1, strlen(sp + 1));
	}
	fclose(fp);
	if (dg_buf_err(&zone) != DG_OK || dg_buf_err(&msg) != DG_OK ||
	    dg_resolver_zone_text(zone.data, zone.len, "real", &res, err,
	    sizeof(err)) != DG_OK) {
		printf("FAIL %s: does not load\n", path);
		c->failed++;
	} else {
		run_one(res, path, msg.data, msg.len, "pass", c);
	}
	dg_resolver_free(res);
	dg_buf_free(&zone);
	dg_buf_free(&msg);
}

/* s without any whitespace, into out[cap]. */
static void
squeeze(const char *s, char *out, size_t cap)
{
	size_t	n = 0;

	for (; s != NULL && *s != '\0' && n + 1 < cap; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			out[n++] = *s;
	out[n] = '\0';
}

/* Compare two tag-lists tag by tag (whitespace ignored, order free). */
static bool
same_tags(const char *got, const char *want)
{
	char	g[8192], w[8192], *p, *save = NULL;
	size_t	ntags = 0;

	squeeze(got, g, sizeof(g));
	squeeze(want, w, sizeof(w));
	for (p = strtok_r(w, ";", &save); p != NULL;
	    p = strtok_r(NULL, ";", &save)) {
		char	needle[4096];
		size_t	nl;

		snprintf(needle, sizeof(needle), "%s;", p);
		nl = strlen(needle);
		/* at the start, or after a ';' */
		if (!(strncmp(g, needle, nl) == 0 ||
		    (strlen(g) >= nl - 1 && strcmp(g + strlen(g) - (nl - 1),
		    p) == 0 && (strlen(g) == nl - 1 ||
		    g[strlen(g) - nl] == ';')))) {
			char	mid[4100];

			snprintf(mid, sizeof(mid), ";%s;", p);
			if (strstr(g, mid) == NULL)
				return false;
		}
		ntags++;
	}
	/* as many tags on both sides */
	{
		size_t	gt = 1;

		for (p = g; *p != '\0'; p++)
			if (*p == ';' && p[1] != '\0')
				gt++;
		return gt == ntags;
	}
}

/*
 * The suite stamps each message's chain status into its newest
 * Authentication-Results (arc=...), and its expected seals use it: so does
 * this runner (the library validates by itself otherwise).
 */
static const char *
stamped(struct dg_arena *a, const char *results)
{
	const char	*p = results, *e;

	for (; (p = strstr(p, "arc=")) != NULL; p++)
		if (p == results || p[-1] == ' ' || p[-1] == ';')
			break;
	if (p == NULL)
		return "none";
	p += 4;
	for (e = p; *e >= 'a' && *e <= 'z'; e++)
		;
	return dg_arena_strndup(a, p, (size_t)(e - p));
}

/* The signing suite: the produced set equals the expected one. */
static void
signing(const char *path, struct counts *c)
{
	FILE		*fp = fopen(path, "rb");
	yaml_parser_t	 parser;
	yaml_document_t	 doc;

	if (fp == NULL) {
		perror(path);
		c->failed++;
		return;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, fp);
	while (yaml_parser_load(&parser, &doc)) {
		yaml_node_t		*root, *tests, *txt;
		yaml_node_pair_t	*p;
		struct dg_resolver	*res = NULL;
		struct dg_dkim_privkey	*key = NULL;
		struct dg_buf		 zone;
		const char		*pem, *dom, *sel;
		char			 err[256];

		if ((root = yaml_document_get_root_node(&doc)) == NULL) {
			yaml_document_delete(&doc);
			break;
		}
		dg_buf_init(&zone, 0);
		txt = map_get(&doc, root, "txt-records");
		if (txt == NULL)
			txt = map_get(&doc, root, "txt_records");
		if (txt != NULL && txt->type == YAML_MAPPING_NODE)
			for (p = txt->data.mapping.pairs.start;
			    p < txt->data.mapping.pairs.top; p++) {
				yaml_node_t *k = yaml_document_get_node(&doc,
				    p->key);
				yaml_node_t *v = yaml_document_get_node(&doc,
				    p->value);

				if (scalar(k) != NULL && scalar(v) != NULL)
					put_txt(&zone, scalar(k), scalar(v),
					    v->data.scalar.length);
			}
		pem = scalar(map_get(&doc, root, "privatekey"));
		dom = scalar(map_get(&doc, root, "domain"));
		sel = scalar(map_get(&doc, root, "sel"));
		if (pem == NULL || dom == NULL || sel == NULL ||
		    dg_dkim_privkey_pem(pem, strlen(pem), &key) != DG_OK ||
		    dg_resolver_zone_text(zone.data != NULL ? zone.data : "",
		    zone.len, "arc-sign", &res, err, sizeof(err)) != DG_OK) {
			printf("FAIL signing scenario does not load\n");
			c->failed++;
			goto next;
		}
		tests = map_get(&doc, root, "tests");
		if (tests != NULL && tests->type == YAML_MAPPING_NODE)
			for (p = tests->data.mapping.pairs.start;
			    p < tests->data.mapping.pairs.top; p++) {
				const char *id = scalar(
				    yaml_document_get_node(&doc, p->key));
				yaml_node_t *t = yaml_document_get_node(&doc,
				    p->value);
				struct dg_arena *a = dg_arena_new(0);
				struct dg_arc_seal_opts o;
				struct dg_arc_sealed sd;
				const char *hl = scalar(map_get(&doc, t,
				    "sig-headers"));
				const char *m0 = scalar(map_get(&doc, t,
				    "message"));
				const char *names[64], *got[3], *want[3];
				char hbuf[1024], *tok, *save = NULL, *m;
				size_t n;
				int k;

				if (a == NULL || m0 == NULL || hl == NULL)
					continue;
				memset(&o, 0, sizeof(o));
				o.domain = dom;
				o.selector = sel;
				o.authserv_id = scalar(map_get(&doc, t, "srv-id"));
				o.now = strtoull(scalar(map_get(&doc, t, "t")),
				    NULL, 10);
				snprintf(hbuf, sizeof(hbuf), "%s", hl);
				for (tok = strtok_r(hbuf, ":", &save);
				    tok != NULL && o.nheaders < 64;
				    tok = strtok_r(NULL, ":", &save))
					names[o.nheaders++] = tok;
				o.headers = names;
				m = crlf(m0, strlen(m0), &n);
				memset(&sd, 0, sizeof(sd));
				if (m == NULL ||
				    dg_arc_verify_message(a, res, NULL, m, n,
				    &sd.chain) != DG_OK ||
				    dg_arc_aar_results(a, m, n, o.authserv_id,
				    dg_arc_result_str(sd.chain.result),
				    &o.results) != DG_OK ||
				    (o.cv = stamped(a, o.results)) == NULL ||
				    dg_arc_seal(a, res, key, &o, m, n, &sd) !=
				    DG_OK) {
					printf("FAIL %s: sealing failed\n", id);
					c->failed++;
					free(m);
					dg_arena_free(a);
					continue;
				}
				if (sd.instance == 0) {
					/* nothing added: the chain ended */
					want[0] = scalar(map_get(&doc, t, "AS"));
					squeeze(want[0], hbuf, sizeof(hbuf));
					if (hbuf[0] == '\0')
						c->passed++;
					else {
						printf("FAIL %s: no set added\n",
						    id);
						c->failed++;
					}
					free(m);
					dg_arena_free(a);
					continue;
				}
				got[0] = strchr(sd.as, ':') + 1;
				got[1] = strchr(sd.ams, ':') + 1;
				got[2] = strchr(sd.aar, ':') + 1;
				want[0] = scalar(map_get(&doc, t, "AS"));
				want[1] = scalar(map_get(&doc, t, "AMS"));
				want[2] = scalar(map_get(&doc, t, "AAR"));
				for (k = 0; k < 3; k++) {
					char gs[8192], ws[8192];

					squeeze(got[k], gs, sizeof(gs));
					squeeze(want[k], ws, sizeof(ws));
					if (want[k] == NULL ||
					    (k < 2 ? !same_tags(got[k],
					    want[k]) : strcmp(gs, ws) != 0)) {
						printf("FAIL %s %s:\n  got  %s\n"
						    "  want %s\n", id, k == 0 ?
						    "AS" : k == 1 ? "AMS" : "AAR",
						    gs, ws);
						c->failed++;
						break;
					}
				}
				if (k == 3)
					c->passed++;
				free(m);
				dg_arena_free(a);
			}
next:
		dg_dkim_privkey_free(key);
		dg_resolver_free(res);
		dg_buf_free(&zone);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	fclose(fp);
}

int
main(int argc, char **argv)
{
	const char	*shared = getenv("DG_SHARED_DIR");
	char		 path[4096];
	struct counts	 c = { 0, 0 };
	int		 i;

	snprintf(path, sizeof(path), "%s/conformance/arc/"
	    "arc-draft-validation-tests.yml",
	    shared != NULL ? shared : "../../shared");
	validation(path, argc > 1 ? argv[1] : NULL, &c);
	snprintf(path, sizeof(path), "%s/conformance/arc/"
	    "arc-draft-sign-tests.yml", shared != NULL ? shared :
	    "../../shared");
	if (argc == 1)
		signing(path, &c);
	for (i = 1; argc == 1 && i <= 2; i++) {
		snprintf(path, sizeof(path), "%s/conformance/arc/real-world/"
		    "stalwart-arc-%03d.txt", shared != NULL ? shared :
		    "../../shared", i);
		real_world(path, &c);
	}
	printf("arc validation + signing + real-world: %u passed, %u failed\n",
	    c.passed, c.failed);
	return c.failed == 0 ? 0 : 1;
}
