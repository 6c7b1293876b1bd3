/*
 * tests/unit/test_dns_record.c -- the recorder: record through a zone
 * resolver and a custom one (every status, hostile bytes, CNAMEs), write,
 * reload with the zone backend and compare every answer field by field.
 * Also atomic writing, write-on-free, threads and allocation failures.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/buf.h>
#include <dmarcguard/dns.h>

#include "util/alloc.h"

#define FIXTURE	"data/zones/backend.zone"

/* Everything the replay must reproduce, as one string. */
static void
dump_answer(const struct dg_dns_answer *ans, struct dg_buf *b)
{
	char	addr[64];
	size_t	i, j, k;

	dg_buf_printf(b, "%s %s ttl=%u dnssec=%s n=%zu",
	    dg_dns_status_str(ans->status), ans->canonical,
	    (unsigned)ans->ttl, dg_dnssec_str(ans->dnssec), ans->count);
	for (i = 0; i < ans->count; i++) {
		const struct dg_dns_rr	*rr = &ans->rrs[i];

		dg_buf_printf(b, " | %s/%u ", dg_dns_type_str(rr->type),
		    (unsigned)rr->ttl);
		switch (rr->type) {
		case DG_DNS_T_A:
			dg_buf_puts(b, inet_ntop(AF_INET, rr->u.a, addr,
			    sizeof(addr)));
			break;
		case DG_DNS_T_AAAA:
			dg_buf_puts(b, inet_ntop(AF_INET6, rr->u.aaaa, addr,
			    sizeof(addr)));
			break;
		case DG_DNS_T_MX:
			dg_buf_printf(b, "%u <%s>", (unsigned)rr->u.mx.pref,
			    rr->u.mx.host);
			break;
		case DG_DNS_T_TXT:
		case DG_DNS_T_SPF:
			for (j = 0; j < rr->u.txt.count; j++) {
				const struct dg_dns_str	*s =
				    &rr->u.txt.strings[j];

				dg_buf_printf(b, "[%zu:", s->len);
				for (k = 0; k < s->len; k++)
					dg_buf_printf(b, "%02x",
					    (unsigned char)s->p[k]);
				dg_buf_putc(b, ']');
			}
			break;
		default:
			dg_buf_printf(b, "<%s>", rr->u.name);
			break;
		}
	}
}

static char *
answer_str(struct dg_resolver *res, const char *name, enum dg_dns_type t)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dns_answer	 ans;
	struct dg_buf		 b;
	enum dg_err		 err;

	dg_buf_init(&b, 0);
	err = dg_dns_query(res, name, t, a, &ans);
	if (err != DG_OK)
		dg_buf_printf(&b, "error %s", dg_strerror(err));
	else
		dump_answer(&ans, &b);
	dg_arena_free(a);
	return dg_buf_steal(&b, NULL);
}

/* A scratch path in a fresh directory under /tmp. */
static char	tmpdir[64];

static const char *
tmp_path(const char *leaf)
{
	static char	path[128];

	if (tmpdir[0] == '\0') {
		snprintf(tmpdir, sizeof(tmpdir), "/tmp/dg_rec_XXXXXX");
		assert_non_null(mkdtemp(tmpdir));
	}
	snprintf(path, sizeof(path), "%s/%s", tmpdir, leaf);
	return path;
}

