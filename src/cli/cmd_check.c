/*
 * src/cli/cmd_check.c -- `dmarcguard check DOMAIN...` / `-f FILE`: the
 * domain posture audit (lib/engine/audit.c) for people (text), machines
 * (JSON, schema in docs/check.md) and spreadsheets (CSV).
 *
 * Bulk runs: -j N worker threads share one resolver (with live DNS, an
 * answer cache in front of up to 8 libunbound contexts); each audits one
 * domain in its own arena and renders the output there, and the main
 * thread prints the results in input order.  At most 4 x N finished
 * results wait to be printed, so memory stays bounded by the input list
 * (kept to drop duplicates) plus that window.  A progress bar goes to
 * stderr when it is a terminal.
 *
 * Exit status: 0 every domain protected, 1 any weak or spoofable, 2 a
 * usage error or any domain without a verdict (DNS failure, bad name).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/audit.h>
#include <dmarcguard/buf.h>
#include <dmarcguard/dns.h>
#include <dmarcguard/idn.h>
#include <dmarcguard/ip.h>
#include <dmarcguard/orgdomain.h>

#include "cli.h"
#include "commands.h"

#define CMD			"check"
#define CHECK_JOBS_DEFAULT	8
#define CHECK_JOBS_MAX		256
#define CHECK_LINE_MAX		4096	/* longer input lines are refused */
#define CHECK_SELECTORS_MAX	64	/* = DG_AUDIT_MAX_SELECTORS */
#define SELECTORS_FILE		"dkim-selectors.txt"
/*
 * libunbound contexts shared by the workers (worker i uses i % n).  One
 * context resolves in one background thread and wakes every waiting
 * worker for each answer; a few spread that work over the CPUs.  Each
 * has its own cache, so the server sees a few more queries.
 */
#define CHECK_RESOLVERS_MAX	8

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "Usage: dmarcguard check [OPTIONS] DOMAIN...\n"
	    "       dmarcguard check [OPTIONS] -f FILE\n"
	    "\n"
	    "Audit each domain's DMARC, SPF, DKIM, MX, MTA-STS, TLS-RPT, BIMI\n"
	    "and DNSSEC: is it spoofable, weak or protected, and exactly what\n"
	    "should be published to fix it.\n"
	    "\n"
	    "Options:\n"
	    "  -f, --file FILE      read domains from FILE (\"-\": stdin),\n"
	    "                       one a line; # comments and blank lines\n"
	    "                       skipped, duplicates checked once\n"
	    "      --format FMT     text (default), json or csv\n"
	    "  -s, --selector SEL   also look for a DKIM key at SEL\n"
	    "                       (repeatable)\n"
	    "      --selectors-file FILE\n"
	    "                       the common DKIM selectors to try\n"
	    "                       (default: share/dmarcguard/"
	    SELECTORS_FILE ")\n"
	    "      --no-common-selectors  try only the --selector ones\n"
	    "      --no-extra       skip MTA-STS, TLS-RPT and BIMI\n"
	    "  -j, --jobs N         domains checked at once (default %d)\n"
	    "      --no-progress    no progress bar, even on a terminal\n"
	    "  -q, --quiet          text: only the summary line per domain\n"
	    "  -h, --help           show this help\n"
	    "\n"
	    CLI_DNS_HELP
	    "\n"
	    "Output is in input order.  Exit status: 0 all protected, 1 any\n"
	    "weak or spoofable, 2 usage error or a domain without a verdict.\n",
	    CHECK_JOBS_DEFAULT);
}

/* ---- input ---- */

struct entry {
	char	*name;		/* as checked: A-labels, lower case */
	char	*error;		/* not a valid name: why (no audit) */
};

struct input {
	struct entry	*v;
	size_t		 n, cap;
	/* open-addressing set of names seen, for duplicates */
	size_t		*slots;		/* index + 1; 0 empty */
	size_t		 nslots;
};

