/*
 * tests/fuzz/fuzz_dmarc_record.c -- the DMARC Policy Record parser and
 * the DMARC URI parser.  The first byte picks the mode: bit 0 parses as
 * an RFC 7489 receiver.  Checks the invariants the callers rely on, and
 * that the parser agrees with the tree walk's dg_dmarc_record_is_dmarc()
 * on what is a DMARC record and on psd.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/dmarc.h>

#include "util/limits.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_uri(const struct dg_dmarc_uri *u)
{
	if (u->text == NULL)
		abort();
	switch (u->status) {
	case DG_DMARC_URI_OK:
		if (u->address == NULL || u->host == NULL ||
		    u->scheme == NULL || strcmp(u->scheme, "mailto") != 0 ||
		    strlen(u->host) > DG_DNS_NAME_MAX)
			abort();
		break;
	case DG_DMARC_URI_UNSUPPORTED:
		if (u->scheme == NULL || u->error == NULL)
			abort();
		if (u->host != NULL && strlen(u->host) > DG_DNS_NAME_MAX)
			abort();
		break;
	case DG_DMARC_URI_BAD:
		if (u->error == NULL || u->address != NULL || u->host != NULL)
			abort();
		break;
	default:
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_arena		*a;
	struct dg_dmarc_record	 r;
	struct dg_dmarc_uri	 u;
	enum dg_dmarc_psd	 psd;
	const char		*p;
	size_t			 len, i;
	unsigned		 flags;
	bool			 is;

	if (size == 0)
		return 0;
	flags = data[0] & DG_DMARC_PARSE_RFC7489;
	p = (const char *)data + 1;
	len = size - 1;
	if ((a = dg_arena_new(0)) == NULL)
		return 0;

	if (dg_dmarc_record_parse_ex(a, p, len, flags, &r) != DG_OK)
		abort();
	is = dg_dmarc_record_is_dmarc(p, len, &psd);
	if (r.is_dmarc != is)
		abort();
	if (is && flags == 0 && len <= DG_DMARC_RECORD_MAX && r.psd != psd)
		abort();
	if (r.status == DG_DMARC_REC_UNSET)
		abort();
	if (r.status == DG_DMARC_REC_INVALID) {
		if (r.invalid_reason == DG_DMARC_INV_NONE)
			abort();
	} else if (r.p_eff == DG_DMARC_POLICY_UNSET ||
	    r.sp_eff == DG_DMARC_POLICY_UNSET ||
	    r.np_eff == DG_DMARC_POLICY_UNSET || !r.is_dmarc) {
		abort();
	}
	if (dg_dmarc_record_explicit(&r, DG_DMARC_TAG_P) &&
	    r.p == DG_DMARC_POLICY_UNSET)
		abort();
	if (r.pct > 100 || r.nfindings > DG_DMARC_MAX_FINDINGS ||
	    r.nrua > DG_DMARC_MAX_URIS || r.nruf > DG_DMARC_MAX_URIS ||
	    r.nunknown > DG_DMARC_MAX_UNKNOWN)
		abort();
	for (i = 0; i < r.nfindings; i++)
		if (r.findings[i].message == NULL ||
		    r.findings[i].pos > len ||
		    r.findings[i].severity == DG_DMARC_SEV_UNSET)
			abort();
	for (i = 0; i < r.nrua; i++) {
		check_uri(&r.rua[i]);
		if (r.rua[i].pos > len)
			abort();
	}
	for (i = 0; i < r.nruf; i++)
		check_uri(&r.ruf[i]);

	if (dg_dmarc_uri_parse(a, p, len, &u) != DG_OK)
		abort();
	check_uri(&u);

	dg_arena_free(a);
	return 0;
}