/* Files in tmpdir: no temporary may be left behind. */
static int
tmp_count(void)
{
	DIR		*d = opendir(tmpdir);
	struct dirent	*e;
	int		 n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static const struct {
	const char		*name;
	enum dg_dns_type	 type;
} zone_queries[] = {
	{ "example.com", DG_DNS_T_A }, { "example.com", DG_DNS_T_AAAA },
	{ "example.com", DG_DNS_T_MX }, { "example.com", DG_DNS_T_TXT },
	{ "example.com", DG_DNS_T_SPF }, { "example.com", DG_DNS_T_NS },
	{ "_dmarc.example.com", DG_DNS_T_TXT },
	{ "_dmarc.example.com", DG_DNS_T_A },
	{ "bin.example.com", DG_DNS_T_TXT },
	{ "nope.example.com", DG_DNS_T_TXT },
	{ "x._dmarc.example.com", DG_DNS_T_TXT },
	{ "sub.example.com", DG_DNS_T_TXT }, { "com", DG_DNS_T_TXT },
	{ "net", DG_DNS_T_TXT }, { "deep.sub.example.com", DG_DNS_T_A },
	{ "empty.example.com", DG_DNS_T_TXT },
	{ "slow.example.com", DG_DNS_T_A },
	{ "slow.example.com", DG_DNS_T_TXT },
	{ "gone.example.org", DG_DNS_T_TXT },
	{ "broken.example.com", DG_DNS_T_TXT },
	{ "broken.example.com", DG_DNS_T_MX },
	{ "alias.example.com", DG_DNS_T_A },
	{ "alias2.example.com", DG_DNS_T_TXT },
	{ "alias.example.com", DG_DNS_T_CNAME },
	{ "alias.example.com", DG_DNS_T_MX },
	{ "dangling.example.com", DG_DNS_T_A },
	{ "toslow.example.com", DG_DNS_T_A },
	{ "toslow.example.com", DG_DNS_T_TXT },
	{ "loop1.example.com", DG_DNS_T_A },
	{ "c2.example.com", DG_DNS_T_A }, { "c1.example.com", DG_DNS_T_A },
	{ "target.example.com", DG_DNS_T_CNAME },
	{ "example.com", DG_DNS_T_A },		/* a repeat: deduplicated */
};

/* Record, write, replay: every answer must come back the same. */
static void
test_zone_roundtrip(void **state)
{
	struct dg_resolver	*zone = NULL, *rec = NULL, *replay = NULL;
	char			*want[NELEM(zone_queries)], *got, err[256];
	const char		*path = tmp_path("zone-rt.zone");
	size_t			 i;

	(void)state;
	assert_int_equal(dg_resolver_zone_file(FIXTURE, &zone, err,
	    sizeof(err)), DG_OK);
	assert_int_equal(dg_resolver_recorder(zone, path, &rec), DG_OK);
	for (i = 0; i < NELEM(zone_queries); i++) {
		want[i] = answer_str(rec, zone_queries[i].name,
		    zone_queries[i].type);
		/* Passing through changes nothing. */
		got = answer_str(zone, zone_queries[i].name,
		    zone_queries[i].type);
		CHECK_STR(zone_queries[i].name, want[i], got);
		free(got);
	}
	CHECK_INT("write", dg_resolver_record_write(rec, err, sizeof(err)),
	    DG_OK);
	CHECK_STR("write", err, "");
	CHECK_INT("no-temp-left", tmp_count(), 1);
	CHECK_INT("reload", dg_resolver_zone_file(path, &replay, err,
	    sizeof(err)), DG_OK);
	CHECK_STR("reload", err, "");
	for (i = 0; i < NELEM(zone_queries); i++) {
		char	row[128];

		snprintf(row, sizeof(row), "%s/%s", zone_queries[i].name,
		    dg_dns_type_str(zone_queries[i].type));
		got = answer_str(replay, zone_queries[i].name,
		    zone_queries[i].type);
		CHECK_STR(row, got, want[i]);
		free(got);
		free(want[i]);
	}
	dg_resolver_free(replay);
	dg_resolver_free(rec);		/* already written: no rewrite */
	dg_resolver_free(zone);
	unlink(path);
}

/* ---- A custom inner resolver with every status and hostile data. ---- */

static const struct dg_dns_str	hostile_strs[] = {
	{ "he said \"hi\"", 12 }, { "back\\slash", 10 },
	{ "\0\001\377\n\t;()", 8 }, { "", 0 },
};
static const struct dg_dns_str	plain_str[] = { { "v=spf1 -all", 11 } };
static struct dg_dns_str	big_strs[300];
static char			big_bytes[300][200];

static enum dg_err
custom_fn(void *ctx, const char *name, enum dg_dns_type type,
    struct dg_arena *a, struct dg_dns_answer *out)
{
	struct dg_dns_rr	*rr;

	(void)ctx;
	rr = dg_arena_calloc(a, 2, sizeof(*rr));
	if (rr == NULL)
		return DG_ENOMEM;
	out->status = DG_DNS_OK;
	out->rrs = rr;
	out->count = 1;
	rr[0].type = type;
	rr[0].ttl = out->ttl = 100;
	if (strcmp(name, "txt.custom") == 0 && type == DG_DNS_T_TXT) {
		rr[0].u.txt.count = NELEM(hostile_strs);
		rr[0].u.txt.strings = hostile_strs;
		rr[1].type = type;
		rr[1].ttl = 200;
		rr[1].u.txt.count = 1;
		rr[1].u.txt.strings = plain_str;
		out->count = 2;
	} else if (strcmp(name, "big.custom") == 0) {
		rr[0].u.txt.count = NELEM(big_strs);
		rr[0].u.txt.strings = big_strs;
	} else if (strcmp(name, "we;ird (name)\"@$.custom") == 0) {
		rr[0].u.a[0] = 192;
		rr[0].u.a[3] = 1;
	} else if (strcmp(name, "v6.custom") == 0) {
		inet_pton(AF_INET6, "2001:db8::2", rr[0].u.aaaa);
	} else if (strcmp(name, "mx.custom") == 0) {
		rr[0].u.mx.host = "";
		rr[1] = rr[0];
		rr[1].u.mx.pref = 10;
		rr[1].u.mx.host = "mx.custom";
		out->count = 2;
	} else if (strcmp(name, "ptr.custom") == 0 ||
	    strcmp(name, "ns.custom") == 0) {
		rr[0].u.name = "host.example";
	} else if (strcmp(name, "chain.custom") == 0) {
		rr[0].u.a[0] = 10;
		rr[0].ttl = 50;
		out->ttl = 20;
		out->canonical = "end.custom";
	} else if (strcmp(name, "end.custom") == 0) {
		rr[0].u.a[0] = 10;
		rr[0].ttl = out->ttl = 50;
	} else if (strcmp(name, "child.nxparent.custom") == 0) {
		rr[0].u.a[0] = 10;
	} else {
		out->count = 0;
		out->rrs = NULL;
		out->ttl = 0;
		out->status = strncmp(name, "mal.", 4) == 0 ?
		    DG_DNS_MALFORMED : strncmp(name, "sf.", 3) == 0 ?
		    DG_DNS_SERVFAIL : strncmp(name, "to.", 3) == 0 ?
		    DG_DNS_TIMEOUT : strncmp(name, "nd.", 3) == 0 ?
		    DG_DNS_NODATA : DG_DNS_NXDOMAIN;
		if (out->status == DG_DNS_SERVFAIL)
			out->why = "bogus\nsignature; expired";
	}
	return DG_OK;
}

static const struct {
	const char		*name;
	enum dg_dns_type	 type;
	const char		*replay;	/* NULL: same as recorded */
} custom_queries[] = {
	{ "txt.custom", DG_DNS_T_TXT, NULL },
	{ "big.custom", DG_DNS_T_TXT, NULL },
	{ "big.custom", DG_DNS_T_SPF, NULL },
	{ "We;ird (Name)\"@$.custom.", DG_DNS_T_A, NULL },
	{ "v6.custom", DG_DNS_T_AAAA, NULL },
	{ "mx.custom", DG_DNS_T_MX, NULL },
	{ "ptr.custom", DG_DNS_T_PTR, NULL },
	{ "ns.custom", DG_DNS_T_NS, NULL },
	{ "chain.custom", DG_DNS_T_A, NULL },
	{ "end.custom", DG_DNS_T_A, NULL },
	{ "to.custom", DG_DNS_T_TXT, NULL },
	{ "sf.custom", DG_DNS_T_TXT, NULL },
	{ "nd.custom", DG_DNS_T_MX, NULL },
	{ "nx.custom", DG_DNS_T_TXT, NULL },
	/* MALFORMED cannot be replayed; it becomes SERVFAIL. */
	{ "mal.custom", DG_DNS_T_TXT,
	  "servfail mal.custom ttl=0 dnssec=unknown n=0" },
	/* NXDOMAIN for a name with a recorded descendant: real DNS cannot
	 * answer that, the replay makes it an empty non-terminal. */
	{ "nxparent.custom", DG_DNS_T_TXT,
	  "nodata nxparent.custom ttl=0 dnssec=unknown n=0" },
	{ "child.nxparent.custom", DG_DNS_T_A, NULL },
};

static void
test_custom_roundtrip(void **state)
{
	struct dg_resolver	*cust = NULL, *rec = NULL, *replay = NULL;
	char			*want[NELEM(custom_queries)], *got, *text;
	char			 err[256];
	const char		*path = tmp_path("custom.zone");
	size_t			 i, j;

	(void)state;
	for (i = 0; i < NELEM(big_strs); i++) {
		for (j = 0; j < sizeof(big_bytes[i]); j++)
			big_bytes[i][j] = (char)(i * 7 + j);
		big_strs[i].p = big_bytes[i];
		big_strs[i].len = sizeof(big_bytes[i]);
	}
	assert_int_equal(dg_resolver_custom(custom_fn, NULL, &cust), DG_OK);
	assert_int_equal(dg_resolver_recorder(cust, path, &rec), DG_OK);
	for (i = 0; i < NELEM(custom_queries); i++)
		want[i] = answer_str(rec, custom_queries[i].name,
		    custom_queries[i].type);
	CHECK_STR("malformed-recorded", want[14],
	    "malformed mal.custom ttl=0 dnssec=unknown n=0");
	CHECK_INT("write", dg_resolver_record_write(rec, err, sizeof(err)),
	    DG_OK);
	text = test_read_file(path, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "; dmarcguard DNS recording"));
	assert_non_null(strstr(text, "from the custom backend, 17 distinct "
	    "queries"));
	assert_non_null(strstr(text, "txt.custom. 100 IN TXT \"he said "
	    "\\\"hi\\\"\" \"back\\\\slash\" \"\\000\\001\\255\\010\\009;()\" "
	    "\"\"\n"));
	assert_non_null(strstr(text, "we\\059ird\\032\\040name\\041\\034"
	    "\\064\\036.custom. 100 IN A 192.0.0.1\n"));
	assert_non_null(strstr(text, "$SERVFAIL sf.custom. ; bogus?signature;"
	    " expired\n"));
	assert_non_null(strstr(text, "$SERVFAIL mal.custom.\n"));
	assert_non_null(strstr(text, "$TIMEOUT to.custom.\n"));
	assert_non_null(strstr(text, "$NODATA nd.custom.\n"));
	assert_non_null(strstr(text,
	    "chain.custom. 20 IN CNAME end.custom.\n"));
	assert_non_null(strstr(text, "; conflict: nxparent.custom. answered "
	    "NXDOMAIN"));
	assert_non_null(strstr(text, "big.custom. 100 IN TXT (\"\\000\\001"));
	assert_null(strstr(text, "nx.custom"));
	free(text);

	CHECK_INT("reload", dg_resolver_zone_file(path, &replay, err,
	    sizeof(err)), DG_OK);
	CHECK_STR("reload", err, "");
	for (i = 0; i < NELEM(custom_queries); i++) {
		got = answer_str(replay, custom_queries[i].name,
		    custom_queries[i].type);
		CHECK_STR(custom_queries[i].name, got,
		    custom_queries[i].replay != NULL ?
		    custom_queries[i].replay : want[i]);
		free(got);
		free(want[i]);
	}
	dg_resolver_free(replay);
	dg_resolver_free(rec);
	dg_resolver_free(cust);
	unlink(path);
}