static uint64_t
hash_name(const char *s)
{
	uint64_t	h = 1469598103934665603ull;	/* FNV-1a */

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static bool
set_grow(struct input *in)
{
	size_t	*ns, n = in->nslots != 0 ? in->nslots * 2 : 1024, i, k;

	ns = calloc(n, sizeof(*ns));
	if (ns == NULL)
		return false;
	for (i = 0; i < in->nslots; i++) {
		if (in->slots[i] == 0)
			continue;
		k = hash_name(in->v[in->slots[i] - 1].name) & (n - 1);
		while (ns[k] != 0)
			k = (k + 1) & (n - 1);
		ns[k] = in->slots[i];
	}
	free(in->slots);
	in->slots = ns;
	in->nslots = n;
	return true;
}

/* Add one domain as typed; false on out of memory. */
static bool
input_add(struct input *in, const char *typed)
{
	char		 name[512], why[128];
	struct entry	 e;
	struct dg_ip	 ip;
	size_t		 k, len;

	memset(&e, 0, sizeof(e));
	why[0] = '\0';
	if (dg_ip_parse(typed, strlen(typed), &ip))
		(void)snprintf(why, sizeof(why), "an IP address, not a domain "
		    "name");
	else if (strchr(typed, '@') != NULL)
		(void)snprintf(why, sizeof(why), "an email address, not a "
		    "domain name: give the part after the @");
	if (why[0] != '\0' || typed[0] == '\0' ||
	    dg_idn_name_to_ascii(typed, name, sizeof(name), why,
	    sizeof(why)) != DG_OK) {
		e.name = strdup(typed);
		e.error = strdup(why[0] != '\0' ? why : "empty domain name");
		if (e.name == NULL || e.error == NULL) {
			free(e.name);
			free(e.error);
			return false;
		}
	} else {
		len = strlen(name);
		if (len > 1 && name[len - 1] == '.')
			name[len - 1] = '\0';
		for (k = 0; name[k] != '\0'; k++)
			if (name[k] >= 'A' && name[k] <= 'Z')
				name[k] = (char)(name[k] - 'A' + 'a');
		if ((in->n + 1) * 2 > in->nslots && !set_grow(in))
			return false;
		k = hash_name(name) & (in->nslots - 1);
		while (in->slots[k] != 0) {
			if (strcmp(in->v[in->slots[k] - 1].name, name) == 0)
				return true;	/* a duplicate */
			k = (k + 1) & (in->nslots - 1);
		}
		e.name = strdup(name);
		if (e.name == NULL)
			return false;
		in->slots[k] = in->n + 1;
	}
	if (in->n == in->cap) {
		size_t		 nc = in->cap != 0 ? in->cap * 2 : 64;
		struct entry	*nv = realloc(in->v, nc * sizeof(*nv));

		if (nv == NULL) {
			free(e.name);
			free(e.error);
			return false;
		}
		in->v = nv;
		in->cap = nc;
	}
	in->v[in->n++] = e;
	return true;
}

static void
input_free(struct input *in)
{
	size_t	i;

	for (i = 0; i < in->n; i++) {
		free(in->v[i].name);
		free(in->v[i].error);
	}
	free(in->v);
	free(in->slots);
	memset(in, 0, sizeof(*in));
}

/* One domain a line; "#" starts a comment; blank lines skipped. */
static int
input_file(struct input *in, const char *path)
{
	FILE	*fp;
	char	*line = NULL, *p, *end;
	size_t	 cap = 0, lineno = 0;
	ssize_t	 n;
	int	 rc = DG_EXIT_OK;

	fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (fp == NULL)
		return cli_error(CMD, "%s: %s", path, strerror(errno));
	while ((n = getline(&line, &cap, fp)) != -1) {
		lineno++;
		if (n > CHECK_LINE_MAX) {
			rc = cli_error(CMD, "%s:%zu: line too long", path,
			    lineno);
			break;
		}
		if ((p = memchr(line, '#', (size_t)n)) != NULL)
			*p = '\0';
		p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		end = p + strlen(p);
		while (end > p && (end[-1] == '\n' || end[-1] == '\r' ||
		    end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*p == '\0')
			continue;
		if (!input_add(in, p)) {
			rc = cli_error(CMD, "out of memory");
			break;
		}
	}
	if (rc == DG_EXIT_OK && ferror(fp))
		rc = cli_error(CMD, "%s: read error", path);
	free(line);
	if (fp != stdin)
		fclose(fp);
	return rc;
}

/* ---- DKIM selectors ---- */

struct selectors {
	char		*v[CHECK_SELECTORS_MAX];
	size_t		 n;
};

static bool
sel_add(struct selectors *s, const char *p, size_t len)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (strlen(s->v[i]) == len && strncmp(s->v[i], p, len) == 0)
			return true;
	if (s->n == CHECK_SELECTORS_MAX)
		return true;	/* the audit asks at most this many */
	if ((s->v[s->n] = strndup(p, len)) == NULL)
		return false;
	s->n++;
	return true;
}

static int
load_selectors(struct selectors *s, const char *file)
{
	char	 path[PATH_MAX + 64], line[512], *p;
	size_t	 len;
	FILE	*fp;

	if (file != NULL) {
		if ((fp = fopen(file, "r")) == NULL)
			return cli_error(CMD, "--selectors-file %s: %s", file,
			    strerror(errno));
	} else if ((fp = cli_data_open(SELECTORS_FILE, path, sizeof(path))) == NULL) {
		fprintf(stderr, "dmarcguard %s: the common DKIM selector list "
		    "(%s) was not found; checking --selector only\n", CMD,
		    SELECTORS_FILE);
		return DG_EXIT_OK;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		p = line + strspn(line, " \t");
		len = strcspn(p, " \t\r\n");
		if (len > 0 && !sel_add(s, p, len)) {
			fclose(fp);
			return cli_error(CMD, "out of memory");
		}
	}
	fclose(fp);
	return DG_EXIT_OK;
}

/* ---- rendering ---- */

#define C_RESET		"\033[0m"
#define C_BOLD		"\033[1m"
#define C_GREEN		"\033[32m"
#define C_YELLOW	"\033[33m"
#define C_RED		"\033[31m"
#define C_MAGENTA	"\033[35m"

struct render {
	enum cli_format	 fmt;
	bool		 color;
	bool		 quiet;
};

static const char *
verdict_color(enum dg_audit_verdict v)
{
	switch (v) {
	case DG_AUDIT_PROTECTED:	return C_GREEN;
	case DG_AUDIT_WEAK:		return C_YELLOW;
	case DG_AUDIT_SPOOFABLE:	return C_RED;
	default:			return C_MAGENTA;
	}
}

/* Text for a terminal: printable ASCII only, the rest as \DDD. */
static void
put_safe(struct dg_buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p > 0x7e || *p == '\\')
			dg_buf_printf(b, "\\%03u", *p);
		else
			dg_buf_putc(b, (char)*p);
	}
}

