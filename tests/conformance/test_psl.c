/*
 * tests/conformance/test_psl.c -- the Public Suffix List reference checks
 * (shared/conformance/psl) through dg_psl_org_domain(), with the list
 * snapshot shipped next to them.
 *
 * tests.txt holds "input expected" lines and test_psl.txt the same checks
 * as checkPublicSuffix('input', 'expected'); both are run.  "null" means
 * no input (a NULL pointer) or no registrable domain.  Lines starting with
 * "//" are comments.  Upstream comments some checks out on purpose (the
 * ".local" ones: a listed but non-Internet TLD); those are counted and
 * listed as skipped.  Every other case must pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/orgdomain.h>

struct counts {
	unsigned	passed, failed, skipped;
};

static char *
read_all(const char *path)
{
	FILE	*fp = fopen(path, "rb");
	char	*buf;
	long	 n;

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0) {
		fclose(fp);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf != NULL)
		buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void
check(const struct dg_psl *psl, const char *where, unsigned line,
    const char *input, const char *want, struct counts *c)
{
	char		 got[1024];
	enum dg_err	 err;
	const char	*g;

	err = dg_psl_org_domain(psl, input, 0, got, sizeof(got));
	g = (err == DG_OK && got[0] != '\0') ? got : NULL;
	if ((g == NULL) == (want == NULL) &&
	    (g == NULL || strcmp(g, want) == 0)) {
		c->passed++;
		return;
	}
	c->failed++;
	printf("FAIL %s:%u: %s: got %s (%s), want %s\n", where, line,
	    input ? input : "null", g ? g : "null", dg_strerror(err),
	    want ? want : "null");
}

static void
skip(const char *where, unsigned line, const char *text, struct counts *c)
{
	c->skipped++;
	printf("SKIP %s:%u: %s: commented out in the upstream file\n", where,
	    line, text + 2);
}

/* "input expected" */
static void
run_plain(const struct dg_psl *psl, const char *path, struct counts *c)
{
	char		*text = read_all(path), *line, *next;
	unsigned	 lineno = 0;

	if (text == NULL) {
		printf("FAIL cannot read %s\n", path);
		c->failed++;
		return;
	}
	for (line = text; line != NULL; line = next) {
		char	 in[512], want[512];

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		/* "//local null" is a check commented out; "// Mixed case."
		 * is prose. */
		if (strncmp(line, "//", 2) == 0 && line[2] != ' ' &&
		    line[2] != '\0') {
			skip(path, lineno, line, c);
			continue;
		}
		if (line[0] == '\0' || strncmp(line, "//", 2) == 0)
			continue;
		if (sscanf(line, "%511s %511s", in, want) != 2) {
			printf("FAIL %s:%u: cannot parse \"%s\"\n", path,
			    lineno, line);
			c->failed++;
			continue;
		}
		check(psl, path, lineno, strcmp(in, "null") ? in : NULL,
		    strcmp(want, "null") ? want : NULL, c);
	}
	free(text);
}

/* One argument of checkPublicSuffix(): 'text' or null.  Advances *pp. */
static int
js_arg(char **pp, char *out, size_t cap, int *is_null)
{
	char	*p = *pp, *end;

	while (*p == ' ' || *p == '(' || *p == ',')
		p++;
	if (strncmp(p, "null", 4) == 0) {
		*is_null = 1;
		*pp = p + 4;
		return 0;
	}
	if (*p != '\'')
		return -1;
	end = strchr(p + 1, '\'');
	if (end == NULL || (size_t)(end - p - 1) >= cap)
		return -1;
	memcpy(out, p + 1, (size_t)(end - p - 1));
	out[end - p - 1] = '\0';
	*is_null = 0;
	*pp = end + 1;
	return 0;
}

/* checkPublicSuffix('input', 'expected'); */
static void
run_js(const struct dg_psl *psl, const char *path, struct counts *c)
{
	static const char	 fn[] = "checkPublicSuffix";
	char			*text = read_all(path), *line, *next;
	unsigned		 lineno = 0;

	if (text == NULL) {
		printf("FAIL cannot read %s\n", path);
		c->failed++;
		return;
	}
	for (line = text; line != NULL; line = next) {
		char	 in[512], want[512], *p;
		int	 in_null, want_null;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		if (strncmp(line, "//", 2) == 0 &&
		    strncmp(line + 2, fn, sizeof(fn) - 1) == 0) {
			skip(path, lineno, line, c);
			continue;
		}
		if (strncmp(line, fn, sizeof(fn) - 1) != 0)
			continue;	/* comments, blank lines */
		p = line + sizeof(fn) - 1;
		if (js_arg(&p, in, sizeof(in), &in_null) != 0 ||
		    js_arg(&p, want, sizeof(want), &want_null) != 0) {
			printf("FAIL %s:%u: cannot parse \"%s\"\n", path,
			    lineno, line);
			c->failed++;
			continue;
		}
		check(psl, path, lineno, in_null ? NULL : in,
		    want_null ? NULL : want, c);
	}
	free(text);
}

int
main(void)
{
	const char	*shared = getenv("DG_SHARED_DIR");
	char		 dir[1024], path[1100];
	struct dg_psl	*psl = NULL;
	struct counts	 plain = { 0, 0, 0 }, js = { 0, 0, 0 };
	enum dg_err	 err;

	snprintf(dir, sizeof(dir), "%s/conformance/psl",
	    shared != NULL && shared[0] != '\0' ? shared : "../../shared");
	snprintf(path, sizeof(path), "%s/public_suffix_list.dat", dir);
	if ((err = dg_psl_new_file(path, &psl)) != DG_OK) {
		printf("FAIL cannot load %s: %s\n", path, dg_strerror(err));
		return 1;
	}

	snprintf(path, sizeof(path), "%s/tests.txt", dir);
	run_plain(psl, path, &plain);
	printf("psl tests.txt: %u passed, %u failed, %u skipped\n",
	    plain.passed, plain.failed, plain.skipped);
	snprintf(path, sizeof(path), "%s/test_psl.txt", dir);
	run_js(psl, path, &js);
	printf("psl test_psl.txt: %u passed, %u failed, %u skipped\n",
	    js.passed, js.failed, js.skipped);

	dg_psl_free(psl);
	if (plain.passed == 0 || plain.passed != js.passed)
		printf("FAIL the two files should hold the same checks\n");
	return plain.failed == 0 && js.failed == 0 && plain.passed > 0 &&
	    plain.passed == js.passed ? 0 : 1;
}
