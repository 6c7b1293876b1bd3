/*
 * tests/fuzz/fuzz_header.c -- the header section parser, the From
 * extractor and RFC 2047 decoding of Subject, on arbitrary bytes.
 * Invariants checked: the fields' raw bytes reproduce the header section
 * exactly (strict mode), values hold no NUL and no line terminator before
 * WSP, bottom-up and top-down lookups agree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/msg.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool ok)
{
	if (!ok)
		abort();
}

static void
run(struct dg_arena *a, const char *p, size_t size, unsigned flags)
{
	struct dg_msg_hdr		 h;
	struct dg_msg_from		 f;
	const struct dg_msg_field	*fld;
	const char			*dec;
	size_t				 i, o, idx, top, bottom, declen;

	if (dg_msg_hdr_parse(a, p, size, flags, &h, NULL) != DG_OK)
		return;
	check(h.header_len <= h.body_offset && h.body_offset <= size);
	o = h.mbox_from_len;
	if (h.mbox_from_len > 0)
		check(memcmp(h.mbox_from, p, h.mbox_from_len) == 0);
	for (i = 0; i < h.nfields; i++) {
		const struct dg_msg_field	*x = &h.fields[i];

		check(strlen(x->value) == x->value_len);
		check(x->name_len > 0 && x->name_len <= x->raw_len);
		if (flags == 0) {
			check(o + x->raw_len <= size);
			check(memcmp(p + o, x->raw, x->raw_len) == 0);
		}
		o += x->raw_len;
	}
	if (flags == 0)
		check(o == h.header_len);

	top = bottom = 0;
	idx = 0;
	while (dg_msg_hdr_next(&h, "Received", &idx) != NULL)
		top++;
	idx = h.nfields;
	while (dg_msg_hdr_prev(&h, "received", &idx) != NULL)
		bottom++;
	check(top == bottom && top == dg_msg_hdr_count(&h, "RECEIVED"));

	if (dg_msg_from_extract(a, &h, &f) == DG_OK) {
		check(f.status != DG_MSG_FROM_UNSET);
		check((f.status == DG_MSG_FROM_OK) == (f.domain != NULL));
		(void)dg_msg_from_status_str(f.status);
	}
	idx = 0;
	fld = dg_msg_hdr_next(&h, "Subject", &idx);
	if (fld != NULL && dg_msg_rfc2047_decode(a, fld->value,
	    fld->value_len, &dec, &declen) == DG_OK)
		check(strlen(dec) == declen);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_arena	*a;

	a = dg_arena_new(0);
	if (a == NULL)
		return 0;
	run(a, (const char *)data, size, 0);
	dg_arena_reset(a);
	run(a, (const char *)data, size, DG_MSG_HDR_LENIENT);
	dg_arena_free(a);
	return 0;
}