/* A TXT record in zone-file syntax: quoted strings of at most 255
 * octets each (RFC 1035 3.3.14). */
static void
put_txt(struct dg_buf *b, const char *s)
{
	size_t	len = strlen(s), off = 0, k, i;

	do {
		k = len - off > 255 ? 255 : len - off;
		if (off > 0)
			dg_buf_putc(b, ' ');
		dg_buf_putc(b, '"');
		for (i = 0; i < k; i++) {
			unsigned char	c = (unsigned char)s[off + i];

			if (c == '"' || c == '\\')
				dg_buf_printf(b, "\\%c", c);
			else if (c < 0x20 || c > 0x7e)
				dg_buf_printf(b, "\\%03u", c);
			else
				dg_buf_putc(b, (char)c);
		}
		dg_buf_putc(b, '"');
		off += k;
	} while (off < len);
}

static const char *
trunc_copy(const char *s, size_t n, char *buf, size_t cap)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

static const char *
summary_dmarc(const struct dg_audit_result *r, char *buf, size_t cap)
{
	if (r->dmarc_record == NULL)
		snprintf(buf, cap, "DMARC none");
	else if (r->policy == NULL)
		snprintf(buf, cap, "DMARC invalid");
	else
		snprintf(buf, cap, "DMARC p=%s%s%s", r->policy,
		    r->dmarc_source != DG_DMARC_SRC_AUTHOR ? " from " : "",
		    r->dmarc_source != DG_DMARC_SRC_AUTHOR ?
		    r->dmarc_domain : "");
	return buf;
}

static void
render_text(struct dg_buf *b, const struct render *rd,
    const struct dg_audit_result *r)
{
	const struct dg_audit_finding	*f;
	const struct dg_audit_seen	*s;
	char				 dm[300], tmp[64];
	size_t				 i;

	if (rd->color)
		dg_buf_puts(b, C_BOLD);
	put_safe(b, r->domain);
	if (rd->color)
		dg_buf_puts(b, C_RESET);
	dg_buf_printf(b, "  %s%s%s", rd->color ?
	    verdict_color(r->verdict) : "", dg_audit_verdict_str(r->verdict),
	    rd->color ? C_RESET : "");
	dg_buf_printf(b, "  (%s, SPF %s, %s, DKIM %zu key%s)\n",
	    summary_dmarc(r, dm, sizeof(dm)), r->spf_record != NULL ?
	    "yes" : "none", r->null_mx ? "null MX" : r->nmx == 0 ? "no MX" :
	    "MX", r->dkim_keys, r->dkim_keys == 1 ? "" : "s");
	if (rd->quiet)
		return;
	for (i = 0; i < r->nseen; i++) {
		s = &r->seen[i];
		dg_buf_printf(b, "  %-13s ", s->what);
		put_safe(b, s->name);
		dg_buf_printf(b, " %s ", dg_dns_type_str(s->type));
		if (s->text == NULL) {
			dg_buf_printf(b, "(%s)\n",
			    dg_dns_status_str(s->status));
			continue;
		}
		if (s->type == DG_DNS_T_TXT && strcmp(s->what, "dkim") == 0 &&
		    strlen(s->text) > 72) {
			/* a key is noise to people: its start and size */
			dg_buf_putc(b, '"');
			put_safe(b, trunc_copy(s->text, 48, tmp, sizeof(tmp)));
			dg_buf_printf(b, "...\" (%zu bytes)\n",
			    strlen(s->text));
			continue;
		}
		if (s->type == DG_DNS_T_TXT)
			put_txt(b, s->text);
		else
			put_safe(b, s->text);
		dg_buf_putc(b, '\n');
	}
	if (r->org_domain_rfc7489 != NULL && r->org_domain != NULL &&
	    strcmp(r->org_domain, r->org_domain_rfc7489) != 0) {
		dg_buf_puts(b, "  org domain    ");
		put_safe(b, r->org_domain);
		dg_buf_puts(b, " (RFC 9989 tree walk), ");
		put_safe(b, r->org_domain_rfc7489[0] != '\0' ?
		    r->org_domain_rfc7489 : "none");
		dg_buf_puts(b, " (RFC 7489 PSL)\n");
	}
	dg_buf_printf(b, "  %-13s %s\n", "dnssec", dg_dnssec_str(r->dnssec));
	for (i = 0; i < r->nfindings; i++) {
		f = &r->findings[i];
		dg_buf_printf(b, "  [%s] %s: ",
		    dg_audit_severity_str(f->severity), f->id);
		put_safe(b, f->message);
		dg_buf_putc(b, '\n');
		if (f->fix[0] != '\0') {
			dg_buf_puts(b, "      fix: ");
			put_safe(b, f->fix);
			dg_buf_putc(b, '\n');
		}
	}
	if (r->npublish > 0)
		dg_buf_puts(b, "  publish:\n");
	for (i = 0; i < r->npublish; i++) {
		dg_buf_puts(b, "    ");
		put_safe(b, r->publish[i].name);
		dg_buf_printf(b, ". IN %s ",
		    dg_dns_type_str(r->publish[i].type));
		if (r->publish[i].type == DG_DNS_T_TXT)
			put_txt(b, r->publish[i].text);
		else
			put_safe(b, r->publish[i].text);
		dg_buf_puts(b, "\n      ");
		put_safe(b, r->publish[i].why);
		dg_buf_putc(b, '\n');
	}
	if (r->nrollout > 0)
		dg_buf_puts(b, "  rollout:\n");
	for (i = 0; i < r->nrollout; i++) {
		dg_buf_printf(b, "    %zu. ", i + 1);
		put_txt(b, r->rollout[i].record);
		dg_buf_puts(b, "\n       ");
		put_safe(b, r->rollout[i].advice);
		dg_buf_putc(b, '\n');
	}
}