/* Freeing an unwritten recorder writes it; a failed write leaves no
 * file; record_write refuses other resolvers. */
static void
test_write_paths(void **state)
{
	struct dg_resolver	*zone = NULL, *rec = NULL;
	const char		*path;
	char			 err[256], *s, bad[160];
	struct stat		 st;

	(void)state;
	assert_int_equal(dg_resolver_zone_file(FIXTURE, &zone, NULL, 0),
	    DG_OK);
	path = tmp_path("on-free.zone");
	assert_int_equal(dg_resolver_recorder(zone, path, &rec), DG_OK);
	s = answer_str(rec, "example.com", DG_DNS_T_MX);
	free(s);
	dg_resolver_free(rec);
	CHECK_INT("written-on-free", stat(path, &st), 0);
	s = test_read_file(path, NULL);
	assert_non_null(strstr(s, "example.com. 300 IN MX 20 "
	    "mx2.example.com.\n"));
	free(s);
	unlink(path);

	snprintf(bad, sizeof(bad), "%s/no/such/dir/x.zone", tmpdir);
	assert_int_equal(dg_resolver_recorder(zone, bad, &rec), DG_OK);
	s = answer_str(rec, "example.com", DG_DNS_T_MX);
	free(s);
	CHECK_INT("bad-dir", dg_resolver_record_write(rec, err, sizeof(err)),
	    DG_EIO);
	assert_non_null(strstr(err, "cannot create a temporary file"));
	dg_resolver_free(rec);		/* retries, fails silently */
	CHECK_INT("bad-dir-nothing", tmp_count(), 0);

	CHECK_INT("not-recorder", dg_resolver_record_write(zone, err,
	    sizeof(err)), DG_EINVAL);
	CHECK_INT("null-inner", dg_resolver_recorder(NULL, "x", &rec),
	    DG_EINVAL);
	dg_resolver_free(zone);
}

