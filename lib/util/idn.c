/*
 * lib/util/idn.c -- IDNA through libidn2, the only file that includes
 * <idn2.h>.  Results are copied into caller buffers so libidn2's own
 * allocations never escape this file.
 */
#include <string.h>

#include <idn2.h>

#include "util/idn.h"
#include "util/str.h"

static enum dg_idn_status
copy_out(char *res, char *out, size_t cap, int rc)
{
	size_t	len;

	if (rc != IDN2_OK || res == NULL) {
		idn2_free(res);
		switch (rc) {
		case IDN2_TOO_BIG_DOMAIN:
			return DG_IDN_DOMAIN_TOO_LONG;
		case IDN2_TOO_BIG_LABEL:
			return DG_IDN_LABEL_TOO_LONG;
		default:
			return DG_IDN_INVALID;
		}
	}
	len = strlen(res);
	if (len + 1 > cap) {
		idn2_free(res);
		return DG_IDN_NO_ROOM;
	}
	memcpy(out, res, len + 1);
	idn2_free(res);
	return DG_IDN_OK;
}

enum dg_idn_status
dg_idn_to_ascii(const char *utf8, char *out, size_t cap)
{
	char			*res = NULL;
	enum dg_idn_status	 st;
	int			 rc;

	/* UTS #46 non-transitional mapping lower-cases and NFC-normalises
	 * (RFC 5891 5). */
	rc = idn2_to_ascii_8z(utf8, &res, IDN2_NFC_INPUT |
	    IDN2_NONTRANSITIONAL);
	st = copy_out(res, out, cap, rc);
	if (st == DG_IDN_OK)
		dg_str_lower(out);
	return st;
}

enum dg_idn_status
dg_idn_to_unicode(const char *ascii, char *out, size_t cap)
{
	char	*res = NULL;
	int	 rc;

	rc = idn2_to_unicode_8z8z(ascii, &res, 0);
	return copy_out(res, out, cap, rc);
}