/* A JSON string; text from DNS that is not UTF-8 is given with \DDD
 * escapes (as in text output) rather than lost. */
static json_t *
jstr(const char *s)
{
	struct dg_buf	 b;
	json_t		*j;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	dg_buf_init(&b, 0);
	put_safe(&b, s);
	j = dg_buf_err(&b) == DG_OK ? json_string(dg_buf_str(&b)) : NULL;
	dg_buf_free(&b);
	return j;
}

static json_t *
json_result(const struct dg_audit_result *r)
{
	json_t	*o, *d, *x, *arr;
	size_t	 i;

	o = json_object();
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "domain", jstr(r->domain));
	json_object_set_new(o, "verdict", jstr(
	    dg_audit_verdict_str(r->verdict)));
	json_object_set_new(o, "error", jstr(r->error));
	json_object_set_new(o, "dnssec", jstr(dg_dnssec_str(
	    r->dnssec)));

	d = json_object();
	json_object_set_new(d, "record", jstr(r->dmarc_record));
	json_object_set_new(d, "found_at", r->dmarc_domain != NULL ?
	    json_sprintf("_dmarc.%s", r->dmarc_domain) : json_null());
	json_object_set_new(d, "source", r->dmarc_source !=
	    DG_DMARC_SRC_UNSET ? jstr(dg_dmarc_source_str(
	    r->dmarc_source)) : json_null());
	json_object_set_new(d, "policy", jstr(r->policy));
	json_object_set_new(d, "org_domain", jstr(r->org_domain));
	x = json_object();
	json_object_set_new(x, "org_domain", jstr(r->org_domain_rfc7489));
	json_object_set_new(x, "record", jstr(r->dmarc_record_rfc7489));
	json_object_set_new(d, "rfc7489", x);
	json_object_set_new(o, "dmarc", d);

	d = json_object();
	json_object_set_new(d, "record", jstr(r->spf_record));
	json_object_set_new(d, "lookups", json_integer(r->spf_lookups));
	json_object_set_new(o, "spf", d);

	d = json_object();
	json_object_set_new(d, "count", json_integer((json_int_t)r->nmx));
	json_object_set_new(d, "null_mx", json_boolean(r->null_mx));
	json_object_set_new(d, "parked", json_boolean(r->parked));
	json_object_set_new(o, "mx", d);

	d = json_object();
	json_object_set_new(d, "keys", json_integer((json_int_t)r->dkim_keys));
	json_object_set_new(o, "dkim", d);

	arr = json_array();
	for (i = 0; i < r->nfindings; i++) {
		x = json_object();
		json_object_set_new(x, "id", jstr(r->findings[i].id));
		json_object_set_new(x, "area", jstr(dg_audit_area_str(
		    r->findings[i].area)));
		json_object_set_new(x, "severity", jstr(
		    dg_audit_severity_str(r->findings[i].severity)));
		json_object_set_new(x, "message",
		    jstr(r->findings[i].message));
		json_object_set_new(x, "fix", jstr(r->findings[i].fix));
		json_array_append_new(arr, x);
	}
	json_object_set_new(o, "findings", arr);

	arr = json_array();
	for (i = 0; i < r->nseen; i++) {
		x = json_object();
		json_object_set_new(x, "what", jstr(r->seen[i].what));
		json_object_set_new(x, "name", jstr(r->seen[i].name));
		json_object_set_new(x, "type", jstr(dg_dns_type_str(
		    r->seen[i].type)));
		json_object_set_new(x, "status", jstr(
		    dg_dns_status_str(r->seen[i].status)));
		json_object_set_new(x, "text", jstr(r->seen[i].text));
		json_array_append_new(arr, x);
	}
	json_object_set_new(o, "records", arr);

	arr = json_array();
	for (i = 0; i < r->npublish; i++) {
		x = json_object();
		json_object_set_new(x, "what", jstr(r->publish[i].what));
		json_object_set_new(x, "name", jstr(r->publish[i].name));
		json_object_set_new(x, "type", jstr(dg_dns_type_str(
		    r->publish[i].type)));
		json_object_set_new(x, "text", jstr(r->publish[i].text));
		json_object_set_new(x, "why", jstr(r->publish[i].why));
		json_array_append_new(arr, x);
	}
	json_object_set_new(o, "publish", arr);

	arr = json_array();
	for (i = 0; i < r->nrollout; i++) {
		x = json_object();
		json_object_set_new(x, "step", json_integer((json_int_t)i + 1));
		json_object_set_new(x, "record",
		    jstr(r->rollout[i].record));
		json_object_set_new(x, "advice",
		    jstr(r->rollout[i].advice));
		json_array_append_new(arr, x);
	}
	json_object_set_new(o, "rollout", arr);
	return o;
}