struct worker {
	struct dg_resolver	*rec;
	int			 seed;
	int			 bad;
};

static void *
worker_main(void *arg)
{
	struct worker		*w = arg;
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_dns_answer	 ans;
	size_t			 i, r;

	for (i = 0; i < 2000; i++) {
		r = (i * 5 + (size_t)w->seed) % NELEM(zone_queries);
		if (dg_dns_query(w->rec, zone_queries[r].name,
		    zone_queries[r].type, a, &ans) != DG_OK)
			w->bad++;
		dg_arena_reset(a);
	}
	dg_arena_free(a);
	return NULL;
}

/* Four threads through one recorder; the file replays every query. */
static void
test_threads(void **state)
{
	struct dg_resolver	*zone = NULL, *rec = NULL, *replay = NULL;
	struct worker		 w[4];
	pthread_t		 t[4];
	const char		*path = tmp_path("threads.zone");
	char			*a1, *a2, err[256];
	size_t			 i;

	(void)state;
	assert_int_equal(dg_resolver_zone_file(FIXTURE, &zone, NULL, 0),
	    DG_OK);
	assert_int_equal(dg_resolver_recorder(zone, path, &rec), DG_OK);
	for (i = 0; i < 4; i++) {
		w[i].rec = rec;
		w[i].seed = (int)i * 3;
		w[i].bad = 0;
		assert_int_equal(pthread_create(&t[i], NULL, worker_main,
		    &w[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		CHECK_INT("thread", w[i].bad, 0);
	}
	assert_int_equal(dg_resolver_record_write(rec, err, sizeof(err)),
	    DG_OK);
	assert_int_equal(dg_resolver_zone_file(path, &replay, err,
	    sizeof(err)), DG_OK);
	for (i = 0; i < NELEM(zone_queries); i++) {
		a1 = answer_str(zone, zone_queries[i].name,
		    zone_queries[i].type);
		a2 = answer_str(replay, zone_queries[i].name,
		    zone_queries[i].type);
		CHECK_STR(zone_queries[i].name, a2, a1);
		free(a1);
		free(a2);
	}
	dg_resolver_free(replay);
	dg_resolver_free(rec);
	dg_resolver_free(zone);
	unlink(path);
}

/* Allocation failures while recording and writing: an error, never a
 * crash, a leak or a partial file. */
static void
test_enomem(void **state)
{
	struct dg_resolver	*zone = NULL, *rec;
	struct dg_arena		*a;
	struct dg_dns_answer	 ans;
	const char		*path = tmp_path("enomem.zone");
	char			 err[256];
	unsigned long		 n;
	enum dg_err		 rc;
	size_t			 i;

	(void)state;
	assert_int_equal(dg_resolver_zone_file(FIXTURE, &zone, NULL, 0),
	    DG_OK);
	for (n = 1; n < 5000; n++) {
		rec = NULL;
		a = dg_arena_new(0);
		assert_non_null(a);
		dg_alloc_fail_after(n);
		rc = dg_resolver_recorder(zone, path, &rec);
		for (i = 0; rc == DG_OK && i < 6; i++)
			rc = dg_dns_query(rec, zone_queries[i].name,
			    zone_queries[i].type, a, &ans);
		if (rc == DG_OK)
			rc = dg_resolver_record_write(rec, err, sizeof(err));
		if (!dg_alloc_failed()) {
			dg_alloc_fail_after(0);
			CHECK_INT("enomem-final", rc, DG_OK);
			dg_resolver_free(rec);
			dg_arena_free(a);
			break;
		}
		dg_alloc_fail_after(0);
		assert_true(rc == DG_ENOMEM || rc == DG_ETOOBIG);
		/* Freeing may write what was recorded; either way no
		 * temporary file may stay behind. */
		dg_resolver_free(rec);
		dg_arena_free(a);
		unlink(path);
		CHECK_INT("enomem-no-file", tmp_count(), 0);
	}
	assert_true(n > 3 && n < 5000);
	unlink(path);
	dg_resolver_free(zone);
}

static int
teardown(void **state)
{
	(void)state;
	if (tmpdir[0] != '\0')
		rmdir(tmpdir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zone_roundtrip),
		cmocka_unit_test(test_custom_roundtrip),
		cmocka_unit_test(test_write_paths),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
