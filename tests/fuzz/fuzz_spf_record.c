/*
 * tests/fuzz/fuzz_spf_record.c -- the SPF record parser on any bytes.
 * The input is parsed as a record (with "v=spf1 " put in front when it
 * lacks one, so the fuzzer reaches the term parser) and validated; a
 * parsed record's terms must lie inside the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/spf.h>

#include "spf/spf_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const char *p, size_t len)
{
	struct dg_arena		*a = dg_arena_new(0);
	struct spf_record	 rec;
	struct dg_spf_syntax	 syn;
	size_t			 i;

	if (a == NULL)
		return;
	if (spf_record_parse(a, p, len, &rec, &syn) == DG_OK) {
		for (i = 0; i < rec.nterms; i++) {
			const struct spf_term *t = &rec.terms[i];

			if (t->text.p < p || t->text.p + t->text.len > p + len)
				abort();
			if (t->has_spec && (t->spec.p < t->text.p ||
			    t->spec.p + t->spec.len > t->text.p + t->text.len))
				abort();
		}
	} else if (syn.pos > len) {
		abort();
	}
	dg_arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_spf_syntax	 syn;
	char			*buf;

	if (size > 65536)
		return 0;
	check((const char *)data, size);
	if (dg_spf_record_validate((const char *)data, size, &syn) == DG_OK &&
	    !syn.ok && syn.pos > size)
		abort();
	buf = malloc(size + 7);
	if (buf == NULL)
		return 0;
	memcpy(buf, "v=spf1 ", 7);
	if (size > 0)
		memcpy(buf + 7, data, size);
	check(buf, size + 7);
	free(buf);
	return 0;
}