/* A domain without a verdict (bad name, out of memory): the same shape
 * with every part empty. */
static json_t *
json_error(const char *domain, const char *why)
{
	struct dg_audit_result	r;

	memset(&r, 0, sizeof(r));
	r.domain = domain;
	r.verdict = DG_AUDIT_ERROR;
	r.error = why;
	r.dnssec = DG_DNSSEC_UNKNOWN;
	return json_result(&r);
}

/* RFC 4180: quote when needed, double the quotes. */
static void
csv_field(struct dg_buf *b, const char *s)
{
	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") == NULL) {
		dg_buf_puts(b, s);
		return;
	}
	dg_buf_putc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			dg_buf_putc(b, '"');
		dg_buf_putc(b, *s);
	}
	dg_buf_putc(b, '"');
}

#define CSV_HEADER	"domain,verdict,dmarc_policy,dmarc_found_at," \
			"spf_lookups,parked,high,medium,low,findings,error\n"

static void
render_csv(struct dg_buf *b, const struct dg_audit_result *r)
{
	size_t	i, n[DG_AUDIT_SEV_ERROR + 1] = { 0 };

	for (i = 0; i < r->nfindings; i++)
		n[r->findings[i].severity]++;
	csv_field(b, r->domain);
	dg_buf_printf(b, ",%s,", dg_audit_verdict_str(r->verdict));
	csv_field(b, r->policy);
	dg_buf_putc(b, ',');
	if (r->dmarc_domain != NULL)
		dg_buf_printf(b, "_dmarc.%s", r->dmarc_domain);
	dg_buf_printf(b, ",%u,%s,%zu,%zu,%zu,", r->spf_lookups,
	    r->parked ? "yes" : "no", n[DG_AUDIT_SEV_HIGH],
	    n[DG_AUDIT_SEV_MEDIUM], n[DG_AUDIT_SEV_LOW]);
	for (i = 0; i < r->nfindings; i++)
		dg_buf_printf(b, "%s%s", i > 0 ? " " : "", r->findings[i].id);
	dg_buf_putc(b, ',');
	csv_field(b, r->error);
	dg_buf_putc(b, '\n');
}

static void
render_error(struct dg_buf *b, const struct render *rd, const char *domain,
    const char *why, bool first)
{
	json_t	*j;
	char	*s;

	switch (rd->fmt) {
	case CLI_FMT_JSON:
		j = json_error(domain, why);
		s = j != NULL ? json_dumps(j, JSON_INDENT(2) |
		    JSON_PRESERVE_ORDER) : NULL;
		if (s == NULL) {
			b->err = DG_ENOMEM;
		} else {
			dg_buf_puts(b, first ? "" : ",\n");
			dg_buf_puts(b, s);
		}
		free(s);
		json_decref(j);
		break;
	case CLI_FMT_CSV:
		csv_field(b, domain);
		dg_buf_puts(b, ",error,,,0,no,0,0,0,,");
		csv_field(b, why);
		dg_buf_putc(b, '\n');
		break;
	default:
		if (rd->color)
			dg_buf_puts(b, C_BOLD);
		put_safe(b, domain);
		if (rd->color)
			dg_buf_puts(b, C_RESET);
		dg_buf_printf(b, "  %serror%s  (", rd->color ? C_MAGENTA : "",
		    rd->color ? C_RESET : "");
		put_safe(b, why);
		dg_buf_puts(b, ")\n");
		break;
	}
}

static void
render(struct dg_buf *b, const struct render *rd,
    const struct dg_audit_result *r, bool first)
{
	json_t	*j;
	char	*s;

	switch (rd->fmt) {
	case CLI_FMT_JSON:
		j = json_result(r);
		s = j != NULL ? json_dumps(j, JSON_INDENT(2) |
		    JSON_PRESERVE_ORDER) : NULL;
		if (s == NULL) {
			b->err = DG_ENOMEM;
		} else {
			dg_buf_puts(b, first ? "" : ",\n");
			dg_buf_puts(b, s);
		}
		free(s);
		json_decref(j);
		break;
	case CLI_FMT_CSV:
		render_csv(b, r);
		break;
	default:
		render_text(b, rd, r);
		break;
	}
}

/* ---- the run ---- */

struct slot {
	char			*out;		/* rendered; malloc'd */
	enum dg_audit_verdict	 verdict;
	bool			 done;
};

struct run {
	struct dg_resolver		*res[CHECK_RESOLVERS_MAX];
	unsigned			 nres;
	unsigned			 nworkers;	/* started, for
							   resolver choice */
	const struct dg_audit_opts	*opts;
	const struct input		*in;
	struct render			 rd;
	struct slot			*slots;
	size_t				 window;
	size_t				 next;		/* to claim */
	size_t				 printed;	/* handed out */
	pthread_mutex_t			 mu;
	pthread_cond_t			 space;		/* printed moved */
	pthread_cond_t			 ready;		/* a slot done */
};

static void
check_one(struct run *run, struct dg_resolver *res, struct dg_arena *a,
    size_t i, struct slot *out)
{
	const struct entry	*e = &run->in->v[i];
	struct dg_audit_result	 r;
	struct dg_buf		 b;
	enum dg_err		 err;

	dg_buf_init(&b, 0);
	if (e->error != NULL) {
		out->verdict = DG_AUDIT_ERROR;
		render_error(&b, &run->rd, e->name, e->error, i == 0);
	} else {
		dg_arena_reset(a);
		err = dg_audit_domain(res, run->opts, e->name, a, &r);
		if (err == DG_OK) {
			out->verdict = r.verdict;
			render(&b, &run->rd, &r, i == 0);
		} else {
			out->verdict = DG_AUDIT_ERROR;
			render_error(&b, &run->rd, e->name, err == DG_EINVAL ?
			    "not a valid domain name" : dg_strerror(err),
			    i == 0);
		}
	}
	if (dg_buf_err(&b) != DG_OK) {
		dg_buf_free(&b);
		out->out = NULL;	/* printed as out of memory */
		out->verdict = DG_AUDIT_ERROR;
		return;
	}
	out->out = dg_buf_steal(&b, NULL);
	if (out->out == NULL)
		out->out = strdup("");
}

static void *
worker(void *arg)
{
	struct run		*run = arg;
	struct dg_arena		*a = dg_arena_new(0);
	struct dg_resolver	*res;
	struct slot		 s;
	size_t			 i;

	pthread_mutex_lock(&run->mu);
	res = run->res[run->nworkers++ % run->nres];
	pthread_mutex_unlock(&run->mu);
	for (;;) {
		pthread_mutex_lock(&run->mu);
		while (run->next < run->in->n &&
		    run->next - run->printed >= run->window)
			pthread_cond_wait(&run->space, &run->mu);
		if (run->next >= run->in->n) {
			pthread_mutex_unlock(&run->mu);
			break;
		}
		i = run->next++;
		pthread_mutex_unlock(&run->mu);

		memset(&s, 0, sizeof(s));
		if (a == NULL)
			s.verdict = DG_AUDIT_ERROR;
		else
			check_one(run, res, a, i, &s);
		s.done = true;
		pthread_mutex_lock(&run->mu);
		run->slots[i % run->window] = s;
		pthread_cond_broadcast(&run->ready);
		pthread_mutex_unlock(&run->mu);
	}
	dg_arena_free(a);
	return NULL;
}

static int64_t
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
progress(size_t done, size_t n, bool clear)
{
	char	bar[41];
	size_t	k, w = n > 0 ? done * 40 / n : 40;

	if (clear) {
		fputs("\r\033[K", stderr);
		return;
	}
	for (k = 0; k < 40; k++)
		bar[k] = k < w ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\r[%s] %zu/%zu", bar, done, n);
	fflush(stderr);
}

struct tally {
	size_t	v[DG_AUDIT_ERROR + 1];
};

static int
run_all(struct run *run, unsigned jobs, bool show_progress,
    struct tally *t)
{
	pthread_t	*th;
	struct slot	 s;
	unsigned	 k, started = 0;
	size_t		 n = run->in->n;
	int64_t		 last_draw = 0;
	bool		 write_err = false, drawn = false;
	bool		 tty_out = isatty(fileno(stdout)) != 0;

	th = calloc(jobs, sizeof(*th));
	run->window = (size_t)jobs * 4;
	run->slots = calloc(run->window, sizeof(*run->slots));
	if (th == NULL || run->slots == NULL) {
		free(th);
		free(run->slots);
		return cli_error(CMD, "out of memory");
	}
	pthread_mutex_init(&run->mu, NULL);
	pthread_cond_init(&run->space, NULL);
	pthread_cond_init(&run->ready, NULL);
	for (k = 0; k < jobs && k < n; k++) {
		if (pthread_create(&th[k], NULL, worker, run) != 0)
			break;
		started++;
	}
	if (started == 0 && n > 0) {
		free(th);
		free(run->slots);
		return cli_error(CMD, "cannot start a worker thread");
	}
	if (run->rd.fmt == CLI_FMT_JSON)
		fputs("{\n\"domains\": [\n", stdout);
	else if (run->rd.fmt == CLI_FMT_CSV)
		fputs(CSV_HEADER, stdout);
	while (run->printed < n) {
		pthread_mutex_lock(&run->mu);
		while (!run->slots[run->printed % run->window].done)
			pthread_cond_wait(&run->ready, &run->mu);
		s = run->slots[run->printed % run->window];
		memset(&run->slots[run->printed % run->window], 0,
		    sizeof(s));
		run->printed++;
		pthread_cond_broadcast(&run->space);
		pthread_mutex_unlock(&run->mu);

		/* The bar and the results share a terminal: take the bar
		 * away before a result goes out. */
		if (drawn && tty_out) {
			progress(0, 0, true);
			drawn = false;
		}
		if (s.out == NULL) {
			fprintf(stderr, "dmarcguard %s: %s: out of memory\n",
			    CMD, run->in->v[run->printed - 1].name);
		} else if (fputs(s.out, stdout) == EOF) {
			write_err = true;
		}
		free(s.out);
		t->v[s.verdict]++;
		/* At most ten redraws a second, and the last one. */
		if (show_progress && (run->printed == n || !drawn ||
		    mono_ms() - last_draw >= 100)) {
			fflush(stdout);
			progress(run->printed, n, false);
			last_draw = mono_ms();
			drawn = true;
		}
	}
	for (k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	if (show_progress)
		progress(0, 0, true);
	pthread_mutex_destroy(&run->mu);
	pthread_cond_destroy(&run->space);
	pthread_cond_destroy(&run->ready);
	free(th);
	free(run->slots);
	return write_err ? cli_error(CMD, "cannot write the output") :
	    DG_EXIT_OK;
}

static void
print_summary(enum cli_format fmt, size_t n, const struct tally *t)
{
	if (fmt == CLI_FMT_JSON) {
		printf("%s],\n\"summary\": {\"domains\": %zu, \"protected\": "
		    "%zu, \"weak\": %zu, \"spoofable\": %zu, \"error\": "
		    "%zu}\n}\n", n > 0 ? "\n" : "", n,
		    t->v[DG_AUDIT_PROTECTED], t->v[DG_AUDIT_WEAK],
		    t->v[DG_AUDIT_SPOOFABLE], t->v[DG_AUDIT_ERROR]);
	} else if (fmt == CLI_FMT_TEXT && n > 1) {
		printf("\n%zu domains: %zu protected, %zu weak, %zu "
		    "spoofable, %zu error\n", n, t->v[DG_AUDIT_PROTECTED],
		    t->v[DG_AUDIT_WEAK], t->v[DG_AUDIT_SPOOFABLE],
		    t->v[DG_AUDIT_ERROR]);
	}
}

int
cmd_check(int argc, char **argv)
{
	enum {
		OPT_FORMAT = 0x2000,
		OPT_SELECTORS_FILE,
		OPT_NO_COMMON,
		OPT_NO_EXTRA,
		OPT_NO_PROGRESS
	};
	static const struct option longopts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "selector", required_argument, NULL, 's' },
		{ "selectors-file", required_argument, NULL,
		    OPT_SELECTORS_FILE },
		{ "no-common-selectors", no_argument, NULL, OPT_NO_COMMON },
		{ "no-extra", no_argument, NULL, OPT_NO_EXTRA },
		{ "jobs", required_argument, NULL, 'j' },
		{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DNS_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_dns_opts	 dopts;
	struct cli_dns		 dns[CHECK_RESOLVERS_MAX];
	struct input		 in;
	struct selectors	 sel;
	struct dg_audit_opts	 aopts;
	struct dg_psl		*psl = NULL;
	struct dg_audit_cache	*cache = NULL;
	struct run		 run;
	struct tally		 t;
	const char		*file = NULL, *selfile = NULL;
	char			*end;
	unsigned long		 v;
	unsigned		 jobs = CHECK_JOBS_DEFAULT, nres, k;
	bool			 common = true, noprogress = false;
	int			 c, rc, crc;
	size_t			 i;

	memset(&dopts, 0, sizeof(dopts));
	memset(&in, 0, sizeof(in));
	memset(&sel, 0, sizeof(sel));
	memset(&aopts, 0, sizeof(aopts));
	memset(&run, 0, sizeof(run));
	memset(&t, 0, sizeof(t));
	optind = 1;
	opterr = 0;
	rc = DG_EXIT_OK;
	while ((c = getopt_long(argc, argv, ":f:s:j:qh", longopts, NULL)) !=
	    -1) {
		switch (cli_dns_opt(CMD, &dopts, c, optarg)) {
		case 1:
			continue;
		case -1:
			rc = DG_EXIT_ERROR;
			goto out;
		default:
			break;
		}
		switch (c) {
		case 'f':
			file = optarg;
			break;
		case OPT_FORMAT:
			if (!cli_format_parse(optarg, true, &run.rd.fmt)) {
				rc = cli_usage_error(CMD, "unknown format "
				    "'%s' (text, json or csv)", optarg);
				goto out;
			}
			break;
		case 's':
			if (optarg[0] == '\0' || strchr(optarg, '.') != NULL ||
			    strlen(optarg) > 63) {
				rc = cli_usage_error(CMD, "--selector '%s': "
				    "expected one DNS label", optarg);
				goto out;
			}
			if (!sel_add(&sel, optarg, strlen(optarg))) {
				rc = cli_error(CMD, "out of memory");
				goto out;
			}
			break;
		case OPT_SELECTORS_FILE:
			selfile = optarg;
			break;
		case OPT_NO_COMMON:
			common = false;
			break;
		case OPT_NO_EXTRA:
			aopts.flags |= DG_AUDIT_NO_EXTRA;
			break;
		case 'j':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (optarg[0] < '0' || optarg[0] > '9' ||
			    *end != '\0' || errno != 0 || v == 0 ||
			    v > CHECK_JOBS_MAX) {
				rc = cli_usage_error(CMD, "--jobs '%s': "
				    "expected 1-%d", optarg, CHECK_JOBS_MAX);
				goto out;
			}
			jobs = (unsigned)v;
			break;
		case OPT_NO_PROGRESS:
			noprogress = true;
			break;
		case 'q':
			run.rd.quiet = true;
			break;
		case 'h':
			usage(stdout);
			goto out;
		case ':':
			rc = cli_usage_error(CMD, "%s needs a value",
			    argv[optind - 1]);
			goto out;
		default:
			rc = cli_usage_error(CMD, "unknown option '%s'",
			    argv[optind - 1]);
			goto out;
		}
	}
	if (file != NULL && optind < argc) {
		rc = cli_usage_error(CMD, "give domains or -f FILE, not both");
		goto out;
	}
	if (file == NULL && optind >= argc) {
		rc = cli_usage_error(CMD, "expected DOMAIN... or -f FILE");
		goto out;
	}
	if (file != NULL) {
		if ((rc = input_file(&in, file)) != DG_EXIT_OK)
			goto out;
	} else {
		for (i = (size_t)optind; i < (size_t)argc; i++)
			if (!input_add(&in, argv[i])) {
				rc = cli_error(CMD, "out of memory");
				goto out;
			}
	}
	if (common && (rc = load_selectors(&sel, selfile)) != DG_EXIT_OK)
		goto out;
	aopts.selectors = (const char *const *)sel.v;
	aopts.nselectors = sel.n;
	if (dg_psl_new_system(&psl) == DG_OK)
		aopts.psl = psl;

	/* Several libunbound contexts for bulk runs; one for a zone file
	 * (shared, read-only) and for a recording (one file). */
	nres = dopts.zone == NULL && dopts.record == NULL ?
	    (jobs < CHECK_RESOLVERS_MAX ? jobs : CHECK_RESOLVERS_MAX) : 1;
	if (nres > in.n)
		nres = in.n > 0 ? (unsigned)in.n : 1;
	for (k = 0; k < nres; k++) {
		if ((rc = cli_dns_open(CMD, &dopts, &dns[k])) != DG_EXIT_OK) {
			while (k-- > 0)
				(void)cli_dns_close(CMD, &dns[k]);
			goto out;
		}
		run.res[k] = dns[k].res;
	}
	run.nres = nres;
	/* Live DNS: one answer cache in front of the contexts (a thread
	 * keeps to one context), shared by all workers. */
	if (dopts.zone == NULL && dopts.record == NULL) {
		if (dg_audit_cache_new(run.res, nres, 0, &cache) != DG_OK) {
			rc = cli_error(CMD, "out of memory");
			goto close;
		}
		run.res[0] = dg_audit_cache_resolver(cache);
		run.nres = 1;
	}
	run.opts = &aopts;
	run.in = &in;
	run.rd.color = run.rd.fmt == CLI_FMT_TEXT && cli_use_color(stdout);
	rc = run_all(&run, jobs, !noprogress && in.n > 1 &&
	    isatty(fileno(stderr)), &t);
	if (rc == DG_EXIT_OK) {
		print_summary(run.rd.fmt, in.n, &t);
		if (t.v[DG_AUDIT_ERROR] > 0)
			rc = DG_EXIT_ERROR;
		else if (t.v[DG_AUDIT_WEAK] + t.v[DG_AUDIT_SPOOFABLE] > 0)
			rc = DG_EXIT_FINDING;
	}
	if (fflush(stdout) != 0 && rc != DG_EXIT_ERROR)
		rc = cli_error(CMD, "cannot write the output");
close:
	dg_audit_cache_free(cache);
	for (k = 0; k < nres; k++) {
		crc = cli_dns_close(CMD, &dns[k]);
		if (crc != DG_EXIT_OK)
			rc = crc;
	}
out:
	dg_psl_free(psl);
	for (i = 0; i < sel.n; i++)
		free(sel.v[i]);
	input_free(&in);
	return rc;
}
